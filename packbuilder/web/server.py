"""Starting the web app: ``packbuilder serve`` (waitress, not Flask's development server)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

from packbuilder.i18n import _

LOOPBACK = ("127.0.0.1", "::1", "localhost")
TOKEN_ENV = "PACKBUILDER_TOKEN"


def is_loopback(host: str) -> bool:
    """True when ``host`` is only reachable from this computer (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_data_dir() -> Path:
    """The user's data folder for packbuilder (``platformdirs.user_data_dir``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("packbuilder"))


def server_token(host: str, env: dict | None = None) -> str | None:
    """The access token of a server on ``host``: ``PACKBUILDER_TOKEN`` when set, else a new
    random one for any host that is not a loopback address, else None (no token)."""
    env = os.environ if env is None else env
    if env.get(TOKEN_ENV):
        return env[TOKEN_ENV]
    return None if is_loopback(host) else secrets.token_urlsafe(24)


def server_url(host: str, port: int, token: str | None, hostname: str | None = None) -> str:
    """The address to open: ``http://host:port/`` with ``?token=…`` when there is a token; a
    server on every interface (``0.0.0.0``, ``::``) is named by this computer's name, which
    colleagues can reach, not by an address no browser opens."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = hostname or socket.gethostname()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(host: str = "127.0.0.1", port: int = 8080, data_dir: Path | str | None = None,
          ui_lang: str | None = None, threads: int = 4) -> None:
    """Run the web app on ``host``:``port`` with waitress until stopped (Ctrl-C), its data
    in ``data_dir`` (default :func:`default_data_dir`), printing its address — with
    ``?token=…`` when a token is needed (any host that is not a loopback address, or
    ``PACKBUILDER_TOKEN`` set) — in the interface language."""
    from waitress import create_server

    from packbuilder.web.app import create_app

    data_dir = Path(data_dir) if data_dir else default_data_dir()
    token = server_token(host)
    app = create_app(data_dir, token=token, ui_lang=ui_lang)
    server = create_server(app, host=host, port=port, threads=threads)
    url = server_url(host, server.effective_port, token)
    print(_("packbuilder is serving {folder} at:").format(folder=data_dir), flush=True)
    print(f"    {url}", flush=True)
    if token:
        print(_("Open this address with its token in a browser; anyone with the token can use the app."), flush=True)
    print(_("Press Ctrl-C to stop."), flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
