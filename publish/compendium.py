"""The compendium: reviewed records → one Word document a publications office can take as is.

Title page, an introduction when given, contents with page numbers (publish/paginate.py finds them),
then one part per priority area (or per submitter), each practice on its own page under a numbered
title and its submitter, in the questionnaire's own two-column table. Everything about the form (its
fields, labels, title field, contact block, priority codes and wording) comes from the records' spec.
It is built so that pecs-extract reads it back into the same records (the round-trip test): the
submitter stands right above its table, and every line of the compendium's own is known non-reply text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document as DocxDocument  # the type; docx.Document is its factory
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from duplicates.grouping import published, undecided
from extract.record import RecordBase
from publish.intro import add_intro
from publish.plan import CompendiumOptions, Part, Plan, Practice, plan_compendium
from publish.table import clean as _clean
from publish.table import practice_table
from publish.texts import compendium_texts, long_date
from records import fixed_zip, write_atomic

__all__ = ["CompendiumOptions", "blockers", "build_compendium", "save_compendium"]

TEXT_WIDTH = Cm(16.6)  # A4 less the margins: where the contents' page numbers stand
# Named, not left to the template's theme font (Calibri, absent from a Linux machine, so LibreOffice picked
# a stand-in): DejaVu Sans has every glyph replies use (œ, ’, —, « », narrow no-break space, Cyrillic,
# Greek, Arabic), and CI installs it (fonts-dejavu-core).
FONT = "DejaVu Sans"
CROSS_REFERENCE = "Cross reference"


def build_compendium(
    records: list[RecordBase], options: CompendiumOptions, pages: dict[str, int] | None = None
) -> DocxDocument:
    """The document; `pages` (anchor → page number) fills in the contents, else they show no numbers."""
    plan = plan_compendium(published(records), options)  # each duplicate group once
    return render_plan(plan, options, pages)


def render_plan(plan: Plan, options: CompendiumOptions, pages: dict[str, int] | None = None) -> DocxDocument:
    text = compendium_texts(plan.form, plan.lang)
    document = docx.Document()
    _setup(document, text, options, plan.lang)
    _title_page(document, text, options, len(plan.practices))
    if options.intro:
        add_intro(document, options.intro, text["introduction"])
    _contents(document, text, plan, pages or {})
    for part in plan.parts:
        _part(document, part, options, text, plan, pages or {})
    return document


def save_compendium(document: DocxDocument, target: Path) -> None:
    """Save with fixed zip timestamps: the same records give the same bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(target, fixed_zip(buffer.getvalue(), (2020, 1, 1, 0, 0, 0)))


# -- pieces ---------------------------------------------------------------------------------------


