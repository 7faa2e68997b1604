"""The compendium's own wording and the form's labels, per language, from the form's spec (forms/).
Reading a compendium back knows the same lines as non-reply text (extract/catalogue.py)."""

from __future__ import annotations

from functools import lru_cache

from forms import load_form

CODES = load_form().codes  # the priority areas, one part of the compendium each

# language → the compendium's texts; `parts` by priority code, and "other" for the areas of no code
TEXTS = {
    lang: {**texts, "parts": {**texts["parts"], "other": texts["other_part"]}}
    for lang, texts in load_form().compendium.items()
}


@lru_cache(maxsize=8)
def form_labels(lang: str) -> dict[str, str]:
    """The form's own wording of each label: the first of the spec's labels in that language."""
    return {field.label_key: field.labels[lang][0] for field in load_form().fields}
