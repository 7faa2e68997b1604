"""The format-neutral layout: the one contract between the format readers and extraction.

A reader turns a file into a `Layout`: the document's text as ordered blocks, each a paragraph of
text (wrapped lines already joined by the reader, which alone knows the geometry) with where it
sits: page and box for PDF, table/row/column for table cells. `extract/` sees only this.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LAYOUT_VERSION = 1


SourceFormat = Literal["docx", "pdf", "doc", "odt", "rtf"]
BlockRole = Literal["body", "furniture", "footnote", "unplaced"]


class Block(BaseModel):
    """One paragraph of text as the reader found it, in reading order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["paragraph", "cell"] = Field(
        description="'cell' when the text sits in a table cell (table/row/column are then set)"
    )
    text: str = Field(description="the paragraph's text; '\\n' only for a hard line break inside it")
    page: int | None = Field(default=None, description="1-based page number, where the format has pages")
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="(x0, top, x1, bottom) in PDF points, origin at the page's top-left"
    )
    table: int | None = Field(default=None, description="0-based index of the top-level table in the document")
    row: int | None = None
    column: int | None = Field(default=None, description="0-based grid column where the cell starts")
    span: int = Field(default=1, description="grid columns the cell covers (merged cells)")
    bold: bool = Field(default=False, description="every character of the text is bold")
    bold_prefix: int = Field(
        default=0, description="length of the leading bold text when only a prefix is bold (a run-in label)"
    )
    heading: bool = Field(default=False, description="styled as a heading or title by the author")
    list_item: bool = Field(default=False, description="a bulleted or numbered list item")
    continues: bool = Field(default=False, description="continues the previous block's paragraph across a page break")
    role: BlockRole = Field(
        default="body",
        description="page headers, footers and page numbers are 'furniture'; 'unplaced': text the reader found "
        "but could not put in the page's flow (a form field's value with no place on a page)",
    )


class Layout(BaseModel):
    """A whole document as ordered blocks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    layout_version: int = LAYOUT_VERSION
    format: SourceFormat = Field(description="the file's own format")
    pages: int | None = None
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = Field(default=(), description="what the reader noticed but could read past")
    ocr: bool = Field(default=False, description="the text was recognised from page images (OCR)")
