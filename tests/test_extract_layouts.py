"""Extraction from hand-written layouts: the hard cases need no Word or PDF file."""

from __future__ import annotations

from extract import extract_records
from parsers.layout import Block, Layout

FORM = [
    ("Domaine (s) prioritaires", "La jeunesse et les enfants"),
    ('Nom de la "bonne pratique" / de l’approche innovante', "Nouveau congé parental"),
    ("Contexte dans lequel s'inscrit cette pratique", "Article 27 de la Charte sociale européenne"),
    ("But", "Mieux répondre aux besoins des parents."),
    ("Groupe(s) cible(s)", "Père et mère"),
    ("Partenaires impliqués", "Partenaires sociaux"),
    ("Durée", "indéfini"),
    ("Description concise", "La réforme introduit une flexibilisation des périodes de congé."),
    ("Mise en œuvre / étapes / processus", "Entrée en vigueur le 1er décembre 2016"),
    ("Impact", "Plus de pères y ont recours."),
    ("Conditions de réussite / de transférabilité", "Un financement durable."),
    (
        "Quelle pratique/politique, quel instrument du Conseil de l’Europe ou d’autres institutions internationales "
        "a été utilisé ? Si ce n’est pas le cas, merci d’en expliquer la raison",
        "La Charte sociale européenne.",
    ),
    (
        "Remarques finales, défis (y compris les problèmes rencontrés lors de la mise en œuvre), enseignements tirés",
        "Aucune difficulté majeure.",
    ),
    ("Exemple concret / illustration de cette pratique", "Nombre de pères qui auront recours au congé"),
    ("Nom", "Dominique Weber"),
    ("Organisation", "IGSS"),
    ("Email", "igss@example.org"),
]


def para(text, **kw):
    return Block(kind="paragraph", text=text, **kw)


def table(rows, table_index=0):
    blocks = []
    for row, (label, answer) in enumerate(rows):
        blocks.append(Block(kind="cell", text=label, table=table_index, row=row, column=0))
        for line in [answer] if isinstance(answer, str) else answer:
            blocks.append(Block(kind="cell", text=line, table=table_index, row=row, column=1))
    return blocks


def extract(blocks, format="docx"):
    return extract_records(Layout(format=format, blocks=tuple(blocks)), f"test.{format}", "0" * 64)


def test_a_clean_table_form_gives_one_record_with_no_flag():
    [record] = extract([para("LUXEMBOURG", bold=True)] + table(FORM))
    assert record.submitter == "LUXEMBOURG"
    assert record.fields.duration.value == "indéfini"
    assert record.contact.email.value == "igss@example.org"
    assert record.priority_areas == ["I"]
    assert not record.needs_review and record.flagged() == []


def test_inline_label_inside_an_answer_does_not_cut_it_short():
    blocks = [
        para("Domaine (s) prioritaires", bold=True),
        para("La jeunesse et les enfants"),
        para("Nom de la bonne pratique", bold=True),
        para("Congé parental"),
        para("Contexte", bold=True),
        para("Impact : la réforme a changé les usages."),
        para("Impact", bold=True),
        para("Plus de pères."),
        para("But", bold=True),
        para("Mieux vivre."),
    ]
    [record] = extract(blocks)
    assert record.fields.context.value == "Impact : la réforme a changé les usages."
    assert "contains_label_text" in record.fields.context.flags
    assert record.fields.impact.value == "Plus de pères."


def test_english_answer_starting_with_but_is_not_the_aim_label():
    blocks = [
        para("Priority area(s)", bold=True),
        para("Youth and children"),
        para("Name of the good practice", bold=True),
        para("Youth Guarantee"),
        para("Context", bold=True),
        para("Unemployment rose."),
        para("But the crisis made it worse."),
        para("Aim", bold=True),
        para("Jobs for all."),
    ]
    [record] = extract(blocks)
    assert record.language == "en"
    assert record.fields.context.value == "Unemployment rose.\nBut the crisis made it worse."
    assert record.fields.aim.value == "Jobs for all."


def test_unknown_label_row_is_kept_unassigned_and_flags_its_neighbour():
    rows = FORM[:5] + [("Budget annuel", "1,2 M€")] + FORM[5:]
    [record] = extract(table(rows))
    assert [u.text for u in record.unassigned] == ["Budget annuel", "1,2 M€"]
    assert record.unassigned[0].near_field == "target_groups"
    assert "unassigned_nearby" in record.fields.target_groups.flags
    assert record.fields.partners.value == "Partenaires sociaux" and not record.fields.partners.flags


