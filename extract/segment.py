"""Layout blocks → pieces: each piece is label candidate or answer text, with the blocks it came from.

Where the layout says a block sits in a table's label column, a label is trusted on structure
(lower cutoff, any length); free paragraphs need a close match of the whole paragraph, of a bold
run-in prefix, or of the text before a colon. Context rules (order, contact block) come later, in
`assemble`, which may still turn a candidate back into text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict

from extract.catalogue import Catalogue, LabelMatch
from extract.retyped import match_retyped
from extract.table_shapes import (
    TableShape,
    label_in_two_parts,
    pair_label_rows,
    same_question_twice,
    sub_rows,
    table_shapes,
)
from normalise import clean_line, normalise_email, normalise_url
from parsers.layout import Block, Layout

TABLE_LABEL_CUTOFF = 70.0  # a table's label column: structure already says "this is a label"
FREE_LABEL_CUTOFF = 85.0  # a paragraph on its own must look like a label
INLINE_LABEL_CUTOFF = 88.0  # "Label : answer" on one line
EXACT_ENOUGH = 97.0  # a table label matched this well is the label as the form words it, no rewording
MAX_LABEL_CHARS = 260  # longer than the longest question on the form: an answer, not a label


class _PieceBasics(TypedDict):
    """What every piece cut from one block shares."""

    blocks: tuple[int, ...]
    in_table: bool
    list_item: bool
    continues: bool


@dataclass(frozen=True)
class Piece:
    """A label candidate (label set) or a paragraph of text, in reading order."""

    text: str  # the whole text as in the document (for a label with an inline answer: both)
    blocks: tuple[int, ...]
    label: LabelMatch | None = None
    inline_value: str | None = None  # "answer" of "Label : answer", or the rest of a label cell
    structural: bool = False  # label from a table's label column, or text from its answer column
    orphan_label: bool = False  # a table's label cell that matches no label: its row is unplaced
    list_item: bool = False
    header_like: bool = False  # could be a submitter header (FRANCE, BELGIQUE / Wallonie)
    in_table: bool = False
    resembles: LabelMatch | None = None  # text that reads like a form label (swallowed label?)
    continues: bool = False  # the previous paragraph goes on here, after a page break
    label_continuation: bool = False  # the rest of the previous label, cut by a page break
    form_text: bool = False  # the questionnaire's or the compendium's own text: kept out, but it separates
    label_shaped: bool = False  # '7) Timescale:' in free text: a label the catalogue does not know?
    from_label_column: bool = False  # alone in a form table's label column, yet no label: a cut label's tail?


def pieces_from_layout(layout: Layout, catalogue: Catalogue) -> Iterator[Piece]:
    blocks = layout.blocks
    tables = table_shapes(blocks, catalogue)
    last_label: list[Piece] = []  # the latest label piece, for labels cut in two by a page break
    for unit in pair_label_rows(_rejoin_cut_labels(_units(blocks), tables, catalogue), tables):
        if isinstance(unit, int):
            for piece in _paragraph_pieces(unit, blocks[unit], catalogue, in_table=False):
                last_label[:] = [piece] if piece.label is not None else last_label
                yield piece
            continue
        for row, shape in sub_rows(unit, tables[unit[0][1].table]):
            previous = last_label[-1] if last_label else None
            # the first row of a page after a row with a label on the page before: a label cut by the break?
            after_break = (
                previous is not None and row[0][1].row == 0 and blocks[previous.blocks[-1]].page != row[0][1].page
            )
            for piece in _row_pieces(row, shape, catalogue, previous, after_break):
                if piece.label is not None and not piece.label_continuation:
                    last_label[:] = [piece]
                yield piece


Row = list[tuple[int, Block]]


def _units(blocks: tuple[Block, ...]) -> list[int | Row]:
    """Body blocks in order: a paragraph's index, or a table row's (index, block) cells."""
    units: list[int | Row] = []
    for index, block in enumerate(blocks):
        if block.role != "body":
            continue
        if block.kind != "cell":
            units.append(index)
            continue
        previous = units[-1] if units else None
        if isinstance(previous, list) and (previous[0][1].table, previous[0][1].row) == (block.table, block.row):
            previous.append((index, block))
        else:
            units.append([(index, block)])
    return units


def _rejoin_cut_labels(units: list[int | Row], tables: dict, catalogue: Catalogue) -> list[int | Row]:
    """A label cut by a page break whose first half is no label at all ('Quelle pratique/politique,
    quel' | next page: 'instrument du Conseil de l'Europe...'): the two rows become one."""
    joined: list[int | Row] = []
    for unit in units:
        previous = joined[-1] if joined else None
        if isinstance(unit, list) and isinstance(previous, list) and previous[0][1].table != unit[0][1].table:
            first, second = _label_text(previous, tables), _label_text(unit, tables)
            if first and second and catalogue.match(first, TABLE_LABEL_CUTOFF, allow_longer=True) is None:
                together = catalogue.match(f"{first} {second}", TABLE_LABEL_CUTOFF, allow_longer=True)
                alone = catalogue.match(second, TABLE_LABEL_CUTOFF, allow_longer=True)
                if together and (alone is None or (alone.key == together.key and together.score >= alone.score)):
                    joined[-1] = previous + [
                        (i, b.model_copy(update={"table": previous[0][1].table, "row": previous[0][1].row}))
                        for i, b in unit
                    ]
                    continue
        joined.append(unit)
    return joined


def _label_text(row: Row, tables: dict) -> str:
    shape = tables[row[0][1].table]
    if shape.label_column is None:
        return ""
    return " ".join(clean_line(b.text) for _, b in row if (b.column or 0) == shape.label_column)


def _row_pieces(
    row: list[tuple[int, Block]],
    shape: TableShape,
    catalogue: Catalogue,
    previous_label: Piece | None,
    after_break: bool = False,
) -> Iterator[Piece]:
    first = row[0][1]
    full_width = len({b.column for _, b in row}) == 1 and (first.column or 0) == 0 and first.span >= shape.width
    if shape.label_column is None or full_width:
        for i, block in row:  # a one-column form, or a merged row across the table (heading, header)
            yield from _paragraph_pieces(i, block, catalogue, in_table=False)
        return
    label_cell = [(i, b) for i, b in row if (b.column or 0) == shape.label_column]
    answer_cells = [(i, b) for i, b in row if (b.column or 0) > shape.label_column]
    label_text = " ".join(clean_line(b.text) for _, b in label_cell)
    if label_text in catalogue.continued:  # "(suite)": a compendium's answer going on from the row above
        label_text = ""
    if label_text:
        label_blocks = tuple(i for i, _ in label_cell)
        match, rest = _match_label_cell(label_text, catalogue)
        twice = same_question_twice([b.text for _, b in label_cell], catalogue)  # 'But' / 'Aim'
        match, rest = (twice, None) if twice and (match is None or twice.score > match.score) else (match, rest)
        joined = _continued_label(previous_label, label_text, match, catalogue, after_break)
        if after_break and previous_label and previous_label.structural and not (joined and joined.strong):
            # a bilingual label cut by the break: each language's rest joins its own start
            joined = label_in_two_parts(previous_label.label, [b.text for _, b in label_cell], catalogue) or joined
        if joined:
            yield Piece(label_text, label_blocks, label=joined, structural=True, in_table=True, label_continuation=True)
        elif match:
            yield Piece(label_text, label_blocks, label=match, inline_value=rest, structural=True, in_table=True)
        elif not answer_cells:  # a line on its own in the label column: a header or a note, not a field
            for i, block in label_cell:  # (in an answer it is doubtful: the tail of a label cut by a page break?)
                for piece in _paragraph_pieces(i, block, catalogue, in_table=False):
                    yield dataclasses.replace(piece, from_label_column=True)
        else:
            yield Piece(label_text, label_blocks, orphan_label=True, structural=True, in_table=True)
    for i, block in answer_cells:
        yield Piece(
            block.text,
            (i,),
            structural=True,
            in_table=True,
            list_item=block.list_item,
            resembles=_resembles(block.text, catalogue),
            continues=block.continues,
        )


def _continued_label(
    previous: Piece | None, text: str, match: LabelMatch | None, catalogue: Catalogue, after_break: bool = False
) -> LabelMatch | None:
    """'... lors de la mise en' + 'œuvre), enseignements tirés': the second half completes the first
    when together they match the same label at least as well, and the half alone is no better label.
    At the top of a page after the break, a half that alone reads as the very question the row above
    began ('Remarques finales,' | 'défis (y compris ...) enseignements tirés') completes it too: a
    form never asks one question twice in a row, and the whole may match a shade less than its first
    words did (a word broken without a hyphen in a narrow column)."""
    if previous is None or previous.label is None or not previous.structural:
        return None
    joined_text = f"{previous.label.found} {text}"
    joined = catalogue.match(joined_text, TABLE_LABEL_CUTOFF, allow_longer=True)
    if joined is None or joined.key != previous.label.key:
        return None
    same_question = after_break and match is not None and match.key == joined.key
    if joined.score < previous.label.score and not same_question:
        return None
    if match is not None and match.key != joined.key and match.score >= joined.score:
        return None
    return LabelMatch(joined.key, joined.lang, joined.score, joined_text, joined.variant)


def _match_label_cell(text: str, catalogue: Catalogue) -> tuple[LabelMatch | None, str | None]:
    """The label of a label cell, and the answer typed into it after a colon if any. A row number in
    front ('4 But': a PDF's numbering column read together with the question column) is no part of
    the wording: the label is matched without it when that matches better."""
    match, rest = _match_label_text(text, catalogue)
    numbered = _LEADING_ROW_NUMBER.match(text)
    if numbered and (match is None or match.score < EXACT_ENOUGH):
        bare, bare_rest = _match_label_text(text[numbered.end() :], catalogue)
        if bare and (match is None or bare.score > match.score):
            return LabelMatch(bare.key, bare.lang, bare.score, text, bare.variant), bare_rest
    return match, rest


_LEADING_ROW_NUMBER = re.compile(r"^\(?(?:\d{1,2}|[ivxIVX]{1,4})[.)]?\s+(?=\w)")


def _match_label_text(text: str, catalogue: Catalogue) -> tuple[LabelMatch | None, str | None]:
    match = catalogue.match(text, TABLE_LABEL_CUTOFF, allow_longer=True)
    if match and match.score >= EXACT_ENOUGH:
        return match, None
    if match and match.strong:  # a close but loose match may be another label retyped ("Website of the...")
        return _better(match, match_retyped(text, catalogue, TABLE_LABEL_CUTOFF)), None
    head, sep, tail = text.partition(":")
    if sep and tail.strip():  # "Durée : 2 ans" typed into the label cell
        inline = catalogue.match(head, TABLE_LABEL_CUTOFF)
        if inline and (match is None or inline.score > match.score):
            return LabelMatch(inline.key, inline.lang, inline.score, text, inline.variant), tail.strip()
    return _better(match, match_retyped(text, catalogue, TABLE_LABEL_CUTOFF)), None  # "Durée du projet"


def _better(match: LabelMatch | None, retyped: LabelMatch | None) -> LabelMatch | None:
    return retyped if retyped and (match is None or retyped.score > match.score) else match


def _paragraph_pieces(index: int, block: Block, catalogue: Catalogue, in_table: bool) -> Iterator[Piece]:
    text = block.text
    stripped = clean_line(text)
    if not stripped:
        return
    if catalogue.is_form_text(stripped):
        yield Piece(text, (index,), form_text=True)  # not part of the reply; a header never runs across it
        return
    common = _PieceBasics(blocks=(index,), in_table=in_table, list_item=block.list_item, continues=block.continues)
    if not block.list_item:
        whole = catalogue.match(stripped, FREE_LABEL_CUTOFF) if len(stripped) <= MAX_LABEL_CHARS else None
        whole = whole or same_question_twice([text], catalogue)  # 'Coordonnées / Contact details'
        head, sep, rest = _split_run_in(text)
        inline = None
        if (
            sep
            and rest.strip()
            and len(head) <= MAX_LABEL_CHARS
            and not head.rstrip().lower().endswith(("http", "https", "mailto"))
        ):
            inline = catalogue.match(head, INLINE_LABEL_CUTOFF)
        if whole is None and _label_line(block, stripped):
            whole = match_retyped(stripped, catalogue, FREE_LABEL_CUTOFF)
        if whole and not (inline and inline.score >= whole.score):
            yield Piece(text, label=whole, **common)
            return
        if 0 < block.bold_prefix <= MAX_LABEL_CHARS:
            prefix = catalogue.match(text[: block.bold_prefix], FREE_LABEL_CUTOFF)
            if prefix:
                yield Piece(text, label=prefix, inline_value=_after_colon(text[block.bold_prefix :]), **common)
                return
        if inline is None:
            inline, rest = _checked_run_in(stripped, catalogue)
        if inline:
            yield Piece(text, label=inline, inline_value=rest.strip(), **common)
            return
    yield Piece(
        text,
        header_like=not in_table and _header_like(block, stripped),
        resembles=_resembles(stripped, catalogue),
        label_shaped=not in_table and not block.list_item and _NUMBERED_LABEL.match(stripped) is not None,
        **common,
    )


# "7) Timescale:", "8. Summary of the programme :" on a line of its own: numbered and ending in a colon,
# the shape of the form's questions even when the words are none of the catalogue's.
_NUMBERED_LABEL = re.compile(r"^\(?\d{1,2}[.)]\s*(?:[^\W\d_][^:.;?!]{0,60}):$")


_CHECKS = {"email": normalise_email, "url": normalise_url}


def _checked_run_in(text: str, catalogue: Catalogue) -> tuple[LabelMatch | None, str]:
    """'Website https://example.org' with no colon: a label of the form followed by a value its check
    accepts as a whole (an e-mail or web address), so the words before it can be nothing else."""
    words = text.split()
    checked = {key for key, spec in catalogue.specs.items() if spec.check in _CHECKS}
    for cut in range(1, min(len(words), 5)):
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        match = catalogue.match(head, INLINE_LABEL_CUTOFF, keys=checked)
        check = _CHECKS[catalogue.specs[match.key].check or ""] if match else None
        if match and check and check(rest) and " " not in rest:
            return match, rest
    return None, ""


def _label_line(block: Block, text: str) -> bool:
    """A bold or heading line of its own, short and no sentence: where a retyped label may stand."""
    return (
        (block.bold or block.heading)
        and len(text.split()) <= 12
        and not text.rstrip().endswith((".", ";", ",", "!"))
        and not _MARKUP.search(text)
    )


_MARKUP = re.compile(r"[<>\[\]{}=|]")


def _split_run_in(text: str) -> tuple[str, str, str]:
    """'Label : answer' or 'Label<tab>answer', whichever separator comes first."""
    colon, tab = text.find(":"), text.find("\t")
    if tab > 0 and text[:tab].strip() and (colon < 0 or tab < colon):
        return text.partition("\t")
    return text.partition(":")


def _after_colon(text: str) -> str | None:
    text = text.strip()
    if text.startswith(":"):
        text = text[1:].strip()
    return text or None


def _resembles(text: str, catalogue: Catalogue) -> LabelMatch | None:
    """A paragraph inside an answer that reads like a label: the answer may have swallowed a field."""
    stripped = clean_line(text)
    match = catalogue.match(stripped, FREE_LABEL_CUTOFF) if len(stripped) <= MAX_LABEL_CHARS else None
    match = match or same_question_twice([text], catalogue)
    if match is None:
        head, sep, _ = stripped.partition(":")
        match = catalogue.match(head, INLINE_LABEL_CUTOFF) if sep and len(head) <= MAX_LABEL_CHARS else None
    return match or catalogue.opening_label(stripped.split("\n")[0])


def _header_like(block: Block, text: str) -> bool:
    if len(text) > 80 or text.endswith((".", ";", ",", ":")) or block.list_item:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    upper = bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8
    return block.heading or block.bold or upper or _place_header(text)


# "FRANCE / Métropole de Lyon", "UNITED KINGDOM – Wales": the country in capitals, then the body that
# sent the reply. The capitals and the separator are what tell it from an ordinary sentence.
_PLACE_HEADER = re.compile(r"^(?P<country>[^\W\d_][^\W\d_ '’-]*(?:[ '’-][^\W\d_]+){0,3})\s+[/–—-]\s+\S")


def _place_header(text: str) -> bool:
    found = _PLACE_HEADER.match(text)
    if found is None or len(text.split()) > 10 or text.endswith(("?", "!")):
        return False
    country = [ch for ch in found["country"] if ch.isalpha()]
    return len(country) >= 3 and all(ch.isupper() for ch in country)
