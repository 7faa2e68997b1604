"""The compendium's own wording per language, from the spec of the records' form (forms/), and the
exports' wording of the columns every record has. Reading a compendium back knows the compendium's
lines as non-reply text (extract/catalogue.py). The form's fields are headed by the spec's labels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from forms import FormSpec


class NoCompendiumTexts(ValueError):
    """The form's spec has no compendium wording in the language asked for: a usage error naming the spec."""


def compendium_languages(form: FormSpec) -> list[str]:
    """The languages the form's spec has compendium texts in (the first is the default)."""
    return list(form.compendium)


def compendium_texts(form: FormSpec, lang: str) -> dict[str, Any]:
    """The compendium's texts in `lang`: `parts` by priority code, plus "other" for the areas of no code
    when the form has codes. NoCompendiumTexts names the spec when it has none in `lang`."""
    if not form.compendium:
        raise NoCompendiumTexts(
            f"{form.path}: the form '{form.id}' has no compendium texts: add [compendium.LANG] to its spec "
            "(docs/forms.md)"
        )
    if lang not in form.compendium:
        known = ", ".join(form.compendium)
        raise NoCompendiumTexts(
            f"{form.path}: the form '{form.id}' has no compendium texts in '{lang}' (it has: {known}); "
            f"add [compendium.{lang}] to its spec (docs/forms.md)"
        )
    texts = form.compendium[lang]
    parts = dict(texts["parts"])
    if "other_part" in texts:
        parts["other"] = texts["other_part"]
    return {**DEFAULTS, **texts, "parts": parts}


# Wording a spec may lack (a form's own compendium texts predate it): English, and the language's quotes.
DEFAULTS = {"continued": "(continued)", "date_format": "{day} {month} {year}"}
_STRAIGHT_QUOTED = re.compile(r'"\s*([^"]*?)\s*"')
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_SPACED_PLURAL = re.compile(r"(?<=\w) (\((?:s|e|es|x|n|en)\))(?=\W|$)")  # the form's "Domaine (s)"


def typographic(text: str, texts: dict[str, Any]) -> str:
    """The form's wording as a publication prints it: "x" between the language's quotation marks
    (« x » with narrow no-break spaces, “x”, „x“), l'approche with an apostrophe (’), "Domaine (s)"
    as "Domaine(s)". Only the
    compendium's own lines and the form's labels: a reply's answer is printed as it was written."""
    text = _STRAIGHT_QUOTED.sub(lambda m: quoted(m.group(1), texts), text)
    text = _SPACED_PLURAL.sub(r"\1", text)
    return _STRAIGHT_APOSTROPHE.sub("\u2019", text)


def long_date(day: dt.date, texts: dict[str, Any]) -> str:
    """'29 novembre 2026', '29 November 2026', '29. November 2026' from the spec's wording; ISO 8601
    for a language whose spec names no months (never a month name in the wrong language)."""
    if "months" not in texts:
        return day.isoformat()
    number = texts.get("day_one") if day.day == 1 and texts.get("day_one") else str(day.day)
    return texts["date_format"].format(day=number, month=texts["months"][day.month - 1], year=day.year)


def quoted(text: str, texts: dict[str, Any]) -> str:
    """`text` between the language's quotation marks: « text » (narrow no-break spaces), “text”, „text“."""
    return f"{texts['quote_open']}{text}{texts['quote_close']}"


def practice_title(number: int, name: str | None, texts: dict[str, Any]) -> str:
    name = " ".join((name or "").split())  # a title is one paragraph, whatever lines the answer had
    return f"{texts['practice']} {number} – {name or texts['untitled']}"


# Spreadsheet column headers of what every record has (the internal key stands in a second header row), and
# sheet names; the form's own fields are headed from its spec (export_headers).
EXPORT_HEADERS = {
    "fr": {
        "record_id": "Identifiant",
        "submitter": "Soumissionnaire",
        "language": "Langue",
        "priority_areas": "Domaines (codes)",
        "priority_areas_other": "Domaines (texte du répondant)",
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
    "de": {
        "record_id": "Kennung",
        "submitter": "Einreichende Stelle",
        "language": "Sprache",
        "priority_areas": "Bereiche (Codes)",
        "priority_areas_other": "Bereiche (Wortlaut der Antwort)",
        "duplicate_of": "Duplikat von",
        "source_path": "Quelldatei",
        "source_format": "Format",
        "source_sha256": "SHA-256",
        "practice_index": "Position in der Datei",
        "pages": "Seiten",
        "needs_review": "Zu prüfen",
        "flagged_fields": "Markierte Felder",
        "reviewed_fields": "Geprüfte Felder",
        "field": "Feld",
        "field_key": "Feldschlüssel",
        "flags": "Markierungen",
        "notes": "Hinweise",
        "value": "Wert",
        "part": "Teil",
        "text": "Text",
    },
}
SHEET_NAMES = {
    "fr": {"all": "Toutes", "other": "Autres domaines", "flagged": "Champs signalés", "long": "Textes complets"},
    "en": {"all": "All", "other": "Other areas", "flagged": "Flagged fields", "long": "Full texts"},
    "de": {"all": "Alle", "other": "Andere Bereiche", "flagged": "Markierte Felder", "long": "Vollständige Texte"},
}


def export_headers(form: FormSpec, lang: str) -> dict[str, str]:
    """Column key → header in `lang`: the tool's wording of the columns every record has (English for a
    language it has none in), and the spec's `header` or first label of each of the form's fields."""
    headers = dict(EXPORT_HEADERS.get(lang, EXPORT_HEADERS["en"]))
    headers.update({f.label_key: form.header(f.label_key, lang) for f in form.fields if not f.heading})
    return headers


def sheet_names(lang: str) -> dict[str, str]:
    return SHEET_NAMES.get(lang, SHEET_NAMES["en"])
