"""Rows of ruled tables, as pure functions on ruling lines: each row is the band between two horizontal
rules, with its own label/answer split. Coordinates as in pdf_geometry (origin top-left)."""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from collections import Counter
from dataclasses import dataclass

from parsers.pdf_geometry import BULLETS, Line, crosses, split_line

Rule = tuple[float, float, float]  # (position across, start, end): (y, x0, x1) or (x, top, bottom)


def merge_rules(rules: list[Rule], tolerance: float = 1.0, gap: float = 3.0) -> list[Rule]:
    """Collinear segments that touch are one rule: browsers and some writers draw a table's rule as
    one segment per cell, or one per row for a vertical rule."""
    groups: list[list[Rule]] = []
    for rule in sorted(rules):
        if groups and rule[0] - groups[-1][0][0] <= tolerance:
            groups[-1].append(rule)
        else:
            groups.append([rule])
    merged: list[Rule] = []
    for group in groups:
        position = statistics.median(r[0] for r in group)
        segments: list[list[float]] = []
        for _, start, end in sorted(group, key=lambda r: r[1]):
            if segments and start <= segments[-1][1] + gap:
                segments[-1][1] = max(segments[-1][1], end)
            else:
                segments.append([start, end])
        merged += [(position, start, end) for start, end in segments]
    return merged


@dataclass(frozen=True)
class Band:
    """The strip of a ruled table between two consecutive horizontal rules: one row.

    `split` is where the vertical rule inside the row divides label from answer (None for a merged
    row, or a one-column table); each table, even each row, may have its own.

        x0          split                 x1
        +-----------+---------------------+   top
        | Nom       | Camille Martin      |
        +-----------+---------------------+   bottom: a rule between two lines is a row
        | Email     | x@example.org       |   boundary, however close the lines are
        +-----------+---------------------+
    """

    top: float
    bottom: float
    x0: float
    x1: float
    split: float | None
    framed: bool = False  # a vertical rule at either side: a table's row, not the gap between two tables
    inner: tuple[float, ...] = ()  # every vertical rule inside the row, left to right (3+ columns: several)

    def holds(self, line: Line) -> bool:
        centre = (line.top + line.bottom) / 2
        return self.top <= centre < self.bottom


def row_bands(h_rules: list[Rule], v_rules: list[Rule], page_split: float) -> list[Band]:
    """The rows of the page's ruled tables, top to bottom. A row boundary is a horizontal rule across
    the column split (a rule under text in one column is an underline); a row's own split is the
    vertical rule inside it nearest the page's split."""
    # a rule may start at the split itself: under a label cell merged down over two answer rows
    rules = [r for r in merge_rules(h_rules) if r[1] < page_split + 3 and page_split < r[2]]
    boundaries: list[Rule] = []
    for rule in sorted(rules):
        if boundaries and rule[0] - boundaries[-1][0] <= 2:  # a double border is one boundary
            last = boundaries[-1]
            boundaries[-1] = (last[0], min(last[1], rule[1]), max(last[2], rule[2]))
        else:
            boundaries.append(rule)
    verticals = merge_rules(v_rules)
    if boundaries:  # a row cut by a page break is open at the page's end: its vertical rules close it
        first, last = boundaries[0], boundaries[-1]
        above = [t for x, t, b in verticals if first[1] - 3 <= x <= first[2] + 3 and t < first[0] - 5 <= b + 2]
        below = [b for x, t, b in verticals if last[1] - 3 <= x <= last[2] + 3 and t - 2 <= last[0] + 5 < b]
        if above:
            boundaries.insert(0, (min(above), first[1], first[2]))
        if below:
            boundaries.append((max(below), last[1], last[2]))
    bands = []
    for (top, a0, a1), (bottom, b0, b1) in itertools.pairwise(boundaries):
        x0, x1 = min(a0, b0), max(a1, b1)
        middle = (top + bottom) / 2
        inside = [x for x, t, b in verticals if t - 2 <= middle <= b + 2 and x0 + 3 < x < x1 - 3]
        split = min(inside, key=lambda x: abs(x - page_split)) if inside else None
        framed = any(t - 2 <= middle <= b + 2 and min(abs(x - x0), abs(x - x1)) <= 3 for x, t, b in verticals)
        # the column rules run the row's whole height (a drawn check box's sides inside a cell do not)
        columns = tuple(sorted(x for x, t, b in verticals if t - 3 <= top and bottom <= b + 3 and x0 + 3 < x < x1 - 3))
        bands.append(Band(top, bottom, x0, x1, split, framed, columns))
    return bands


