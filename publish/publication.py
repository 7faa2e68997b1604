"""Publishing the compendium to the files asked for: `-o` names the format by its suffix (.docx or
.pdf), `--pdf` adds the PDF beside a .docx. The contents get their page numbers from a LibreOffice
layout (publish/paginate.py); without LibreOffice the .docx is still written, its contents without
page numbers, and a PDF cannot be."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from duplicates.grouping import published
from extract.record import RecordBase
from publish.compendium import render_plan, save_compendium
from publish.paginate import paginate
from publish.pdf import PdfExportError
from publish.plan import CompendiumOptions, plan_compendium
from records import write_atomic

SUFFIXES = (".docx", ".pdf")


class UnknownFormat(ValueError):
    """An output whose suffix names no format we write: a usage error."""


@dataclass
class Published:
    written: list[Path] = field(default_factory=list)
    practices: int = 0
    pages: int | None = None  # of the PDF layout, when there was one
    warnings: list[str] = field(default_factory=list)


def targets(output: Path, pdf: bool) -> tuple[Path | None, Path | None]:
    """(docx, pdf) to write for `-o output` and `--pdf`."""
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormat(f"{output}: the compendium is written as .docx or .pdf, not '{suffix or '(none)'}'")
    if suffix == ".pdf":
        return None, output
    return output, (output.with_suffix(".pdf") if pdf else None)


def compiled_on(records: list[RecordBase], folder: Path) -> dt.date | None:
    """The date of compilation the title page shows by default: the newest of the records' files and of
    the review decisions applied to them. Taken from the records, never the clock, so the same records
    give the same compendium, byte for byte."""
    found = [
        dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
        for record in records
        if (path := folder / f"{record.record_id}.json").is_file()
    ]
    for record in records:
        when = [field.review.decided_at for _, field in record.all_fields() if field.review]
        when += [text.review.decided_at for text in record.unassigned if text.review]
        found += [dt.datetime.fromisoformat(moment).date() for moment in when if moment]
    return max(found, default=None)


def publish_compendium(
    records: list[RecordBase],
    options: CompendiumOptions,
    output: Path,
    pdf: bool,
    read_pages: Callable[[Path], list[str]],
) -> Published:
    """Write the compendium; PdfExportError when a PDF is asked for and LibreOffice cannot make it
    (the .docx, if asked for, is written first)."""
    docx_target, pdf_target = targets(output, pdf)
    plan = plan_compendium(published(records), options)
    result = Published(practices=len(plan.practices))
    try:
        layout = paginate(plan, options, read_pages)
    except PdfExportError as error:
        if docx_target:
            save_compendium(render_plan(plan, options), docx_target)
            result.written.append(docx_target)
        if pdf_target:
            raise
        result.warnings.append(f"contents without page numbers: {error}")
        return result
    try:
        for wanted, made in ((docx_target, layout.docx), (pdf_target, layout.pdf)):
            if wanted:
                write_atomic(wanted, made.read_bytes())
                result.written.append(wanted)
        result.pages = layout.page_count
    finally:
        shutil.rmtree(layout.folder, ignore_errors=True)
    return result
