"""The compendium: reviewed records → one Word document a publications office can take as is.

Title page, a table of contents field, one part per priority area (or per submitter), each practice
under its submitter heading in the questionnaire's own two-column table. It is built so that
pecs-extract reads it back into the same records (the round-trip test): the submitter heading
stands right above its table, and every line of the compendium's own is known non-reply text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from duplicates.grouping import published
from extract.record import CONTACT_KEYS, FIELD_KEYS, Record
from normalise import strip_control_chars
from publish.texts import CODES, TEXTS, form_labels
from records import fixed_zip, write_atomic

PERSONAL = ("name", "email", "phone")


@dataclass(frozen=True)
class CompendiumOptions:
    group_by: Literal["priority", "submitter"] = "priority"
    lang: str = "fr"  # one of the languages the spec has compendium texts in (publish/texts.py TEXTS)
    include_unreviewed: bool = False
    personal_data: bool = True


@dataclass(frozen=True)
class Part:
    title: str
    practices: list[Record]
    see_also: list[tuple[Record, str]]  # practices of this area printed in another part, and that part


def plan_parts(records: list[Record], options: CompendiumOptions) -> list[Part]:
    """Which practice goes where: its first priority area (I, II, III, then other areas), or its submitter."""
    text = TEXTS[options.lang]
    ordered = sorted(records, key=lambda r: (r.submitter or "", r.source.path, r.source.practice_index))
    if options.group_by == "submitter":
        submitters = sorted({r.submitter or text["no_submitter"] for r in ordered})
        return [Part(s, [r for r in ordered if (r.submitter or text["no_submitter"]) == s], []) for s in submitters]
    parts = []
    for code in (*CODES, None):  # the form's priority codes in its order, then the areas of no code
        title = text["parts"][code or "other"]
        home = [r for r in ordered if (r.priority_areas[0] if r.priority_areas else None) == code]
        listed = (
            [(r, text["parts"][r.priority_areas[0]]) for r in ordered if code in r.priority_areas[1:]] if code else []
        )
        if home or listed:
            parts.append(Part(title, home, listed))
    return parts


def build_compendium(records: list[Record], options: CompendiumOptions) -> docx.Document:
    text = TEXTS[options.lang]
    records = published(records)  # each duplicate group once
    document = docx.Document()
    _setup(document, text)
    parts = plan_parts(records, options)
    _title_page(document, text, len(records))
    _contents(document, text, parts, options)
    for part in parts:
        _page_break(document)
        heading_level = 1 if options.group_by == "priority" else None
        if heading_level:
            document.add_heading(_clean(part.title), level=1)
        previous_submitter = object()
        for record in part.practices:
            submitter = record.submitter
            if record.needs_review:  # only there with --include-unreviewed: say so where the reader sees it
                # above the heading: a reader of the compendium must find the heading right above the table
                mark = document.add_paragraph()
                run = mark.add_run(text["not_reviewed"])
                run.bold, run.font.color.rgb = True, RGBColor(0xB3, 0x26, 0x1E)
            if options.group_by == "submitter":
                document.add_heading(_clean(submitter or text["no_submitter"]), level=1)
            elif submitter != previous_submitter or record.needs_review:
                document.add_heading(_clean(submitter or text["no_submitter"]), level=2)
            previous_submitter = submitter
            _practice(document, record, options)
        for record, home in part.see_also:
            name = record.fields.practice_name.value or record.record_id
            document.add_paragraph(_clean(f"{text['see_also']} « {name} » ({record.submitter or '—'}), {home}."))
    return document


def save_compendium(document: docx.Document, target: Path) -> None:
    """Save with fixed zip timestamps: the same records give the same bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(target, fixed_zip(buffer.getvalue(), (2020, 1, 1, 0, 0, 0)))


# -- pieces ---------------------------------------------------------------------------------------


def _setup(document, text: dict) -> None:
    properties = document.core_properties
    properties.title, properties.author = text["title"], "pecs-extract"
    properties.created = properties.modified = dt.datetime(2020, 1, 1)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    for level in (1, 2):  # table-of-contents entry styles, which the reader knows as navigation
        if f"toc {level}" not in [s.name for s in document.styles]:
            style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    section.header.paragraphs[0].text = text["running_header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    document.settings.element.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def _title_page(document, text: dict, count: int) -> None:
    for _ in range(6):
        document.add_paragraph()
    title = document.add_paragraph(text["title"], style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(text["platform"])
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    summary = document.add_paragraph(f"{text['count_intro']} {count}.")
    summary.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _contents(document, text: dict, parts: list[Part], options: CompendiumOptions) -> None:
    """A TOC field of parts and submitters: Word fills it in, with page numbers, on opening. Until
    then (and in the PDF, which LibreOffice does not refresh) its cached entries list the parts."""
    _page_break(document)
    document.add_paragraph(text["contents"], style="Heading 1")
    # Submitters are left to Word's refresh: as bare lines before the first practice, a reader of the
    # PDF could not tell them from a reply's own text.
    entries = [(1, part.title) for part in parts] if options.group_by == "priority" else []
    first = document.add_paragraph(style="toc 1")
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
    ):
        first._p.append(parse_xml(xml.format(ns=nsdecls("w"))))
    paragraph = first
    if not entries:
        first.add_run(text["contents"])
    for index, (level, title) in enumerate(entries):
        if index:
            paragraph = document.add_paragraph(style=f"toc {level}")
        paragraph.style = document.styles[f"toc {level}"]
        paragraph.add_run(_clean(title))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def _practice(document, record: Record, options: CompendiumOptions) -> None:
    labels = form_labels(options.lang)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for key in FIELD_KEYS:
        _row(table, labels[key], getattr(record.fields, key).value)
    heading = table.add_row()
    merged = heading.cells[0].merge(heading.cells[1])
    merged.paragraphs[0].add_run(labels["contact"]).bold = True
    for key in CONTACT_KEYS:
        if options.personal_data or key not in PERSONAL:
            _row(table, labels[f"contact.{key}"], getattr(record.contact, key).value)
    for row in table.rows:
        if len({id(c._tc) for c in row.cells}) == 2:
            row.cells[0].width, row.cells[1].width = Cm(5.2), Cm(11.4)
    document.add_paragraph()


def _row(table, label: str, value: str | None) -> None:
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(label).bold = True
    lines = _clean(value).split("\n") if value else []
    for index, line in enumerate(lines):
        paragraph = row.cells[1].paragraphs[0] if index == 0 else row.cells[1].add_paragraph()
        paragraph.add_run(line)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _clean(text: str | None) -> str:
    """Only characters a Word document can hold."""
    return strip_control_chars(text or "").replace("\t", " ")


def blockers(records: Iterable[Record]) -> list[str]:
    """Why the compendium cannot be published yet: one line per record that still needs review."""
    found = []
    for record in published(list(records)):  # a copy that is not printed holds nothing up
        if record.needs_review:
            fields = ", ".join(f"{key} ({', '.join(field.flags)})" for key, field in record.flagged())
            found.append(f"{record.record_id}: {fields}")
    return found