def _gap_start(line: Line) -> float | None:
    """Where the text after the line's first wide gap starts (a column's start), if it has one."""
    for index, (before, after) in enumerate(itertools.pairwise(line.words)):
        if index == 0 and before.text[:1] in BULLETS:
            continue  # a list item's tab after its bullet is no column
        if after.x0 - before.x1 >= max(8.0, 1.2 * before.size):
            return after.x0
    return None


def columned_runs(lines: list[Line]) -> list[tuple[float, list[Line]]]:
    """Runs of consecutive lines, each a label and an answer parted by a wide gap at the same x: a
    borderless table of its own (a contact block with narrower labels than the form above it).
    Returns (split, lines) per run of at least two lines."""
    runs: list[tuple[float, list[Line]]] = []
    current: list[Line] = []
    start: float | None = None
    for line in lines:
        here = _gap_start(line)
        close = bool(current) and line.top - current[-1].bottom < 1.5 * line.height
        if here is not None and start is not None and abs(here - start) <= 3 and close:
            current.append(line)
            continue
        if len(current) >= 2 and start is not None:
            runs.append((start - 3.0, current))
        current, start = ([line], here) if here is not None else ([], None)
    if len(current) >= 2 and start is not None:
        runs.append((start - 3.0, current))
    return runs


def with_text_split(band: Band, lines: list[Line], page_split: float) -> Band:
    """A row with no vertical rule inside and none at its sides (a table ruled only horizontally) takes
    its split from its text: where the answer starts after a wide gap on its lines, the page's split
    when that is within a few points (the same table), else the row's own (another table, as the
    contact block with its narrower labels). A row without such a gap stays one merged cell."""
    if band.split is not None or band.framed:
        return band
    starts = Counter(round(start) for start in map(_gap_start, lines) if start is not None)
    if not starts:
        return band
    own = starts.most_common(1)[0][0] - 3.0
    return dataclasses.replace(band, split=page_split if abs(own - page_split) <= 6 else own)


def repeated_header_rows(pages: list[tuple[list[Line], list[Rule], list[Rule], float]]) -> set[tuple[int, int]]:
    """(page index, line index) of a table's header row repeated on each page (an HTML <thead>, Word's
    "repeat as header row"): page furniture, never a row of the form.

    Given each page's lines, horizontal and vertical rules and width. A header row is the first ruled
    row of a page, bold throughout, with text on both sides of its split ('N° Question | Réponse'),
    whose text opens a table on at least two pages. A form's own rows are not bold on both sides (the
    answers are plain), and a question left unanswered has text on one side only.
    """
    firsts: dict[tuple[str, ...], list[tuple[int, list[int]]]] = {}
    for page_index, (lines, h_rules, v_rules, width) in enumerate(pages):
        bands = [band for band in row_bands(h_rules, v_rules, width / 2) if band.framed and band.split is not None]
        if not bands:
            continue
        first = bands[0]
        held = [i for i, line in enumerate(lines) if first.holds(line)]
        if not held or not all(lines[i].bold for i in held):
            continue
        sides = [split_line(lines[i], first.split) for i in held]  # type: ignore[arg-type]
        if not (any(left for left, _ in sides) and any(right for _, right in sides)):
            continue
        firsts.setdefault(tuple(lines[i].text for i in held), []).append((page_index, held))
    return {(page, i) for found in firsts.values() if len(found) >= 2 for page, held in found for i in held}


def split_columns(line: Line, rules: tuple[float, ...]) -> list[Line | None]:
    """The line's words in each column of a row with several vertical rules (FR label | EN label |
    answer set on one baseline): one line, or None, per column, left to right."""
    columns: list[list] = [[] for _ in range(len(rules) + 1)]
    for word in line.words:
        columns[sum(word.x1 > rule + 1 for rule in rules)].append(word)
    return [Line(tuple(words)) if words else None for words in columns]


def beside(lines: list[Line], split: float | None) -> float | None:
    """The document's column split, for a page without one of its own, when some text on the page
    stands right of it on its own: a form's page. A page all of whose text starts left of it (prose,
    a contact block of short lines) is no form page because another page had a table in an answer."""
    if split is None:
        return None
    return split if any(split_line(ln, split)[1] is not None and not crosses(ln, split) for ln in lines) else None


def right_edges(
    pages: list[list[Line]], splits: list[float | None], document_split: float | None
) -> dict[int | None, float]:
    """Where lines of each column end when full (column 0 labels, 1 answers, None page-wide text):
    a high percentile over the document, so a short paragraph is not mistaken for the column's width."""
    ends: dict[int | None, list[float]] = {0: [], 1: [], None: []}
    for page_lines, split in zip(pages, splits, strict=True):
        split = split if split is not None else document_split
        for line in page_lines:
            if split is None or crosses(line, split):
                ends[None].append(line.x1)
                continue
            left, right = split_line(line, split)
            if left:
                ends[0].append(left.x1)
            if right:
                ends[1].append(right.x1)
    return {column: sorted(values)[int(0.97 * (len(values) - 1))] for column, values in ends.items() if values}


BorderlessRow = tuple[float, list[Line], list[Line], bool, float]  # (top, labels, answers, merged, split)


def recentred_rows(rows: list[BorderlessRow], raised_needed: int = 2) -> tuple[list[BorderlessRow], list[Line]]:
    """Rows of a borderless table whose labels are centred vertically beside their answers (an HTML
    table's <th>, a Word cell aligned 'centre'), parted again around each label's middle.

        answer line 1             Rows were cut at each label's top, so an answer's first lines went
        Label    answer line 2    to the row above, silently. Here each label's answer is the run of
        answer line 3             lines centred on it. The rows are returned unchanged unless every
                                  label sits at the middle of its run, and at least two runs start a
                                  line or more above their label (a top-aligned table never does; one
                                  is enough once an earlier page showed the table centred).
    Also returns the lines after the last label's run: the start of a row whose label, centred on the
    row's other part, is on the next page. No row of this page is theirs; the caller shows them unplaced.
    """
    labelled = [i for i, row in enumerate(rows) if row[1] and not row[3]]
    if len(labelled) < 3:
        return rows, []
    first = labelled[0]
    answers = sorted((ln for row in rows[first:] for ln in row[2]), key=lambda ln: ln.top)
    lead = sorted(rows[first - 1][2], key=lambda ln: ln.top) if first and not rows[first - 1][1] else []
    height = statistics.median(ln.height for ln in [*answers, *lead] or rows[first][1])
    tolerance = 0.3 * height  # a centred label's middle is within a few points of its run's
    misaligned = sum(1 for i in labelled if rows[i][2] and abs(rows[i][2][0].top - rows[i][1][0].top) > tolerance)
    cuts = _sentence_cuts([rows[i][2] for i in labelled])
    if misaligned + cuts < raised_needed:
        return rows, []  # rows cut at each label's top start beside it, and between sentences: top-aligned
    best: tuple[tuple[int, int], int, list[list[Line]]] | None = None
    for start in range(len(lead) + 1):  # lines above the first label: the page's carried-over answer, or its own
        groups = _centred_groups([rows[i][1] for i in labelled], [*lead[start:], *answers], tolerance)
        if groups is None:
            continue
        runs = list(zip(labelled, groups[:-1], strict=True))
        if max((_fit(rows[i][1], g, i == labelled[-1]) for i, g in runs if g), default=0.0) <= tolerance:
            # fewest answers cut inside a sentence (the carried-over lines count), then the most lines carried
            # over: the page before ended mid-answer
            rank = (_sentence_cuts([lead[:start], *groups]) + (1 if groups[-1] else 0), -start)
            if best is None or rank < best[0]:
                best = (rank, start, groups)
    if best is None:
        return rows, []
    _, start, groups = best
    *groups, leftover = groups
    pairs = list(zip(labelled, groups, strict=True))
    raised = sum(1 for i, g in pairs if g and rows[i][1][0].top - g[0].top > 0.6 * height)
    if raised < raised_needed or _sentence_cuts(groups) >= max(cuts, 1):
        return rows, []  # parted so, the answers would not end and start more cleanly than before
    result = list(rows[: first - 1]) if lead else list(rows[:first])
    if lead and start:
        carried = rows[first - 1]
        result.append((carried[0], carried[1], lead[:start], carried[3], carried[4]))
    for i, group in pairs:
        top, labels, _, merged, split = rows[i]
        result.append((min([top, *(ln.top for ln in group)]), labels, group, merged, split))
    return result, leftover


