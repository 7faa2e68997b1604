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
from parsers.pdf_page import RULE_MIN_LENGTH, V_RULE_MIN_LENGTH, Page, checkboxes, word

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
    words = [
        word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], float(w.get("size") or 0), str(w.get("fontname", "")))
        for w in page.extract_words(extra_attrs=["size", "fontname"])
    ]
    diagonals = [
        (ln["x0"], ln["top"], ln["x1"], ln["bottom"])
        for ln in page.lines
        if abs(ln["x1"] - ln["x0"]) > 2 and abs(ln["bottom"] - ln["top"]) > 2
    ]
    words += checkboxes([(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects], diagonals)
    h_rules, v_rules = [], []
    for edge in page.edges:
        if edge["orientation"] == "h" and edge["x1"] - edge["x0"] > RULE_MIN_LENGTH:
            h_rules.append((edge["top"], edge["x0"], edge["x1"]))
        elif edge["orientation"] == "v" and edge["bottom"] - edge["top"] > V_RULE_MIN_LENGTH:
            v_rules.append((edge["x0"], edge["top"], edge["bottom"]))
    return Page(page.page_number, float(page.width), float(page.height), words, h_rules, v_rules)
