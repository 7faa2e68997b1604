"""OCR for scanned replies, when OCRmyPDF and Tesseract are installed (optional: Debian packages
ocrmypdf, tesseract-ocr-fra). Every field read this way is flagged for review."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from parsers.convert import lift_memory_limit
from parsers.errors import UnreadableFile

OCR_TIMEOUT = 300  # seconds for a whole file
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
        finished = subprocess.run(
            command,
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=False,
            preexec_fn=lift_memory_limit,
            env=environment,
        )
    except subprocess.TimeoutExpired as error:
        raise UnreadableFile(f"a scanned PDF whose OCR took longer than {OCR_TIMEOUT} s") from error
    if finished.returncode != 0 or not target.exists():
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise UnreadableFile(f"a scanned PDF that OCR could not read ({detail[0][:160]})")