def test_several_practices_in_one_file_each_take_their_own_header():
    blocks = (
        [para("BELGIQUE", bold=True), para("Wallonie")]
        + table(FORM, 0)
        + [para("FRANCE", heading=True)]
        + table(FORM, 1)
        + table(FORM, 2)
    )
    records = extract(blocks)
    assert [r.submitter for r in records] == ["BELGIQUE / Wallonie", "FRANCE", "FRANCE"]
    assert [r.source.practice_index for r in records] == [0, 1, 2]
    assert len({r.record_id for r in records}) == 3
    assert all(r.contact.email.value == "igss@example.org" for r in records)


def test_weakly_matched_table_label_is_used_but_flagged():
    rows = [(label if label != "Durée" else "Durre", answer) for label, answer in FORM]
    [record] = extract(table(rows))
    assert record.fields.duration.value == "indéfini"
    assert "weak_label" in record.fields.duration.flags
    assert record.fields.duration.confidence <= 0.6


def test_placeholder_and_empty_answers_are_null_with_a_note_not_a_flag():
    rows = [(label, "--" if label == "Impact" else ("" if label == "Durée" else answer)) for label, answer in FORM]
    rows += [("Téléphone", ""), ("Page Internet", "")]
    [record] = extract(table(rows))
    assert record.fields.impact.value is None and record.fields.impact.notes == ["placeholder"]
    assert record.fields.impact.raw == "--" and record.fields.impact.flags == []
    assert record.fields.duration.value is None and record.fields.duration.notes == ["empty"]
    assert record.contact.phone.value is None and record.contact.phone.flags == []
    assert not record.needs_review
    assert [key for key, _ in record.unanswered()] == ["duration", "impact", "contact.phone", "contact.website"]


def test_a_row_the_table_form_does_not_have_is_absent_not_doubtful():
    rows = [(label, answer) for label, answer in FORM if label != "But"]
    [record] = extract(table(rows))
    assert record.fields.aim.notes == ["absent"] and record.fields.aim.flags == []
    assert not record.needs_review


def test_missing_label_with_unplaced_text_around_is_flagged_and_malformed_email_kept_but_flagged():
    rows = [(label if label != "But" else "Ce que nous voulons", answer) for label, answer in FORM]
    rows = [(label, "igss at example" if label == "Email" else answer) for label, answer in rows]
    [record] = extract(table(rows))
    assert record.fields.aim.flags == ["label_missing"] and record.fields.aim.confidence == 0.0
    assert record.unassigned and record.unassigned[0].text == "Ce que nous voulons"
    assert record.contact.email.value == "igss at example"
    assert "invalid_email" in record.contact.email.flags
    assert record.needs_review


def test_a_missing_label_in_paragraphs_stays_a_doubt_its_answer_may_be_in_the_field_above():
    blocks = []
    for label, answer in FORM[:8]:
        if label != "But":
            blocks += [para(label, bold=True), para(answer)]
    [record] = extract(blocks)
    assert record.fields.aim.flags == ["label_missing"]


def test_contact_block_missing_from_a_table_form_is_absent_but_with_unplaced_text_every_hole_is_flagged():
    [record] = extract(table(FORM[:14]))
    assert all(record.field(f"contact.{k}").notes == ["absent"] for k in ("name", "organisation", "email"))
    assert not record.needs_review
    # A compact contact table read as one paragraph (a PDF reader's failure): nothing may look settled.
    merged = para("Nom Dominique Weber Organisation IGSS Email igss@example.org")
    [record] = extract(table(FORM[:14]) + [para("Coordonnées", bold=True), merged])
    assert record.unassigned[0].text == merged.text and record.needs_review
    for key in ("name", "organisation", "email", "phone", "website"):
        assert record.field(f"contact.{key}").flags, key


def test_label_typed_with_its_answer_in_the_label_cell_is_split():
    rows = [(label, answer) for label, answer in FORM if label != "Durée"]
    blocks = table(rows) + [Block(kind="cell", text="Durée : 2016-2019", table=0, row=99, column=0)]
    [record] = extract(blocks)
    assert record.fields.duration.value == "2016-2019"


def test_a_document_without_the_form_gives_no_record():
    blocks = [
        para("Madame, Monsieur,"),
        para("Veuillez trouver ci-joint notre contribution."),
        para("Impact : voir annexe"),
        para("Camille Martin"),
    ]
    assert extract(blocks) == []


def test_blank_questionnaire_instructions_are_not_reply_text():
    blocks = [para("Merci de bien vouloir répondre aux questions suivantes.")] + table(FORM)
    [record] = extract(blocks)
    assert record.unassigned == [] and not record.needs_review


