"""Jobs of the web app (build, update, batch): run one at a time in a background thread
(the work is CPU-bound; the CLI's functions do it), in the interface language of the request
that started them, with their progress kept in memory and in the database.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from packbuilder.errors import InputError
from packbuilder.i18n import _
from packbuilder.web.store import DONE, FAILED, RUNNING, Store

log = logging.getLogger(__name__)


@dataclass
class Progress:
    """The live state of a job: ``done`` steps of ``total``, the ``current`` file, and
    ``details`` (a batch: one row per organization)."""

    done: int = 0
    total: int = 0
    current: str = ""
    details: list[dict] = field(default_factory=list)
    _saved: float = 0.0

    def step(self, current: str) -> None:
        """One step done, ``current`` the file it was about."""
        self.done += 1
        self.current = current


class JobError(Exception):
    """A job failed for a reason its user can fix; the message is shown."""


class Jobs:
    """A queue of jobs run by one worker thread (``inline``: run at once in the caller's
    thread, for tests)."""

    def __init__(self, store: Store, inline: bool = False):
        self.store = store
        self.inline = inline
        self.progress: dict[int, Progress] = {}
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, build_id: int, work: Callable[[Progress], Any]) -> None:
        """Run ``work(progress)`` for build ``build_id`` after the jobs before it, in the
        current context (its interface language). ``work`` returns a message for the
        done page, raises InputError/JobError/OSError for a failure its user can fix."""
        progress = self.progress.setdefault(build_id, Progress())
        ctx = contextvars.copy_context()
        if self.inline:
            ctx.run(self._run, build_id, work, progress)
            return
        self._queue.put((ctx, build_id, work, progress))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="packbuilder-jobs", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            ctx, build_id, work, progress = self._queue.get()
            try:
                ctx.run(self._run, build_id, work, progress)
            except Exception:  # noqa: BLE001 - the worker outlives a job whose status could not be written
                log.exception("job %s: its status could not be recorded", build_id)
            finally:
                self._queue.task_done()

    def wait(self, timeout: float = 600) -> None:
        """Wait until every job submitted has finished (tests)."""
        end = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < end:
            time.sleep(0.05)

    def save(self, build_id: int, progress: Progress, force: bool = False) -> None:
        """Write ``progress`` into the database (at most twice a second unless ``force``)."""
        now = time.monotonic()
        if not force and now - progress._saved < 0.5:
            return
        progress._saved = now
        self.store.update_build(build_id, done=progress.done, total=progress.total, current_file=progress.current,
                                details=json.dumps(progress.details, ensure_ascii=False) if progress.details else "")

    def _run(self, build_id: int, work: Callable[[Progress], Any], progress: Progress) -> None:
        status, message = FAILED, ""
        try:
            self.store.update_build(build_id, status=RUNNING)
            message = work(progress) or ""
            status = DONE
            progress.done = max(progress.done, progress.total)
            progress.total = progress.done
            progress.current = ""
        except InputError as exc:
            message = "\n".join(str(p) for p in exc.problems)
        except JobError as exc:
            message = str(exc)
        except OSError as exc:
            message = _("{file}: {reason}").format(file=exc.filename or "", reason=exc.strerror or exc)
        except BaseException:  # noqa: BLE001 - a job never takes the server (or the worker) down, nor stays running
            log.exception("job %s failed", build_id)
            message = _("An internal error stopped the job; the server's log has the details.")
        try:
            self.save(build_id, progress, force=True)
        finally:
            # the status is written even when the progress could not be
            self.store.update_build(build_id, status=status, message=str(message),
                                    finished=dt.datetime.now().isoformat(timespec="seconds"))
