"""Right-to-left text (Hebrew, Arabic) in reading order, the same from both PDF engines.

PDF engines give a line's characters as they stand on the page, left to right: a Hebrew or Arabic
word came out reversed (pdfplumber), or each letter as a word of its own (PDFium, whose characters of
a right-to-left run go leftwards), and Arabic in its presentation forms (ﺔﻴﺑﺮﻌﻟا for العربية). Here
each line holding right-to-left letters is rebuilt: its words and letters are joined by the gaps
between them (a column gap parts the line), then put in reading order by a simplified bidirectional
algorithm (one direction per line segment, digits and Latin runs kept left to right, brackets
mirrored), and Arabic presentation forms become plain letters. Lines without such letters, and so
every page without them, are left exactly as the engine gave them.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from dataclasses import replace

from parsers.pdf_geometry import Line, Word, group_lines

WORD_GAP = 0.1  # of the font size: letters closer than this belong to one word (a narrow space is wider)
COLUMN_GAP = 1.5  # of the font size: a gap this wide parts a line into separate segments (columns)
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _direction(char: str) -> str:
    return unicodedata.bidirectional(char)


def _is_rtl(char: str) -> bool:
    return _direction(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    return not text.isascii() and any(_is_rtl(char) for char in text)  # no ASCII character is right-to-left


def _page_has_rtl(words: list[Word]) -> bool:
    """`has_rtl` of any word, each distinct non-ASCII character looked at once."""
    found: set[str] = set()
    for word in words:
        if not word.text.isascii():
            found.update(word.text)
    return any(_is_rtl(char) for char in found)


def logical_order(pages: list) -> list:
    """The pages (with `words`) with every line holding right-to-left letters in reading order."""
    result = []
    for page in pages:
        if not _page_has_rtl(page.words):
            result.append(page)
            continue
        words: list[Word] = []
        for line in group_lines(page.words):
            words.extend(_line_words(line) if has_rtl(line.text) else line.words)
        result.append(replace(page, words=words))
    return result


def _line_words(line: Line) -> list[Word]:
    segments: list[list[Word]] = [[line.words[0]]]
    for word in line.words[1:]:
        previous = segments[-1][-1]
        if word.x0 - previous.x1 > COLUMN_GAP * max(previous.size, word.size, 1.0):
            segments.append([word])
        else:
            segments[-1].append(word)
    result: list[Word] = []
    for segment in segments:
        visual = _visual_text(segment)
        if not has_rtl(visual):
            result.extend(segment)
            continue
        first = segment[0]
        result.append(
            Word(
                reading_order(visual),
                first.x0,
                min(w.top for w in segment),
                max(w.x1 for w in segment),
                max(w.bottom for w in segment),
                statistics.median(w.size for w in segment),
                all(w.bold for w in segment),
                first.ocr,
            )
        )
    return result


def _visual_text(words: list[Word]) -> str:
    """The segment's text as it stands, left to right: a space only where the page shows a gap."""
    text = words[0].text
    for previous, word in itertools.pairwise(words):
        text += ("" if word.x0 - previous.x1 < WORD_GAP * max(word.size, 1.0) else " ") + word.text
    return text


def reading_order(visual: str) -> str:
    """A line's text from its left-to-right appearance to reading order. A line whose letters are
    mostly right-to-left reads right to left, with its Latin words and numbers kept left to right; a
    mostly left-to-right line keeps its order, with each right-to-left run turned round."""
    strong = [char for char in visual if _direction(char) in ("L", "R", "AL")]
    if sum(_is_rtl(char) for char in strong) * 2 >= len(strong):
        text = _spans(visual[::-1].translate(_MIRRORED), _is_ltr, _is_rtl)
    else:
        text = _spans(visual, _is_rtl, lambda char: _direction(char) == "L", turn=True)
    return _plain_letters(text)


def _spans(text: str, inside, stop, turn: bool = False) -> str:
    """Each maximal span that starts and ends with an `inside` character and holds no `stop` one is
    reversed (mirrored when `turn`: a right-to-left run in a left-to-right line); digits in a turned
    span keep their order."""
    out: list[str] = []
    index = 0
    while index < len(text):
        if not inside(text[index]):
            out.append(text[index])
            index += 1
            continue
        end = index
        probe = index
        while probe < len(text) and not stop(text[probe]):
            if inside(text[probe]):
                end = probe
            probe += 1
        span = text[index : end + 1][::-1]
        if turn:
            span = re.sub(r"\d[\d.,:/-]*\d|\d", lambda m: m.group(0)[::-1], span.translate(_MIRRORED))
        out.append(span)
        index = end + 1
    return "".join(out)


def _is_ltr(char: str) -> bool:
    return _direction(char) in ("L", "EN", "AN")


def _plain_letters(text: str) -> str:
    """Arabic presentation forms (contextual glyph shapes, ligatures) → the letters they show."""
    return "".join(
        unicodedata.normalize("NFKC", char) if "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff" else char
        for char in text
    )
