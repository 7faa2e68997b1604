"""Format readers: each turns one file into the neutral `Layout`; `read_layout` picks one by suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parsers.errors import ErrorCode, UnreadableFile
from parsers.layout import Block, Layout

PdfEngine = Literal["pdfium", "pdfplumber"]
PDF_ENGINES: tuple[str, ...] = ("pdfium", "pdfplumber")


@dataclass(frozen=True)
class ReadOptions:
    """Choices that change how files are read (and so are part of what makes records current)."""

    pdf_engine: PdfEngine = "pdfium"


Reader = Callable[[Path, ReadOptions], Layout]


def _docx(path: Path, options: ReadOptions) -> Layout:
    from parsers.docx_reader import read_docx  # imported on use: each reader pulls a heavy library

    return read_docx(path)


def _pdf(path: Path, options: ReadOptions) -> Layout:
    from parsers.pdf_reader import read_pdf

    return read_pdf(path, options.pdf_engine)


def _converted(path: Path, options: ReadOptions) -> Layout:
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


def read_layout(path: Path, options: ReadOptions | None = None) -> Layout:
    """Read any supported reply; raise UnreadableFile with a plain message when it cannot be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(
            f"unsupported file type '{path.suffix or '(none)'}'; supported: {', '.join(READERS)}", ErrorCode.UNSUPPORTED
        )
    if path.stat().st_size == 0:
        raise UnreadableFile("empty file (0 bytes)", ErrorCode.EMPTY)
    return reader(path, options or ReadOptions())


__all__ = [
    "PDF_ENGINES",
    "READERS",
    "Block",
    "ErrorCode",
    "Layout",
    "ReadOptions",
    "UnreadableFile",
    "read_layout",
    "supported_suffixes",
]
