"""PDF pages through PDFium (pypdfium2, installed with pdfplumber): the same words and rules as the
pdfplumber reader, many times faster. The layout pass (pdf_reader._PdfLayoutBuilder) is shared, so
both engines give the same layout but for the last decimals of a box.

Characters stand on their baseline, one font size high; words are split as pdfplumber splits them
(on spaces, on a gap over 3 pt, on a change of size or font).
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from parsers.pdf_geometry import Word

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
PATH_OBJECT = 2
SEGMENT_LINETO = 0


def load_pages_pdfium(path: Path) -> list | None:
    """The pages, or None when PDFium cannot open the file: the caller then asks pdfminer, which
    reads some damaged files and says precisely what is wrong with the others."""
    from parsers.pdf_reader import _CID, _Page  # the shared page record

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        # PDFium's error code can be stale (a zero-page file reported the previous file's password
        # error), so the diagnosis is left to pdfminer
        return None
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_size()
            text_page = page.get_textpage()
            words = [
                Word(_CID.sub("\ufffd", w.text), w.x0, w.top, w.x1, w.bottom, w.size, w.bold, w.ocr)
                for w in _words(text_page, height)
            ]
            h_rules, v_rules, boxes = _paths(page, height)
            words += boxes
            pages.append(_Page(number + 1, float(width), float(height), words, h_rules, v_rules))
            text_page.close()
            page.close()
    finally:
        document.close()
    return pages


def _words(text_page, height: float) -> list[Word]:
    words: list[Word] = []
    current: list = []  # chars of the word being built: (text, x0, top, x1, bottom, size, font)
    fonts: dict[int, str] = {}

    def flush() -> None:
        if current:
            text = "".join(c[0] for c in current)
            font = current[0][6]
            words.append(
                Word(
                    text,
                    current[0][1],
                    min(c[2] for c in current),
                    current[-1][3],
                    max(c[4] for c in current),
                    current[0][5],
                    "bold" in font.lower(),
                    "glyphless" in font.lower(),
                )
            )
            current.clear()

    for index in range(text_page.count_chars()):
        char = text_page.get_text_range(index, 1)
        if char == "\ufffe":
            char = "-"  # PDFium's mark for a hyphen it might take for a line-end one: a hyphen as printed
        if not char or char.isspace():
            flush()
            continue
        size = round(raw.FPDFText_GetFontSize(text_page.raw, index), 3)
        name = _font_name(text_page, index, fonts)
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(text_page.raw, index, ctypes.byref(x), ctypes.byref(y))
        left, _, right, _ = text_page.get_charbox(index, loose=True)
        # One box per font size standing on the baseline, whatever the font: a bullet in a symbol font
        # stays on its text's line (fonts' own descents differ).
        bottom = height - y.value
        top = bottom - size
        box = (char, min(left, x.value), top, max(right, x.value), bottom, size, name)
        if current:
            last = current[-1]
            if (
                box[1] - last[3] > X_TOLERANCE
                or abs(box[2] - last[2]) > Y_TOLERANCE
                or (size, name) != (last[5], last[6])
                or box[1] < last[1] - 1
            ):
                flush()
        current.append(box)
    flush()
    return words


def _font_name(text_page, index: int, cache: dict) -> str:
    text_object = raw.FPDFText_GetTextObject(text_page.raw, index)
    key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
    if key not in cache:
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        raw.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256, ctypes.byref(flags))
        cache[key] = buffer.value.decode("utf-8", "replace")
    return cache[key]


def _paths(page, height: float):
    """Ruling lines (thin paths, or the sides of rectangles) and drawn check boxes."""
    h_rules, v_rules, boxes, squares, diagonals = [], [], [], [], []
    for obj in page.get_objects(max_depth=1):  # nested form objects would need their own transform
        if obj.type != PATH_OBJECT:
            continue
        left, bottom, right, top = obj.get_bounds()
        x0, x1, y_top, y_bottom = left, right, height - top, height - bottom
        w, h = x1 - x0, y_bottom - y_top
        points = _segment_points(obj)
        if len(points) == 2 and w > 2 and h > 2:
            diagonals.append((x0, y_top, x1, y_bottom))
            continue
        if h <= 2.5 and w > 20:
            h_rules.append(((y_top + y_bottom) / 2, x0, x1))
        elif w <= 2.5 and h > 5:
            v_rules.append(((x0 + x1) / 2, y_top, y_bottom))
        elif w > 2.5 and h > 2.5:
            if w > 20:
                h_rules += [(y_top, x0, x1), (y_bottom, x0, x1)]
            if h > 5:
                v_rules += [(x0, y_top, y_bottom), (x1, y_top, y_bottom)]
            if 5 <= w <= 16 and abs(w - h) <= 2.5:
                squares.append((x0, y_top, x1, y_bottom))
    for x0, top, x1, bottom in squares:
        ticked = any(
            x0 - 1.5 <= d[0] and d[2] <= x1 + 1.5 and top - 1.5 <= d[1] and d[3] <= bottom + 1.5 for d in diagonals
        )
        boxes.append(Word("☒" if ticked else "☐", x0, top, x1, bottom, bottom - top, False, False))
    return h_rules, v_rules, boxes


def _segment_points(obj) -> list[tuple[float, float]]:
    count = raw.FPDFPath_CountSegments(obj.raw)
    points = []
    for index in range(max(count, 0)):
        segment = raw.FPDFPath_GetPathSegment(obj.raw, index)
        x, y = ctypes.c_float(), ctypes.c_float()
        if raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            points.append((x.value, y.value))
    return points
