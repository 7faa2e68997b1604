"""Pictures of a reply's pages for the reviewer (review page, review desk): the region a field came from,
or the whole page with the field's boxes highlighted. Rendered with PDFium; run inside a killable worker
(review/render.py), since a source file is untrusted and may have changed since it was read."""

from __future__ import annotations

import io
from pathlib import Path

MARGIN = 6.0  # points around a region, so the reviewer sees the cell's edges
Box = tuple[float, float, float, float]  # (x0, top, x1, bottom) in PDF points, origin top-left


def render_regions(path: Path, regions: list[tuple[int, Box]], resolution: int = 110) -> list[bytes]:
    """PNG bytes for each (1-based page, box) region; the file is opened once."""
    import pypdfium2

    scale = resolution / 72
    images: list[bytes] = []
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for page_number, (x0, top, x1, bottom) in regions:
            page = pdf[page_number - 1]
            width, height = page.get_size()
            crop = (
                max(0.0, x0 - MARGIN),
                max(0.0, height - bottom - MARGIN),
                max(0.0, width - x1 - MARGIN),
                max(0.0, top - MARGIN),
            )  # left, bottom, right, top margins
            images.append(_png(page.render(scale=scale, crop=crop).to_pil()))
            page.close()
    finally:
        pdf.close()
    return images


def render_page(
    path: Path | bytes, page_number: int, boxes: list[Box], resolution: int = 130, context: float | None = 160.0
) -> bytes:
    """The page as PNG, each box outlined and tinted, so the reviewer sees the field in its place; with
    `context`, only the band from that many points above the boxes to as many below (None: the whole page)."""
    import pypdfium2
    from PIL import Image, ImageDraw

    scale = resolution / 72
    pdf = pypdfium2.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        if not 1 <= page_number <= len(pdf):
            raise ValueError(f"the source has no page {page_number}")
        page = pdf[page_number - 1]
        image = page.render(scale=scale).to_pil().convert("RGBA")
        page.close()
    finally:
        pdf.close()
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    overlay = ImageDraw.Draw(layer)
    for x0, top, x1, bottom in boxes:
        rectangle = [x0 * scale - 3, top * scale - 3, x1 * scale + 3, bottom * scale + 3]
        overlay.rectangle(rectangle, fill=(255, 196, 0, 70), outline=(179, 38, 30, 255), width=3)
    image = Image.alpha_composite(image, layer)  # tinted, the text still readable under it
    if boxes and context is not None:  # the band of the page around the boxes, full width: the field in its place
        upper = max(0.0, min(b[1] for b in boxes) - context) * scale
        lower = min(image.height, (max(b[3] for b in boxes) + context) * scale)
        image = image.crop((0, int(upper), image.width, int(lower)))
    return _png(image.convert("RGB"))


def find_text_boxes(path: Path | bytes, needle: str) -> tuple[int, list[Box]] | None:
    """Where a text first appears in a PDF (a Word reply rendered by LibreOffice): (page, boxes)."""
    import pypdfium2

    needle = " ".join(needle.split())[:80]
    if not needle:
        return None
    pdf = pypdfium2.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            searcher = text.search(needle, match_case=False)
            found = searcher.get_next()
            height = page.get_height()
            if found:
                start, count = found
                rects = [text.get_rect(i) for i in range(text.count_rects(start, count))]
                boxes = [(left, height - top, right, height - bottom) for left, bottom, right, top in rects]
                return index + 1, boxes
    finally:
        pdf.close()
    return None


def _png(picture) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