def test_text_before_the_form_that_is_not_a_header_is_kept_unassigned():
    blocks = [para("Réponse de notre ministère au questionnaire de la Plateforme, envoyée le 3 mai.")] + table(FORM)
    [record] = extract(blocks)
    assert record.submitter is None
    assert record.unassigned[0].near_field is None
    assert "unassigned_nearby" in record.fields.priority_domains.flags


def test_every_value_points_back_to_its_blocks():
    [record] = extract(table(FORM))
    locations = record.fields.practice_name.provenance
    assert [(loc.part, loc.table, loc.row, loc.column) for loc in locations] == [("label", 0, 1, 0), ("value", 0, 1, 1)]


def test_numbered_labels_and_tab_separated_answers_are_read():
    blocks = [
        para("1. Domaine (s) prioritaires\tII"),
        para("2. Nom de la bonne pratique\tAccueil des réfugiés"),
        para("3. Contexte\tArrivées en 2015."),
        para("4. But\tLogement et langue."),
        para("5) Durée : 2015-2018"),
    ]
    [record] = extract(blocks)
    assert record.priority_areas == ["II"]
    assert record.fields.practice_name.value == "Accueil des réfugiés"
    assert record.fields.aim.value == "Logement et langue."
    assert record.fields.duration.value == "2015-2018"


def test_a_one_column_form_with_each_label_above_its_answer_is_read():
    rows = []
    for label, answer in FORM:
        rows += [label, answer]
    blocks = [Block(kind="cell", text=text, table=0, row=index, column=0) for index, text in enumerate(rows)]
    [record] = extract(blocks)
    assert record.fields.partners.value == "Partenaires sociaux"
    assert record.contact.name.value == "Dominique Weber"
    assert not record.needs_review


def pdf_cell(text, page, row, column, table, **kw):
    return Block(
        kind="cell",
        text=text,
        page=page,
        row=row,
        column=column,
        table=table,
        bbox=(90.0 if column == 0 else 306.0, 100.0, 300.0 if column == 0 else 510.0, 112.0),
        **kw,
    )


def test_a_label_split_by_a_page_break_with_the_answer_between_its_halves_is_joined():
    rows = [(label, answer) for label, answer in FORM if not label.startswith("Remarques")]
    blocks = table(rows[:12], 0)
    blocks += [
        pdf_cell("Remarques finales, défis (y compris les problèmes rencontrés lors de la mise en", 1, 0, 0, 5),
        pdf_cell("--", 1, 0, 1, 5),
        Block(kind="paragraph", text="16", page=1, role="furniture"),
        pdf_cell("œuvre), enseignements tirés", 2, 0, 0, 6),
    ]
    blocks += table(rows[12:], 7)
    [record] = extract(blocks, format="pdf")
    remarks = record.fields.final_remarks
    assert remarks.value is None and remarks.notes == ["placeholder"] and remarks.flags == []
    assert remarks.label.endswith("œuvre), enseignements tirés")
    assert record.unassigned == []


def test_an_answer_across_pages_is_one_paragraph_and_page_furniture_stays_out():
    blocks = table(FORM[:6], 0)
    blocks += [
        pdf_cell("Durée", 1, 0, 0, 1),
        pdf_cell("L’actuelle programmation couvre", 1, 0, 1, 1),
        Block(kind="paragraph", text="Recueil 2017 – page 3", page=1, role="furniture"),
        Block(kind="paragraph", text="1 https://example.org/note", page=1, role="footnote"),
        pdf_cell("la période 2014-2019.", 2, 0, 1, 2, continues=True),
        pdf_cell("Une seconde phase est prévue.", 2, 0, 1, 2),
    ]
    blocks += table(FORM[7:], 3)
    [record] = extract(blocks, format="pdf")
    assert record.fields.duration.value == (
        "L’actuelle programmation couvre la période 2014-2019.\nUne seconde phase est prévue."
    )
    assert {loc.page for loc in record.fields.duration.provenance} == {1, 2}
    assert record.source.pages == [1, 2]


def test_control_characters_never_reach_the_record():
    rows = [(label, f"{answer}\x00\x07\x1b" if label == "Impact" else answer) for label, answer in FORM]
    blocks = table(rows)
    blocks[0] = Block(kind="cell", text="Domaine (s) prioritaires\x0c", table=0, row=0, column=0)
    [record] = extract(blocks)
    dumped = record.model_dump_json()
    assert not any(f"\\u00{code:02x}" in dumped for code in list(range(0, 9)) + list(range(11, 32)))
    assert record.fields.impact.value == "Plus de pères y ont recours."


