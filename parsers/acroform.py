"""Fillable PDF forms (AcroForm): the answers typed into form fields, placed on the page as words.

A filled form keeps its answers in the fields' values, not in the page's text, so neither PDF engine
sees them. This module reads the values with pdfminer's own objects (installed with pdfplumber, and
independent of the engine chosen), and lays each one out in its widget's box as a viewer shows it:
wrapped to the box's width, shrunk to fit its height, one paragraph per line typed. The shared
geometry then reads a filled form as it reads a typed one. Check boxes and radio buttons become the
marks drawn check boxes give (☒ ticked, ☐ not), beside the option's printed label.

A value that cannot be put on a page (its widget is hidden, has no page or no box, or the text
cannot shrink to fit) is returned apart, so the record can show it for review, never dropped.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, replace

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from parsers.layout import Block
from parsers.pdf_geometry import Word

PADDING = 2.0  # a viewer's inset between a field's border and its text
DEFAULT_SIZE = 10.0  # a field whose font size is 0 ("auto") starts at this size
MIN_SIZE = 6.0  # an "auto" size in a low box: no smaller, so lines stay apart
MAX_SQUEEZE = 60.0  # an answer set this much narrower than its box does not fit it
LINE_PITCH = 1.15  # of the font size, from one line to the next
PARAGRAPH_GAP = 0.8  # of the font size: a gap the geometry reads as a new paragraph (a line typed)
_HIDDEN = 2 | 32  # annotation flags Hidden and NoView
_MULTISELECT, _PASSWORD, _RADIO, _PUSHBUTTON = 1 << 21, 1 << 13, 1 << 15, 1 << 16
_WIDTHS = FONT_METRICS["Helvetica"][1]
_SIZE = re.compile(rb"(\d+(?:\.\d+)?)\s+Tf")
# struct.error: pdfminer packs an out-of-range permission value of some encrypted files
PARSE_ERRORS = (PDFException, PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, struct.error)
MAX_FIELDS = 5000  # a form tree larger than this is not a questionnaire; stop walking it


@dataclass(frozen=True)
class FormValue:
    """One widget's value: text for text and choice fields, '☒'/'☐' for check boxes and radio buttons."""

    name: str
    text: str
    page: int | None  # 1-based; None when the widget is on no page
    rect: tuple[float, float, float, float] | None  # (x0, top, x1, bottom), top-left origin
    size: float  # the font size the form asks for (0: auto)
    mark: bool  # a check box or radio button
    hidden: bool = False


def read_form_values(path) -> list[FormValue]:
    """Every widget of the form with something to show, in the form's own order; [] for a PDF
    without a form. Raises pdfminer's errors on a PDF it cannot parse."""
    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        form = resolve1(document.catalog.get("AcroForm"))
        if not isinstance(form, dict):
            return []
        pages = _page_boxes(document)
        values: list[FormValue] = []
        seen: set[int] = set()
        for field in _list(form.get("Fields")):
            _walk(field, {}, "", pages, values, seen)
        return values


def _page_boxes(document) -> dict:
    """Per page object id: (page number, mediabox, rotation), and per widget id: page number."""
    boxes: dict = {"widgets": {}}
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        boxes[page.pageid] = (number, page.mediabox, (page.rotate or 0) % 360)
        for annotation in _list(page.annots):
            if isinstance(annotation, PDFObjRef):
                boxes["widgets"][annotation.objid] = page.pageid
    return boxes


def _list(value) -> list:
    value = resolve1(value)
    return value if isinstance(value, list) else []