def _setup(document, text: dict, options: CompendiumOptions, lang: str) -> None:
    properties = document.core_properties
    properties.title, properties.author = _clean(options.title or text["title"]), "pecs-extract"
    properties.language = lang
    properties.created = properties.modified = dt.datetime(2020, 1, 1)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.widow_control = True  # no line of a paragraph left alone at a page's foot or head
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        _font(document.styles[name], FONT)
    _bullet(document)
    for level in (1, 2, 3):  # contents entry styles, which the reader knows as navigation
        style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.left_indent = Cm(0.7 * (level - 1))
        # titles wrap short of the page numbers' column: a title filling its line still gets its dot leader
        style.paragraph_format.right_indent = Cm(1.2)
        style.paragraph_format.space_after = Pt(2 if level == 3 else 4)
        style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        style.font.bold = level == 1
    # a part's cross references: contents lines (read back as navigation, like the contents) at the margin
    reference = document.styles.add_style(CROSS_REFERENCE, WD_STYLE_TYPE.PARAGRAPH)
    reference.base_style = document.styles["toc 3"]
    reference.paragraph_format.left_indent = reference.paragraph_format.right_indent = Cm(0)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.different_first_page_header_footer = True  # the title page stands bare
    section.header.paragraphs[0].text = text["running_header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _font(style, name: str) -> None:
    """Every script of the style in `name`: the theme's font attributes would override a plain name."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), name)


def _bullet(document) -> None:
    """List Bullet's bullet as '•' in our font: the template's is Symbol's private-use U+F0B7, drawn by a
    stand-in font and copied out of the PDF as a character no reader knows."""
    path = f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"
    num_id = document.styles["List Bullet"].element.find(path).get(qn("w:val"))
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iterfind(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iterfind(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    level = next(lvl for lvl in abstract.iterfind(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == "0")
    level.find(qn("w:lvlText")).set(qn("w:val"), "•")
    for fonts in level.iterfind(f"{qn('w:rPr')}/{qn('w:rFonts')}"):
        for script in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{script}"), FONT)


def _title_page(document, text: dict, options: CompendiumOptions, count: int) -> None:
    for _ in range(6):
        document.add_paragraph()
    title = document.add_paragraph(_clean(options.title or text["title"]), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date = options.date or (long_date(options.compiled, text) if options.compiled else None)
    lines = [options.subtitle or text["platform"], date, f"{text['count_intro']} {count}."]
    for line in filter(None, lines):
        paragraph = document.add_paragraph(_clean(line))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _contents(document, text: dict, plan: Plan, pages: dict[str, int]) -> None:
    """Parts, submitters and practice titles, each with its page (the TOC is ours, not a Word field
    that LibreOffice would leave empty) and a link to its place."""
    document.add_paragraph(text["contents"], style="Heading 1").paragraph_format.page_break_before = True
    for entry in plan.contents:
        _entry(document, f"toc {entry.level}", entry.text, entry.anchor, pages)


def _entry(document, style: str, text: str, anchor: str, pages: dict[str, int]) -> None:
    """A line of the contents or of a part's cross references: text, dot leader, page, linked to its place."""
    paragraph = document.add_paragraph(style=style)
    link = parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="{anchor}" w:history="1"/>')
    paragraph._p.append(link)
    page = pages.get(anchor)
    # no page known (no layout): no dot leader either, which would run to nothing
    run = paragraph.add_run(_clean(text) + (f"\t{page}" if page else ""))
    link.append(run._r)


def _part(document, part: Part, options: CompendiumOptions, text: dict, plan: Plan, pages: dict[str, int]) -> None:
    if part.title is not None:  # a form without parts has one run of practices and no heading
        heading = document.add_heading(_clean(part.title), level=1)
        heading.paragraph_format.page_break_before = True
        _bookmark(heading, part.anchor, part.index)
    if part.see_also:
        # the area's practices printed in an earlier part: one line each, with its page, as in the contents
        lead = document.add_paragraph(text["see_also"])
        lead.paragraph_format.keep_with_next = True
        for practice, _ in part.see_also:
            line = f"{practice.title(plan.lang)} – {practice.record.submitter or text['no_submitter']}"
            _entry(document, CROSS_REFERENCE, line, practice.anchor, pages)
        document.paragraphs[-1].paragraph_format.space_after = Pt(18)
    for position, practice in enumerate(part.practices):
        # the first shares the part's page
        _practice(document, practice, options, text, plan, new_page=position > 0 or part.title is None)


def _practice(document, practice: Practice, options: CompendiumOptions, text: dict, plan: Plan, new_page: bool) -> None:
    record = practice.record
    first = None
    if record.needs_review:  # only there with --include-unreviewed: say so where the reader sees it
        first = document.add_paragraph()
        run = first.add_run(text["not_reviewed"])
        run.bold, run.font.color.rgb = True, RGBColor(0xB3, 0x26, 0x1E)
        first.paragraph_format.keep_with_next = True  # on the practice's page, never alone at a page's foot
    title = document.add_heading(_clean(practice.title(plan.lang)), level=2)
    (first or title).paragraph_format.page_break_before = new_page
    _bookmark(title, practice.anchor, 1000 + practice.number)
    # the submitter stands right above the table: reading the compendium back finds it there
    document.add_heading(_clean(record.submitter or text["no_submitter"]), level=3)
    practice_table(document, record, plan, text, options.personal_data)


def _bookmark(paragraph, name: str, number: int) -> None:
    """A named place the contents link to (Word's 'Go to', the PDF's internal links)."""
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>')
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def blockers(records: Iterable[RecordBase]) -> list[str]:
    """Why the compendium cannot be published yet: one line per record that still needs review."""
    found = []
    for record in published(list(records)):  # a copy that is not printed holds nothing up
        if record.needs_review:
            waiting = [f"{key} ({', '.join(field.flags)})" for key, field in record.flagged()]
            if undecided(record):  # a group of copies that differ: which one is published is for a person
                group = record.duplicate_group
                waiting.append(f"duplicate group {group.id}: choose the copy to publish")  # type: ignore[union-attr]
            found.append(f"{record.record_id}: {', '.join(waiting)}")
    return found
