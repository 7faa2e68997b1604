"""Turn benchmarks/results.json into the tables of docs/benchmarks.md (printed; paste or redirect)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def table(data: dict) -> str:
    rows = [
        "| N replies | PDF pages | records | machine load (1 min, before · after) | PDFium floor s | PDF reading s | "
        "1 worker, PDF half s | 1 worker s | all workers s | warm s (command) | `--help` s (bare python) | "
        "pdfplumber floor · engine s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["results"]:
        w, c = r["wall_s"], r["cpu_s"]
        plumber = f"{w['floor']:.1f} · {w['cold_1_pdfplumber']:.1f}" if "floor" in w else "not run"
        rows.append(
            f"| {r['size']} | {r['pdf_pages']} | {r['records']} | {r['load_before_after'][0]} · "
            f"{r['load_before_after'][3]} | {w['floor_pdfium']:.2f} ({c['floor_pdfium']:.2f}) | "
            f"{w['read_pdf']:.2f} ({c['read_pdf']:.2f}) | {w['cold_1_pdf']:.1f} ({c['cold_1_pdf']:.1f}) | "
            f"{w['cold_1']:.1f} ({c['cold_1']:.1f}) | {w['cold_all']:.1f} ({c['cold_all']:.1f}) | "
            f"{w['warm']:.2f} ({c['warm']:.2f}) | {w['help']:.2f} ({c['help']:.2f}; python {w['python']:.2f}) | "
            f"{plumber} |"
        )
    rows += [
        "",
        "| N replies | PDF pages/s: floor · reading · 1 worker | reading / floor (CPU) | "
        "1 worker (PDF half) / floor (CPU) | "
        "warm / cold | all / 1 worker | ms per reply (1 · all) | replies per hour | peak RSS MB (main · worker) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["results"]:
        p, q, m = r["pdf_pages_per_s"], r["ratios"], r["ms_per_reply"]
        rows.append(
            f"| {r['size']} | {p['floor_pdfium']} · {p['read_pdf']} · {p['cold_1_pdf']} | "
            f"{q['pdf_reading_over_pdfium_floor']:.2f} ({q['cpu_pdf_reading_over_pdfium_floor']:.2f}) | "
            f"{q['pdf_1_worker_over_pdfium_floor']:.2f} ({q['cpu_pdf_1_worker_over_pdfium_floor']:.2f}) | "
            f"{q['warm_over_cold']:.1%} | {q['speedup_all_workers']:.2f} | {m['cold_1']} · {m['cold_all']} | "
            f"{r['replies_per_hour_all_workers']:,} | {r['main_peak_rss_mb']} · {r['worker_peak_rss_mb']} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(json.loads((HERE / "results.json").read_text(encoding="utf-8"))))