def _walk(reference, inherited: dict, prefix: str, pages: dict, out: list[FormValue], seen: set[int]) -> None:
    """Fields form a tree; type, value, flags and font are inherited from the parent field."""
    key = reference.objid if isinstance(reference, PDFObjRef) else id(reference)
    node = resolve1(reference)
    if key in seen or not isinstance(node, dict) or len(seen) > MAX_FIELDS:
        return  # a loop in the tree, or a tree too large to be a questionnaire
    seen.add(key)
    own = {name: node[name] for name in ("FT", "V", "Ff", "DA", "Opt") if name in node}
    attributes = {**inherited, **own}
    title = _text(node.get("T")) if "T" in node else ""
    name = f"{prefix}.{title}" if prefix and title else prefix or title
    kids = _list(node.get("Kids"))
    for kid in kids:
        _walk(kid, attributes, name, pages, out, seen)
    if "Rect" in node or not kids:
        value = _widget_value(node, attributes)
        if value is not None:
            out.append(_placed(reference, node, name, value, attributes, pages))


def _widget_value(widget: dict, field: dict) -> tuple[str, bool] | None:
    """(text, is a mark) that this widget shows, or None when it shows nothing worth reading."""
    kind = _name(field.get("FT"))
    flags = _int(field.get("Ff"))
    if kind == "Btn":
        if flags & _PUSHBUTTON:
            return None
        return ("☒" if _ticked(widget, field) else "☐"), True
    if kind == "Tx" and not flags & _PASSWORD:
        text = _text(field.get("V"))
        return (text, False) if text.strip() else None
    if kind == "Ch":
        chosen = resolve1(field.get("V"))
        chosen = chosen if isinstance(chosen, list) else [chosen]
        labels = _choice_labels(field.get("Opt"))
        text = "\n".join(labels.get(_text(c), _text(c)) for c in chosen if c is not None)
        return (text, False) if text.strip() else None
    return None  # signatures, and fields of no known type


def _ticked(widget: dict, field: dict) -> bool:
    """A check box or radio button is ticked when its appearance state is not Off; without one, when
    the field's value names one of this widget's 'on' appearances."""
    state = widget.get("AS")
    if state is not None:
        return _name(state) not in ("Off", "")
    value = _name(field.get("V"))
    appearances = resolve1(resolve1(widget.get("AP") or {}).get("N")) if widget.get("AP") else None
    if isinstance(appearances, dict):
        return value in {_name(k) for k in appearances} and value != "Off"
    return value not in ("Off", "")


def _choice_labels(options) -> dict[str, str]:
    """A choice's export value → the text the list shows (options may be [export, shown] pairs)."""
    labels = {}
    for option in _list(options):
        option = resolve1(option)
        if isinstance(option, list) and len(option) == 2:
            labels[_text(option[0])] = _text(option[1])
    return labels


def _placed(reference, widget: dict, name: str, value: tuple[str, bool], field: dict, pages: dict) -> FormValue:
    text, mark = value
    size = _font_size(field.get("DA"))
    hidden = bool(_int(widget.get("F")) & _HIDDEN)
    page_id = _page_of(reference, widget, pages)
    if page_id is None:
        return FormValue(name, text, None, None, size, mark, hidden)
    number, mediabox, rotation = pages[page_id]
    rect = _list(widget.get("Rect"))
    if len(rect) != 4 or not all(isinstance(resolve1(v), int | float) for v in rect):
        return FormValue(name, text, number, None, size, mark, hidden)
    return FormValue(name, text, number, _display_box(rect, mediabox, rotation), size, mark, hidden)


def _page_of(reference, widget: dict, pages: dict):
    parent = widget.get("P")
    if isinstance(parent, PDFObjRef) and parent.objid in pages:
        return parent.objid
    if isinstance(reference, PDFObjRef):
        return pages["widgets"].get(reference.objid)
    return None


