"""The compendium as PDF, through LibreOffice (Debian package libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 300


class PdfExportError(Exception):
    pass


def to_pdf(docx_path: Path) -> Path:
    """Write the .pdf beside the .docx; raise PdfExportError with a plain reason when it cannot."""
    executable = shutil.which("soffice") or shutil.which("libreoffice")
    if executable is None:
        raise PdfExportError("the PDF needs LibreOffice: apt-get install libreoffice-writer-nogui")
    target = docx_path.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="pecs-pdf-") as tmp:
        command = [
            executable,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(docx_path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfExportError(f"LibreOffice did not finish the PDF within {TIMEOUT} s") from error
        produced = Path(tmp) / f"{docx_path.stem}.pdf"
        if not produced.exists():
            raise PdfExportError("LibreOffice did not produce a PDF")
        shutil.copyfile(produced, target)
    return target
