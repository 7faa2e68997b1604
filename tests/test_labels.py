"""The label matcher: every known variant is found; answer text never becomes a label."""

from __future__ import annotations

import sys

import pytest
from conftest import FIXTURES

from extract.segment import FREE_LABEL_CUTOFF, INLINE_LABEL_CUTOFF, TABLE_LABEL_CUTOFF

sys.path.insert(0, str(FIXTURES))
import practices

VARIANTS = [
    ("Domaine (s) prioritaires1", "priority_domains"),
    ("Domaine(s) prioritaire(s)", "priority_domains"),
    ("Domaines prioritaires :", "priority_domains"),
    ("Priority area(s)", "priority_domains"),
    ("Nom de la « bonne pratique » / de l'approche innovante", "practice_name"),
    ('Nom de la "bonne pratique" / \nde l’approche innovante', "practice_name"),
    ("Name of the good practice / innovative approach", "practice_name"),
    ("Contexte dans lequel s'inscrit cette pratique", "context"),
    ("Contexte :", "context"),
    ("Context", "context"),
    ("But", "aim"),
    ("Buts", "aim"),
    ("But :", "aim"),
    ("Aim", "aim"),
    ("Groupe(s) cible(s)", "target_groups"),
    ("Groupes cibles", "target_groups"),
    ("Target group(s)", "target_groups"),
    ("Partenaires impliqués", "partners"),
    ("Partenaires impliques", "partners"),
    ("Partners involved", "partners"),
    ("Durée", "duration"),
    ("Duree :", "duration"),
    ("DURÉE", "duration"),
    ("Duration", "duration"),
    ("Description concise", "description"),
    ("Brief description", "description"),
    ("Mise en œuvre / étapes / processus", "implementation"),
    ("Mise en oeuvre", "implementation"),
    ("Mise en œuvre / étapes / \nprocessus", "implementation"),
    ("Implementation / steps / process", "implementation"),
    ("Impact", "impact"),
    ("IMPACT :", "impact"),
    ("Conditions de réussite / de transférabilité", "success_conditions"),
    ("Conditions de réussite / de \ntransférabilit", "success_conditions"),
    ("Conditions for success / transferability", "success_conditions"),
    (
        "Quelle pratique/politique, quel instrument du Conseil de l’Europe ou d’autres institutions internationales "
        "a été utilisé ? Si ce n’est pas le cas, merci d’en expliquer la raison",
        "instruments_used",
    ),
    (
        "Quelle pratique/politique, quel instrument du Conseil de l'Europe ou d'autres institutions internationales a "
        "été utilisé ?",
        "instruments_used",
    ),
    ("Council of Europe or other international instruments used", "instruments_used"),
    (
        "Remarques finales, défis (y compris les problèmes rencontrés lors de la mise en œuvre), enseignements tirés",
        "final_remarks",
    ),
    ("Remarques finales, défis, enseignements tirés", "final_remarks"),
    ("Final remarks / challenges / lessons learnt", "final_remarks"),
    ("Exemple concret / illustration de cette pratique", "example"),
    ("Exemple concret / illustration de \ncette pratique", "example"),
    ("Concrete example", "example"),
    ("Coordonnées", "contact"),
    ("Coordonnees", "contact"),
    ("Contact details", "contact"),
    ("Nom", "contact.name"),
    (".Nom", "contact.name"),
    ("Name", "contact.name"),
    ("Organisation", "contact.organisation"),
    ("Organization", "contact.organisation"),
    ("Email", "contact.email"),
    ("E-mail :", "contact.email"),
    ("Courriel", "contact.email"),
    ("Téléphone", "contact.phone"),
    ("Tél.", "contact.phone"),
    ("Telephone", "contact.phone"),
    ("Page Internet", "contact.website"),
    ("Site internet", "contact.website"),
    ("Website", "contact.website"),
]


@pytest.mark.parametrize("text, key", VARIANTS)
def test_every_known_label_variant_is_recognised_as_a_free_paragraph(catalogue, text, key):
    match = catalogue.match(text, FREE_LABEL_CUTOFF)
    assert match is not None and match.key == key, (text, match)


@pytest.mark.parametrize(
    "text, key",
    [
        ("Contxte dans lequel s'inscrit cete pratique", "context"),
        ("Partenaires implqués", "partners"),
        ("Groupe cibles visés", "target_groups"),
        ("Durre", "duration"),
    ],
)
def test_typos_in_a_table_label_column_are_found_but_weak_ones_are_marked(catalogue, text, key):
    match = catalogue.match(text, TABLE_LABEL_CUTOFF, allow_longer=True)
    assert match is not None and match.key == key
    if text == "Durre":
        assert not match.strong


