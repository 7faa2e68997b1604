"""PDF engine 'pdfium' (the default): the words and rules the reference engine gives, near the
speed of PDFium itself.

Text is taken by runs, not by characters: PDFium keeps one text object per text-showing operator,
so one run has one font, one size and one baseline. The page's text comes in one call, each run is
found in it by its object's own text, and character boxes are fetched only at the two ends of each
word. A page whose runs do not account for all its text (text inside form objects, characters
outside the Basic Multilingual Plane) is read character by character instead (pdfium_chars.py).

Characters stand on their baseline, one font size high; words are split as pdfplumber splits them
(on spaces, on a gap over 3 pt, on a change of size or font).
"""

from __future__ import annotations

import ctypes
import re
from ctypes import POINTER, c_double, c_float, c_int, c_ulong, c_ushort, c_void_p
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from parsers.pdf_geometry import Word
from parsers.pdf_page import (
    BULLET_SIDES,
    CHECKBOX_SIDES,
    RULE_MIN_LENGTH,
    V_RULE_MIN_LENGTH,
    Page,
    bullets,
    checkboxes,
    clean_text,
)

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
_WORD = re.compile(r"\S+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fn(name: str, restype, *argtypes):
    """Our own prototype of a PDFium function taking and giving plain handles (c_void_p): no
    wrapper object per call, and pypdfium2's own prototypes are left as they are."""
    address = ctypes.cast(getattr(raw, name), c_void_p).value
    if not address:
        raise ImportError(f"PDFium has no function {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_count_chars = _fn("FPDFText_CountChars", c_int, c_void_p)
_get_text = _fn("FPDFText_GetText", c_int, c_void_p, c_int, c_int, c_void_p)
_text_object = _fn("FPDFText_GetTextObject", c_void_p, c_void_p, c_int)
_loose_box = _fn("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, POINTER(raw.FS_RECTF))
_origin = _fn("FPDFText_GetCharOrigin", c_int, c_void_p, c_int, POINTER(c_double), POINTER(c_double))
_font_size = _fn("FPDFText_GetFontSize", c_double, c_void_p, c_int)
_font_info = _fn("FPDFText_GetFontInfo", c_ulong, c_void_p, c_int, c_void_p, c_ulong, POINTER(c_int))
_count_objects = _fn("FPDFPage_CountObjects", c_int, c_void_p)
_get_object = _fn("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
_object_type = _fn("FPDFPageObj_GetType", c_int, c_void_p)
_object_text = _fn("FPDFTextObj_GetText", c_ulong, c_void_p, c_void_p, c_void_p, c_ulong)
_bounds = _fn("FPDFPageObj_GetBounds", c_int, c_void_p, *[POINTER(c_float)] * 4)
_count_segments = _fn("FPDFPath_CountSegments", c_int, c_void_p)
_get_segment = _fn("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
_segment_type = _fn("FPDFPathSegment_GetType", c_int, c_void_p)
_stroke_width = _fn("FPDFPageObj_GetStrokeWidth", c_int, c_void_p, POINTER(c_float))
_is_generated = _fn("FPDFText_IsGenerated", c_int, c_void_p, c_int)
_draw_mode = _fn("FPDFPath_GetDrawMode", c_int, c_void_p, POINTER(c_int), POINTER(c_int))
_char_matrix = _fn("FPDFText_GetMatrix", c_int, c_void_p, c_int, POINTER(raw.FS_MATRIX))


def load_pages(path: Path) -> list[Page] | None:
    """The pages, or None when PDFium cannot open the file: the reference engine then reads it."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        # PDFium's error code can be stale (a zero-page file reported the previous file's password
        # error), so the diagnosis is left to the reference engine
        return None
    if not raw.FPDF_DocumentHasValidCrossReferenceTable(document.raw):
        # PDFium repairs a damaged file its own way (a fuzzed file gave it one blank page, pdfminer none):
        # the reference engine reads or rejects every damaged file, so both engines say the same of it
        document.close()
        return None
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_size()
            text_page = page.get_textpage()
            texts, rects, diagonals, h_rules, v_rules, dots = _objects(_handle(page), height)
            words = _words(_handle(text_page), texts, height)
            if words is None:
                from parsers.pdfium_chars import words_by_char

                words = words_by_char(text_page, height)
            words += checkboxes(rects, diagonals) + bullets(dots)
            pages.append(Page(number + 1, float(width), float(height), words, h_rules, v_rules))
            text_page.close()
            page.close()
    except pdfium.PdfiumError:
        return None  # a page PDFium cannot load: the reference engine says what is wrong with the file
    finally:
        document.close()
    return pages


def _handle(wrapper) -> int:
    return ctypes.cast(wrapper.raw, c_void_p).value or 0


def _objects(page: int, height: float):
    """One pass over the page's objects: its text objects in order, and from its paths the ruling
    lines (thin paths, or the sides of rectangles), rectangles and slanted lines."""
    texts, rects, diagonals, h_rules, v_rules, dots = [], [], [], [], [], []
    fill, stroke, pen = c_int(), c_int(), c_float()
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    corners = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    for index in range(_count_objects(page)):
        obj = _get_object(page, index)
        kind = _object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts.append(obj)
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH or not _bounds(obj, *corners):
            continue  # nested form objects would need their own transform
        x0, x1, y_top, y_bottom = left.value, right.value, height - top.value, height - bottom.value
        w, h = x1 - x0, y_bottom - y_top
        small = w <= BULLET_SIDES[1] and h <= BULLET_SIDES[1]
        if small and _draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke)) and fill.value:
            dots.append((x0, y_top, x1, y_bottom))  # perhaps a drawn list bullet
            continue
        if 2.5 < w <= 2 * BULLET_SIDES[1] and 2.5 < h <= 2 * BULLET_SIDES[1] and _curved(obj):
            _draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            if not fill.value:  # a ring ('◦', a browser's nested-list marker): a bullet, its box inside the stroke
                _stroke_width(obj, ctypes.byref(pen))
                dots.append((x0 + pen.value, y_top + pen.value, x1 - pen.value, y_bottom - pen.value))
            continue  # a dot too big for a bullet, or a radio button: no check box either, as in pdfplumber
        if w > 2 and h > 2 and _count_segments(obj) == 2:  # one straight slanted stroke: a tick
            diagonals.append((x0, y_top, x1, y_bottom))
            continue
        if h <= 2.5 and w > RULE_MIN_LENGTH:
            h_rules.append(((y_top + y_bottom) / 2, x0, x1))
        elif w <= 2.5 and h > V_RULE_MIN_LENGTH:
            v_rules.append(((x0 + x1) / 2, y_top, y_bottom))
        elif w > 2.5 and h > 2.5:
            if w > RULE_MIN_LENGTH:
                h_rules += [(y_top, x0, x1), (y_bottom, x0, x1)]
            if h > V_RULE_MIN_LENGTH:
                v_rules += [(x0, y_top, y_bottom), (x1, y_top, y_bottom)]
            if w > CHECKBOX_SIDES[1] or not _curved(obj):  # a drawn circle (a radio button) is no box
                rects.append((x0, y_top, x1, y_bottom))
    return texts, rects, diagonals, h_rules, v_rules, dots


def _curved(path: int) -> bool:
    """Drawn with curves only (a circle), as pdfplumber tells its curves from its rectangles."""
    kinds = {_segment_type(_get_segment(path, i)) for i in range(_count_segments(path))}
    return raw.FPDF_SEGMENT_LINETO not in kinds and raw.FPDF_SEGMENT_BEZIERTO in kinds


def _runs(text_page: int, text: str, objects: list[int]) -> list[tuple[int, int]] | None:
    """(start, end) of each text object's characters in the page text, in order; None when the
    objects do not account for every visible character."""
    runs, position = [], 0
    buffer = ctypes.create_string_buffer(4096)
    for obj in objects:
        size = _object_text(obj, text_page, buffer, len(buffer))  # bytes, with the final NUL
        if size > len(buffer):
            buffer = ctypes.create_string_buffer(size)
            _object_text(obj, text_page, buffer, size)
        # the object's own text marks a soft hyphen 0x02 where the page text has 0xFFFE, and may keep
        # spaces at its ends that the page text dropped (spaces only part words, so they can go)
        own = buffer.raw[: max(size - 2, 0)].decode("utf-16-le", "surrogatepass").replace("\x02", "\ufffe").strip()
        if not own:
            continue  # drawn but not in the text (PDFium drops a bold overprint's second copy)
        start = text.find(own, position)
        if start < 0 or text[position:start].strip() or _text_object(text_page, start) != obj:
            return None
        runs.append((start, start + len(own)))
        position = start + len(own)
    return None if text[position:].strip() else runs


def _words(text_page: int, objects: list[int], height: float) -> list[Word] | None:
    count = _count_chars(text_page)
    if count <= 0:
        return []
    buffer = (c_ushort * (count + 1))()
    units = max(_get_text(text_page, 0, count, buffer) - 1, 0)  # UTF-16 units written, with the final NUL
    text = ctypes.string_at(buffer, 2 * units).decode("utf-16-le", "surrogatepass")
    if len(text) != count or _SURROGATE.search(text):
        return None  # characters outside the BMP: indexes and UTF-16 units part ways
    runs = _runs(text_page, text, objects)
    if runs is None:
        return None
    text = text.replace("\ufffe", "-")  # PDFium's mark for a hyphen it might take for a line-end one
    words: list[Word] = []
    pending: list | None = None  # the last word, while the next run may continue it
    box = raw.FS_RECTF()
    box_ref = ctypes.byref(box)
    x, y = c_double(), c_double()
    name = ctypes.create_string_buffer(256)
    flags = c_int()
    for start, end in runs:
        _origin(text_page, start, ctypes.byref(x), ctypes.byref(y))
        size = round(_font_size(text_page, start) * char_scale(text_page, start), 3)
        _font_info(text_page, start, name, 256, ctypes.byref(flags))
        font = name.value.decode("utf-8", "replace").lower()
        bold, ocr = "bold" in font, "glyphless" in font  # Tesseract's invisible text layer: OCR
        bottom = height - y.value
        top = bottom - size
        # no character between the runs, or only line breaks PDFium guessed (it guesses one between
        # every letter of some browser-printed lines); _continues still checks the geometry
        glued = pending is not None and (
            pending[8] == start or all(text[i] in "\r\n" and _generated(text_page, i) for i in range(pending[8], start))
        )
        for match in _WORD.finditer(text, start, end):
            first, last = match.start(), match.end() - 1
            _loose_box(text_page, first, box_ref)
            x0 = box.left
            if last != first:
                _loose_box(text_page, last, box_ref)
            current = [match.group(), x0, top, box.right, bottom, size, font, box.left, match.end(), bold, ocr]
            if glued and first == start and pending is not None and _continues(pending, current):
                pending[0] += current[0]
                pending[2], pending[3] = min(pending[2], top), current[3]
                pending[4], pending[7], pending[8] = max(pending[4], bottom), current[7], current[8]
            else:
                if pending is not None:
                    words.append(_word(pending))
                pending = current
            glued = False
    if pending is not None:
        words.append(_word(pending))
    return words


def char_scale(text_page: int, index: int) -> float:
    """The character's own scaling, which PDFium's font size leaves out: Chromium writes 13.33 px text
    scaled by 0.75, which prints at 10 pt (and which pdfminer measures as 10)."""
    matrix = raw.FS_MATRIX()
    if not _char_matrix(text_page, index, ctypes.byref(matrix)):
        return 1.0
    return abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0


def _word(parts: list) -> Word:
    text, x0, top, x1, bottom, size, _, _, _, bold, ocr = parts
    # Word(...) itself: a frozen dataclass's __init__ sets each field through object.__setattr__, a third
    # of the time of reading a page's words; the same object, made by filling its __dict__ at once
    word = _new(Word)
    word.__dict__.update(text=clean_text(text), x0=x0, top=top, x1=x1, bottom=bottom, size=size, bold=bold, ocr=ocr)
    return word


_new = object.__new__


def _generated(text_page: int, index: int) -> bool:
    return _is_generated(text_page, index) == 1


def _continues(previous: list, current: list) -> bool:
    """Does a word begun in the next text object continue the last one? As pdfplumber decides for
    characters: close enough, on the same line, in the same font and size, not going back."""
    return (
        current[1] - previous[3] <= X_TOLERANCE
        and abs(current[2] - previous[2]) <= Y_TOLERANCE
        and (current[5], current[6]) == (previous[5], previous[6])
        and current[1] >= previous[7] - 1
    )