def test_glyphs_a_pdf_font_could_not_map_are_flagged():
    rows = [
        (label, "Partenaires \ufffd\ufffd sociaux" if label.startswith("Partenaires") else answer)
        for label, answer in FORM
    ]
    [record] = extract(table(rows))
    assert "unreadable_characters" in record.fields.partners.flags


def test_answer_lines_that_resemble_compendium_headings_stay_in_the_answer():
    rows = [
        (
            label,
            [
                "I. La jeunesse et les enfants",
                "II. La protection et l’intégration des migrants et des réfugiés",
                "Voir aussi le plan national",
            ]
            if label.startswith("Domaine")
            else answer,
        )
        for label, answer in FORM
    ]
    [record] = extract(table(rows))
    assert record.fields.priority_domains.value.count("\n") == 2
    assert record.priority_areas == ["I", "II"]


def test_retyped_labels_in_the_label_column_are_placed():
    retyped = {
        "Durée": "Durée du projet",
        "But": "Objectifs principaux",
        "Nom": "Nom de la personne de contact",
        "Email": "Adresse mail",
        "Organisation": "Organisme porteur",
    }
    [record] = extract(table([(retyped.get(label, label), answer) for label, answer in FORM]))
    assert record.fields.duration.value == "indéfini" and record.fields.duration.flags == []
    assert record.fields.aim.value == "Mieux répondre aux besoins des parents."
    assert record.contact.name.value == "Dominique Weber" and record.contact.email.value == "igss@example.org"
    assert record.unassigned == []


def test_a_label_with_extra_words_is_placed_but_flagged_weak():
    rows = [(label if label != "Partenaires impliqués" else "Partenaires associés au projet", a) for label, a in FORM]
    [record] = extract(table(rows))
    assert record.fields.partners.value == "Partenaires sociaux"
    assert record.fields.partners.flags == ["weak_label"]


def test_an_empty_answer_above_the_contact_heading_does_not_take_the_heading():
    rows = [(label, "" if label.startswith("Exemple") else answer) for label, answer in FORM]
    blocks = table(rows[:14]) + [
        Block(kind="cell", text="Coordonnées de la personne de contact", table=0, row=14, column=0, span=2, bold=True)
    ]
    blocks += table(rows[14:], 1)
    [record] = extract(blocks)
    assert record.fields.example.value is None and record.fields.example.notes == ["empty"]
    assert record.contact.name.value == "Dominique Weber"


def test_ordinary_document_with_the_forms_words_as_headings_is_no_practice():
    from extract import extract as run

    blocks = []
    for heading in ("1 Background", "2 Description", "3 Implementation", "4 Example", "5 Impact"):
        blocks += [para(heading, heading=True), para("The service routes each report to one team.")]
    blocks += [para("Name", bold=True), para("Prénom Nom")]
    result = run(Layout(format="docx", blocks=tuple(blocks)), "paper.docx", "0" * 64)
    assert result.records == []
    assert "looks partly like the form" in result.skip_reason
    assert "no practice-name or priority-areas label" in result.skip_reason


def test_markup_and_sentences_are_not_labels():
    blocks = [para("</context>", bold=True), para("[ Example", bold=True)]
    blocks += [para("The context of this practice is described below.", bold=True)]
    assert extract(blocks) == []


def test_a_label_run_into_the_answer_above_on_one_line_is_never_silent():
    """A tight gutter prints a label's first line and its answer's first line as one ('Nom de la "bonne
    pratique" / de Nouveau congé parental'): that row joins the answer above, so the answer holding it
    and the field left without its label are flagged, never the name noted absent."""
    rows = [list(row) for row in FORM]
    rows[0][1] = ["La jeunesse et les enfants", 'Nom de la "bonne pratique" / de Nouveau congé parental']
    del rows[1]
    [record] = extract([para("LUXEMBOURG", bold=True)] + table([tuple(row) for row in rows]))
    assert "contains_label_text" in record.fields.priority_domains.flags
    assert record.fields.practice_name.value is None and "label_missing" in record.fields.practice_name.flags
    assert "absent" not in record.fields.practice_name.notes


def test_an_answer_that_merely_shares_a_word_or_three_with_a_label_is_not_flagged():
    rows = [list(row) for row in FORM]
    rows[6][1] = "Nom de la mesure : congé parental, sans date de fin."  # three words of the name's label
    [record] = extract([para("LUXEMBOURG", bold=True)] + table([tuple(row) for row in rows]))
    assert not record.needs_review and record.flagged() == []
