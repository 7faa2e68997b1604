"""The contact block typed as one line after its heading ('Contact: Rhian Evans, Example Council, r.evans@example.org').

The heading has no answer of its own, so the text after it would otherwise be lost. An e-mail or a
web address is read with certainty wherever it stands; the other parts are taken, in the form's
order, as the unchecked contact fields (name, then organisation) only when there are no more of
them than such fields, and are marked as read from a line so a person checks them. Anything else
stays unplaced, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.catalogue import Catalogue
from normalise import normalise_email, normalise_url

_PARTS = re.compile(r"\s*[,;]\s+|\s*\n\s*")
_CERTAIN = {"email": normalise_email, "url": normalise_url}


@dataclass(frozen=True)
class ContactPart:
    key: str
    text: str
    certain: bool  # an e-mail or web address: its shape says which field it is


def read_contact_line(text: str, catalogue: Catalogue) -> list[ContactPart] | None:
    """The line's parts by field, or None when they cannot all be placed (the line stays unplaced)."""
    contact = [key for key, spec in catalogue.specs.items() if spec.contact]
    by_check = {catalogue.specs[key].check: key for key in contact if catalogue.specs[key].check}
    plain_keys = [key for key in contact if catalogue.specs[key].check is None]
    found: list[ContactPart] = []
    plain: list[str] = []
    for part in (p.strip() for p in _PARTS.split(text)):
        if not part:
            continue
        check = next((c for c, normaliser in _CERTAIN.items() if c in by_check and normaliser(part)), None)
        if check is not None:
            found.append(ContactPart(by_check[check], part, certain=True))
        elif any(ch.isdigit() for ch in part) or "@" in part or len(part.split()) > 12:
            return None  # a phone, a broken address or a sentence: not for a guess
        else:
            plain.append(part)
    if len(plain) > len(plain_keys) or len({p.key for p in found}) < len(found):
        return None
    found += [ContactPart(key, part, certain=False) for key, part in zip(plain_keys, plain, strict=False)]
    return found or None
