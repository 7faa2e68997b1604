"""Benchmark: extraction against the raw-parsing floor, one worker against all, cold against warm.

    python benchmarks/run.py                 # N = 50, 200, 800; writes benchmarks/results.json
    python benchmarks/run.py --sizes 50 --runs 1

Each measurement runs in its own process, so peak memory is that run's alone. The corpus is made once
per size under benchmarks/.corpus/ (LibreOffice renders the PDF half) and kept for later runs.
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


def _pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.close()
        return len(pdf.pages)


def _pdfium_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    for page in document:
        page.get_textpage().get_text_range()
    count = len(document)
    document.close()
    return count


def measure_floor(corpus: Path, engine: str = "pdfplumber") -> dict:
    """What the libraries alone cost: the words (pdfplumber) or text (PDFium) of every PDF page, and
    python-docx text of every paragraph and cell. No extraction logic."""
    import docx

    read_pdf = _pdfium_pages if engine == "pdfium" else _pdfplumber_pages
    start, pages = time.perf_counter(), 0
    for path in sorted(corpus.iterdir()):
        if path.suffix == ".pdf":
            pages += read_pdf(path)
        elif path.suffix == ".docx":
            document = docx.Document(str(path))
            texts = [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return {"wall": time.perf_counter() - start, "pages": pages}


def measure_batch(corpus: Path, out: Path, workers: int, force: bool, engine: str) -> dict:
    from parsers import ReadOptions
    from pipeline.batch import run_batch

    start = time.perf_counter()
    report = run_batch([corpus], out, workers=workers, force=force, options=ReadOptions(pdf_engine=engine))
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux: the largest worker
    return {
        "wall": wall,
        "files": len(report.files),
        "records": report.practices,
        "failed": len(report.failed),
        "worker_peak_rss_mb": round(children / 1024, 1),
    }


def _in_process(
    kind: str, corpus: Path, out: Path | None = None, workers: int = 1, force: bool = False, engine: str = "pdfium"
) -> dict:
    command = (
        [
            sys.executable,
            str(Path(__file__)),
            "--measure",
            kind,
            "--corpus",
            str(corpus),
            "--workers",
            str(workers),
            "--engine",
            engine,
        ]
        + (["--out", str(out)] if out else [])
        + (["--force"] if force else [])
    )
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_size(size: int, runs: int) -> dict:
    import corpus as corpus_module

    folder = HERE / ".corpus" / str(size)
    paths = corpus_module.build(folder, size)
    cpus = os.cpu_count() or 1
    kinds = ("floor", "floor_pdfium", "cold_1_pdfplumber", "cold_1", "cold_all", "warm", "touched_5pct")
    results: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(runs):
        results["floor"].append(_in_process("floor", folder))
        results["floor_pdfium"].append(_in_process("floor_pdfium", folder))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            results["cold_1_pdfplumber"].append(
                _in_process("batch", folder, out, workers=1, force=True, engine="pdfplumber")
            )
            shutil.rmtree(out)
            results["cold_1"].append(_in_process("batch", folder, out, workers=1, force=True))
            shutil.rmtree(out)
            results["cold_all"].append(_in_process("batch", folder, out, workers=cpus, force=True))
            results["warm"].append(_in_process("batch", folder, out, workers=cpus))
            touched = corpus_module.touch(paths, 0.05)
            try:
                results["touched_5pct"].append(_in_process("batch", folder, out, workers=cpus))
            finally:
                corpus_module.restore(touched)
    median = {k: statistics.median(r["wall"] for r in v) for k, v in results.items()}
    pages = results["floor"][0]["pages"]
    return {
        "size": size,
        "files": size,
        "pages": pages,
        "runs": runs,
        "cpus": cpus,
        "records": results["cold_1"][0]["records"],
        "failed": results["cold_1"][0]["failed"],
        "wall_s": {k: round(v, 3) for k, v in median.items()},
        "pages_per_s": {k: round(pages / median[k], 1) for k in kinds[:5]},
        "files_per_s": {k: round(size / median[k], 1) for k in kinds[:5]},
        "worker_peak_rss_mb": max(r["worker_peak_rss_mb"] for r in results["cold_1"]),
        "ratios": {
            "ours_1_worker_over_floor": round(median["cold_1"] / median["floor"], 2),
            "ours_pdfplumber_1_worker_over_floor": round(median["cold_1_pdfplumber"] / median["floor"], 2),
            "ours_1_worker_over_pdfium_floor": round(median["cold_1"] / median["floor_pdfium"], 2),
            "speedup_all_workers": round(median["cold_1"] / median["cold_all"], 2),
            "warm_over_cold": round(median["warm"] / median["cold_all"], 4),
            "touched_5pct_over_cold": round(median["touched_5pct"] / median["cold_all"], 3),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians are reported)")
    parser.add_argument("--measure", choices=["floor", "floor_pdfium", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="pdfium", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "floor":
        print(json.dumps(measure_floor(args.corpus)))
        return
    if args.measure == "floor_pdfium":
        print(json.dumps(measure_floor(args.corpus, "pdfium")))
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
    results = []
    for size in args.sizes:
        runs = args.runs if size <= 200 else 1
        result = bench_size(size, runs)
        results.append(result)
        print(json.dumps(result), flush=True)
    (HERE / "results.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
