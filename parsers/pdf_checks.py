"""Checks on a PDF's structure, asked only when reading it failed or found no text, to tell a crafted or
damaged file from a scan: a page tree that loops back on itself is not "a scanned PDF"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from parsers.errors import PDF_LIBRARIES, ErrorCode, UnreadableFile, pdf_failure, raised_inside

Pages = TypeVar("Pages")


def looping_tree() -> UnreadableFile:
    return UnreadableFile(
        "a PDF whose page tree loops back on itself (a page lists its own ancestor): crafted or damaged",
        ErrorCode.TOO_COMPLEX,
    )


def guarded(load: Callable[[Path], Pages], path: Path) -> Pages:
    """`load(path)`, with a PDF library's own failure told as a looping page tree or a damaged file; a
    bug of ours goes on as it is."""
    try:
        return load(path)
    except Exception as error:
        if not raised_inside(error, PDF_LIBRARIES):
            raise
        raise looping_tree() if page_tree_loops(path) else pdf_failure(error) from error


def page_tree_loops(path: Path) -> bool:
    """Whether a /Pages node of the document is reached twice on the way down from the catalogue."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            root = document.catalog.get("Pages")
            seen: set[int] = set()
            pending = [root]
            while pending:
                reference = pending.pop()
                number = getattr(reference, "objid", None)
                if number is not None:
                    if number in seen:
                        return True
                    seen.add(number)
                node = resolve1(reference)
                if isinstance(node, dict):
                    pending.extend(resolve1(node.get("Kids")) or [])
    except Exception:
        return False
    return False
