"""PDF reader: the pages of any PDF engine (parsers/pdf_page.py: words with boxes and ruling
lines) → the neutral layout. The column-aware layout pass is here, shared by every engine."""

from __future__ import annotations

import statistics
import tempfile
from collections import Counter
from pathlib import Path

from parsers.acroform import add_form_values
from parsers.bidi import logical_order
from parsers.errors import ErrorCode, UnreadableFile
from parsers.layout import Block, BlockRole, Layout
from parsers.pdf_checks import guarded, looping_tree, page_tree_loops
from parsers.pdf_geometry import (
    Line,
    Word,
    continues_across_break,
    crosses,
    find_split,
    footnote_lines,
    footnote_separator,
    furniture_keys,
    group_lines,
    is_footnote_marker,
    join_lines,
    label_wraps_into,
    paragraphs,
    split_line,
    starts_paragraph,
    usual_leading,
)
from parsers.pdf_page import Page, load_pages
from parsers.pdf_rows import (
    Band,
    beside,
    columned_runs,
    merge_rules,
    recentred_rows,
    repeated_header_rows,
    right_edges,
    row_bands,
    split_columns,
    with_text_split,
)


def _check_signature(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        if head.startswith(b"PK"):
            raise UnreadableFile("a Word/zip file named .pdf; rename it to .docx", ErrorCode.WRONG_TYPE)
        raise UnreadableFile(
            "not a PDF file (no %PDF header): corrupt, or another format renamed .pdf", ErrorCode.DAMAGED
        )


def read_pdf(path: Path, engine: str) -> Layout:
    """Read a PDF reply into a layout; raise UnreadableFile when it cannot be read as text.

    A scan without a text layer is recognised by OCR when OCRmyPDF is installed; a text layer made
    by OCR (Tesseract's invisible 'GlyphLessFont') is marked as such, so its fields get flagged."""
    _check_signature(path)
    # a fillable form's answers are field values; a PDF library's failure is told apart from a bug of ours
    pages, unplaced = add_form_values(path, guarded(lambda source: load_pages(source, engine), path))
    pages = logical_order(pages)  # right-to-left lines (Hebrew, Arabic) in reading order
    if not pages:
        raise UnreadableFile("the PDF has no pages", ErrorCode.EMPTY)
    words = [w for page in pages for w in page.words]
    if not words:
        if page_tree_loops(path):
            raise looping_tree()
        return _read_scan(path, engine)
    garbled = sum("\ufffd" in w.text for w in words)
    if garbled > 0.05 * len(words):
        raise UnreadableFile(
            "its fonts have no Unicode map: the text comes out as '(cid:NN)' codes, not letters", ErrorCode.NO_UNICODE
        )
    ocr = sum(w.ocr for w in words) > 0.5 * len(words)
    layout = _PdfLayoutBuilder(pages).build(ocr=ocr)
    return layout.model_copy(update={"blocks": layout.blocks + tuple(unplaced)}) if unplaced else layout


def _read_scan(path: Path, engine: str) -> Layout:
    from parsers.errors import unsupported_compression
    from parsers.ocr import OCR_HINT, ocr_available, ocr_pdf
    from parsers.textless import decrypted, has_scanned_page, nothing_to_read, unsupported_filter

    if (unsupported := unsupported_filter(path)) is not None:
        raise unsupported_compression(unsupported)  # its text may be in streams no engine can decode
    if not has_scanned_page(path):
        raise nothing_to_read()  # blank pages, drawings, small pictures: skipped, not a scan
    if not ocr_available():
        raise UnreadableFile(f"no text layer: a scanned PDF; OCR needed: {OCR_HINT}", ErrorCode.NEEDS_OCR)
    with tempfile.TemporaryDirectory(prefix="pecs-ocr-") as tmp:
        target = Path(tmp) / "ocr.pdf"
        ocr_pdf(decrypted(path, Path(tmp)), target)  # OCR refuses owner-password PDFs: decrypted first
        pages = load_pages(target, engine)
    if not any(page.words for page in pages):
        raise UnreadableFile(
            "a scanned page where OCR found no text (handwriting, or a poor scan?)", ErrorCode.OCR_FAILED
        )
    return _PdfLayoutBuilder(pages).build(ocr=True)


def _cell_line_groups(pages: list[Page], lines: list[list[Line]], splits: list[float | None]) -> list[list[Line]]:
    """The lines of each ruled table row, or of each borderless form page's answer column: where the
    form's own line spacing is measured (text outside the form may be set with another)."""
    groups = []
    for page, page_lines, split in zip(pages, lines, splits, strict=True):
        bands = row_bands(page.h_rules, page.v_rules, split if split is not None else page.width / 2)
        groups += [[ln for ln in page_lines if band.holds(ln)] for band in bands]
        if not bands and split is not None:
            answers = [split_line(ln, split)[1] for ln in page_lines if not crosses(ln, split)]
            groups.append([ln for ln in answers if ln is not None])
    return groups


def _outside_table_rows(notes: set[int], lines: list[Line], page: Page) -> set[int]:
    """Footnotes never sit in a table's row: a line between the rules of a framed row (a row the page
    break cuts open included) is the table's text, whatever its size or first word."""
    if not notes:
        return notes
    framed = [band for band in row_bands(page.h_rules, page.v_rules, page.width / 2) if band.framed]
    return {i for i in notes if not any(band.holds(lines[i]) for band in framed)}


class _PdfLayoutBuilder:
    def __init__(self, pages: list[Page]):
        self.pages = pages
        self.body_size = statistics.median(w.size for p in pages for w in p.words) or 10.0
        self.blocks: list[Block] = []
        self.table_count = 0
        self.warnings: list[str] = []
        self.left_edge: float | None = None
        self.last_body: dict[int | None, tuple[int, Line, float]] = {}  # per column: page, last line, right edge
        self.unplaced: list[Line] = []
        self.centred = False  # labels seen centred beside their answers on an earlier page

    def build(self, ocr: bool = False) -> Layout:
        lines = [group_lines(self._without_markers(page.words)) for page in self.pages]
        furniture = furniture_keys(lines, [p.height for p in self.pages])
        ruled = [(ln, page.h_rules, page.v_rules, page.width) for ln, page in zip(lines, self.pages, strict=True)]
        furniture |= repeated_header_rows(ruled)  # a table's header row printed again on each page
        splits = [
            find_split([ln for i, ln in enumerate(page_lines) if (n, i) not in furniture], page.width, page.v_rules)
            for n, (page, page_lines) in enumerate(zip(self.pages, lines, strict=True))
        ]
        found = Counter(round(s) for s in splits if s is not None)
        document_split = float(found.most_common(1)[0][0]) if found else None
        self.right_edges = right_edges(lines, splits, document_split)
        self.leading = usual_leading(_cell_line_groups(self.pages, lines, splits), self.body_size)
        starts = sorted(ln.x0 for page_lines in lines for ln in page_lines)
        self.left_edge = starts[int(0.03 * (len(starts) - 1))] if starts else None  # the left margin
        for n, (page, page_lines) in enumerate(zip(self.pages, lines, strict=True)):
            separator = footnote_separator(merge_rules(page.h_rules), page.width, page.height, page.v_rules)
            notes = _outside_table_rows(
                footnote_lines(page_lines, self.body_size, page.height, separator), page_lines, page
            )
            body = []
            for i, line in enumerate(page_lines):
                if (n, i) in furniture:
                    self._emit_paragraph([line], page, role="furniture")
                elif i in notes:
                    self._emit_paragraph([line], page, role="footnote")
                else:
                    body.append(line)
            split = splits[n] if splits[n] is not None else beside(body, document_split)
            if split is not None:
                self._form_page(body, page, split)
            elif any(band.framed for band in row_bands(page.h_rules, page.v_rules, page.width / 2)):
                self._form_page(body, page, page.width / 2, one_column=True)  # its rules still part rows
            else:
                self._free_text(body, page)
        return Layout(
            format="pdf", pages=len(self.pages), blocks=tuple(self.blocks), warnings=tuple(self.warnings), ocr=ocr
        )

    def _without_markers(self, words: list[Word]) -> list[Word]:
        kept: list[Word] = []
        for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
            previous = kept[-1] if kept else None
            if (
                previous
                and abs(previous.top - word.top) < previous.bottom - previous.top
                and is_footnote_marker(word, previous, self.body_size)
            ):
                continue
            kept.append(word)
        return kept

    # -- pages without a column split: paragraphs across the page -------------------------------
    def _free_text(self, lines: list[Line], page: Page) -> None:
        right = max([ln.x1 for ln in lines] + [self.right_edges.get(None, 0.0)])
        left = self.left_edge if self.left_edge is not None else min((ln.x0 for ln in lines), default=0.0)
        for paragraph in paragraphs(lines, right, left):
            self._emit_paragraph(paragraph, page, right_edge=right)

    # -- two-column form pages --------------------------------------------------------------------
    def _form_page(self, lines: list[Line], page: Page, split: float, one_column: bool = False) -> None:
        bands = row_bands(page.h_rules, page.v_rules, split)
        if not one_column:  # rows ruled only horizontally: their columns are told by the text
            bands = [with_text_split(band, [ln for ln in lines if band.holds(ln)], split) for band in bands]
        ruled = bool(bands)
        full_width: list[Line] = []
        cells: list[tuple[Line, Line | None, Line | None, Band | None]] = []
        for line in lines:
            band = next((b for b in bands if b.holds(line)), None)
            line_split = band.split if band and band.split is not None else split
            left, right = split_line(line, line_split)
            # the short last line of a paragraph that runs across the page is not a label
            tail_of_wide = (
                bool(full_width)
                and right is None
                and 0 <= line.top - full_width[-1].bottom < 0.55 * line.height
                and not (cells and cells[-1][0].top > full_width[-1].top)
            )
            in_framed_row = band is not None and band.framed and band.split is None
            if in_framed_row:  # a merged row or a one-column table's row keeps all its lines
                cells.append((line, left, right, band))
            elif crosses(line, line_split) or (ruled and band is None) or tail_of_wide:
                full_width.append(line)
            else:
                cells.append((line, left, right, band))
        if ruled:
            rows = self._ruled_rows(cells, bands)
        else:
            rows = []
            for own_split, run in columned_runs(lines):  # a second borderless table, its own columns
                if own_split > split - 6 or not any(crosses(ln, split) for ln in run):
                    continue  # the page's own table (an indented item's text is no column of its own)
                run_cells = [(ln, *split_line(ln, own_split), None) for ln in run]
                rows += self._borderless_rows(run_cells, own_split)
                full_width = [ln for ln in full_width if all(ln is not other for other in run)]
                cells = [c for c in cells if all(c[0] is not other for other in run)]
            rows += self._borderless_rows(cells, split)
        items: list[tuple[float, Line | tuple]] = [(ln.top, ln) for ln in full_width]
        items += [(row[0], row) for row in rows]
        table = self.table_count
        self.table_count += 1
        pending_lines: list[Line] = []
        row_index = 0
        for _, payload in sorted(items, key=lambda item: item[0]):
            if isinstance(payload, Line):  # text across the whole width, between rows
                pending_lines.append(payload)
                continue
            self._flush_free(pending_lines, page)
            pending_lines = []
            self._emit_row(payload, page, table, row_index)
            row_index += 1
        self._flush_free(pending_lines, page)
        if self.unplaced:  # an answer's start whose centred label is on the next page: no row of its own here
            self._emit_paragraph(self.unplaced, page, role="unplaced")
            self.unplaced = []

    def _flush_free(self, lines: list[Line], page: Page) -> None:
        if lines:
            self._free_text(lines, page)

    @staticmethod
    def _ruled_rows(cells, bands: list[Band]):
        rows: list[tuple] = []  # (top, labels, answers, merged, split[, columns, their right rules])
        for band in bands:
            inside = [c for c in cells if c[3] is band]
            if not inside:
                continue
            if len(band.inner) >= 2:  # three columns or more: each is a cell of its own (extract/ reads them)
                columns: list[list[Line]] = [[] for _ in range(len(band.inner) + 1)]
                for line, *_ in inside:
                    for column, part in zip(columns, split_columns(line, band.inner), strict=True):
                        column += [part] if part else []
                edges = [*band.inner, band.x1]
                rows.append(
                    (band.top, columns[0], [ln for c in columns[1:] for ln in c], False, band.split, columns, edges)
                )
            elif band.split is not None:
                labels, answers = [c[1] for c in inside if c[1]], [c[2] for c in inside if c[2]]
                rows.append((band.top, labels, answers, False, band.split))
            else:  # a merged row across the table (a heading such as 'Coordonnées'), or a one-column table
                lines = [c[0] for c in inside]
                padding = min(max(min(ln.x0 for ln in lines) - band.x0, 1.0), 10.0)  # the cell's, as on the left
                rows.append((band.top, lines, [], True, band.x1 - padding))
        return rows

    def _borderless_rows(self, cells, split: float):
        rights = [c[2] for c in cells if c[2]]
        right_edge = max([ln.x1 for ln in rights] + [self.right_edges.get(1, 0.0)])
        starts, previous = set(), None
        for line in rights:
            if starts_paragraph(previous, line, right_edge, leading=self.leading):
                starts.add(round(line.top))
            previous = line
        rows: list[tuple[float, list[Line], list[Line], bool, float]] = []
        previous_left: Line | None = None
        label_edge = max([c[1].x1 for c in cells if c[1]] + [self.right_edges.get(0, 0.0)])
        for _, left, right, _ in cells:
            if left is not None:
                gap = previous_left is None or left.top - previous_left.bottom > 0.8 * left.height
                aligned = right is not None and any(abs(t - left.top) <= 2 for t in starts)
                if aligned and not gap and previous_left and label_wraps_into(previous_left, left, label_edge):
                    aligned = False  # a wrapped label beside the answer's next paragraph: the same row
                if gap or aligned or not rows:
                    rows.append((left.top, [left], [], False, split))
                else:
                    rows[-1][1].append(left)
                previous_left = left
            if right is not None:
                if not rows:
                    rows.append((right.top, [], [], False, split))  # an answer continued from the previous page
                rows[-1][2].append(right)
        recentred, self.unplaced = recentred_rows(rows, 1 if self.centred else 2)
        self.centred = self.centred or recentred is not rows
        return recentred

    def _emit_row(self, row, page: Page, table: int, row_index: int) -> None:
        _, left, right, merged, split, *columned = row
        if columned:
            columns, edges = columned
            self._emit_columns(columns, edges, page, table, row_index)
            return
        left_edge = max([ln.x1 for ln in left] + [self.right_edges.get(0, 0.0)])
        right_edge = max([ln.x1 for ln in right] + [self.right_edges.get(1, 0.0)])
        if merged:
            edge = max([ln.x1 for ln in left] + [split])  # for a merged row: the cell's inner right edge
            for paragraph in paragraphs(left, edge, leading=self.leading):
                self._emit_paragraph(paragraph, page, cell=(table, row_index, 0, 2), right_edge=edge)
            return
        for paragraph in paragraphs(left, max(left_edge, split - 6), leading=self.leading):
            self._emit_paragraph(paragraph, page, cell=(table, row_index, 0, 1), right_edge=max(left_edge, split - 6))
        for paragraph in paragraphs(right, right_edge, leading=self.leading):
            self._emit_paragraph(paragraph, page, cell=(table, row_index, 1, 1), right_edge=right_edge)

    def _emit_columns(self, columns: list[list[Line]], edges: list[float], page: Page, table: int, row: int) -> None:
        """A row of three or more ruled columns: each column's paragraphs, in a cell of that column."""
        for column, (lines, rule) in enumerate(zip(columns, edges, strict=True)):
            edge = max([ln.x1 for ln in lines] + [rule - 6])  # the cell's padding inside its right rule
            for paragraph in paragraphs(lines, edge, leading=self.leading):
                self._emit_paragraph(paragraph, page, cell=(table, row, column, 1), right_edge=edge)

    def _emit_paragraph(
        self,
        lines: list[Line],
        page: Page,
        role: BlockRole = "body",
        cell: tuple[int, int, int, int] | None = None,
        right_edge: float = 0.0,
    ) -> None:
        text = join_lines(lines)
        if not text.strip():
            return
        column = cell[2] if cell else None
        continues = False
        if role == "body":
            last = self.last_body.get(column)
            if last and last[0] != page.number and not (column == 0 and cell and cell[3] == 1):  # not a label
                continues = continues_across_break(last[1], lines[0], max(last[2], last[1].x1))
            self.last_body[column] = (page.number, lines[-1], right_edge)
        bbox = (
            round(min(ln.x0 for ln in lines), 1),
            round(min(ln.top for ln in lines), 1),
            round(max(ln.x1 for ln in lines), 1),
            round(max(ln.bottom for ln in lines), 1),
        )
        size = statistics.median(ln.size for ln in lines)
        self.blocks.append(
            Block(
                kind="cell" if cell else "paragraph",
                text=text,
                page=page.number,
                bbox=bbox,
                table=cell[0] if cell else None,
                row=cell[1] if cell else None,
                column=cell[2] if cell else None,
                span=cell[3] if cell else 1,
                bold=all(ln.bold for ln in lines),
                heading=size > 1.25 * self.body_size,
                role=role,
                continues=continues,
            )
        )