def _display_box(rect: list, mediabox, rotation: int) -> tuple[float, float, float, float]:
    """PDF user space (origin bottom-left) → the page as shown (origin top-left, pages turned by /Rotate)."""
    left, bottom, right, top = (float(resolve1(v)) for v in rect)
    left, right = sorted((left, right))
    bottom, top = sorted((bottom, top))
    mx0, my0, mx1, my1 = (float(v) for v in mediabox)
    corners = [(left, bottom), (right, top)]
    if rotation == 90:
        shown = [(y - my0, x - mx0) for x, y in corners]
    elif rotation == 180:
        shown = [(mx1 - x, y - my0) for x, y in corners]
    elif rotation == 270:
        shown = [(my1 - y, mx1 - x) for x, y in corners]
    else:
        shown = [(x - mx0, my1 - y) for x, y in corners]
    xs, ys = sorted(p[0] for p in shown), sorted(p[1] for p in shown)
    return (xs[0], ys[0], xs[1], ys[1])


def _font_size(appearance) -> float:
    found = _SIZE.findall(appearance) if isinstance(appearance, bytes) else []
    return float(found[-1]) if found else 0.0


def _text(value) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith(b"\xef\xbb\xbf"):  # PDF 2.0 allows UTF-8 text strings
            return value[3:].decode("utf-8", "replace")
        return decode_text(value)
    if isinstance(value, PSLiteral):
        return _name(value)
    return "" if value is None else str(value)


def _name(value) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return _text(value) if isinstance(value, bytes) else ""


def _int(value) -> int:
    value = resolve1(value)
    return value if isinstance(value, int) else 0


# -- laying values out as words ----------------------------------------------------------------------


def place_values(values: list[FormValue], pages: list) -> tuple[list, list[FormValue]]:
    """Pages (with `number`, `width`, `height`, `words`) with each value's words added in its widget's
    box, and the values that could not be placed."""
    by_page: dict[int, list[Word]] = {}
    unplaced: list[FormValue] = []
    sizes = {page.number: (page.width, page.height) for page in pages}
    for value in values:
        page_number, rect = value.page, value.rect
        if value.hidden or page_number not in sizes or rect is None or not _on_page(rect, sizes[page_number]):
            if value.text.strip() and not (value.mark and value.text == "☐"):
                unplaced.append(value)  # an unticked box that cannot be placed says nothing
            continue
        words = _mark_word(value.text, rect) if value.mark else _text_words(value.text, rect, value.size)
        if words is None or page_number is None:
            unplaced.append(value)
            continue
        by_page.setdefault(page_number, []).extend(words)
    placed = []
    for page in pages:
        added = by_page.get(page.number)
        if added:
            kept = [w for w in page.words if not _drawn_box_under(w, added)]
            page = replace(page, words=kept + added)
        placed.append(page)
    return placed, unplaced


def _on_page(rect, size) -> bool:
    x0, top, x1, bottom = rect
    width, height = size
    return x1 - x0 > 1 and bottom - top > 1 and x0 < width and x1 > 0 and top < height and bottom > 0


def _drawn_box_under(word: Word, added: list[Word]) -> bool:
    """A check box drawn in the page under a check-box widget: the widget's own state wins."""
    if word.text not in ("☐", "☒"):
        return False
    return any(
        a.text in ("☐", "☒") and abs(a.x0 - word.x0) < 3 and abs(a.top - word.top) < 3 and abs(a.x1 - word.x1) < 3
        for a in added
    )


def _mark_word(mark: str, rect: tuple[float, float, float, float]) -> list[Word]:
    x0, top, x1, bottom = rect
    return [Word(mark, x0, top, x1, bottom, bottom - top, False)]


