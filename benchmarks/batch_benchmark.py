"""Benchmark of batch generation against a plain docxtpl loop. Prints, in one run on the
same organizations: milliseconds per .docx of a docxtpl loop, of packbuilder in-process, of
python-docx re-saving packbuilder's files and of unzipping and deflating them again (the
floor), and the ratios; milliseconds per document of `packbuilder batch` with 1 and 2 jobs;
the peak memory of batches of 100 and 1000 organizations; and the machine it ran on.

    python benchmarks/batch_benchmark.py                 # everything (about 20 minutes on 2 cores)
    python benchmarks/batch_benchmark.py --memory 0      # speed only (about 5 minutes)
    python benchmarks/batch_benchmark.py --orgs 5 --memory 0   # a quick look (about 2 minutes)

The organizations are the 20 of samples/ministry/ (with samples/ministry_defaults.yaml),
cycled and made distinct: each copy gets its own BIN and name, and drops 0-3 employees so
that the staff lists, and the documents that list them, differ between copies. Each run
writes its registry workbook and builds into a temporary folder, removed at the end.

- docxtpl loop: benchmarks/docxtpl_loop.py, in this process: for every .docx,
  ``DocxTemplate(template)``, ``render(context, autoescape=True)``, ``save`` over Word
  templates equivalent to packbuilder's documents (made beforehand, not timed; how, and why
  they are equivalent: that module's docstring). The run checks that docxtpl's output has
  the text and layout of packbuilder's, for the first and last organization and for
  samples/escaping.yaml (values full of ``& < { %``), and stops if not.
- packbuilder in-process: ``build_pack`` of the same organizations in this process, warm as
  a batch worker is (another organization, samples/astana_monitoring_centre.yaml, built
  first, untimed: templates compiled, styled base document prepared). Per .docx: the packs
  limited to the documents of the catalogue written as a .docx alone, the same files the
  docxtpl loop writes (a document with an .xlsx beside it has both written from one
  rendering, and cannot be timed apart from it; the run prints how many documents are
  timed); everything a build does counts (rendering, the pack's base, manifest,
  checksums). Per file: the whole packs, .docx and .xlsx, built after.
- python-docx re-save: ``docx.Document(path).save(other)`` of every .docx packbuilder wrote
  (opening, parsing and writing a package with python-docx, no content made).
- unzip + re-deflate, the floor: for the same files, every part read from the zip and
  written to a new zip, deflated by zipfile at zlib's default level: what any writer of
  these bytes pays at least, whatever makes the XML.
- The four take turns organization by organization, so that the machine's load weighs on
  them alike; the in-process lines give the wall time and, in brackets, this process's CPU
  time, which other work on the machine disturbs less.
- batch: `python -m packbuilder batch REGISTRY -o OUT --defaults … --jobs N` as a separate
  process, timed from start to exit (process start, registry reading and the status
  workbook included), per document (.docx and .xlsx).
- memory: the peak of the summed resident memory of the batch process and its workers,
  sampled every 50 ms (psutil: pip install psutil).

Targets (issues 4 and 18): packbuilder's .docx at most 1.5x the floor and at least 3.5x
faster than the docxtpl loop; 2 jobs at least 1.7x faster than 1; peak memory for 1000
organizations at most 1.2x that for 100.
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
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docxtpl_loop import DOCX_ONLY, compare, make_templates, run_loop, templates_made  # noqa: E402

from packbuilder.inputs.profile_file import load_profile  # noqa: E402
from packbuilder.inputs.registry import read_registry  # noqa: E402
from packbuilder.inputs.registry_workbook import write_registry  # noqa: E402
from packbuilder.model.bin import bin_check_digit  # noqa: E402
from packbuilder.model.catalogue import CATALOGUE  # noqa: E402
from packbuilder.pack.build import build_pack, pack_dir  # noqa: E402

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


def machine() -> str:
    """The machine the figures come from: system, CPU model and count, Python."""
    cpu = platform.processor()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name")) or cpu
    except (OSError, StopIteration):
        pass
    return (f"{platform.system()} {platform.release()} {platform.machine()}, {cpu or 'CPU unknown'}, "
            f"{os.cpu_count()} logical CPUs, {platform.python_implementation()} {platform.python_version()}")


def resave(paths: list[Path], out: Path) -> int:
    """python-docx's open and save of every file of ``paths`` into ``out``; returns the count."""
    import docx

    out.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(paths):
        docx.Document(str(path)).save(str(out / f"{i}.docx"))
    return len(paths)


