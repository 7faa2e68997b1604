"""Pictures of PDF regions, for the review page: the reviewer compares a value with its source."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber

MARGIN = 6.0  # points around the region, so the reviewer sees the cell's edges


def render_regions(
    path: Path, regions: list[tuple[int, tuple[float, float, float, float]]], resolution: int = 110
) -> list[bytes]:
    """PNG bytes for each (1-based page, (x0, top, x1, bottom)) region; the file is opened once."""
    images: list[bytes] = []
    with pdfplumber.open(path) as pdf:
        for page_number, (x0, top, x1, bottom) in regions:
            page = pdf.pages[page_number - 1]
            box = (
                max(0.0, x0 - MARGIN),
                max(0.0, top - MARGIN),
                min(float(page.width), x1 + MARGIN),
                min(float(page.height), bottom + MARGIN),
            )
            picture = page.crop(box).to_image(resolution=resolution).original
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
            page.close()
    return images
