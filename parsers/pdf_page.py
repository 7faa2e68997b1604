"""The PDF engine contract: every engine turns a PDF into the same `Page`s, and the layout pass
(pdf_reader) never knows which engine read them.

An engine is one module listed in `parsers.PDF_ENGINES` (with the libraries it reads with) with
    load_pages(path) -> list[Page] | None  every page's words and rules; None when the engine cannot
                                           open the file (the reference engine then reads it and
                                           says precisely what is wrong), UnreadableFile when it is
                                           sure the file cannot be read.
Coordinates are PDF points, origin at the page's top-left. Shapes every engine recognises the same
way (ruling lines, drawn check boxes) are decided here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from parsers.pdf_geometry import Word

RULE_MIN_LENGTH = 20.0  # a horizontal rule shorter than this is a dash or an underline, not a row boundary
V_RULE_MIN_LENGTH = 5.0
CHECKBOX_SIDES = (5.0, 16.0)  # a form's check box: a small square
SQUARE_TOLERANCE = 2.5  # points by which its width and height may differ
TICK_TOLERANCE = 1.5  # points by which a tick's diagonal may overhang its box
BULLET_SIDES = (1.5, 4.5)  # a list marker drawn as a filled dot or square (smaller than a check box)
_CID = re.compile(r"\(cid:\d+\)")  # a glyph from a font without a Unicode map


@dataclass(frozen=True)
class Page:
    """One PDF page as the layout pass needs it: words with boxes, and the ruling lines."""

    number: int  # 1-based
    width: float
    height: float
    words: list[Word]  # drawn check boxes included, as the words '☐' and '☒'
    h_rules: list[tuple[float, float, float]]  # (y, x0, x1)
    v_rules: list[tuple[float, float, float]]  # (x, top, bottom)


def engine_module(engine: str):
    from parsers import PDF_ENGINES

    if engine not in PDF_ENGINES:
        raise ValueError(f"unknown PDF engine '{engine}'; known: {', '.join(PDF_ENGINES)}")
    return import_module(PDF_ENGINES[engine].module)


def load_pages(path: Path, engine: str) -> list[Page]:
    """The pages of `path` read by `engine`, or by the reference engine when that one cannot open it."""
    from parsers import REFERENCE_PDF_ENGINE

    pages = engine_module(engine).load_pages(path)
    if pages is None and engine != REFERENCE_PDF_ENGINE:
        pages = engine_module(REFERENCE_PDF_ENGINE).load_pages(path)
    if pages is None:
        raise ValueError(f"the reference PDF engine '{REFERENCE_PDF_ENGINE}' must read or reject every file")
    return pages


def clean_text(text: str) -> str:
    """A glyph the font cannot map to a letter becomes U+FFFD, whatever the engine's notation."""
    return _CID.sub("\ufffd", text) if "(cid:" in text else text


def word(text: str, x0: float, top: float, x1: float, bottom: float, size: float, font: str) -> Word:
    """A word in the contract's terms: bold and OCR-made text are told by the font's name (Tesseract
    draws its invisible text layer in 'GlyphLessFont')."""
    lowered = font.lower()
    return Word(clean_text(text), x0, top, x1, bottom, size, "bold" in lowered, "glyphless" in lowered)


def checkboxes(
    rects: list[tuple[float, float, float, float]], diagonals: list[tuple[float, float, float, float]]
) -> list[Word]:
    """Form check boxes are drawn, not typed: a small square, crossed by a diagonal when ticked.
    `rects` and `diagonals` are (x0, top, x1, bottom) of the page's rectangles and slanted lines."""
    low, high = CHECKBOX_SIDES
    found = []
    for x0, top, x1, bottom in rects:
        width, height = x1 - x0, bottom - top
        if not (low <= width <= high and abs(width - height) <= SQUARE_TOLERANCE):
            continue
        t = TICK_TOLERANCE
        ticked = any(x0 - t <= d[0] and d[2] <= x1 + t and top - t <= d[1] and d[3] <= bottom + t for d in diagonals)
        found.append(Word("☒" if ticked else "☐", x0, top, x1, bottom, height, False, False))
    return found


def bullets(filled: list[tuple[float, float, float, float]]) -> list[Word]:
    """List markers drawn as small filled dots or squares (browsers draw `<li>` markers as shapes, not
    glyphs) are the '•' a word processor would have typed, so an item stays an item. `filled` is
    (x0, top, x1, bottom) of the page's filled paths; a bullet has no type size of its own."""
    low, high = BULLET_SIDES
    return [
        Word("•", x0, top, x1, bottom, 0.0, False)
        for x0, top, x1, bottom in filled
        if low <= x1 - x0 <= high and low <= bottom - top <= high and abs((x1 - x0) - (bottom - top)) <= 1
    ]
