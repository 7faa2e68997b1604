"""PDF page geometry, as pure functions on words with boxes: lines, the form's column split, rows,
paragraphs, page furniture and footnotes. No pdfplumber here, so every rule is testable on numbers.

Coordinates are PDF points with the origin at the page's top-left (pdfplumber's `top`/`bottom`).

    x0 ........ split ............ right
    +-----------+--------------------+   <- horizontal rule: a row boundary (ruled forms)
    | Label     | answer line        |
    | wrapped   | answer line        |   a label line starts a row where the answer beside
    +-----------+--------------------+   it starts a paragraph (borderless forms)
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.once import computed_once

BULLETS = set("•·▪■◦○●➢➤►▶→✓✔❖♦◆▫□-–—*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8\uf02d")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*(?:/\s*\d{1,4}|sur\s*\d{1,4}|of\s*\d{1,4})?\s*[-–)]?$", re.IGNORECASE
)


MIN_RUNNING_WORDS = 3  # a running header or footer met out of its margin zone is dropped only if a phrase
_LIST_NUMBER = re.compile(r"^(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]$|^\d{1,2}$")  # '1.', '2)', 'b)', 'iv.', '3' alone
_URL_CUT = re.compile(r"(?:https?://|www\.)\S*[/_=&?%#-]$")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    ocr: bool = False  # drawn invisibly over a page image by an OCR engine


@dataclass(frozen=True)
class Line:
    """Words on one line. Its measures are computed once (the layout pass asks for them many times;
    words never change)."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @computed_once
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @computed_once
    def top(self) -> float:
        return min(w.top for w in self.words)

    @computed_once
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @computed_once
    def height(self) -> float:
        return self.bottom - self.top

    @computed_once
    def size(self) -> float:
        sizes = [w.size for w in self.words if w.size] or [0.0]  # a drawn bullet has no type size
        return statistics.median(sizes)

    @computed_once
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @computed_once
    def bold(self) -> bool:
        return all(w.bold for w in self.words if w.text.strip())


def group_lines(words: list[Word]) -> list[Line]:
    """Words whose vertical centres are within half a line of each other form a line, left to right."""
    lines: list[list[Word]] = []
    markers = [w for w in words if not w.size and w.text == "•"]  # drawn bullets: no type size of their own
    for word in sorted((w for w in words if w.size or w.text != "•"), key=lambda w: (w.top, w.x0)):
        centre = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            ref = line[0]
            if abs(centre - (ref.top + ref.bottom) / 2) <= max(2.0, 0.45 * (ref.bottom - ref.top)):
                line.append(word)
                break
        else:
            lines.append([word])
    for marker in markers:
        _attach_marker(marker, lines)
    result = [Line(tuple(sorted(line, key=lambda w: w.x0))) for line in lines]
    return sorted(result, key=lambda line: (line.top, line.x0))


def _attach_marker(marker: Word, lines: list[list[Word]]) -> None:
    """A drawn bullet joins the line of the text just right of it, at its height (beside a label on
    another baseline, a line may hold words of two heights)."""
    centre = (marker.top + marker.bottom) / 2
    best, best_gap = None, 20.0
    for line in lines:
        for word in line:
            gap = word.x0 - marker.x1
            if word.top <= centre <= word.bottom and 0 <= gap < best_gap:
                best, best_gap = line, gap
    if best is None:
        lines.append([marker])
    else:
        best.append(marker)


def split_line(line: Line, split: float) -> tuple[Line | None, Line | None]:
    left = tuple(w for w in line.words if w.x1 <= split + 1)
    right = tuple(w for w in line.words if w.x1 > split + 1)
    return (Line(left) if left else None, Line(right) if right else None)


def crosses(line: Line, split: float) -> bool:
    """Text running across the column split: a word over it, or words on both sides a space apart."""
    if any(w.x0 < split - 2 < split + 2 < w.x1 for w in line.words):
        return True
    return any(
        a.x1 <= split + 1 < b.x1 and b.x0 - a.x1 < 0.6 * a.size
        for a, b in zip(line.words, line.words[1:], strict=False)
    )


def find_split(lines: list[Line], page_width: float, vertical_rules: list[tuple[float, float, float]]) -> float | None:
    """The x between the label and answer columns: a vertical rule, or else the common start of the
    text that follows a wide gap on many lines."""
    low, high = 0.15 * page_width, 0.65 * page_width
    # weighted by length: the rule of the page's main table wins over a small table's many short rows
    ruled: Counter[int] = Counter()
    for x, top, bottom in vertical_rules:
        if low < x < high and bottom - top > 20:
            ruled[round(x)] += round(bottom - top)
    if ruled:
        return float(ruled.most_common(1)[0][0])
    starts: Counter[int] = Counter()
    for line in lines:
        for before, after in zip(line.words, line.words[1:], strict=False):
            if after.x0 - before.x1 >= max(8.0, 1.2 * before.size) and low < after.x0 < high:
                starts[round(after.x0 / 3) * 3] += 1
    if not starts:
        return None
    start, count = starts.most_common(1)[0]
    if count < 3:
        return None
    candidate = start - 3.0
    crossing = sum(1 for line in lines if crosses(line, candidate))
    return candidate if crossing <= max(2, 0.25 * len(lines)) else None


