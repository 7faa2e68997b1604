"""Formats read through a conversion: legacy Word 97-2003 (.doc, also when renamed .docx), OpenDocument
(.odt) and RTF are turned into .docx by LibreOffice, in a private temporary folder, then read as Word."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parsers.errors import ErrorCode, UnreadableFile

CONVERSION_TIMEOUT = 120  # seconds; LibreOffice's first start in a fresh profile takes a few
INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) to read it, or save it as .docx"
NAMES = {".doc": "a legacy Word 97-2003 document", ".odt": "an OpenDocument text", ".rtf": "an RTF document"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lift_memory_limit() -> None:
    """LibreOffice and OCRmyPDF need far more address space than a reader worker is allowed; they run
    under their own timeouts instead of the worker's memory limit (the worker sets only the soft limit)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def converted_to_docx(path: Path, kind: str, workdir: Path) -> Path:
    """Convert `path` (of kind '.doc', '.odt' or '.rtf', whatever its own name) to a .docx in `workdir`."""
    executable = soffice()
    if executable is None:
        raise UnreadableFile(f"{NAMES[kind]}: {INSTALL_HINT}", ErrorCode.MISSING_TOOL)
    source = workdir / f"reply{kind}"
    shutil.copyfile(path, source)
    out = workdir / "out"
    command = [
        executable,
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(out),
        str(source),
    ]
    try:
        finished = subprocess.run(
            command, capture_output=True, timeout=CONVERSION_TIMEOUT, check=False, preexec_fn=lift_memory_limit
        )
    except subprocess.TimeoutExpired as error:
        raise UnreadableFile(f"{NAMES[kind]}: LibreOffice did not convert it within {CONVERSION_TIMEOUT} s") from error
    result = out / "reply.docx"
    if finished.returncode != 0 or not result.exists():
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise UnreadableFile(f"{NAMES[kind]} that LibreOffice could not convert ({detail[0][:160]})")
    return result


def read_converted(path: Path, kind: str):
    """Read a .doc/.odt/.rtf reply: convert, then read the .docx; the layout keeps the original format."""
    from parsers.docx_reader import read_docx

    with tempfile.TemporaryDirectory(prefix="pecs-convert-") as tmp:
        docx_path = converted_to_docx(path, kind, Path(tmp))
        return read_docx(docx_path, source_format=kind.lstrip("."))
