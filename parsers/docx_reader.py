"""Word (.docx) reader: walks the body XML in document order and yields the neutral layout.

python-docx alone reads only direct paragraphs and tables, and `Paragraph.text` only plain runs
and hyperlinks; real replies put answers in content controls, tracked insertions, legacy form
fields, text boxes and nested tables. So we open the package with python-docx and walk its XML.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from parsers.docx_styles import StyleTraits, numbering, on_off, resolve_styles, w
from parsers.errors import ErrorCode, UnreadableFile, raised_inside, recursion_failure, xml_failure
from parsers.layout import Block, Layout, SourceFormat
from parsers.strict_ooxml import as_transitional, is_strict

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
M_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"

# Symbol/Wingdings private-use code points used as bullets by Word; folded to a plain bullet.
SYMBOL_BULLETS = {"F0B7", "F0A7", "F076", "F0D8", "F0FC", "F0A8", "F06E", "F0E8", "F02D", "F0B2"}

# Elements whose content is never part of the visible text (deletions, instructions, properties).
SKIPPED = {
    w(t)
    for t in (
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "pPr",
        "rPr",
        "sdtPr",
        "sdtEndPr",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "proofErr",
    )
}
SKIPPED.add(MC_FALLBACK)  # the fallback repeats the mc:Choice content

# A tab separates words however it is written: a tab (w:tab, in a run or, from some converters, loose
# in the paragraph), an absolute-position tab (w:ptab), a tab character in the text. The tab stops in
# w:pPr/w:tabs are settings, not text, and are skipped with w:pPr.
TABS = {w("tab"), w("ptab")}


@dataclass
class _Cell:
    table: int
    row: int
    column: int
    span: int = 1


@dataclass
class _Paragraph:
    """Text pieces of one paragraph with their boldness, plus text boxes found inside it."""

    pieces: list[tuple[str, bool]] = field(default_factory=list)
    floating: list = field(default_factory=list)  # w:txbxContent elements, read after the paragraph
    fields: list[str] = field(default_factory=list)  # open complex fields: "code" until separate, then "result"


class _DocxWalker:
    def __init__(self, styles: dict[str, StyleTraits]):
        self.styles = styles
        self.blocks: list[Block] = []
        self.table_count = 0

    # -- block level -------------------------------------------------------------------------
    def walk_container(self, element, cell: _Cell | None) -> None:
        for child in element:
            tag = child.tag
            if tag == w("p"):
                self.paragraph(child, cell)
            elif tag == w("tbl"):
                self.table(child, cell)
            elif tag == w("sdt"):
                if not _showing_placeholder(child):
                    content = child.find(w("sdtContent"))
                    if content is not None:
                        self.walk_container(content, cell)
            elif tag in (w("customXml"), w("ins"), w("smartTag")):
                self.walk_container(child, cell)

    def table(self, tbl, outer: _Cell | None) -> None:
        # A nested table stays inside its outer cell: its text joins that cell in reading order.
        if outer is None:
            index = self.table_count
            self.table_count += 1
        for row_index, tr in enumerate(_rows(tbl)):
            column = 0
            for tc in _cells(tr):
                tcpr = tc.find(w("tcPr"))
                span = 1
                merged_continuation = False
                if tcpr is not None:
                    grid_span = tcpr.find(w("gridSpan"))
                    if grid_span is not None:
                        span = int(grid_span.get(w("val"), "1") or 1)
                    v_merge = tcpr.find(w("vMerge"))
                    merged_continuation = v_merge is not None and v_merge.get(w("val")) != "restart"
                if not merged_continuation:
                    cell = outer or _Cell(index, row_index, column, span)
                    self.walk_container(tc, cell)
                column += span

    def paragraph(self, p, cell: _Cell | None) -> None:
        state = _Paragraph()
        ppr = p.find(w("pPr"))
        style_id = _style_id(ppr, "pStyle")
        traits = self.styles.get(style_id, StyleTraits()) if style_id else StyleTraits()
        self.inline(p, state, traits.bold)
        text = "".join(t for t, _ in state.pieces)
        if text.strip():
            numbered = numbering(ppr)
            outline = ppr is not None and ppr.find(w("outlineLvl")) is not None
            self.blocks.append(
                Block(
                    kind="cell" if cell else "paragraph",
                    text=text,
                    table=cell.table if cell else None,
                    row=cell.row if cell else None,
                    column=cell.column if cell else None,
                    span=cell.span if cell else 1,
                    bold=_all_bold(state.pieces),
                    bold_prefix=_bold_prefix(state.pieces),
                    heading=traits.heading or outline,
                    list_item=traits.list_item if numbered is None else numbered,  # the paragraph's own word wins
                    role="furniture" if traits.toc else "body",
                )
            )
        for box in state.floating:
            self.walk_container(box, cell)

    # -- inline level ------------------------------------------------------------------------
    def inline(self, element, state: _Paragraph, bold: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == w("r"):
                self.run(child, state, bold)
            elif tag == w("sdt"):
                if not _showing_placeholder(child):
                    content = child.find(w("sdtContent"))
                    if content is not None:
                        self.inline(content, state, bold)
            elif tag == w("txbxContent"):
                state.floating.append(child)
            elif tag == M_TEXT:
                state.pieces.append((child.text or "", bold))
            elif tag in TABS:  # outside a run (not valid, but converters write it): still a tab
                state.pieces.append(("\t", bold))
            elif len(child):
                # hyperlink, ins, fldSimple, smartTag, customXml, moveTo, math, drawings...
                self.inline(child, state, bold)

    def run(self, r, state: _Paragraph, paragraph_bold: bool) -> None:
        rpr = r.find(w("rPr"))
        bold = paragraph_bold
        if rpr is not None:
            char_style = _style_id(rpr, "rStyle")
            if char_style and self.styles.get(char_style, StyleTraits()).bold:
                bold = True
            b = rpr.find(w("b"))
            if b is not None:
                bold = on_off(b)
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    state.fields.append("code")
                    box = _legacy_checkbox(child)
                    if box is not None:
                        state.pieces.append((box, bold))
                elif kind == "separate" and state.fields:
                    state.fields[-1] = "result"
                elif kind == "end" and state.fields:
                    state.fields.pop()
            elif "code" in state.fields:
                continue  # field instructions (' FORMTEXT ', ' HYPERLINK "..." '), not visible text
            elif tag == w("t"):
                state.pieces.append((child.text or "", bold))
            elif tag in TABS:
                state.pieces.append(("\t", bold))
            elif tag in (w("br"), w("cr")):
                state.pieces.append(("\n", bold))
            elif tag == w("noBreakHyphen"):
                state.pieces.append(("-", bold))
            elif tag == w("sym"):
                code = (child.get(w("char")) or "").upper()
                state.pieces.append(("•" if code in SYMBOL_BULLETS else _sym_char(code), bold))
            elif tag not in SKIPPED and len(child):
                self.inline(child, state, bold)  # drawings holding text boxes, alternate content


def _rows(tbl):
    for child in tbl:
        if child.tag == w("tr"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _rows(content)


def _cells(tr):
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _cells(content)


def _showing_placeholder(sdt) -> bool:
    """A content control still showing its prompt ('Click here to enter text') holds no answer."""
    props = sdt.find(w("sdtPr"))
    return props is not None and props.find(w("showingPlcHdr")) is not None


def _legacy_checkbox(fld_char) -> str | None:
    data = fld_char.find(w("ffData"))
    box = data.find(w("checkBox")) if data is not None else None
    if box is None:
        return None
    checked = box.find(w("checked"))
    if checked is None:
        checked = box.find(w("default"))
    return "☒ " if on_off(checked) else "☐ "


def _sym_char(code: str) -> str:
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return "" if 0xF000 <= value <= 0xF0FF else chr(value)


def _style_id(props, tag: str) -> str | None:
    if props is None:
        return None
    style = props.find(w(tag))
    return style.get(w("val")) if style is not None else None


def _all_bold(pieces) -> bool:
    visible = [bold for text, bold in pieces if text.strip()]
    return bool(visible) and all(visible)


def _bold_prefix(pieces) -> int:
    """Length of the leading bold text when the rest is not bold: 'Durée : ' in 'Durée : 2 ans'."""
    length = 0
    for index, (text, bold) in enumerate(pieces):
        if text.strip() and not bold:
            prefix = "".join(t for t, _ in pieces[:index])
            return length if prefix.strip() else 0
        length += len(text)
    return 0  # all bold, or no text


# Zip bombs: refuse before inflating. A real reply with pictures stays far below these.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_PART_RATIO = 200  # uncompressed / compressed, for parts over 10 MB
_ENCRYPTED_OLE = "EncryptedPackage".encode("utf-16-le")


def classify(path: Path) -> str:
    """What a file named .docx really is: 'docx', 'doc' (OLE Word 97), 'odt', or an UnreadableFile."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _ENCRYPTED_OLE in path.read_bytes()[: 4 * 1024 * 1024]:
            raise UnreadableFile(
                "a password-protected Word file: ask the sender for an unprotected copy", ErrorCode.PASSWORD
            )
        return "doc"
    if head.startswith(b"%PDF"):
        raise UnreadableFile("a PDF file named .docx; rename it to .pdf", ErrorCode.WRONG_TYPE)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if not head.startswith(b"PK"):
        raise UnreadableFile(
            "not a Word .docx file (it is not a zip package): corrupt, or another format renamed", ErrorCode.DAMAGED
        )
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
            mimetype = package.read("mimetype")[:60] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise UnreadableFile(f"a damaged Word file (truncated or corrupt zip package): {error}") from error
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    bomb = unpacked > MAX_UNPACKED_BYTES or any(
        info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if bomb:
        raise UnreadableFile(
            f"a decompression bomb: {packed / 1e6:.1f} MB packed would unpack to {unpacked / 1e6:.0f} MB; not opened",
            ErrorCode.BOMB,
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise UnreadableFile("a zip file, but not a Word document (no word/document.xml)", ErrorCode.WRONG_TYPE)
    return "docx"


def read_docx(path: Path, source_format: SourceFormat = "docx") -> Layout:
    """Read a .docx reply into a layout; raise UnreadableFile when it is not a readable Word file.

    A legacy .doc, an .odt or an RTF file named .docx is converted first (parsers/convert.py)."""
    kind = classify(path)
    if kind != "docx":
        from parsers.convert import read_converted

        return read_converted(path, f".{kind}")
    try:
        document = docx.Document(as_transitional(path) if is_strict(path) else str(path))  # Strict OOXML renamed
        walker = _DocxWalker(resolve_styles(document.styles.element))
        walker.walk_container(document.element.body, None)
    except etree.XMLSyntaxError as error:
        raise xml_failure(error) from error
    except RecursionError as error:
        raise recursion_failure("Word file") from error
    except (PackageNotFoundError, zipfile.BadZipFile) as error:
        raise UnreadableFile(f"a damaged Word file (truncated or corrupt zip package): {error}") from error
    except (KeyError, ValueError) as error:
        if not raised_inside(error, ("docx", "zipfile", "lxml")):
            raise  # a bug of ours, reported as such by the batch
        raise UnreadableFile(f"a damaged Word file (truncated or corrupt zip package): {error}") from error
    return Layout(format=source_format, pages=None, blocks=tuple(walker.blocks))
