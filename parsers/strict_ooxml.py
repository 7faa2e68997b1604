"""Strict Office Open XML (ISO/IEC 29500 Strict, "Strict Open XML Document" in Word's Save As) → the
transitional vocabulary python-docx reads.

A Strict file is the same document under other namespace names (http://purl.oclc.org/ooxml/…
instead of http://schemas.openxmlformats.org/…/2006/…), in the parts and in the relationship types,
so python-docx finds no main document and the file looked damaged. Renaming the namespaces, in
memory, gives the transitional package; nothing else differs that the reader looks at (on/off values
'true'/'false' are valid in both). The package is already checked against decompression bombs.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

STRICT = b"http://purl.oclc.org/ooxml/"
_NAMESPACE = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/([A-Za-z]+)")
# Strict names whose transitional spelling is not "<group>/2006/<name>"
_RENAMED = {b"extendedProperties": b"extended-properties", b"customProperties": b"custom-properties"}


def is_strict(path: Path) -> bool:
    """Whether the package's relationships name its main document in the Strict vocabulary."""
    try:
        with zipfile.ZipFile(path) as package:
            return STRICT in package.read("_rels/.rels")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False  # not this module's to diagnose: python-docx says what is wrong


def as_transitional(path: Path) -> io.BytesIO:
    """The package with every Strict namespace renamed to its transitional name, as a file in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                data = _NAMESPACE.sub(_transitional, data)
            target.writestr(info, data)
    out.seek(0)
    return out


def _transitional(match: re.Match[bytes]) -> bytes:
    group, name = match.group(1), match.group(2)
    return b"http://schemas.openxmlformats.org/%s/2006/%s" % (group, _RENAMED.get(name, name))
