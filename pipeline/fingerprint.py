"""What the records depend on besides the file: the reading and extraction code and the label catalogue.
A change to any of them makes the next run read every file again."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("parsers", "extract", "normalise")


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*")):
            if path.suffix in (".py", ".toml"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
