"""Record ids: stable across runs, unique per (source path, practice), safe as a file name."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^a-z0-9_.]+")


def record_id(source_path: str, practice_index: int) -> str:
    """'replies/Réponse FR.docx', 2 → 'replies-reponse-fr.docx-1f0c9a2b-2'.

    The readable part is a lossy slug, so a short hash of the exact path keeps 'a b.docx' and
    'a-b.docx' apart; the extension stays in the slug so x.pdf and x.docx differ at a glance.
    """
    ascii_path = unicodedata.normalize("NFKD", source_path).encode("ascii", "ignore").decode().lower()
    slug = _UNSAFE.sub("-", ascii_path).strip("-.")[:60].strip("-.") or "reply"
    digest = hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}-{practice_index}"
