"""Benchmark: extraction against PDFium's own floor, one worker against all, cold against warm, start-up.

    python benchmarks/run.py                          # N = 100, 800; writes benchmarks/results.json
    python benchmarks/run.py --sizes 5000 --lean      # the scale run: no pdfplumber columns, no 5% touched
    python benchmarks/run.py --sizes 50 --runs 1

Each measurement runs in its own process, so its peak memory is its own; every ratio comes from one
run on the same files. The corpus is made once per size under benchmarks/.corpus/ (LibreOffice renders
the PDF half; files of a larger size already made are linked, not made again) and kept for later runs.
This is not a test: nothing here asserts a time, and CI never runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
CLI = Path(sys.executable).parent / "pecs-extract"


def _pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.close()
        return len(pdf.pages)


def _pdfium_pages(path: Path) -> int:
    """PDFium's floor, as issue 15 defines it: open the file, and for each page its text page, all its
    text and every text rectangle."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    count = len(document)
    for index in range(count):
        page = document[index]
        text_page = page.get_textpage()
        text_page.get_text_range()
        for rect in range(text_page.count_rects()):
            text_page.get_rect(rect)
        text_page.close()
        page.close()
    document.close()
    return count


def measure_floor(corpus: Path, engine: str) -> dict:
    """What the libraries alone cost. PDFium: the floor above, PDF files only. pdfplumber: the words of
    every PDF page and python-docx text of every paragraph and cell. No extraction logic."""
    cpu, start, pages = _cpu(), time.perf_counter(), 0
    for path in sorted(corpus.iterdir()):
        if path.suffix == ".pdf":
            pages += _pdfium_pages(path) if engine == "pdfium" else _pdfplumber_pages(path)
        elif path.suffix == ".docx" and engine == "pdfplumber":
            import docx

            document = docx.Document(str(path))
            texts = [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return {"wall": time.perf_counter() - start, "cpu": _cpu() - cpu, "pages": pages, **_peaks()}


def measure_reading(corpus: Path) -> dict:
    """Our PDF reading alone, in one process: every PDF into its layout (engine and layout pass)."""
    from parsers import read_layout

    cpu, start = _cpu(), time.perf_counter()
    for path in sorted(corpus.glob("*.pdf")):
        read_layout(path)
    return {"wall": time.perf_counter() - start, "cpu": _cpu() - cpu, **_peaks()}


def measure_batch(corpus: Path, out: Path, workers: int, force: bool, engine: str) -> dict:
    from parsers import ReadOptions
    from pipeline.batch import run_batch

    cpu, start = _cpu(), time.perf_counter()
    report = run_batch([corpus], out, workers=workers, force=force, options=ReadOptions(pdf_engine=engine))
    return {
        "wall": time.perf_counter() - start,
        "cpu": _cpu() - cpu,
        "files": len(report.files),
        "records": report.practices,
        "failed": len(report.failed),
        **_peaks(),
    }


def _peaks() -> dict:
    """Peak resident memory (MB) of this process and of the largest worker it started (Linux: KB)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "main_peak_rss_mb": round(own.ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(children.ru_maxrss / 1024, 1),
    }


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of the workers it has waited for: on a shared
    machine this moves less with the others' load than the wall clock does."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _in_process(kind: str, corpus: Path, out: Path | None = None, workers: int = 1, force: bool = False, **kw) -> dict:
    command = [sys.executable, str(Path(__file__)), "--measure", kind, "--corpus", str(corpus)]
    command += ["--workers", str(workers), "--engine", kw.get("engine", "pdfium")]
    command += (["--out", str(out)] if out else []) + (["--force"] if force else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed(command: list[str], repeat: int = 1) -> dict:
    """The shortest wall-clock time of `repeat` runs of a command, from start to exit, and the shortest
    CPU time (user + system) of one run."""
    best, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        before, start = _cpu(), time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
        best, cpu = min(best, time.perf_counter() - start), min(cpu, _cpu() - before)
    return {"wall": best, "cpu": cpu}


def _pdf_half(folder: Path) -> Path:
    """A folder of links to the corpus's PDF replies: the half the PDFium floor is measured on."""
    half = folder.with_name(f"{folder.name}-pdf")
    half.mkdir(exist_ok=True)
    for path in folder.glob("*.pdf"):
        if not (half / path.name).exists():
            os.link(path, half / path.name)
    return half


def bench_size(size: int, runs: int, lean: bool) -> dict:
    import corpus as corpus_module

    folder = HERE / ".corpus" / str(size)
    paths = corpus_module.build(folder, size)
    pdfs = _pdf_half(folder)
    cpus = os.cpu_count() or 1
    load = [round(x, 1) for x in os.getloadavg()]
    results: dict[str, list[dict]] = {}

    def add(kind: str, value: dict) -> None:
        results.setdefault(kind, []).append(value)

    for _ in range(runs):
        add("floor_pdfium", _in_process("floor_pdfium", pdfs))
        add("read_pdf", _in_process("reading", pdfs))
        if not lean:
            add("floor", _in_process("floor", folder))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            add("cold_1_pdf", _in_process("batch", pdfs, out, workers=1, force=True))
            shutil.rmtree(out)
            if not lean:
                add("cold_1_pdfplumber", _in_process("batch", folder, out, 1, True, engine="pdfplumber"))
                shutil.rmtree(out)
            add("cold_1", _in_process("batch", folder, out, workers=1, force=True))
            shutil.rmtree(out)
            add("cold_all", _in_process("batch", folder, out, workers=cpus, force=True))
            # the user's command, start to exit: what a warm run costs someone who types it (the best of
            # three, as for --help: every one of them is warm, and a shared machine's hiccups are not ours)
            add("warm", _timed([str(CLI), str(folder), "--out", str(out), "--quiet"], repeat=3))
            if not lean:
                touched = corpus_module.touch(paths, 0.05)
                try:
                    add("touched_5pct", _in_process("batch", folder, out, workers=cpus))
                finally:
                    corpus_module.restore(touched)
    add("help", _timed([str(CLI), "--help"], repeat=5))
    add("python", _timed([sys.executable, "-c", "pass"], repeat=5))
    return _summary(size, runs, cpus, results, load + [round(x, 1) for x in os.getloadavg()])


def _summary(size: int, runs: int, cpus: int, results: dict[str, list[dict]], load: list[float]) -> dict:
    median = {kind: statistics.median(r["wall"] for r in values) for kind, values in results.items()}
    cpu = {kind: statistics.median(r["cpu"] for r in values) for kind, values in results.items() if "cpu" in values[0]}
    pdf_pages = results["floor_pdfium"][0]["pages"]
    cold = results["cold_all"][0]
    ratios = {
        "pdf_reading_over_pdfium_floor": median["read_pdf"] / median["floor_pdfium"],
        "pdf_1_worker_over_pdfium_floor": median["cold_1_pdf"] / median["floor_pdfium"],
        "speedup_all_workers": median["cold_1"] / median["cold_all"],
        "warm_over_cold": median["warm"] / median["cold_all"],
        "cpu_pdf_reading_over_pdfium_floor": cpu["read_pdf"] / cpu["floor_pdfium"],
        "cpu_pdf_1_worker_over_pdfium_floor": cpu["cold_1_pdf"] / cpu["floor_pdfium"],
    }
    if "floor" in median:
        ratios["ours_1_worker_over_pdfplumber_floor"] = median["cold_1"] / median["floor"]
        ratios["pdfplumber_engine_1_worker_over_pdfplumber_floor"] = median["cold_1_pdfplumber"] / median["floor"]
    if "touched_5pct" in median:
        ratios["touched_5pct_over_cold"] = median["touched_5pct"] / median["cold_all"]
    return {
        "size": size,
        "files": size,
        "pdf_files": (size + 1) // 2,
        "pdf_pages": pdf_pages,
        "runs": runs,
        "cpus": cpus,
        "load_before_after": load,
        "records": cold["records"],
        "failed": cold["failed"],
        "wall_s": {k: round(v, 3) for k, v in median.items()},
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "pdf_pages_per_s": {
            k: round(pdf_pages / median[k], 1) for k in ("floor_pdfium", "read_pdf", "cold_1_pdf") if k in median
        },
        "ms_per_reply": {k: round(1000 * median[k] / size, 1) for k in ("cold_1", "cold_all")},
        "replies_per_hour_all_workers": round(3600 * size / median["cold_all"]),
        "main_peak_rss_mb": max(r["main_peak_rss_mb"] for r in results["cold_all"] + results["cold_1"]),
        "worker_peak_rss_mb": max(r["worker_peak_rss_mb"] for r in results["cold_all"] + results["cold_1"]),
        "ratios": {k: round(v, 4) for k, v in ratios.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 800])
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to 200 (medians); one above")
    parser.add_argument("--lean", action="store_true", help="skip the pdfplumber columns and the 5%% touched run")
    parser.add_argument("--measure", choices=["floor", "floor_pdfium", "reading", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="pdfium", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure in ("floor", "floor_pdfium"):
        print(json.dumps(measure_floor(args.corpus, "pdfium" if args.measure == "floor_pdfium" else "pdfplumber")))
        return
    if args.measure == "reading":
        print(json.dumps(measure_reading(args.corpus)))
        return
    if args.measure == "batch":
        print(json.dumps(measure_batch(args.corpus, args.out, args.workers, args.force, args.engine)))
        return
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
    }
    target = HERE / "results.json"
    results = []
    for size in args.sizes:
        result = bench_size(size, args.runs if size <= 200 else 1, args.lean)
        results.append(result)
        print(json.dumps(result), flush=True)
    target.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
