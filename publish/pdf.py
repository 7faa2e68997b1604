"""The compendium as PDF, through LibreOffice (Debian package libreoffice-writer-nogui), run without
network, never following links, and with its whole process tree gone when it returns (helpers/)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers import HelperLimit, libreoffice_command, run_helper, soffice
from records import write_atomic

TIMEOUT = 300


class PdfExportError(Exception):
    pass


def to_pdf(docx_path: Path, timeout: float | None = None) -> Path:
    """Write the .pdf beside the .docx; raise PdfExportError with a plain reason when it cannot."""
    executable = soffice()
    if executable is None:
        raise PdfExportError("the PDF needs LibreOffice: apt-get install libreoffice-writer-nogui")
    target = docx_path.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="pecs-pdf-") as tmp:
        arguments = ["--convert-to", "pdf", "--outdir", tmp, str(docx_path.resolve())]
        try:
            run_helper(
                libreoffice_command(executable, Path(tmp) / "profile", arguments), "LibreOffice", timeout or TIMEOUT
            )
        except HelperLimit as limit:
            raise PdfExportError(f"{limit.message}; no PDF written") from limit
        produced = Path(tmp) / f"{docx_path.stem}.pdf"
        if not produced.exists():
            raise PdfExportError("LibreOffice did not produce a PDF")
        write_atomic(target, produced.read_bytes())
    return target