def redeflate(paths: list[Path], out: Path) -> int:
    """Every part of every file of ``paths`` read from its zip and written to a new zip in
    ``out``, deflated by zipfile at zlib's default level (the floor); returns the count."""
    out.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(paths):
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(out / f"{i}.docx", "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename))
    return len(paths)


def check_same(profile, jobs, docxtpl_out: Path, packbuilder_out: Path) -> None:
    """Stop unless every docxtpl document of ``profile`` has the text and layout of the one
    packbuilder wrote."""
    pack = pack_dir(packbuilder_out, profile)
    for job in jobs:
        problem = compare(docxtpl_out / job.rel, pack / job.rel)
        if problem:
            raise SystemExit(f"docxtpl's {job.rel} of {profile.organization.bin} is not packbuilder's: {problem}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orgs", type=int, default=20, help="organizations for the speed comparison (default 20)")
    ap.add_argument("--memory", type=int, nargs="*", default=[100, 1000],
                    help="registry sizes for the memory comparison (default 100 1000; 0 to skip)")
    args = ap.parse_args()
    memory_sizes = [m for m in args.memory if m > 0]

    work = Path(tempfile.mkdtemp(prefix="packbuilder-bench-"))
    try:
        print(f"packbuilder batch benchmark on {machine()}")

        # the docxtpl templates are what packbuilder writes: first on the hardest values
        esc = load_profile(SAMPLES / "escaping.yaml")
        esc_jobs = make_templates(esc, work / "esc-templates", DOCX_ONLY)
        run_loop(esc_jobs, work / "esc-docxtpl")
        build_pack(esc, work / "esc-packbuilder", only=DOCX_ONLY)
        check_same(esc, esc_jobs, work / "esc-docxtpl", work / "esc-packbuilder")
        shutil.rmtree(work / "esc-docxtpl")

        registry = write_registry_for(args.orgs, work)
        with read_registry(registry, DEFAULTS) as reg:
            profiles = [reg.profile(e) for e in reg.entries]

        # docxtpl loop: templates made first (not timed), one document untimed (imports)
        start = time.perf_counter()
        jobs = {p.organization.bin: make_templates(p, work / "templates", DOCX_ONLY) for p in profiles}
        setup_s = time.perf_counter() - start
        all_jobs = [j for js in jobs.values() for j in js]
        run_loop(esc_jobs[:1], work / "warm-docxtpl")
        # packbuilder in-process, warm: an organization outside the timed ones built first,
        # untimed (a timed one would find its own texts in the Markdown structure cache)
        build_pack(load_profile(SAMPLES / "astana_monitoring_centre.yaml"), work / "warm-packbuilder")

        # the docxtpl loop and packbuilder on the same .docx, organization by organization in
        # turn, so that a change in the machine's load falls on both alike; the whole packs
        # after them (built right after the same organization's .docx they would find its
        # texts in the structure cache)
        docxtpl_docs = resaved = redeflated = 0
        wall = {"docxtpl": 0.0, "docx": 0.0, "resave": 0.0, "floor": 0.0, "full": 0.0}  # seconds
        cpu = dict(wall)  # this process's CPU seconds: less sensitive to other work on the machine

        def timed(key: str, fn, *a, **kw):
            w, c = time.perf_counter(), time.process_time()
            result = fn(*a, **kw)
            wall[key] += time.perf_counter() - w
            cpu[key] += time.process_time() - c
            return result

        for p in profiles:
            docxtpl_docs += timed("docxtpl", run_loop, jobs[p.organization.bin], work / "docxtpl" / p.organization.bin)
            timed("docx", build_pack, p, work / "packbuilder-docx", only=DOCX_ONLY)
            written = sorted(pack_dir(work / "packbuilder-docx", p).rglob("*.docx"))
            resaved += timed("resave", resave, written, work / "resave" / p.organization.bin)
            redeflated += timed("floor", redeflate, written, work / "floor" / p.organization.bin)
        for p in profiles:
            timed("full", build_pack, p, work / "packbuilder")
        files = count_documents(work / "packbuilder")
        pb_docx = count_documents(work / "packbuilder-docx")
        assert pb_docx == docxtpl_docs == len(all_jobs) == resaved == redeflated, (pb_docx, docxtpl_docs, resaved)

        for p in {profiles[0].organization.bin: profiles[0], profiles[-1].organization.bin: profiles[-1]}.values():
            check_same(p, jobs[p.organization.bin], work / "docxtpl" / p.organization.bin, work / "packbuilder-docx")

        one_s, _ = run_batch_process(registry, work / "jobs1", jobs=1)
        docs = count_documents(work / "jobs1")
        two_s, _ = run_batch_process(registry, work / "jobs2", jobs=2)
        assert docs == files == count_documents(work / "jobs2"), (docs, files)

        counts = {"docxtpl": docxtpl_docs, "docx": pb_docx, "resave": pb_docx, "floor": pb_docx, "full": files}
        ms = {k: wall[k] * 1000 / n for k, n in counts.items()}
        cpu_ms = {k: cpu[k] * 1000 / n for k, n in counts.items()}
        docxtpl_ms, docx_ms, full_ms = ms["docxtpl"], ms["docx"], ms["full"]
        docxtpl_cpu, docx_cpu, full_cpu = cpu_ms["docxtpl"], cpu_ms["docx"], cpu_ms["full"]
        one_ms, two_ms = (s * 1000 / docs for s in (one_s, two_s))
        ratio, cpu_ratio, speedup = docxtpl_ms / docx_ms, docxtpl_cpu / docx_cpu, one_s / two_s
        floor_ratio, floor_cpu_ratio = docx_ms / ms["floor"], docx_cpu / cpu_ms["floor"]
        print(f"{args.orgs} organizations: {docxtpl_docs} .docx of the {len(DOCX_ONLY)} documents (of the catalogue's "
              f"{len(CATALOGUE)}) written as a .docx alone; {files} files in the whole packs (.docx and .xlsx)")
        print(f"  docxtpl templates: {templates_made(work / 'templates')} distinct for the {docxtpl_docs} .docx "
              f"(made in {setup_s:.0f} s, not timed); docxtpl output = packbuilder's (text and layout): "
              f"checked for {profiles[0].organization.bin}, {profiles[-1].organization.bin} and "
              f"samples/escaping.yaml")
        print(f"  docxtpl loop (1 process, DocxTemplate/render/save per .docx):  {docxtpl_ms:7.1f} ms/docx"
              f"  (CPU {docxtpl_cpu:.1f})")
        print(f"  packbuilder in-process (build_pack, warm), the same .docx:    {docx_ms:7.1f} ms/docx"
              f"  (CPU {docx_cpu:.1f})   {ratio:.1f}x faster than the docxtpl loop (CPU time: {cpu_ratio:.1f}x)")
        print(f"  python-docx re-save (Document(path).save) of those .docx:      {ms['resave']:7.1f} ms/docx"
              f"  (CPU {cpu_ms['resave']:.1f})")
        print(f"  unzip + re-deflate (zipfile, default level) of them, floor:   {ms['floor']:7.1f} ms/docx"
              f"  (CPU {cpu_ms['floor']:.1f})")
        print(f"  packbuilder / floor: {floor_ratio:.2f}x (CPU time: {floor_cpu_ratio:.2f}x; target <= 1.5x: "
              f"{'met' if floor_ratio <= 1.5 else 'NOT MET'}); docxtpl loop / packbuilder: {ratio:.1f}x "
              f"(CPU time: {cpu_ratio:.1f}x; target >= 3.5x: {'met' if ratio >= 3.5 else 'NOT MET'})")
        print(f"  packbuilder in-process (build_pack, warm), whole packs:        {full_ms:7.1f} ms/file"
              f"  (CPU {full_cpu:.1f}; .docx and .xlsx)")
        print(f"  packbuilder batch --jobs 1, whole packs, end to end:           {one_ms:7.1f} ms/file")
        print(f"  packbuilder batch --jobs 2, whole packs, end to end:           {two_ms:7.1f} ms/file"
              f"   {speedup:.2f}x faster than 1 job (target >= 1.7x: {'met' if speedup >= 1.7 else 'NOT MET'})")
        for d in ("docxtpl", "packbuilder-docx", "resave", "floor", "packbuilder", "jobs1", "jobs2"):
            shutil.rmtree(work / d, ignore_errors=True)

        peaks = {}
        for n in memory_sizes:
            reg_n = write_registry_for(n, work)
            seconds, peak = run_batch_process(reg_n, work / f"mem{n}", jobs=2, sample_memory=True)
            ms = seconds * 1000 / count_documents(work / f"mem{n}")
            peaks[n] = peak
            print(f"  peak memory, {n:5d} organizations, --jobs 2: {peak / 2**20:7.1f} MB "
                  f"(batch process and workers; {seconds:.0f} s, {ms:.1f} ms/file)")
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
