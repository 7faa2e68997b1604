"""Formats read through a conversion: legacy Word 97-2003 (.doc, also when renamed .docx), OpenDocument
(.odt) and RTF are turned into .docx by LibreOffice, in a private temporary folder, then read as Word.

LibreOffice runs without network and never follows links (helpers/libreoffice.py), under the file's own
deadline and memory limit, and its whole process tree is gone when the conversion returns."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from helpers import HelperLimit, libreoffice_command, run_helper, soffice
from parsers.errors import ErrorCode, UnreadableFile
from parsers.layout import SourceFormat

CONVERSION_TIMEOUT = 120  # seconds at most, within the file's own limit; a first start in a fresh profile is slow
INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) to read it, or save it as .docx"
NAMES = {".doc": "a legacy Word 97-2003 document", ".odt": "an OpenDocument text", ".rtf": "an RTF document"}

__all__ = ["CONVERSION_TIMEOUT", "converted_to_docx", "read_converted", "soffice"]


def converted_to_docx(path: Path, kind: str, workdir: Path) -> Path:
    """Convert `path` (of kind '.doc', '.odt' or '.rtf', whatever its own name) to a .docx in `workdir`."""
    executable = soffice()
    if executable is None:
        raise UnreadableFile(f"{NAMES[kind]}: {INSTALL_HINT}", ErrorCode.MISSING_TOOL)
    source = workdir / f"reply{kind}"
    shutil.copyfile(path, source)
    out = workdir / "out"
    arguments = ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
    command = libreoffice_command(executable, workdir / "profile", arguments)
    try:
        finished = run_helper(command, "the LibreOffice conversion", CONVERSION_TIMEOUT)
    except HelperLimit as limit:
        raise UnreadableFile(f"{NAMES[kind]}: {limit.message}", ErrorCode(limit.kind)) from limit
    result = out / "reply.docx"
    if finished.returncode != 0 or not result.exists():
        detail = finished.stderr.strip().splitlines()[-1:] or ["no output"]
        raise UnreadableFile(
            f"{NAMES[kind]} that LibreOffice could not convert ({detail[0][:160]})", ErrorCode.CONVERSION_FAILED
        )
    return result


# The layout names the file's own format, not the .docx it was converted to.
_SOURCE_FORMATS: dict[str, SourceFormat] = {".doc": "doc", ".odt": "odt", ".rtf": "rtf", ".docx": "docx"}


def read_converted(path: Path, kind: str):
    """Read a .doc/.odt/.rtf reply: convert, then read the .docx; the layout keeps the original format."""
    from parsers.docx_reader import read_docx

    with tempfile.TemporaryDirectory(prefix="pecs-convert-") as tmp:
        docx_path = converted_to_docx(path, kind, Path(tmp))
        return read_docx(docx_path, source_format=_SOURCE_FORMATS[kind])