def starts_paragraph(
    previous: Line | None,
    line: Line,
    right_edge: float,
    left_edge: float | None = None,
    leading: float | None = None,
) -> bool:
    """Does `line` begin a new paragraph after `previous` in the same column?

    A bullet, a vertical gap, a change of type size, a return to the left margin after an indented
    item, or a previous line that ended although the next line's first word would have fitted after
    it. Two centred lines (a title) go on unless a gap or the type size parts them. `leading` is the
    document's usual line-to-line step: a step clearly larger is paragraph spacing, even when the
    type boxes overlap (browsers set lines closer than their fonts' boxes).
    """
    if previous is None:
        return True
    if line.words[0].text[:1] in BULLETS:
        return True
    pitch = max(previous.height, line.height)
    if line.top - previous.bottom > 0.55 * pitch:
        return True
    if leading and line.size == previous.size and line.top - previous.top > leading + max(1.5, 0.15 * leading):
        return True
    if abs(line.size - previous.size) > 0.15 * max(line.size, previous.size):
        return True
    if left_edge is not None and _centred(previous, left_edge, right_edge) and _centred(line, left_edge, right_edge):
        return False
    if line.x0 < previous.x0 - 5:
        return True
    numbered = _LIST_NUMBER.match(line.words[0].text) and len(line.words) > 1 and line.x0 <= previous.x0 + 2
    if numbered and _numbered_item(line):
        return True
    return previous.x1 + _first_unit_width(line) < right_edge - 1.5


def _numbered_item(line: Line) -> bool:
    """'2.<tab>item': the number is set apart from the text, wider than the line's own word spaces (a
    justified line widens them all alike). A bare number needs a wide gap: '12 points' may wrap to a
    line's start."""
    words = line.words
    gap = words[1].x0 - words[0].x1
    spaces = [b.x0 - a.x1 for a, b in itertools.pairwise(words[1:])]
    usual = statistics.median(spaces) if spaces else 0.25 * words[0].size
    least = 0.8 if words[0].text.isdigit() else 0.3
    return gap >= least * words[0].size and gap > 1.4 * usual


def usual_leading(groups: list[list[Line]], body_size: float) -> float | None:
    """The most common step from one body-text line to the next (top to top) within the groups given
    (the rows of the document's ruled tables: text outside them may be set with another spacing)."""
    steps: Counter[float] = Counter()
    for lines in groups:
        for previous, line in itertools.pairwise(lines):
            step = line.top - previous.top
            body = abs(line.size - body_size) < 0.5 and line.size == previous.size
            if body and 0.8 * body_size < step < 2 * body_size:
                steps[round(step * 2) / 2] += 1
    if sum(steps.values()) < 5:
        return None
    return steps.most_common(1)[0][0]


def _first_unit_width(line: Line) -> float:
    """Width (with the space before it) of what cannot be split from the line's first word: a word
    and the detached punctuation around it ('communes ;' in French typography, '/ transferability')."""
    words = line.words
    end = 1
    if len(words) > 1 and not any(ch.isalnum() for ch in words[0].text) and len(words[0].text) <= 2:
        end = 2  # a line opening on detached punctuation ('/ transferability'): it goes with the next word
    while end < len(words) and all(not ch.isalnum() for ch in words[end].text) and len(words[end].text) <= 2:
        end += 1
    return 0.35 * words[0].size + (words[end - 1].x1 - words[0].x0)


def continues_across_break(previous: Line, line: Line, right_edge: float) -> bool:
    """After a page break only the words tell: no bullet, and the last line was full."""
    if line.words[0].text[:1] in BULLETS:
        return False
    return previous.x1 + _first_unit_width(line) >= right_edge - 1.5


def label_wraps_into(previous: Line, line: Line, right_edge: float) -> bool:
    """Is `line` the wrapped rest of the label line `previous` (a narrow label column, where a label's
    second line may stand beside the answer's second paragraph)? The first word would not have fitted
    after `previous`, `previous` ends no question ('?', ':', '.'), and `line` goes on in lower case
    ('(s) prioritaires', 'de l'approche innovante'): a form's questions start with a capital."""
    first = line.words[0].text.lstrip("(«\"'“‘")
    return (
        bool(first)
        and first[0].islower()
        and not previous.text.rstrip().endswith(("?", ":", "."))
        and previous.x1 + _first_unit_width(line) >= right_edge - 1.5
    )


def _centred(line: Line, left_edge: float, right_edge: float) -> bool:
    """Centred between the margins (a left-aligned line is centred only when it is full anyway)."""
    return abs((line.x0 + line.x1) / 2 - (left_edge + right_edge) / 2) < 4


