"""OCR for scanned replies, when OCRmyPDF and Tesseract are installed (optional: Debian packages
ocrmypdf, tesseract-ocr-fra). Every field read this way is flagged for review.

OCRmyPDF (and the Tesseract and Ghostscript it starts) runs under the file's own deadline and memory
limit, in its own process group, killed as a whole when it overruns (helpers/process.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import HelperLimit, run_helper
from parsers.errors import ErrorCode, UnreadableFile

OCR_TIMEOUT = 300  # seconds at most for a whole file; the file's own limit (--timeout) comes first
OCR_HINT = "install ocrmypdf and tesseract-ocr-fra (apt-get install ocrmypdf tesseract-ocr-fra) to read it"


def ocr_available() -> bool:
    return bool(shutil.which("ocrmypdf") and shutil.which("tesseract"))


def ocr_pdf(source: Path, target: Path) -> None:
    """Write `target`: `source` with a text layer recognised in French and English."""
    command = [
        "ocrmypdf",
        "--quiet",
        "--force-ocr",
        "--jobs",
        "1",
        "--output-type",
        "pdf",
        "-l",
        "fra+eng",
        str(source),
        str(target),
    ]
    # Tesseract's OpenMP threads spin while they wait; beside other busy workers that costs minutes.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        finished = run_helper(command, "OCR", OCR_TIMEOUT, env=environment)
    except HelperLimit as limit:
        raise UnreadableFile(limit.message, ErrorCode(limit.kind)) from limit
    if finished.returncode != 0 or not target.exists():
        detail = finished.stderr.strip().splitlines()[-1:] or ["no output"]
        # Not called a scan: a damaged or crafted PDF without text fails the same way.
        raise UnreadableFile(
            f"a PDF without a text layer that OCR could not read (ocrmypdf: {detail[0][:160]})", ErrorCode.OCR_FAILED
        )