def _text_words(text: str, rect: tuple[float, float, float, float], form_size: float) -> list[Word] | None:
    """The value wrapped into its box as a viewer shows it. An answer longer than its box (a viewer
    scrolls) is set smaller, down to MIN_SIZE (so its lines are never merged with a label's line), then
    narrower. None when even that cannot fit."""
    x0, top, x1, bottom = rect
    width = max(x1 - x0 - 2 * PADDING, 1.0)
    room = bottom - top - 2 * PADDING
    size = max(form_size or min(DEFAULT_SIZE, room / LINE_PITCH), MIN_SIZE)
    paragraphs = [" ".join(line.split()) for line in re.split(r"\r\n|\r|\n", text)]
    while len(paragraphs) * size * LINE_PITCH > room and size > MIN_SIZE:
        size = max(MIN_SIZE, size * 0.9)
    height = max(room, size * LINE_PITCH)  # one line always fits
    total = sum(_width(paragraph, size) for paragraph in paragraphs)
    squeeze = max(1.0, total / (width * max(1.0, height // (size * LINE_PITCH))))
    while True:
        lines = _layout_lines(paragraphs, width * squeeze, size)
        if lines[-1][0] + size * LINE_PITCH <= height + 0.5:
            break
        if squeeze >= MAX_SQUEEZE:
            return None
        squeeze *= 1.1
    words: list[Word] = []
    for offset, line in lines:
        x, y = x0 + PADDING, top + PADDING + offset
        for word in line.split(" "):
            if word:
                right = x + _width(word, size) / squeeze
                words.append(Word(word, x, y, right, y + size, size, False))
                x = right + _width(" ", size) / squeeze
    return words


def _layout_lines(paragraphs: list[str], width: float, size: float) -> list[tuple[float, str]]:
    """(offset from the box's top, text) of each line. A typed line break after a line that a reader
    could take for a wrapped one (the next word would not have fitted) gets a paragraph's gap."""
    lines: list[tuple[float, str]] = []
    y = 0.0
    for index, paragraph in enumerate(paragraphs):
        wrapped = _wrap(paragraph, width, size)
        if index and lines:
            previous = lines[-1][1]
            first = wrapped[0].split(" ")[0] if wrapped[0] else ""
            if _width(previous, size) + 0.35 * size + _width(first, size) >= width - 2 * size:
                y += size * PARAGRAPH_GAP
        for line in wrapped:
            lines.append((y, line))
            y += size * LINE_PITCH
    return lines


def _wrap(paragraph: str, width: float, size: float) -> list[str]:
    """Greedy line breaking at spaces; a word longer than the line is cut where it must be."""
    lines: list[str] = []
    current = ""
    for word in paragraph.split(" "):
        while _width(word, size) > width and len(word) > 1:
            cut = max(1, int(len(word) * width / _width(word, size)))
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return [line for line in lines if line] or [""]


def _width(text: str, size: float) -> float:
    return sum(_WIDTHS.get(char, 556) for char in text) * size / 1000


def add_form_values(path, pages: list) -> tuple[list, list]:
    """The pages with the form's values placed on them, and a block for each value that could not be
    placed (role 'unplaced': extraction shows it beside the record for review)."""
    if not _may_have_form(path):
        return pages, []
    try:
        values = read_form_values(path)
    except (*PARSE_ERRORS, RecursionError):
        values = None
    if values is None:
        # pdfminer cannot parse the file (the engine that read the pages decides what it is); only a file
        # that declares a form may have lost answers there, and its record must say so
        if not _declares_form(path):
            return pages, []
        notice = "the answers of this fillable PDF's form fields could not be read: check them in the file"
        return pages, [Block(kind="paragraph", text=notice, role="unplaced")]
    placed, unplaced = place_values(values, pages)
    return placed, [Block(kind="paragraph", text=_shown(v), page=v.page, role="unplaced") for v in unplaced]


def _shown(value: FormValue) -> str:
    return f"{value.name}: {value.text}" if value.name else value.text


def _declares_form(path) -> bool:
    with open(path, "rb") as handle:
        return b"/AcroForm" in handle.read(64 * 1024 * 1024)


def _may_have_form(path) -> bool:
    """PDFium's quick word on a form: pdfminer, which can loop for hours on a crafted cross-reference
    table, parses only files with one (or that PDFium cannot open: the reference engine parses those)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return True
    try:
        return bool(raw.FPDF_GetFormType(document.raw) != raw.FORMTYPE_NONE)
    finally:
        document.close()
