"""Layouts an independent probe found that nobody had seen: a plain 'COUNTRY / Region' line above the
form, a numbered three-column table with a merged contact heading, the contact block typed as one
line after its heading. Hand-built layouts, no Word or PDF file."""

from __future__ import annotations

from test_extract_layouts import FORM, extract, para, table

from parsers.layout import Block


def test_a_plain_country_slash_region_line_above_the_form_is_the_submitter():
    for header in ("FRANCE / Métropole de Lyon", "IRELAND / Department of Social Protection (fictional)"):
        [record] = extract([para(header)] + table(FORM))
        assert record.submitter == header
        assert record.unassigned == [] and not record.needs_review


def test_an_ordinary_sentence_with_a_slash_above_the_form_is_not_the_submitter():
    sentence = "Réponse de notre ministère / envoyée le 3 mai"
    [record] = extract([para(sentence)] + table(FORM))
    assert record.submitter is None
    assert [u.text for u in record.unassigned] == [sentence]
    assert "unassigned_nearby" in record.fields.priority_domains.flags


def numbered_table(rows, merged_after: int):
    """No | label | answer, with one row merged across the three columns ('Coordonnées')."""
    blocks, row = [], 0
    for number, (label, answer) in enumerate(rows, 1):
        if number == merged_after + 1:
            blocks.append(Block(kind="cell", text="Coordonnées", table=0, row=row, column=0, span=3, bold=True))
            row += 1
        blocks.append(Block(kind="cell", text=f"{number}.", table=0, row=row, column=0))
        blocks.append(Block(kind="cell", text=label, table=0, row=row, column=1))
        blocks.append(Block(kind="cell", text=answer, table=0, row=row, column=2))
        row += 1
    return blocks


def test_a_merged_full_width_row_does_not_hide_the_numbering_column():
    [record] = extract([para("FRANCE")] + numbered_table(FORM, merged_after=14))
    assert record.fields.practice_name.value == "Nouveau congé parental"
    assert record.fields.duration.value == "indéfini"
    assert record.contact.name.value == "Dominique Weber"
    assert record.contact.email.value == "igss@example.org"
    assert not record.needs_review


def test_a_contact_line_after_its_heading_is_read_and_its_guessed_parts_flagged():
    line = "Contact: Rhian Evans, Example County Council – Youth Service, rhian.evans@example.org"
    [record] = extract(table(FORM[:14]) + [para(line)])
    assert record.contact.email.value == "rhian.evans@example.org" and record.contact.email.flags == []
    assert record.contact.name.value == "Rhian Evans"
    assert record.contact.organisation.value == "Example County Council – Youth Service"
    assert record.contact.name.flags == ["read_from_line"] == record.contact.organisation.flags
    assert record.unassigned == [] and record.needs_review


def test_a_contact_line_that_cannot_be_split_is_kept_unassigned_never_dropped():
    line = "Contact: Rhian Evans, Youth Service, Example County Council, +44 29 0000 0000"
    [record] = extract(table(FORM[:14]) + [para(line)])
    assert [u.text for u in record.unassigned] == [line.removeprefix("Contact: ")]
    assert record.contact.name.value is None and "label_missing" in record.contact.name.flags


FREE_FORM = [
    ("Priority area(s)", "Youth and children"),
    ("Name of the good practice", "Community Hubs"),
    ("Context in which this practice takes place", "Rising household debt."),
    ("Aim", "Bring advice to food banks."),
    ("Target group(s)", "Families in debt."),
    ("Partners involved", "Local food banks."),
]


def numbered_paragraphs(rows):
    blocks = []
    for number, (label, answer) in enumerate(rows, 1):
        blocks += [para(f"{number}) {label}:", bold=True), para(answer)]
    return blocks


def test_british_wordings_of_the_questions_are_labels():
    rows = FREE_FORM + [("Timescale", "2014 onwards."), ("Summary", "Hubs open twice a week."), ("Delivery", "Pilots.")]
    [record] = extract(numbered_paragraphs(rows))
    assert record.fields.partners.value == "Local food banks."
    assert (record.fields.duration.value, record.fields.description.value) == (
        "2014 onwards.",
        "Hubs open twice a week.",
    )
    assert record.fields.implementation.value == "Pilots."


def test_more_british_wordings_are_labels_with_no_doubt():
    rows = FREE_FORM[:5] + [
        ("Partner organisations", "Local food banks."),
        ("Key success factors / transferability", "Trust."),
        ("Closing remarks, challenges and lessons learnt", "Stigma remains."),
        ("Worked example", "A father of two."),
    ]
    [record] = extract(numbered_paragraphs(rows))
    fields = record.fields
    assert [fields.partners.value, fields.success_conditions.value] == ["Local food banks.", "Trust."]
    assert [fields.final_remarks.value, fields.example.value] == ["Stigma remains.", "A father of two."]
    assert fields.partners.flags == fields.success_conditions.flags == fields.final_remarks.flags == []
    assert fields.example.flags == []


def test_a_numbered_colon_line_the_catalogue_does_not_know_is_never_swallowed_silently():
    rows = FREE_FORM + [("Funding arrangements", "Two local authorities pay the rent.")]
    [record] = extract(numbered_paragraphs(rows))
    assert "7) Funding arrangements:" in record.fields.partners.value
    assert "contains_label_text" in record.fields.partners.flags


def test_a_contact_label_followed_by_an_address_without_colon_is_its_own_field():
    rows = FORM + [("Téléphone", "+32 (0)81 00 00 00")]
    [record] = extract(table(rows) + [para("Page Internet https://www.example.org/conge-parental")])
    assert record.contact.phone.value == "+32 (0)81 00 00 00"
    assert record.contact.website.value == "https://www.example.org/conge-parental"
    assert record.contact.website.flags == [] and record.unassigned == []


def test_a_sentence_that_merely_ends_with_an_address_is_not_a_label():
    rows = FORM + [("Téléphone", "+32 (0)81 00 00 00")]
    [record] = extract(table(rows) + [para("Voir aussi le site https://www.example.org/conge-parental")])
    assert record.contact.website.value is None
