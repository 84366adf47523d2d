"""The browser interface: `packbuilder serve` (README «For compliance officers: the browser»).

:func:`create_app` makes the Flask app (data under a folder: SQLite database, packs, uploads);
:func:`serve` runs it with waitress. Both are imported lazily: importing this package is cheap.
"""

from __future__ import annotations

from pathlib import Path


def create_app(data_dir: Path, token: str | None = None, ui_lang: str | None = None, **options):
    """The Flask app of ``packbuilder serve``; see :func:`packbuilder.web.app.create_app`."""
    from packbuilder.web.app import create_app as make

    return make(data_dir, token=token, ui_lang=ui_lang, **options)


def serve(host: str = "127.0.0.1", port: int = 8080, data_dir: Path | str | None = None, **options) -> None:
    """Run the web app; see :func:`packbuilder.web.server.serve`."""
    from packbuilder.web.server import serve as run

    run(host, port, data_dir, **options)


__all__ = ["create_app", "serve"]
