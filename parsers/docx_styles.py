"""What a Word style implies for a paragraph: bold, heading, list item (resolved along `basedOn`)."""

from __future__ import annotations

from dataclasses import dataclass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def on_off(element) -> bool:
    """An OOXML toggle such as <w:b/>: on unless w:val says 0/false/off."""
    if element is None:
        return False
    return element.get(w("val"), "true").lower() not in ("0", "false", "off")


@dataclass(frozen=True)
class StyleTraits:
    bold: bool = False
    heading: bool = False
    list_item: bool = False
    toc: bool = False  # a table-of-contents entry ('toc 1'): navigation, not content


def _own_traits(style) -> tuple[bool | None, bool, bool, bool]:
    rpr = style.find(w("rPr"))
    bold_el = rpr.find(w("b")) if rpr is not None else None
    bold = on_off(bold_el) if bold_el is not None else None
    name_el = style.find(w("name"))
    name = (name_el.get(w("val"), "") if name_el is not None else "").lower()
    ppr = style.find(w("pPr"))
    outline = ppr is not None and ppr.find(w("outlineLvl")) is not None
    heading = name.startswith(("heading", "titre", "title", "überschrift")) or outline
    numbered = bool(numbering(ppr))
    listed = numbered or name.startswith(("list bullet", "list number", "liste à puces", "liste numéro"))
    toc = name.startswith(("toc ", "table des matières ", "verzeichnis "))
    return bold, heading, listed, toc


def numbering(ppr) -> bool | None:
    """Whether paragraph (or style) properties number the paragraph: None when they say nothing.
    `numId` 0 means "no numbering": LibreOffice writes it on every heading style it saves as .docx, and a
    paragraph uses it to take a list style's bullet away."""
    num = ppr.find(w("numPr")) if ppr is not None else None
    if num is None:
        return None
    num_id = num.find(w("numId"))
    return num_id is None or num_id.get(w("val")) != "0"


def resolve_styles(styles_element) -> dict[str, StyleTraits]:
    """Map each style id to its traits, following basedOn so inherited bold is seen."""
    if styles_element is None:
        return {}
    raw: dict[str, tuple] = {}
    for style in styles_element.iter(w("style")):
        sid = style.get(w("styleId"))
        if not sid:
            continue
        based = style.find(w("basedOn"))
        raw[sid] = (*_own_traits(style), based.get(w("val")) if based is not None else None)

    resolved: dict[str, StyleTraits] = {}

    def resolve(sid: str, depth: int = 0) -> StyleTraits:
        if sid in resolved:
            return resolved[sid]
        if sid not in raw or depth > 20:  # unknown or cyclic basedOn chain
            return StyleTraits()
        bold, heading, listed, toc, parent = raw[sid]
        inherited = resolve(parent, depth + 1) if parent else StyleTraits()
        traits = StyleTraits(
            bold=inherited.bold if bold is None else bold,
            heading=heading or inherited.heading,
            list_item=listed or inherited.list_item,
            toc=toc or inherited.toc,
        )
        resolved[sid] = traits
        return traits

    for sid in raw:
        resolve(sid)
    return resolved
