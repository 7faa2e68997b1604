"""The PDFium engine's careful path: words built character by character, for the pages whose text
runs cannot be matched to their objects (text inside form objects, characters outside the Basic
Multilingual Plane). Several calls per character: correct, and many times slower than by runs."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as raw

from parsers.pdf_geometry import Word
from parsers.pdf_page import word

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0


def words_by_char(text_page, height: float) -> list[Word]:
    from parsers.pdfium_reader import _handle, char_scale  # that module imports this one lazily

    handle = _handle(text_page)
    words: list[Word] = []
    current: list = []  # chars of the word being built: (text, x0, top, x1, bottom, size, font)
    fonts: dict[int, str] = {}

    def flush() -> None:
        if current:
            text = "".join(c[0] for c in current)
            top, bottom = min(c[2] for c in current), max(c[4] for c in current)
            words.append(word(text, current[0][1], top, current[-1][3], bottom, current[0][5], current[0][6]))
            current.clear()

    count = text_page.count_chars()
    for index in range(count):
        char = _character(text_page, index, count)
        if char is None:
            continue  # the second half of a character read whole at the index before
        if char == "\ufffe":
            char = "-"  # PDFium's mark for a hyphen it might take for a line-end one: a hyphen as printed
        if char in "\r\n" and raw.FPDFText_IsGenerated(text_page.raw, index) == 1:
            # a line break PDFium guessed (it guesses one between every letter of some browser-printed
            # lines): the boxes below still part words on a real new line or gap
            continue
        if not char or char.isspace():
            flush()
            continue
        size = round(raw.FPDFText_GetFontSize(text_page.raw, index) * char_scale(handle, index), 3)
        name = _font_name(text_page, index, fonts)
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(text_page.raw, index, ctypes.byref(x), ctypes.byref(y))
        left, _, right, _ = text_page.get_charbox(index, loose=True)
        # One box per font size standing on the baseline, whatever the font: a bullet in a symbol font
        # stays on its text's line (fonts' own descents differ).
        bottom = height - y.value
        top = bottom - size
        box = (char, left, top, right, bottom, size, name)  # the loose box's sides, as the run path takes them
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


def _character(text_page, index: int, count: int) -> str | None:
    """The character at `index`. PDFium counts UTF-16 units: a character outside the Basic Multilingual
    Plane (an emoji) is a high surrogate at `index` and a low one after it, each unreadable alone (they
    were dropped): the pair is read at the first, and the second gives None."""
    code = raw.FPDFText_GetUnicode(text_page.raw, index)
    if 0xDC00 <= code < 0xE000 and index > 0 and 0xD800 <= raw.FPDFText_GetUnicode(text_page.raw, index - 1) < 0xDC00:
        return None
    if 0xD800 <= code < 0xDC00 and index + 1 < count:
        low = raw.FPDFText_GetUnicode(text_page.raw, index + 1)
        if 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
    return text_page.get_text_range(index, 1)


def _font_name(text_page, index: int, cache: dict) -> str:
    text_object = raw.FPDFText_GetTextObject(text_page.raw, index)
    key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
    if key not in cache:
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        raw.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256, ctypes.byref(flags))
        cache[key] = buffer.value.decode("utf-8", "replace")
    return cache[key]
