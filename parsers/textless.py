"""PDFs without a word of text: a scanned page to recognise by OCR, or nothing a questionnaire could be.

Only a page that is mostly one picture, at least the size of a small sheet, is taken for a scan. Blank
pages, vector drawings and small pictures hold no questionnaire: the file is skipped with that reason,
not failed and not sent to OCR. One rule for both PDF engines: pdfminer's view of the page (through
pdfplumber) decides, whichever engine read the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from parsers.errors import NothingToRead

SCAN_COVERAGE = 0.8  # of the page's area under one picture: a scanner's or a camera's page image
MIN_SHEET_SIDE = 200.0  # points (7 cm): a page smaller than this is a label or an icon, not a sheet
MAX_SCAN_BYTES = 64 * 1024 * 1024  # the raw bytes looked through for an unsupported filter's name
_UNSUPPORTED = re.compile(rb"/(BrotliDecode)\b")
PDF_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError)


def has_scanned_page(path: Path) -> bool:
    """Whether some page is mostly one picture, on a sheet at least MIN_SHEET_SIDE on its short side."""
    import pdfplumber
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                found = _is_scanned(float(page.width), float(page.height), page.images)
                page.close()
                if found:
                    return True
    except (PdfminerException, PDFException, PSException, *PDF_ERRORS):
        return False  # pdfminer cannot see its pictures: no evidence of a scan
    return False


def _is_scanned(width: float, height: float, images: list[dict]) -> bool:
    if min(width, height) < MIN_SHEET_SIDE:
        return False
    for image in images:
        x0, x1 = max(0.0, float(image["x0"])), min(width, float(image["x1"]))
        top, bottom = max(0.0, float(image["top"])), min(height, float(image["bottom"]))
        if (x1 - x0) * (bottom - top) >= SCAN_COVERAGE * width * height:
            return True
    return False


def unsupported_filter(path: Path) -> str | None:
    """The name of a compression filter neither PDF library decodes, when the file uses one: its text
    may be hidden in streams no engine can open (seen in the raw bytes, as one engine may not say so)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_SCAN_BYTES)
    found = _UNSUPPORTED.search(data)
    return found.group(1).decode("ascii") if found else None


def nothing_to_read() -> NothingToRead:
    return NothingToRead("no text at all: blank pages, drawings or small pictures only (not a questionnaire)")


def decrypted(path: Path, folder: Path) -> Path:
    """A PDF that opens without a password but is encrypted (an owner password restricting printing or
    copying), written again unencrypted into `folder` for OCR, which refuses encrypted input; any other
    PDF as it is. PDFium writes the copy (pypdfium2 is installed with the PDF engines; OCRmyPDF's own
    pikepdf is not importable here)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return path  # OCR will say what is wrong with it
    try:
        if raw.FPDF_GetSecurityHandlerRevision(document.raw) == -1:
            return path
        target = folder / "decrypted.pdf"
        document.save(str(target), flags=raw.FPDF_REMOVE_SECURITY)
        return target
    finally:
        document.close()
