"""The compendium's introduction from a Markdown or plain-text file: headings (#, ##), paragraphs
(separated by a blank line), bullet and numbered lists, **bold** and *italic*. Anything else is text."""

from __future__ import annotations

import re

from normalise import strip_control_chars

_INLINE = re.compile(r"(\*\*[^*\n]+\*\*|\*[^*\n]+\*|__[^_\n]+__|_[^_\n]+_)")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")


def blocks(source: str) -> list[tuple[str, str]]:
    """(kind, text): kind is 'h1', 'h2', 'bullet', 'number' or 'paragraph'; lines of a paragraph joined."""
    found: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            found.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in source.replace("\r\n", "\n").split("\n"):
        line = strip_control_chars(raw).strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if not line:
            flush()
        elif heading:
            flush()
            found.append(("h1" if len(heading.group(1)) == 1 else "h2", heading.group(2).strip(" #")))
        elif line.startswith(("- ", "* ", "• ")):
            flush()
            found.append(("bullet", line[2:].strip()))
        elif _NUMBERED.match(line):
            flush()
            found.append(("number", _NUMBERED.sub("", line)))
        else:
            paragraph.append(line)
    flush()
    return found


def add_intro(document, source: str, default_heading: str) -> None:
    """The introduction on a new page, under the file's own first heading or `default_heading`."""
    parts = blocks(source)
    if not parts or parts[0][0] != "h1":
        parts.insert(0, ("h1", default_heading))
    for index, (kind, text) in enumerate(parts):
        if kind in ("h1", "h2"):
            paragraph = document.add_heading(level=1 if kind == "h1" else 2)
        else:
            style = {"bullet": "List Bullet", "number": "List Number"}.get(kind)
            paragraph = document.add_paragraph(style=style)
        _inline(paragraph, text)
        if index == 0:
            paragraph.paragraph_format.page_break_before = True


def _inline(paragraph, text: str) -> None:
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith(("**", "__")) and len(piece) > 4:
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith(("*", "_")) and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)
