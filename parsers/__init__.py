"""Format readers: each turns one file into the neutral `Layout`; `read_layout` picks one by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parsers.errors import UnreadableFile
from parsers.layout import Block, Layout

Reader = Callable[[Path], Layout]


def _docx(path: Path) -> Layout:
    from parsers.docx_reader import read_docx  # imported on use: each reader pulls a heavy library

    return read_docx(path)


def _pdf(path: Path) -> Layout:
    from parsers.pdf_reader import read_pdf

    return read_pdf(path)


def _converted(path: Path) -> Layout:
    from parsers.docx_reader import read_docx

    return read_docx(path)  # it looks at what the file really is and converts it first


READERS: dict[str, Reader] = {
    ".docx": _docx,
    ".pdf": _pdf,
    ".doc": _converted,
    ".odt": _converted,
    ".rtf": _converted,
}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read_layout(path: Path) -> Layout:
    """Read any supported reply; raise UnreadableFile with a plain message when it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"unsupported file type '{path.suffix or '(none)'}'; supported: {', '.join(READERS)}")
    if path.stat().st_size == 0:
        raise UnreadableFile("empty file (0 bytes)")
    return reader(path)


__all__ = ["Block", "Layout", "UnreadableFile", "read_layout", "supported_suffixes", "READERS"]
