"""Format readers: each turns one file into the neutral `Layout`; `read_layout` picks one by suffix.

Nothing heavy is imported here (no pydantic, no format library): the command line and a run where
every file is unchanged import this package without paying for the readers."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from parsers.errors import ErrorCode, UnreadableFile

if TYPE_CHECKING:
    from parsers.layout import Layout


@dataclass(frozen=True)
class PdfEngine:
    module: str  # honours the page contract of parsers/pdf_page.py
    libraries: tuple[str, ...]  # distributions whose version changes what it reads


# PDF engines by name. A new engine is one module and one line here; the command line's
# --pdf-engine choices come from this table.
PDF_ENGINES: dict[str, PdfEngine] = {
    "pdfium": PdfEngine("parsers.pdfium_reader", ("pypdfium2",)),  # fast; the default
    # the reference: reads some files PDFium refuses, and says precisely what is wrong with the others
    "pdfplumber": PdfEngine("parsers.pdfplumber_reader", ("pdfplumber", "pdfminer.six")),
}
DEFAULT_PDF_ENGINE = "pdfium"
REFERENCE_PDF_ENGINE = "pdfplumber"
# Distributions whose version changes what a reader gives, besides the PDF engine's own (pdf_page.py).
READER_LIBRARIES = ("python-docx", "lxml")


@dataclass(frozen=True)
class ReadOptions:
    """Choices that change how files are read. Every field is part of what makes records current
    (pipeline/fingerprint.py), so a new reading option needs no other change to re-read files."""

    pdf_engine: str = DEFAULT_PDF_ENGINE

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"unknown PDF engine '{self.pdf_engine}'; known: {', '.join(PDF_ENGINES)}")

    def as_key(self) -> str:
        """A stable text of every option, for fingerprints."""
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


Reader = Callable[[Path, ReadOptions], "Layout"]


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


def library_versions(options: ReadOptions) -> str:
    """Versions of the libraries that read files with these options (a new pdfminer may read a
    page differently, so records made by the old one are not current)."""
    engines = (PDF_ENGINES[options.pdf_engine], PDF_ENGINES[REFERENCE_PDF_ENGINE])  # the reference reads what
    names = sorted({*READER_LIBRARIES, *(name for engine in engines for name in engine.libraries)})  # the other cannot
    found = installed_versions(names)
    return ",".join(f"{name}={found.get(name, 'absent')}" for name in names)


def installed_versions(names: list[str]) -> dict[str, str]:
    """name → version of the installed distributions, from their `.dist-info` folder names, first
    on sys.path first, as importlib.metadata finds them; importlib.metadata itself costs more to
    import than a run where nothing changed takes."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            if item.endswith(".dist-info"):
                project, _, version = item[: -len(".dist-info")].partition("-")
                name = wanted.get(_normal(project))
                if name and name not in found:
                    found[name] = version
    return found


def _normal(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()  # PEP 503


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
    "DEFAULT_PDF_ENGINE",
    "PDF_ENGINES",
    "READERS",
    "REFERENCE_PDF_ENGINE",
    "ErrorCode",
    "PdfEngine",
    "ReadOptions",
    "UnreadableFile",
    "library_versions",
    "read_layout",
    "supported_suffixes",
]
