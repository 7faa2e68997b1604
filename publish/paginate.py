"""Page numbers for the compendium's contents, in the .docx and the PDF alike.

Word fills a TOC field only when someone opens the file and LibreOffice never does, so we lay the
document out ourselves: render it once through LibreOffice, read back the page on which each part
and practice title landed, write those numbers into the contents, render again, and check that
nothing moved (numbers of a different width could rewrap an entry); at most a few rounds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publish.compendium import render_plan, save_compendium
from publish.pdf import PdfExportError, to_pdf
from publish.plan import CompendiumOptions, Plan

ROUNDS = 3
PLACEHOLDER = 999  # before the first layout: as wide as most real numbers, so the contents keep their length


class PaginationError(PdfExportError):
    """A title could not be found in the rendered PDF: the contents would be wrong, so no PDF is written
    (a .docx asked for is written without page numbers, as without LibreOffice)."""


def locate(plan: Plan, pages: list[str], lang: str) -> dict[str, int]:
    """anchor → 1-based page on which that part or practice starts, read from the rendered text.

    A practice title ('Pratique 3 – …') stands at a line start in the contents, then on its own page,
    then in the cross references of its later areas' parts: its page is the second. A part is found
    by its heading, a line of its own after the contents (its first practice may start a page later,
    after a long list of cross references); a heading wrapped over two lines, by its first practice."""
    lines = [[" ".join(line.split()) for line in page.split("\n")] for page in pages]
    found: dict[str, int] = {}
    for practice in plan.practices:
        prefix = practice.title(lang).split(" – ")[0] + " – "
        hits = [n for n, page in enumerate(lines, 1) if any(line.startswith(prefix) for line in page)]
        if len(hits) < 2:
            raise PaginationError(f"'{practice.title(lang)}' not found on its own page of the rendered PDF")
        found[practice.anchor] = hits[1]
    for part in plan.parts:
        if part.title is None:  # the untitled run of a form without parts: the contents never point at it
            continue
        title = " ".join(part.title.split())
        hits = [n for n, page in enumerate(lines, 1) if title in page]
        if hits:  # its heading, a line of its own after the contents (a long list of cross references
            found[part.anchor] = hits[-1]  # may push its first practice to the next page)
        elif part.practices:  # a heading wrapped over two lines: it shares its first practice's page
            found[part.anchor] = found[part.practices[0].anchor]
        else:
            raise PaginationError(f"the heading '{part.title}' is not in the rendered PDF")
    return found


@dataclass(frozen=True)
class Layout:
    docx: Path  # both in a temporary folder: the caller copies what it needs, then removes `folder`
    pdf: Path
    pages: dict[str, int]  # anchor → page
    page_count: int

    @property
    def folder(self) -> Path:
        return self.docx.parent


def paginate(plan: Plan, options: CompendiumOptions, read_pages: Callable[[Path], list[str]]) -> Layout:
    """The .docx whose contents carry the pages on which LibreOffice lays out each title, and its PDF."""
    work = Path(tempfile.mkdtemp(prefix="pecs-compendium-"))
    try:
        pages = {entry.anchor: PLACEHOLDER for entry in plan.contents}
        draft = work / "compendium.docx"
        for _ in range(ROUNDS):
            save_compendium(render_plan(plan, options, pages), draft)
            pdf = to_pdf(draft)
            texts = read_pages(pdf)
            found = locate(plan, texts, plan.lang)
            if found == pages:
                return Layout(draft, pdf, found, len(texts))
            pages = found
        raise PaginationError(f"the contents' page numbers did not settle after {ROUNDS} layouts")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
