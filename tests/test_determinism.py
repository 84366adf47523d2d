"""Building the same profile twice gives the same files, byte for byte, even in two
separate processes (no state of one process, no time of day, no dict or set order leaks
into a pack)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES

BIN = "150740099876"


def _build(out: Path) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED="random")
    res = subprocess.run([sys.executable, "-m", "packbuilder", "build", str(SAMPLES / "astana_monitoring_centre.yaml"),
                          "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    root = out / BIN / "2026"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_processes_build_byte_identical_packs(tmp_path):
    first, second = _build(tmp_path / "a"), _build(tmp_path / "b")
    assert len(first) == 108 and "manifest.json" in first and ".packbuilder/base.json.xz" in first and "kk/06-action_plan.xlsx" in first
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []
