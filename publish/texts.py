"""The compendium's own wording and the form's labels, per language, from the form's spec (forms/).
Reading a compendium back knows the same lines as non-reply text (extract/catalogue.py)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from forms import load_form

CODES = load_form().codes  # the priority areas, one part of the compendium each

# language → the compendium's texts; `parts` by priority code, and "other" for the areas of no code
TEXTS: dict[str, dict[str, Any]] = {
    lang: {**texts, "parts": {**texts["parts"], "other": texts["other_part"]}}
    for lang, texts in load_form().compendium.items()
}


def quoted(text: str, lang: str) -> str:
    """`text` between the language's quotation marks: « text » (non-breaking spaces) or “text”."""
    return f"{TEXTS[lang]['quote_open']}{text}{TEXTS[lang]['quote_close']}"


def practice_title(number: int, name: str | None, lang: str) -> str:
    texts = TEXTS[lang]
    name = " ".join((name or "").split())  # a title is one paragraph, whatever lines the answer had
    return f"{texts['practice']} {number} – {name or texts['untitled']}"


@lru_cache(maxsize=8)
def form_labels(lang: str) -> dict[str, str]:
    """The form's own wording of each label: the first of the spec's labels in that language."""
    return {field.label_key: field.labels[lang][0] for field in load_form().fields}


# Spreadsheet column headers (the internal key stands in a second header row) and sheet names.
EXPORT_HEADERS = {
    "fr": {
        "record_id": "Identifiant",
        "submitter": "Soumissionnaire",
        "language": "Langue",
        "priority_areas": "Domaines (codes)",
        "priority_areas_other": "Domaines (texte du répondant)",
        "priority_domains": "Domaines prioritaires",
        "practice_name": "Nom de la pratique",
        "context": "Contexte",
        "aim": "But",
        "target_groups": "Groupes cibles",
        "partners": "Partenaires",
        "duration": "Durée",
        "description": "Description",
        "implementation": "Mise en œuvre",
        "impact": "Impact",
        "success_conditions": "Conditions de réussite",
        "instruments_used": "Instruments utilisés",
        "final_remarks": "Remarques finales",
        "example": "Exemple",
        "contact.name": "Contact : nom",
        "contact.organisation": "Contact : organisation",
        "contact.email": "Contact : e-mail",
        "contact.phone": "Contact : téléphone",
        "contact.website": "Contact : site",
        "duplicate_of": "Doublon de",
        "source_path": "Fichier source",
        "source_format": "Format",
        "source_sha256": "Empreinte SHA-256",
        "practice_index": "Rang dans le fichier",
        "pages": "Pages",
        "needs_review": "À revoir",
        "flagged_fields": "Champs signalés",
        "reviewed_fields": "Champs revus",
        "field": "Champ",
        "field_key": "Clé du champ",
        "flags": "Signalements",
        "notes": "Notes",
        "value": "Valeur",
        "part": "Partie",
        "text": "Texte",
    },
    "en": {
        "record_id": "Identifier",
        "submitter": "Submitter",
        "language": "Language",
        "priority_areas": "Areas (codes)",
        "priority_areas_other": "Areas (respondent's words)",
        "priority_domains": "Priority areas",
        "practice_name": "Practice name",
        "context": "Context",
        "aim": "Aim",
        "target_groups": "Target groups",
        "partners": "Partners",
        "duration": "Duration",
        "description": "Description",
        "implementation": "Implementation",
        "impact": "Impact",
        "success_conditions": "Conditions for success",
        "instruments_used": "Instruments used",
        "final_remarks": "Final remarks",
        "example": "Example",
        "contact.name": "Contact: name",
        "contact.organisation": "Contact: organisation",
        "contact.email": "Contact: e-mail",
        "contact.phone": "Contact: phone",
        "contact.website": "Contact: website",
        "duplicate_of": "Duplicate of",
        "source_path": "Source file",
        "source_format": "Format",
        "source_sha256": "SHA-256",
        "practice_index": "Position in file",
        "pages": "Pages",
        "needs_review": "Needs review",
        "flagged_fields": "Flagged fields",
        "reviewed_fields": "Reviewed fields",
        "field": "Field",
        "field_key": "Field key",
        "flags": "Flags",
        "notes": "Notes",
        "value": "Value",
        "part": "Part",
        "text": "Text",
    },
}
SHEET_NAMES = {
    "fr": {"all": "Toutes", "other": "Autres domaines", "flagged": "Champs signalés", "long": "Textes complets"},
    "en": {"all": "All", "other": "Other areas", "flagged": "Flagged fields", "long": "Full texts"},
}
