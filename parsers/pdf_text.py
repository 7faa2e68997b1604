"""The plain text of each page of a PDF, for checking where a heading landed (the compendium's contents)."""

from __future__ import annotations

from pathlib import Path

from parsers.errors import UnreadableFile


def page_texts(path: Path) -> list[str]:
    """One string per page, lines separated by newlines; UnreadableFile when PDFium cannot open it."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise UnreadableFile(f"{path.name}: not a readable PDF ({error})") from error
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            text_page.close()
            page.close()
        return texts
    finally:
        document.close()
