"""Which cells of a form table are labels and which cell each label's answer is in.

The usual form is `label | answer`, its labels in column 0 (column 1 after a numbering column: "1.",
"iv)"). The cells themselves say when a table is laid out otherwise:

    Nom          | Name         | answer            a second label column: the same question in
                                                    another language; the answer is the last column
    Nom | answer | Organisation | answer            label | answer pairs side by side (a contact block)
    Name   | Organisation | Email                   a row of labels over a row of their answers
    answer | answer       | answer

`table_shapes` decides per table; `sub_rows` turns each row into `label | answer` rows (the blocks'
columns renumbered 0 and 1), so the rest of segmentation sees only the usual form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.catalogue import Catalogue, LabelMatch
from normalise import clean_line
from parsers.layout import Block

Row = list[tuple[int, Block]]

TABLE_LABEL_CUTOFF = 70.0  # as extract/segment: a table's label column, structure already says "label"
PLAIN_LABEL_CUTOFF = 85.0  # a cell that is no label column's must look like a label on its own
MAJORITY = 0.6  # of the rows that could show it: a shape is the table's, not one row's accident
_ROW_MARKER = re.compile(r"^\(?[0-9ivxIVX]{1,4}[.)]?$")  # "1.", "iv)" in a numbering column
_MAX_TWICE_LINES = 6  # a label in two languages, each wrapped over a few lines at most
_MAX_TWICE_CHARS = 400


@dataclass(frozen=True)
class TableShape:
    width: int  # grid columns
    label_column: int | None  # None: not a label | answer form (one column, or no answers beside labels)
    answer_column: int | None = None  # the first answer column when not the one right of the label column
    paired: bool = False  # label | answer | label | answer: each label owns the cell right of it
    label_rows: frozenset[int] = field(default_factory=frozenset)  # rows of labels over a row of answers


def table_shapes(blocks: tuple[Block, ...], catalogue: Catalogue) -> dict[int | None, TableShape]:
    """Where each table keeps its labels and answers (see the module's docstring)."""
    texts: dict[int | None, dict[int, list[str]]] = {}
    widths: dict[int | None, int] = {}
    paged: dict[int | None, bool] = {}
    grid: dict[int | None, dict[int, dict[int, str]]] = {}  # table → row → column → text
    cells = [block for block in blocks if block.kind == "cell"]
    for block in cells:
        paged[block.table] = paged.get(block.table, True) and block.page is not None
        column = block.column or 0
        texts.setdefault(block.table, {}).setdefault(column, []).append(block.text.strip())
        widths[block.table] = max(widths.get(block.table, 1), column + block.span)
    # A row merged across the whole table ("Coordonnées") is a heading, not a number of the numbering column.
    numbers: dict[int | None, list[str]] = {}
    rows_of: dict[tuple[int | None, int | None], list[Block]] = {}
    for block in cells:
        rows_of.setdefault((block.table, block.row), []).append(block)
    for block in cells:
        if not _merged_across(rows_of[(block.table, block.row)], widths[block.table]):
            row = grid.setdefault(block.table, {}).setdefault(block.row or 0, {})
            row[block.column or 0] = f"{row.get(block.column or 0, '')} {clean_line(block.text)}".strip()
            if (block.column or 0) == 0:
                numbers.setdefault(block.table, []).append(block.text.strip())
    shapes: dict[int | None, TableShape] = {}
    for table, columns in texts.items():
        first_label = 1 if all(_ROW_MARKER.match(t) or not t for t in numbers.get(table, [])) and 2 in columns else 0
        label_column = first_label if any(c > first_label for c in columns) else None
        shapes[table] = _read_shape(widths[table], label_column, grid.get(table, {}), catalogue)
    # A page of a paged form may hold only label cells (a label cut by the page break): when the
    # document's other tables are label | answer forms, such a fragment is one too.
    form_tables = [s for s in shapes.values() if s.label_column == 0]
    if form_tables:
        for table, shape in shapes.items():
            few_rows = len(grid.get(table, {})) <= 2  # a cut label's rest, not a page of one-column tables
            if shape.label_column is None and set(texts[table]) == {0} and paged[table] and few_rows:
                shapes[table] = TableShape(max(shape.width, 2), 0)
    return shapes


def _read_shape(
    width: int, label_column: int | None, rows: dict[int, dict[int, str]], catalogue: Catalogue
) -> TableShape:
    label_rows = _label_rows(rows, catalogue)
    if label_column is None:
        return TableShape(width, None, label_rows=label_rows)
    first = label_column
    if width >= first + 3 and _second_label_column(rows, first, catalogue):
        return TableShape(width, first, answer_column=first + 2, label_rows=label_rows)
    if width >= first + 4 and _paired(rows, first, catalogue):
        return TableShape(width, first, paired=True, label_rows=label_rows)
    return TableShape(width, first, label_rows=label_rows)


def _match(text: str, cutoff: float, catalogue: Catalogue) -> LabelMatch | None:
    return catalogue.match(text, cutoff, allow_longer=cutoff == TABLE_LABEL_CUTOFF) if text else None


def _second_label_column(rows: dict[int, dict[int, str]], first: int, catalogue: Catalogue) -> bool:
    """Column first+1 asks the same question as the label column on most rows ('But | Aim | ...')."""
    both = [row for row in rows.values() if row.get(first) and row.get(first + 1)]
    same = 0
    for row in both:
        label, beside = (
            _match(row[first], TABLE_LABEL_CUTOFF, catalogue),
            _match(row[first + 1], TABLE_LABEL_CUTOFF, catalogue),
        )
        same += label is not None and beside is not None and label.key == beside.key
    return same >= 2 and same >= MAJORITY * len(both)


def _paired(rows: dict[int, dict[int, str]], first: int, catalogue: Catalogue) -> bool:
    """Column first+2 holds labels, and column first+1 none: label | answer | label | answer."""
    third = [row for row in rows.values() if row.get(first + 2)]
    pairs = sum(
        _match(row[first + 2], PLAIN_LABEL_CUTOFF, catalogue) is not None
        and _match(row.get(first + 1, ""), PLAIN_LABEL_CUTOFF, catalogue) is None
        for row in third
    )
    return pairs >= 1 and pairs >= MAJORITY * len(third)


def _label_rows(rows: dict[int, dict[int, str]], catalogue: Catalogue) -> frozenset[int]:
    """Rows of two or more cells, each a different field's label, over a row of the same columns
    holding no label at all: a horizontal table (labels across the top, their answers below)."""
    found = set()
    for number, row in rows.items():
        below = rows.get(number + 1)
        if len(row) < 2 or not below or not set(below) <= set(row):
            continue
        matches = [_match(text, PLAIN_LABEL_CUTOFF, catalogue) for text in row.values()]
        keys = {m.key for m in matches if m is not None}
        if len(keys) == len(row) and not any(_match(text, PLAIN_LABEL_CUTOFF, catalogue) for text in below.values()):
            found.add(number)
    return frozenset(found)


def pair_label_rows(units: list, shapes: dict[int | None, TableShape]) -> list:
    """A row of labels and the row of answers under it become one unit (sub_rows pairs them by column)."""
    joined: list = []
    for unit in units:
        previous = joined[-1] if joined else None
        if (
            isinstance(unit, list)
            and isinstance(previous, list)
            and previous[0][1].table == unit[0][1].table
            and previous[-1][1].row in shapes[unit[0][1].table].label_rows
            and unit[0][1].row == (previous[-1][1].row or 0) + 1
        ):
            joined[-1] = previous + unit
            continue
        joined.append(unit)
    return joined


def _merged_across(row: list[Block], width: int) -> bool:
    """One cell from column 0 across the table (a heading, 'Coordonnées'), or across two columns or more of
    it: a PDF's merged row knows no grid, so it spans 2 whatever the table's width."""
    first = row[0]
    return len({b.column for b in row}) == 1 and (first.column or 0) == 0 and first.span >= min(width, 2)


def sub_rows(row: Row, shape: TableShape) -> list[tuple[Row, TableShape]]:
    """The row as `label | answer` rows: the labels' cells in column 0, their answers' in column 1."""
    if _merged_across([b for _, b in row], shape.width):  # as wide as the table for extract/segment
        return [(row, TableShape(row[0][1].span, shape.label_column))]
    if shape.label_column is None and not shape.label_rows:
        return [(row, shape)]
    first = row[0][1]
    plain = TableShape(2, 0)
    if (first.row or 0) in shape.label_rows and len({b.row for _, b in row}) == 2:
        columns = sorted({b.column or 0 for _, b in row})
        return [
            (
                _renumbered([(i, b) for i, b in row if (b.column or 0) == column], lambda b: int(b.row != first.row)),
                plain,
            )
            for column in columns
        ]
    label = shape.label_column if shape.label_column is not None else 0
    if shape.paired:
        pairs: dict[int, Row] = {}
        for i, block in row:
            offset = (block.column or 0) - label
            if offset >= 0:
                pairs.setdefault(offset // 2, []).append((i, block))
        return [
            (_renumbered(cells, lambda b: ((b.column or 0) - label) % 2), plain) for _, cells in sorted(pairs.items())
        ]
    if shape.answer_column is not None:
        answer = shape.answer_column
        kept = [(i, b) for i, b in row if (b.column or 0) >= label]
        return [(_renumbered(kept, lambda b: int((b.column or 0) >= answer)), plain)]
    return [(row, shape)]


def _renumbered(cells: Row, column_of) -> Row:
    return [(i, b.model_copy(update={"column": column_of(b), "span": 1})) for i, b in cells]


def same_question_twice(
    texts: list[str], catalogue: Catalogue, cutoff: float = PLAIN_LABEL_CUTOFF
) -> LabelMatch | None:
    """'But' + 'Aim', 'Nom de la « bonne pratique »…' + 'Name of the good practice…', 'Coordonnées /
    Contact details': text that is one field's label twice, one wording after the other (a bilingual
    form). Each half must be that field's label on its own; the weaker half's score is the match's.
    The two wordings together dilute a whole-text match, which would take a sure label for a weak one."""
    lines = [clean_line(line) for text in texts for line in text.split("\n") if clean_line(line)]
    whole = " ".join(lines)
    if not 1 <= len(lines) <= _MAX_TWICE_LINES or len(whole) > _MAX_TWICE_CHARS:
        return None
    cuts = [(" ".join(lines[:k]), " ".join(lines[k:])) for k in range(1, len(lines))]
    if len(lines) == 1:
        cuts += [(whole[: m.start()], whole[m.end() :]) for m in re.finditer(r"\s+/\s+", whole)]
    best: LabelMatch | None = None
    for head, tail in cuts:
        first, second = catalogue.match(head, cutoff), catalogue.match(tail, cutoff)
        if first is None or second is None or first.key != second.key:
            continue
        score = min(first.score, second.score)
        if best is None or score > best.score:
            best = LabelMatch(first.key, first.lang, score, whole, first.variant)
    return best


def label_in_two_parts(previous: LabelMatch | None, texts: list[str], catalogue: Catalogue) -> LabelMatch | None:
    """The rest of a bilingual label cut by a page break: the label cell on the new page ('Telephone', its
    answer left on the page before), or the rest of each of two label columns ('lors de la mise en œuvre)…'
    | 'during implementation)…'), that with the label above is one field's label in two languages."""
    if previous is None or not texts:
        return None
    candidates = [[previous.found, " ".join(texts)]]
    words = previous.found.split()
    if len(texts) == 2 and len(words) <= 2 * _MAX_TWICE_LINES * 8:  # where the first column's words end
        candidates += [
            [" ".join(words[:k] + [texts[0]]), " ".join(words[k:] + [texts[1]])] for k in range(1, len(words))
        ]
    best: LabelMatch | None = None
    for pair in candidates:
        twice = same_question_twice(pair, catalogue)
        if twice is not None and twice.key == previous.key and (best is None or twice.score > best.score):
            best = twice
    if best is None:
        return None
    found = f"{previous.found} {' '.join(texts)}"
    return LabelMatch(previous.key, previous.lang, max(best.score, previous.score), found, previous.variant)