def _sentence_cuts(answers: list[list[Line]]) -> int:
    """Row boundaries inside a sentence: one answer's last line ends on no stop and the next answer's
    first line goes on in lower case. Rows cut at centred labels' tops fall there (when the label's
    offset is a whole number of lines, the tops still align); answers of a form rarely do."""
    runs = [lines for lines in answers if lines]
    return sum(
        1
        for before, after in itertools.pairwise(runs)
        if before[-1].text.rstrip()[-1:] not in '.;:!?)»"”' and after[0].text.lstrip("•-–*«\"' ")[:1].islower()
    )


def _middle(lines: list[Line]) -> float:
    return (min(ln.top for ln in lines) + max(ln.bottom for ln in lines)) / 2


def _straddles(line: Line, y: float) -> bool:
    return line.top <= y <= line.bottom


def _fit(label: list[Line], group: list[Line], cut: bool = False) -> float:
    """How far the run is from where a centred label puts it: centred on the label, or, when the label
    is the taller or the row is `cut` by the page's end (its label then stands at its top), starting at
    the label's top (the answer's own cell aligned at the top)."""
    cost = abs(_middle(group) - _middle(label))
    if cut or max(ln.bottom for ln in label) - label[0].top >= group[-1].bottom - group[0].top:
        cost = min(cost, abs(group[0].top - label[0].top))
    return cost


def _centred_groups(labels: list[list[Line]], answers: list[Line], tolerance: float) -> list[list[Line]] | None:
    """The answer lines parted into one run per label, each run placed as near where its label puts it
    as the lines allow (a line beside a label is that label's; a label with no line beside it
    gets none), then the lines left after the last run; None when the lines cannot be parted so."""
    groups: list[list[Line]] = []
    start = 0
    for index, label in enumerate(labels):
        middle = _middle(label)
        if start >= len(answers) or answers[start].top > max(ln.bottom for ln in label):
            groups.append([])  # nothing beside this label: an empty answer
            continue
        following = labels[index + 1] if index + 1 < len(labels) else None
        top, bottom = label[0].top, max(ln.bottom for ln in label)  # lines beside the label are its own
        own = [
            i
            for i in range(start, len(answers))
            if _straddles(answers[i], middle) or top <= _middle([answers[i]]) <= bottom
        ]
        other = [i for i in range(start, len(answers)) if following and _straddles(answers[i], _middle(following))]
        first_end = max(own, default=start)
        last_end = min(other, default=len(answers)) - 1
        if following:
            last_end = min(
                last_end,
                max([start - 1] + [i for i in range(start, len(answers)) if answers[i].top < _middle(following)]),
            )
        candidates = list(range(first_end, last_end + 1))
        if not candidates:
            return None
        end = min(candidates, key=lambda e: _fit(label, answers[start : e + 1]))
        if following is None:  # the last run: the longest that fits (what is left starts the next page's row)
            end = max([e for e in candidates if _fit(label, answers[start : e + 1], True) <= tolerance], default=end)
        groups.append(answers[start : end + 1])
        start = end + 1
    return [*groups, answers[start:]]
