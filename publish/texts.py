"""The compendium's own wording, in French and English. Each line that is not a reply's text is also
listed as non-reply text in extract/labels.toml ([form_text]), so reading a compendium back skips it."""

from __future__ import annotations

from functools import lru_cache

from extract.catalogue import load_catalogue

TEXTS = {
    "fr": {
        "title": "Recueil de bonnes pratiques en matière de cohésion sociale",
        "platform": "Plateforme européenne de cohésion sociale (PECS) – Conseil de l'Europe",
        "running_header": "Plateforme européenne de cohésion sociale – Recueil de bonnes pratiques",
        "count_intro": "Pratiques de ce recueil :",
        "contents": "Table des matières du recueil",
        "parts": {
            "I": "Partie I – La jeunesse et les enfants",
            "II": "Partie II – Migrants et réfugiés",
            "III": "Partie III – Crise économique, santé et protection sociale",
            "other": "Partie IV – Autres domaines",
        },
        "see_also": "Voir aussi dans ce recueil :",
        "not_reviewed": "Pratique non revue par le secrétariat",
        "no_submitter": "(soumissionnaire non indiqué)",
    },
    "en": {
        "title": "Compendium of good practices in social cohesion",
        "platform": "European Platform on Social Cohesion (PECS) – Council of Europe",
        "running_header": "European Platform on Social Cohesion – Compendium of good practices",
        "count_intro": "Practices in this compendium:",
        "contents": "Contents of the compendium",
        "parts": {
            "I": "Part I – Youth and children",
            "II": "Part II – Migrants and refugees",
            "III": "Part III – Economic crisis, health and social protection",
            "other": "Part IV – Other areas",
        },
        "see_also": "See also in this compendium:",
        "not_reviewed": "Practice not reviewed by the secretariat",
        "no_submitter": "(submitter not given)",
    },
}


@lru_cache(maxsize=2)
def form_labels(lang: str) -> dict[str, str]:
    """The form's own wording of each label: the first of the catalogue's variants in that language."""
    labels: dict[str, str] = {}
    for variant in load_catalogue().variants:
        if variant.lang == lang and variant.key not in labels:
            labels[variant.key] = variant.text
    return labels