def _answer_paragraphs():
    for practice in (
        practices.WALLONIE_PCS,
        practices.WALLONIE_TOGETHER,
        practices.FRANCE_PAUVRETE,
        practices.FRANCE_RADICALISATION,
        practices.FRANCE_PROSTITUTION,
        practices.LUXEMBOURG_CONGE,
        practices.IRELAND_YOUTH,
        practices.NGO_HOUSING,
    ):
        for key, answer in practice.items():
            if key in ("submitter",) or answer is None or isinstance(answer, str):
                continue
            yield from (text.removeprefix("- ") for text in answer)


def test_no_answer_paragraph_is_taken_for_a_label(catalogue):
    answers = list(_answer_paragraphs())
    matched = []
    for text in answers:
        head, sep, _ = text.partition(":")
        if catalogue.match(text, FREE_LABEL_CUTOFF) or (sep and catalogue.match(head, INLINE_LABEL_CUTOFF)):
            matched.append(text)
    assert len(answers) > 150
    assert matched == []


@pytest.mark.parametrize(
    "text",
    [
        "But the project went on regardless.",
        "Impact de la loi sur les familles",
        "Durée indéterminée, renouvelable",
        "Nom de la commune",
        "Les conditions de réussite sont nombreuses",
        "Partenaires sociaux",
        "Description du dispositif en annexe",
        "Contact avec les familles",
    ],
)
def test_short_labels_are_never_found_inside_longer_answer_text(catalogue, text):
    assert catalogue.match(text, FREE_LABEL_CUTOFF) is None


def test_no_answer_paragraph_is_taken_for_a_retyped_label_as_a_free_paragraph(catalogue):
    from extract.segment import pieces_from_layout
    from parsers.layout import Block, Layout

    answers = list(_answer_paragraphs())
    layout = Layout(format="docx", blocks=tuple(Block(kind="paragraph", text=text) for text in answers))
    labelled = [piece.text for piece in pieces_from_layout(layout, catalogue) if piece.label is not None]
    assert labelled == []


@pytest.mark.parametrize(
    "text, key",
    [
        ("Durée du projet", "duration"),
        ("Project duration", "duration"),
        ("Nom du projet", "practice_name"),
        ("Project name", "practice_name"),
        ("Objectifs de l'action", "aim"),
        ("Main objectives", "aim"),
        ("Nom de la personne de contact", "contact.name"),
        ("Email address of contact person", "contact.email"),
        ("Site web de l'organisation", "contact.website"),
        ("Coordonnées de la personne de contact", "contact"),
    ],
)
def test_retyped_labels_are_recognised_strongly(catalogue, text, key):
    from extract.retyped import match_retyped

    match = match_retyped(text, catalogue, TABLE_LABEL_CUTOFF)
    assert match is not None and match.key == key and match.strong, (text, match)


def test_two_labels_in_one_cell_are_no_guess(catalogue):
    from extract.retyped import match_retyped

    assert match_retyped("Contexte et objectifs de la démarche", catalogue, TABLE_LABEL_CUTOFF) is None


def test_short_answer_lines_even_in_bold_are_no_strong_label(catalogue):
    from extract.segment import pieces_from_layout
    from parsers.layout import Block, Layout

    short = [text for text in _answer_paragraphs() if len(text.split()) <= 12]
    layout = Layout(format="docx", blocks=tuple(Block(kind="paragraph", text=text, bold=True) for text in short))
    labelled = {p.text: p.label for p in pieces_from_layout(layout, catalogue) if p.label is not None}
    assert len(short) > 80
    # "Partenaires sociaux" on a bold line of its own may well be a retyped label: placed, but weak.
    assert set(labelled) <= {"Partenaires sociaux"} and not any(m.strong for m in labelled.values())


def test_the_retyping_words_are_spec_data_and_checked_on_loading():
    from forms import FormSpecError
    from forms.spec import parse_form

    base = {
        "form": {"id": "survey", "languages": ["en"]},
        "field": [{"key": "event", "en": ["Event"], "starts_practice": "always"}],
    }
    spec = parse_form({**base, "retyped": {"en": {"subject": ["project"], "subject_as": "of the event"}}})
    assert spec.retyped["en"]["subject"] == ("project",) and spec.retyped["en"]["qualifiers"] == ()
    with pytest.raises(FormSpecError, match="unknown key"):
        parse_form({**base, "retyped": {"en": {"subject": ["project"], "subject_as": "x", "synonyms": []}}})