def paragraphs(
    lines: list[Line], right_edge: float, left_edge: float | None = None, leading: float | None = None
) -> list[list[Line]]:
    result: list[list[Line]] = []
    previous = None
    for line in lines:
        if starts_paragraph(previous, line, right_edge, left_edge, leading) or not result:
            result.append([line])
        else:
            result[-1].append(line)
        previous = line
    return result


def join_lines(lines: list[Line]) -> str:
    """Wrapped lines into one paragraph; a word broken after its hyphen ('bien-' / 'être', '2009-' /
    '2013') stays whole."""
    text = ""
    for line in lines:
        part = line.text
        if (text.endswith("-") and len(text) > 1 and text[-2].isalnum()) or _URL_CUT.search(text):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def furniture_keys(pages: list[list[Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers, footers and page numbers.

    A line in the top or bottom margin zone is furniture when it is a bare page number, or when the
    same text (digits ignored) stands in that zone, at the same height, on most pages.
    """
    zone_lines: list[tuple[int, int, str, str]] = []
    for page_index, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        for line_index, line in enumerate(lines):
            if line.bottom < 0.09 * height:
                zone = "top"
            elif line.top > 0.9 * height:
                zone = "bottom"
            else:
                continue
            zone_lines.append((page_index, line_index, zone, _furniture_text(line)))
    tops: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for page_index, line_index, zone, text in zone_lines:
        tops.setdefault((zone, text), []).append((page_index, pages[page_index][line_index].top))
    needed = max(2, round(0.5 * len(pages)))
    keys = set()
    running: set[str] = set()
    for page_index, line_index, zone, text in zone_lines:
        line = pages[page_index][line_index]
        # at one height on most pages: a header stays put, an answer's line that happens to repeat does not
        same_place = {n for n, top in tops[(zone, text)] if abs(top - line.top) <= 3}
        if _PAGE_NUMBER.match(line.text.strip()) or (len(pages) >= 2 and len(same_place) >= needed):
            keys.add((page_index, line_index))
            if zone == "bottom":
                running.add(text)
    # The same running footer out of its zone (a browser puts a short last page's footer right under the
    # text): still furniture, when it is a phrase (a lone word or number could be an answer's). Only on
    # the last page: an answer's line that repeats elsewhere is no footer.
    for page_index, lines in list(enumerate(pages))[-1:]:
        for line_index, line in enumerate(lines):
            text = _furniture_text(line)
            if text in running and len(text.split()) >= MIN_RUNNING_WORDS:
                keys.add((page_index, line_index))
    return keys


def _furniture_text(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.strip().lower())


def is_footnote_marker(word: Word, previous: Word | None, body_size: float) -> bool:
    """A small number glued to the word before it ('Together5', 'EU20202'): a footnote call."""
    return (
        previous is not None
        and word.text.isdigit()
        and len(word.text) <= 2
        and word.size < 0.8 * body_size
        and word.x0 - previous.x1 < 1.0
    )


def footnote_separator(
    h_rules: list[tuple[float, float, float]],
    page_width: float,
    page_height: float,
    v_rules: Sequence[tuple[float, float, float]] = (),
) -> float | None:
    """The short rule that word processors draw above footnotes: in the lower half, starting at the
    left margin, a fraction of the text width long, below every long (table) rule of the page, and
    standing free. `h_rules` should be merged (a browser draws a table's rule as one segment per
    cell: a cell's segment is short); a rule that a vertical rule meets at an end is a cell's border
    (a table row cut by the page break has no long rule below it), never a separator."""
    long_rules = [y for y, x0, x1 in h_rules if x1 - x0 > 0.45 * page_width]
    lowest_table_rule = max(long_rules, default=0.0)
    for y, x0, x1 in sorted(h_rules, key=lambda rule: rule[0]):
        if (
            25 <= x1 - x0 <= 0.45 * page_width
            and x0 < 0.3 * page_width
            and 0.5 * page_height < y
            and y > lowest_table_rule
            and not any(_meets(rule, y, x0, x1) for rule in v_rules)
        ):
            return y
    return None


def _meets(vertical: tuple[float, float, float], y: float, x0: float, x1: float) -> bool:
    """A vertical rule touching a horizontal one at either end: the corner of a table cell."""
    x, top, bottom = vertical
    return min(abs(x - x0), abs(x - x1)) <= 2 and top - 2 <= y <= bottom + 2


def footnote_lines(lines: list[Line], body_size: float, page_height: float, separator: float | None = None) -> set[int]:
    """Indexes of lines that form the page-bottom footnotes: everything under the footnote
    separator, or else small type starting with a number."""
    if separator is not None:
        return {index for index, line in enumerate(lines) if line.top > separator}
    found: set[int] = set()
    in_notes = False
    for index, line in enumerate(lines):
        small = line.size < 0.85 * body_size
        if not in_notes and small and line.top > 0.5 * page_height and line.words[0].text[:1].isdigit():
            in_notes = True
        if in_notes:
            if not small:
                in_notes = False
                continue
            found.add(index)
    return found
