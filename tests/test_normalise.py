"""Table tests of the pure normalisers on ugly strings taken from real replies (the seed excerpt)."""

from __future__ import annotations

import pytest

from extract.catalogue import load_catalogue
from normalise import (
    bullet_text,
    clean_line,
    fold_label,
    is_placeholder,
    lines_to_value,
    normalise_email,
    normalise_phone,
    normalise_url,
    priority_areas,
    strip_control_chars,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Domaine (s) prioritaires1", "domaine s prioritaires"),
        ("Domaine (s) prioritaires9", "domaine s prioritaires"),
        (
            "Nom de la « bonne pratique » / de l’approche innovante :",
            "nom de la bonne pratique de l approche innovante",
        ),
        ("Mise en œuvre / étapes / \nprocessus", "mise en oeuvre etapes processus"),
        (".Nom", "nom"),
        ("Conditions de réussite / de \ntransférabilité", "conditions de reussite de transferabilite"),
    ],
)
def test_fold_label_ignores_accents_quotes_breaks_and_glued_footnote_numbers(raw, expected):
    assert fold_label(raw) == expected


@pytest.mark.parametrize(
    "line, item",
    [
        ("\uf0b7 Mettre en place une plate-forme multi-acteurs", "Mettre en place une plate-forme multi-acteurs"),
        ("• Réduire les inégalités et prévenir les ruptures ;", "Réduire les inégalités et prévenir les ruptures ;"),
        ("- Vaste consultation et  élaboration", "Vaste consultation et  élaboration"),
        ("– Bilan de la mise en œuvre", "Bilan de la mise en œuvre"),
        ("o\tpremier point", "premier point"),
        ("-5 % de pauvreté", None),
        ("--", None),
        ("organisation et le fonctionnement.", None),
        ("2014-2019", None),
    ],
)
def test_bullet_glyphs_are_recognised_and_dashes_inside_text_are_not(line, item):
    assert bullet_text(line) == item


def test_lines_become_a_value_with_items_as_dash_lines_and_no_blank_lines():
    value = lines_to_value(
        [
            ("Le plan d’actions présente trois priorités :", False),
            ("\uf0b7\tValoriser et renforcer   les actions", False),
            ("Prendre en charge les jeunes", True),
            ("   ", False),
            ("ligne 1\nligne 2", False),
        ]
    )
    assert value == (
        "Le plan d’actions présente trois priorités :\n- Valoriser et renforcer les actions\n"
        "- Prendre en charge les jeunes\nligne 1\nligne 2"
    )
    assert lines_to_value([(" ", False)]) is None


@pytest.mark.parametrize(
    "text, placeholder",
    [
        ("--", True),
        (" -- ", True),
        ("Néant", True),
        ("N/A", True),
        ("n/a.", False),
        ("…", True),
        ("/", True),
        ("indéfini", False),
        ("Aucun rapport n’a encore témoigné de l’impact", False),
        ("Plan lancé en 2016", False),
    ],
)
def test_placeholder_answers_are_told_from_short_real_answers(text, placeholder):
    assert is_placeholder(text) is placeholder


def test_control_characters_and_soft_hyphens_are_removed_but_newlines_kept():
    assert strip_control_chars("a\x00b\x0bc\u200bd\u00ade\nf\tg") == "abcde\nf\tg"
    assert clean_line("  Partenaires\u00a0sociaux \t ") == "Partenaires sociaux"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("contact@example.org ", "contact@example.org"),
        ("mailto:contact@example.org", "contact@example.org"),
        ("<contact@example.org>", "contact@example.org"),
        ("a@example.org; b@example.org", "a@example.org; b@example.org"),
        ("contact@example", None),
        ("contact at example dot org", None),
        ("Prénom Nom", None),
    ],
)
def test_emails_are_trimmed_validated_and_otherwise_kept_as_typed(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("http://cohesionsociale.wallonie.be ", "http://cohesionsociale.wallonie.be"),
        ("www.example.org", "www.example.org"),
        (
            "https://wikispiral.org/tiki-index.php?page=Together+-+Statuts",
            "https://wikispiral.org/tiki-index.php?page=Together+-+Statuts",
        ),
        ("example.org/fr/conge-parental", "example.org/fr/conge-parental"),
        ("voir notre site", None),
        (
            "http://www.example.org/fr/conge-parental/ informations-generales.html",
            "http://www.example.org/fr/conge-parental/informations-generales.html",
        ),
        ("www.example.org www.example.be", "www.example.org www.example.be"),
        ("https://housing.exa mple.org", None),  # wrapped inside a word: not two addresses, a doubt
        ("http://cohesionsociale. example.org", None),
    ],
)
def test_urls_are_trimmed_validated_and_joined_where_a_narrow_cell_wrapped_them(raw, expected):
    assert normalise_url(raw) == expected


def test_phones_are_kept_as_typed():
    assert normalise_phone("+32 (0)81 00 00 00") == "+32 (0)81 00 00 00"
    assert normalise_phone("à préciser") is None


@pytest.mark.parametrize(
    "answer, codes, other, inferred",
    [
        (
            "\uf0b7 la jeunesse et les enfants ;\n"
            "\uf0b7 la protection et l’intégration des migrants et des réfugiés ;\n"
            "Promotion de l’accès aux droits fondamentaux pour tous",
            ["I", "II"],
            ["Promotion de l’accès aux droits fondamentaux pour tous"],
            False,
        ),
        (
            "L’impact de la crise économique sur la santé et la protection sociale, en particulier la lutte contre la "
            "pauvreté et l’exclusion sociale et le fait que celles-ci peuvent favoriser la radicalisation violente.",
            ["III"],
            [],
            False,
        ),
        ("La jeunesse et les enfants", ["I"], [], False),
        ("II", ["II"], [], False),
        ("Priorité 3", ["III"], [], False),
        ("☒ I. Youth and children\n☐ II. Migrants and refugees\n☒ III. Economic crisis", ["I", "III"], [], False),
        ("Jeunes migrants isolés", ["I", "II"], ["Jeunes migrants isolés"], True),
        (
            "Promotion de la cohésion sociale au niveau local et de l’accès de tous, générations futures incluses, au "
            "bien-être social et économique",
            [],
            [
                "Promotion de la cohésion sociale au niveau local et de l’accès de tous, "
                "générations futures incluses, au bien-être social et économique"
            ],
            False,
        ),
    ],
)
def test_priority_answers_map_to_codes_and_keep_own_wording(answer, codes, other, inferred):
    areas = priority_areas(answer, load_catalogue().priority)
    assert (areas.codes, areas.other, areas.inferred) == (codes, other, inferred)
