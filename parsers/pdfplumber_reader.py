"""PDF engine 'pdfplumber' (the reference): pages through pdfplumber and pdfminer, which read some
damaged files PDFium refuses and say precisely what is wrong with the others.

Each page is parsed once and closed at once (pdfplumber keeps megabytes per open page), so memory
stays flat in the number of pages; only compact words and rules are kept for the layout pass.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from parsers.errors import pdf_failure
from parsers.pdf_geometry import Word
from parsers.pdf_page import RULE_MIN_LENGTH, V_RULE_MIN_LENGTH, Page, bullets, checkboxes, word

# What pdfminer raises on a broken file; the builtin types count only when raised inside the library
# (errors.pdf_failure), so a bug of ours is never reported as a damaged PDF.
PdfErrors = (PdfminerException, PDFException, PSException, ValueError, KeyError, TypeError, IndexError)


def load_pages(path: Path) -> list[Page]:
    pages: list[Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                pages.append(_page(page))
                page.close()
    except (*PdfErrors, RecursionError) as error:
        raise pdf_failure(error) from error
    return pages


def _page(page) -> Page:
    words = [_on_baseline(w) for w in page.extract_words(extra_attrs=["size", "fontname"], return_chars=True)]
    diagonals = [
        (ln["x0"], ln["top"], ln["x1"], ln["bottom"])
        for ln in page.lines
        if abs(ln["x1"] - ln["x0"]) > 2 and abs(ln["bottom"] - ln["top"]) > 2
    ]
    words += checkboxes([(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects], diagonals)
    # filled dots and squares, and rings ('◦', stroked only): list markers a browser drew
    marks = [c for c in page.curves if c.get("fill") or c.get("stroke")] + [r for r in page.rects if r.get("fill")]
    words += bullets([(c["x0"], c["top"], c["x1"], c["bottom"]) for c in marks])
    h_rules, v_rules = [], []
    for edge in page.edges:
        if edge["orientation"] == "h" and edge["x1"] - edge["x0"] > RULE_MIN_LENGTH:
            h_rules.append((edge["top"], edge["x0"], edge["x1"]))
        elif edge["orientation"] == "v" and edge["bottom"] - edge["top"] > V_RULE_MIN_LENGTH:
            v_rules.append((edge["x0"], edge["top"], edge["bottom"]))
    return Page(page.page_number, float(page.width), float(page.height), words, h_rules, v_rules)


def _on_baseline(found: dict) -> Word:
    """A word standing on its baseline, one type size high, as the contract measures it: pdfminer
    hangs the box below the baseline by the font's declared descent (zero in LibreOffice's PDFs, a
    quarter of the size in Chromium's), which would move every box of such a PDF."""
    first = found["chars"][0]
    matrix = first.get("matrix")
    upright = matrix is not None and matrix[1] == 0 and matrix[2] == 0
    drop = first["y0"] - matrix[5] if upright else 0.0  # the descent, negative below the baseline
    size = float(found.get("size") or 0)
    return word(
        found["text"],
        found["x0"],
        found["top"] + drop,
        found["x1"],
        found["bottom"] + drop,
        size,
        str(found.get("fontname", "")),
    )
