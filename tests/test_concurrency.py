"""Two runs on one pack folder, and runs that are killed: nothing is mixed, nothing
half-written stays, and what a killed run left is cleaned by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import SAMPLES

from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack, pack_dir


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(scope="module")
def profile():
    return load_profile(SAMPLES / "escaping.yaml")


def test_a_pack_being_written_by_another_run_is_refused(tmp_path, profile):
    target = pack_dir(tmp_path, profile)
    target.parent.mkdir(parents=True)
    lock = target.parent / f".{target.name}.lock"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock.write_text(str(other.pid), encoding="ascii")
        with pytest.raises(InputError, match=rf"another packbuilder \(process {other.pid}\) is writing this pack"):
            build_pack(profile, tmp_path, only=["order"])
        assert not target.exists() and lock.read_text(encoding="ascii") == str(other.pid)  # its lock is kept
    finally:
        other.kill()
        other.wait()
    # the other run is gone: its lock is stale and taken over
    result = build_pack(profile, tmp_path, only=["order"])
    assert (result.root / "kk" / "01-order.docx").is_file() and not lock.exists()


def test_folders_a_killed_run_left_are_removed_by_the_next(tmp_path, profile):
    target = pack_dir(tmp_path, profile)
    target.parent.mkdir(parents=True)
    dead = target.parent / f".{target.name}.partial-{_dead_pid()}"
    (dead / "kk").mkdir(parents=True)
    (dead / "kk" / "01-order.docx").write_bytes(b"half")
    alive = target.parent / f".{target.name}.partial-{os.getppid()}"  # a running process: not ours to remove
    alive.mkdir()
    build_pack(profile, tmp_path, only=["order"])
    assert not dead.exists() and alive.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, alive.name])


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_sigterm_ends_a_build_like_ctrl_c(tmp_path):
    out = tmp_path / "out"
    sample = SAMPLES / "astana_monitoring_centre.yaml"
    command = [sys.executable, "-m", "packbuilder", "build", str(sample), "-o", str(out)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(out.glob("*/.2026.partial-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # until it writes
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err or "KeyboardInterrupt" in err
    left = sorted(p.name for p in out.rglob(".*"))
    assert left == [], f"left behind: {left}"
    if proc.returncode != 0:  # stopped in time: nothing of the pack is there
        assert not (out / "150740099876" / "2026").exists()


def _entry(n: int):
    from types import SimpleNamespace
    return SimpleNamespace(number=n, source=f"organizations row {n + 1}", bin=f"{n:012d}", name=f"Org {n}")


def _future(result=None, exception=None, cancel=False):
    from concurrent.futures import Future
    f = Future()
    if cancel:
        f.cancel()
    elif exception is not None:
        f.set_exception(exception)
    else:
        f.set_result(result)
    return f


def test_a_killed_worker_fails_only_the_organization_that_kills_it_again():
    """A pool broken by one worker: every organization in flight is tried once more in a new
    pool; only one that breaks it a second time is failed."""
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    from packbuilder.batch import DONE, FAILED, _collect
    outcomes, broke, todo = {}, {}, deque()
    e1, e2 = _entry(1), _entry(2)
    _collect({_future(exception=BrokenProcessPool()): e1, _future(exception=BrokenProcessPool()): e2},
             outcomes, None, lambda: None, todo, broke)
    assert outcomes == {} and sorted(e.number for e in todo) == [1, 2]  # both back in the queue
    # the new pool: organization 1 kills its worker again, organization 2 is built
    todo.clear()
    _collect({_future(result={"status": DONE, "pack": "000000000002/2026", "files": 74}): e2,
              _future(exception=BrokenProcessPool()): e1}, outcomes, None, lambda: None, todo, broke)
    assert outcomes[2].status == DONE and outcomes[1].status == FAILED
    assert "stopped unexpectedly, twice" in outcomes[1].problems[0].message and not todo


def test_a_stopped_batch_records_the_packs_its_workers_finished():
    from packbuilder.batch import DONE, _harvest
    finished, cancelled, interrupted = _entry(1), _entry(2), _entry(3)
    outcomes = {}
    _harvest({_future(result={"status": DONE, "pack": "000000000001/2026", "files": 74}): finished,
              _future(cancel=True): cancelled, _future(exception=KeyboardInterrupt()): interrupted}, outcomes)
    assert list(outcomes) == [1] and outcomes[1].status == DONE and outcomes[1].files == 74
