"""Turn benchmarks/results.json into the table of docs/benchmarks.md (printed; paste or redirect)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def table(data: dict) -> str:
    rows = [
        "| N replies | pages | records | floor s (pdfplumber · PDFium) | 1 worker s (PDFium · pdfplumber) | "
        "all workers s | warm s | 5% touched s | pages/s floor · 1 · all | ours/floor, 1 worker (PDFium · "
        "pdfplumber) | speed-up all/1 | warm/cold | peak RSS per worker MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["results"]:
        w, p, q = r["wall_s"], r["pages_per_s"], r["ratios"]
        rows.append(
            f"| {r['size']} | {r['pages']} | {r['records']} | {w['floor']:.1f} · {w['floor_pdfium']:.1f} | "
            f"{w['cold_1']:.1f} · {w['cold_1_pdfplumber']:.1f} | "
            f"{w['cold_all']:.1f} | {w['warm']:.2f} | {w['touched_5pct']:.2f} | "
            f"{p['floor']} · {p['cold_1']} · {p['cold_all']} | {q['ours_1_worker_over_floor']} · "
            f"{q['ours_pdfplumber_1_worker_over_floor']} | "
            f"{q['speedup_all_workers']} | {q['warm_over_cold']:.1%} | {r['worker_peak_rss_mb']} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(json.loads((HERE / "results.json").read_text(encoding="utf-8"))))
