"""The web app's data: a SQLite database ``DIR/packbuilder.sqlite3`` (organizations, their
profiles per plan year, builds and their status, uploaded files) beside the packs in
``DIR/packs/<bin>/<year>/`` (the tree the CLI writes), uploads in ``DIR/uploads/`` and batch
runs in ``DIR/batches/<id>/``.

Each call opens its own connection (the request threads and the job thread share nothing
but the file); every value is passed as a parameter, never formatted into SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id INTEGER PRIMARY KEY,
    bin TEXT NOT NULL UNIQUE,
    name_kk TEXT NOT NULL DEFAULT '',
    name_ru TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS profiles (
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    year INTEGER NOT NULL,
    data TEXT NOT NULL,
    staff_file TEXT,
    updated TEXT NOT NULL,
    PRIMARY KEY (organization_id, year)
);
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations(id),
    year INTEGER,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    current_file TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    started TEXT NOT NULL,
    finished TEXT
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    created TEXT NOT NULL
);
"""

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
"""The states of a build (a job)."""


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class Store:
    """The database at ``path`` (created with its tables when missing)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def _all(self, sql: str, args: tuple = ()) -> list[dict]:
        with closing(self._connect()) as db:
            return [dict(r) for r in db.execute(sql, args).fetchall()]

    def _one(self, sql: str, args: tuple = ()) -> dict | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None

    def _write(self, sql: str, args: tuple = ()) -> int:
        with self._lock, closing(self._connect()) as db:
            with db:
                cur = db.execute(sql, args)
            return cur.lastrowid

    # --- organizations -------------------------------------------------------------------

    def add_organization(self, bin_: str, name_kk: str, name_ru: str) -> int:
        """A new organization; returns its id. Raises sqlite3.IntegrityError for a BIN
        already there."""
        return self._write("INSERT INTO organizations (bin, name_kk, name_ru, created) VALUES (?, ?, ?, ?)",
                           (bin_, name_kk, name_ru, _now()))

    def organization(self, org_id: int) -> dict | None:
        """The organization ``org_id`` (id, bin, name_kk, name_ru, created) or None."""
        return self._one("SELECT * FROM organizations WHERE id = ?", (org_id,))

    def organization_by_bin(self, bin_: str) -> dict | None:
        """The organization of BIN ``bin_`` or None."""
        return self._one("SELECT * FROM organizations WHERE bin = ?", (bin_,))

    def organizations(self) -> list[dict]:
        """Every organization in BIN order, each with ``years`` (its plan years) and
        ``last`` (its latest build, or None)."""
        orgs = self._all("SELECT * FROM organizations ORDER BY bin")
        for org in orgs:
            org["years"] = [r["year"] for r in self._all(
                "SELECT year FROM profiles WHERE organization_id = ? ORDER BY year", (org["id"],))]
            org["last"] = self._one("SELECT * FROM builds WHERE organization_id = ? ORDER BY id DESC LIMIT 1",
                                    (org["id"],))
        return orgs

    def rename_organization(self, org_id: int, bin_: str, name_kk: str, name_ru: str) -> None:
        """Set the BIN and names of ``org_id`` (from its valid profile)."""
        self._write("UPDATE organizations SET bin = ?, name_kk = ?, name_ru = ? WHERE id = ?",
                    (bin_, name_kk, name_ru, org_id))

    # --- profiles ------------------------------------------------------------------------

    def profile(self, org_id: int, year: int) -> dict | None:
        """The stored profile data (a mapping, maybe invalid: a draft) or None."""
        row = self._one("SELECT data FROM profiles WHERE organization_id = ? AND year = ?", (org_id, year))
        return json.loads(row["data"]) if row else None

    def profile_row(self, org_id: int, year: int) -> dict | None:
        """The profile's row (data as JSON text, staff_file, updated) or None."""
        return self._one("SELECT * FROM profiles WHERE organization_id = ? AND year = ?", (org_id, year))

    def save_profile(self, org_id: int, year: int, data: dict, staff_file: str | None = None) -> None:
        """Store ``data`` (JSON-able) as the profile of ``org_id`` for ``year``; a given
        ``staff_file`` (an upload's generated name) is recorded, else the old one kept."""
        text = json.dumps(data, ensure_ascii=False, default=str)
        self._write("INSERT INTO profiles (organization_id, year, data, staff_file, updated) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (organization_id, year) DO UPDATE SET data = excluded.data, "
                    "staff_file = COALESCE(excluded.staff_file, profiles.staff_file), updated = excluded.updated",
                    (org_id, year, text, staff_file, _now()))

    def years(self, org_id: int) -> list[int]:
        """The plan years ``org_id`` has a profile for."""
        return [r["year"] for r in self._all("SELECT year FROM profiles WHERE organization_id = ? ORDER BY year",
                                             (org_id,))]

    # --- builds --------------------------------------------------------------------------

    def add_build(self, org_id: int | None, year: int | None, kind: str) -> int:
        """A new queued build of ``kind`` (build, update, batch); returns its id."""
        return self._write("INSERT INTO builds (organization_id, year, kind, status, started) VALUES (?, ?, ?, ?, ?)",
                           (org_id, year, kind, QUEUED, _now()))

    def update_build(self, build_id: int, **fields: Any) -> None:
        """Set the columns ``fields`` (status, done, total, current_file, message, details,
        finished) of the build."""
        allowed = {"status", "done", "total", "current_file", "message", "details", "finished", "year"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"unknown build fields {sorted(set(fields) - allowed)}")
        names = sorted(fields)
        self._write(f"UPDATE builds SET {', '.join(n + ' = ?' for n in names)} WHERE id = ?",
                    tuple(fields[n] for n in names) + (build_id,))

    def build(self, build_id: int) -> dict | None:
        """The build ``build_id`` or None."""
        return self._one("SELECT * FROM builds WHERE id = ?", (build_id,))

    def last_build(self, org_id: int, year: int) -> dict | None:
        """The latest build of ``org_id`` for ``year`` or None."""
        return self._one("SELECT * FROM builds WHERE organization_id = ? AND year = ? ORDER BY id DESC LIMIT 1",
                         (org_id, year))

    def interrupted(self, message: str = "") -> None:
        """Mark the builds left queued or running by a stopped server as failed, with
        ``message`` (why, for its job page)."""
        self._write("UPDATE builds SET status = ?, message = ?, finished = ? WHERE status IN (?, ?)",
                    (FAILED, message, _now(), QUEUED, RUNNING))

    # --- uploads -------------------------------------------------------------------------

    def add_upload(self, kind: str, file: str) -> int:
        """Record an uploaded file (``file``: its generated name under DIR/uploads)."""
        return self._write("INSERT INTO uploads (kind, file, created) VALUES (?, ?, ?)", (kind, file, _now()))

    def upload(self, upload_id: int, kind: str) -> dict | None:
        """The upload ``upload_id`` of ``kind`` or None."""
        return self._one("SELECT * FROM uploads WHERE id = ? AND kind = ?", (upload_id, kind))
