"""A practice's two-column table in the compendium: the form's labels (typographic, in the compendium's
language) beside the answers, as a reader of a printed book expects them.

- A row never splits across pages (Word and LibreOffice both honour `cantSplit`): a two-line answer cut
  by a page break reads as two answers. An answer taller than a page cannot stay whole, so it is cut
  here, between its paragraphs, into rows that each fit on a page; each continuation row carries the
  label and the language's "(continued)", so a reader who turns the page knows whose answer it is.
- A question or contact line with no answer is left out (the record keeps the gap; the exports show
  it): a blank cell reads like lost text, and "not given" twenty times over is noise. The contact
  heading goes when its whole block is empty.
- "- " lines of an answer become list items (the List Bullet style: a real bullet, hanging indent),
  which pecs-extract reads back as the same "- " lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import ceil

from docx.oxml import OxmlElement
from docx.shared import Cm, RGBColor

from extract.record import RecordBase
from normalise import strip_control_chars
from publish.texts import typographic

LABEL_WIDTH, ANSWER_WIDTH = Cm(5.2), Cm(11.4)
# How much one row may hold and still fit on a page, in lines of the answer column (10 pt type, a
# paragraph's spacing counted as half a line); measured on the rendered PDF: a page holds about 56.
CHARS_PER_LINE = 58
PAGE_LINES = 44
CHUNK_LINES = 22  # an answer taller than a page goes in half-page rows: a page break costs at most half a page
GREY = RGBColor(0x59, 0x59, 0x59)


def practice_table(document, record: RecordBase, plan, texts: dict, personal_data: bool) -> None:
    """The form's labels in the compendium's language, in the form's order; the contact block under its
    heading row; `personal` contact fields only with personal data; empty answers left out."""
    rows: list[tuple[str, str, str]] = []  # (label, answer, section); a heading's answer is None
    heading: str | None = None
    for spec in plan.form.fields:
        label = typographic(spec.labels[plan.lang][0], texts)
        if spec.heading:
            heading = label
            continue
        if spec.personal and not personal_data:
            continue
        value = getattr(record.fields if spec.section == "practice" else record.contact, spec.key).value
        if not clean(value).strip():
            continue
        if heading is not None and spec.section == "contact":  # the heading only above a block that has rows
            rows.append((heading, "", "heading"))
            heading = None
        rows.append((label, clean(value), spec.section))
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    # the grid's widths, not only the cells': LibreOffice lays a table out by its grid (else two halves)
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, ANSWER_WIDTH
    for index, (label, value, section) in enumerate(rows):
        # the contact block is a few short lines: kept on one page, under its heading
        keep = section != "practice" and index + 1 < len(rows)
        if section == "heading":
            _heading_row(table, label)
            continue
        paragraphs = value.split("\n")
        chunks = list(_chunks(paragraphs)) if _lines(paragraphs) > PAGE_LINES else [paragraphs]
        for number, chunk in enumerate(chunks):
            _answer_row(table, label, chunk, texts["continued"] if number else None, keep)


def clean(text: str | None) -> str:
    """Only characters a Word document can hold."""
    return strip_control_chars(text or "").replace("\t", " ")


def _heading_row(table, label: str) -> None:
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[1])
    paragraph = merged.paragraphs[0]
    paragraph.add_run(label).bold = True
    paragraph.paragraph_format.keep_with_next = True  # never alone at a page's foot
    _keep_whole(row)


def _answer_row(table, label: str, lines: list[str], continued: str | None, keep_with_next: bool) -> None:
    row = table.add_row()
    row.cells[0].width, row.cells[1].width = LABEL_WIDTH, ANSWER_WIDTH
    label_paragraph = row.cells[0].paragraphs[0]
    if continued:  # "(suite)": the answer of the row above goes on (read back as such: extract/catalogue.py)
        run = label_paragraph.add_run(continued)
        run.italic, run.font.color.rgb = True, GREY
    else:
        label_paragraph.add_run(label).bold = True
    for index, line in enumerate(lines):
        item = line[2:].strip() if line.startswith("- ") else None
        cell = row.cells[1]
        if index == 0:
            paragraph = cell.paragraphs[0]
            if item is not None:
                paragraph.style = "List Bullet"
        else:
            paragraph = cell.add_paragraph(style="List Bullet" if item is not None else None)
        paragraph.add_run(item if item is not None else line)
    if _lines(lines) <= PAGE_LINES:  # taller than a page: it must split, and LibreOffice would clip it
        _keep_whole(row)
    if keep_with_next:  # Word and LibreOffice keep a row whose every paragraph says so with the next row
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _keep_whole(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:cantSplit"))


def _lines(paragraphs: list[str]) -> float:
    """The height of an answer in lines of its column (a paragraph's spacing counts half a line)."""
    return sum(max(1, ceil(len(text) / CHARS_PER_LINE)) + 0.5 for text in paragraphs)


def _chunks(paragraphs: list[str]) -> Iterator[list[str]]:
    """The answer's paragraphs in runs of half a page; one paragraph taller than a page stays whole."""
    chunk: list[str] = []
    for paragraph in paragraphs:
        if chunk and _lines([*chunk, paragraph]) > CHUNK_LINES:
            yield chunk
            chunk = []
        chunk.append(paragraph)
    yield chunk
