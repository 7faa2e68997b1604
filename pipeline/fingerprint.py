"""What the records depend on besides the file: the reading and extraction code, the form spec,
every reading option and the versions of the libraries that read the files. A change to any of them
makes the next run read every file again."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from parsers import ReadOptions, library_versions

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("forms", "parsers", "extract", "normalise")


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*")):
            if path.suffix in (".py", ".toml"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def reading_fingerprint(options: ReadOptions) -> str:
    """The fingerprint a run's report keeps: records made under another one are read again."""
    digest = hashlib.sha256(f"{options.as_key()};{library_versions(options)}".encode())
    return f"{extractor_fingerprint()}-{digest.hexdigest()[:12]}"
