"""Benchmark of batch generation. Prints milliseconds per document the naive way and with
`packbuilder batch`, their ratio, the speed-up from 1 to 2 jobs, and the peak memory of
batches of 100 and 1000 organizations.

    python benchmarks/batch_benchmark.py                 # everything (about 20 minutes on 2 cores)
    python benchmarks/batch_benchmark.py --memory 0      # speed only (about 5 minutes)
    python benchmarks/batch_benchmark.py --orgs 5 --memory 20 60   # a quick look

The organizations are the 20 of samples/ministry/ (with samples/ministry_defaults.yaml),
cycled and made distinct: each copy gets its own BIN and name, and drops 0-3 employees so
that the staff lists, and the documents that list them, differ between copies. Each run
writes its registry workbook and builds into a temporary folder, removed at the end.

- naive: benchmarks/naive.py in this process (a fresh Jinja environment, Markdown parse
  and python-docx Document per document);
- batch: `python -m packbuilder batch REGISTRY -o OUT --defaults … --jobs N` as a separate
  process, timed from start to exit (process start, registry reading and the status
  workbook included);
- memory: the peak of the summed resident memory of the batch process and its workers,
  sampled every 50 ms (psutil: pip install psutil).

Targets (issue 4): batch at least 4x faster per document than naive; 2 jobs at least
1.7x faster than 1; peak memory for 1000 organizations at most 1.2x that for 100.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from naive import naive_build  # noqa: E402

from packbuilder.authoring.parity import document_text  # noqa: E402
from packbuilder.inputs.registry import read_registry, write_registry  # noqa: E402
from packbuilder.model.bin import bin_check_digit  # noqa: E402

SAMPLES = ROOT / "samples"
DEFAULTS = SAMPLES / "ministry_defaults.yaml"


def organizations(n: int) -> list[dict]:
    """``n`` distinct organizations made from the 20 samples."""
    samples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SAMPLES / "ministry").glob("*.yaml"))]
    out = []
    serial = 0
    for k in range(n):
        org = copy.deepcopy(samples[k % len(samples)])
        copy_no = k // len(samples)
        if copy_no:
            while True:
                serial += 1
                first11 = f"2601400{serial:04d}"
                check = bin_check_digit(first11)
                if check is not None:
                    break
            org["organization"]["bin"] = first11 + str(check)
            for lang in ("kk", "ru"):
                org["organization"]["name"][lang] += f" ({copy_no + 1})"
            drop = copy_no % 4
            if drop and len(org["employees"]) > drop + 4:
                org["employees"] = org["employees"][:-drop]
        out.append(org)
    return out


def write_registry_for(n: int, folder: Path) -> Path:
    path = folder / f"registry-{n}.xlsx"
    write_registry(path, organizations(n))
    return path


def run_batch_process(registry: Path, out: Path, jobs: int, sample_memory: bool = False) -> tuple[float, int]:
    """Run `packbuilder batch` as a process; returns (seconds, peak tree RSS in bytes or 0)."""
    cmd = [sys.executable, "-m", "packbuilder", "batch", str(registry), "-o", str(out),
           "--defaults", str(DEFAULTS), "--jobs", str(jobs)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if sample_memory:
        import psutil
        p = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                total = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
            except psutil.Error:
                total = 0
            peak = max(peak, total)
            time.sleep(0.05)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return seconds, peak


def count_documents(out: Path) -> int:
    return sum(1 for p in out.rglob("*") if p.suffix in (".docx", ".xlsx") and p.name != "status.xlsx")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orgs", type=int, default=20, help="organizations for the speed comparison (default 20)")
    ap.add_argument("--memory", type=int, nargs="*", default=[100, 1000],
                    help="registry sizes for the memory comparison (default 100 1000; 0 to skip)")
    args = ap.parse_args()
    memory_sizes = [m for m in args.memory if m > 0]

    work = Path(tempfile.mkdtemp(prefix="packbuilder-bench-"))
    try:
        print(f"packbuilder batch benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{platform.system()} {platform.machine()}")
        registry = write_registry_for(args.orgs, work)

        # naive: one process, everything fresh for every document
        with read_registry(registry, DEFAULTS) as reg:
            profiles = [reg.profile(e) for e in reg.entries]
        start = time.perf_counter()
        naive_docs = 0
        for p in profiles:
            naive_docs += naive_build(p, work / "naive" / p.organization.bin / str(p.year))
        naive_s = time.perf_counter() - start

        one_s, _ = run_batch_process(registry, work / "jobs1", jobs=1)
        docs = count_documents(work / "jobs1")
        two_s, _ = run_batch_process(registry, work / "jobs2", jobs=2)
        assert docs == naive_docs == count_documents(work / "jobs2"), (docs, naive_docs)

        # the same documents either way
        first = profiles[0]
        rel = Path(first.organization.bin) / str(first.year)
        differ = [f for f in (work / "jobs1" / rel).rglob("*.*") if f.suffix in (".docx", ".xlsx")
                  and document_text(f) != document_text(work / "naive" / rel / f.relative_to(work / "jobs1" / rel))]

        naive_ms, one_ms, two_ms = (s * 1000 / docs for s in (naive_s, one_s, two_s))
        ratio, speedup = naive_ms / one_ms, one_s / two_s
        print(f"{args.orgs} organizations, {docs} documents (docx and xlsx); "
              f"same text naive and batch: {'yes' if not differ else 'NO: ' + ', '.join(map(str, differ[:3]))}")
        print(f"  naive (1 process, fresh templates and Document per document): {naive_ms:7.1f} ms/document")
        print(f"  packbuilder batch --jobs 1:                                    {one_ms:7.1f} ms/document"
              f"   {ratio:.1f}x faster than naive  (target >= 4x: {'met' if ratio >= 4 else 'NOT MET'})")
        print(f"  packbuilder batch --jobs 2:                                    {two_ms:7.1f} ms/document"
              f"   {speedup:.2f}x faster than 1 job (target >= 1.7x: {'met' if speedup >= 1.7 else 'NOT MET'})")
        shutil.rmtree(work / "naive", ignore_errors=True)
        shutil.rmtree(work / "jobs1", ignore_errors=True)
        shutil.rmtree(work / "jobs2", ignore_errors=True)

        peaks = {}
        for n in memory_sizes:
            reg_n = write_registry_for(n, work)
            seconds, peak = run_batch_process(reg_n, work / f"mem{n}", jobs=2, sample_memory=True)
            ms = seconds * 1000 / count_documents(work / f"mem{n}")
            peaks[n] = peak
            print(f"  peak memory, {n:5d} organizations, --jobs 2: {peak / 2**20:7.1f} MB "
                  f"(batch process and workers; {seconds:.0f} s, {ms:.1f} ms/document)")
            shutil.rmtree(work / f"mem{n}", ignore_errors=True)
        if len(peaks) >= 2:
            small, large = min(peaks), max(peaks)
            growth = peaks[large] / peaks[small]
            print(f"  memory {large} vs {small} organizations: {growth:.2f}x "
                  f"(target <= 1.2x: {'met' if growth <= 1.2 else 'NOT MET'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
