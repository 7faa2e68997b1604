"""Other forms through the same machinery: a second questionnaire from its spec alone (replies in Word and
PDF, English and German, pinned by goldens and truth), `schema --form`, `form init` drafting a usable spec
from the blank PECS questionnaire, and a changed spec making the next run read every file again."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, records_of
from typer.testing import CliRunner

from cli import app
from extract.form_draft import NoLabelsFound, draft_form
from forms import load_form, parse_form
from parsers.layout import Block, Layout
from pipeline.reading import Candidate, ExtractOptions, read_records

SPECS = FIXTURES / "form_specs"
SURVEY = SPECS / "survey.toml"
SURVEY_REPLIES = sorted((SPECS / "survey").glob("*/*.docx")) + sorted((SPECS / "survey").glob("*/*.pdf"))
BLANKS = [SPECS / "blank_pecs_fr.docx", SPECS / "blank_pecs_fr.pdf"]
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


@cache
def _survey_records(path: Path):
    return read_records(Candidate(path, path.name), ExtractOptions.for_form(SURVEY))


@pytest.mark.parametrize("path", SURVEY_REPLIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_survey_replies_match_their_golden_and_truth(path):
    report, records = _survey_records(path)
    actual = json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False, indent=2) + "\n"
    golden = path.with_suffix(".expected.json")
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden for {path.name}: UPDATE_GOLDENS=1 pytest tests/test_other_forms.py"
    assert json.loads(actual) == json.loads(golden.read_text(encoding="utf-8"))
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))["records"]
    assert report.status == "ok" and len(records) == len(truth)
    for record, expected in zip(records, truth, strict=True):
        assert {key: field.value for key, field in record.all_fields()} == expected
        assert not record.needs_review and record.priority_areas == []
        assert record.language == ("de" if "_de" in path.name else "en")


def test_a_survey_record_has_the_survey_keys_and_nothing_of_the_pecs_form():
    _, records = _survey_records(SPECS / "survey" / "docx" / "survey_en.docx")
    dumped = records[0].model_dump(mode="json")
    assert list(dumped["fields"]) == ["event", "held_on", "participants", "feedback"]
    assert dumped["contact"] == {}


def test_schema_of_another_form_comes_from_its_spec():
    result = CliRunner().invoke(app, ["schema", "--form", str(SURVEY)])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert list(schema["$defs"]["Fields"]["properties"]) == ["event", "held_on", "participants", "feedback"]
    assert schema["properties"]["language"]["enum"] == ["en", "de"]


def test_a_bad_spec_is_a_usage_error_naming_the_file(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(SURVEY.read_text(encoding="utf-8").replace('languages = ["en", "de"]', 'languages = ["en"]'))
    result = CliRunner().invoke(app, [str(SURVEY_REPLIES[0]), "--form", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "unknown key 'de'" in result.output


def test_the_german_pecs_reply_is_read_through_the_spec_german_labels():
    for path in (FIXTURES / "docx" / "table_grid_de.docx", FIXTURES / "pdf" / "table_grid_de.pdf"):
        _, records = records_of(path)
        assert [r.language for r in records] == ["de"]
        assert records[0].priority_areas == ["I", "II"] and not records[0].needs_review


@pytest.mark.parametrize("blank", BLANKS, ids=lambda p: p.name)
def test_form_init_drafts_a_spec_that_reads_pecs_replies_like_the_shipped_one(blank, tmp_path):
    draft = tmp_path / "draft.toml"
    result = CliRunner().invoke(app, ["form", "init", str(blank), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    spec = load_form(draft)
    assert spec.languages == ("fr",)
    assert len(spec.section_keys("practice")) == 14 and len(spec.section_keys("contact")) == 5
    assert spec.blank_form["fr"][0].startswith("Questionnaire sur les bonnes pratiques")
    reply = FIXTURES / "docx" / "multi_practice_fr.docx"
    _, shipped = records_of(reply)
    _, drafted = read_records(Candidate(reply, reply.name), ExtractOptions.for_form(draft))
    assert [[f.value for _, f in r.all_fields()] for r in drafted] == [
        [f.value for _, f in r.all_fields()] for r in shipped
    ]


def test_form_init_refuses_to_overwrite_and_names_an_unreadable_blank(tmp_path):
    existing = tmp_path / "spec.toml"
    existing.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(app, ["form", "init", str(BLANKS[0]), "-o", str(existing)])
    assert result.exit_code == 2 and existing.read_text(encoding="utf-8") == "keep me"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["form", "init", str(broken), "-o", str(tmp_path / "new.toml")])
    assert result.exit_code == 2 and "broken.docx" in result.output


def test_a_changed_spec_makes_the_next_run_read_every_file_again(tmp_path):
    replies, out, spec = tmp_path / "replies", tmp_path / "out", tmp_path / "survey.toml"
    replies.mkdir()
    shutil.copy(SPECS / "survey" / "docx" / "survey_en.docx", replies)
    shutil.copy(SURVEY, spec)
    args = [str(replies), "--form", str(spec), "-o", str(out), "--workers", "1"]
    assert CliRunner().invoke(app, args).exit_code == 0
    first = json.loads((out / "_report.json").read_text(encoding="utf-8"))["extractor"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert json.loads((out / "_report.json").read_text(encoding="utf-8"))["extractor"] == first
    spec.write_text(spec.read_text(encoding="utf-8").replace('"Feedback",', '"Feedback", "Your feedback",'))
    assert CliRunner().invoke(app, args).exit_code == 0
    assert json.loads((out / "_report.json").read_text(encoding="utf-8"))["extractor"] != first


def _block(text: str, **kind) -> Block:
    return Block(kind="paragraph", text=text, **kind)


def test_a_form_without_a_table_is_drafted_from_its_bold_lines_in_its_language():
    layout = Layout(
        format="docx",
        blocks=(
            _block("Umfrage zur Veranstaltung", heading=True),
            _block("Bitte füllen Sie für jede Veranstaltung eine Tabelle aus."),
            _block("Name der Veranstaltung:", bold=True),
            _block("Datum der Veranstaltung", bold=True),
            _block("E-Mail-Adresse der Kontaktperson", bold=True),
        ),
    )
    draft = draft_form(layout, "umfrage")
    spec = parse_form(tomllib.loads(draft.text))
    assert draft.language == "de" and spec.languages == ("de",)
    assert spec.section_keys("practice") == ("name_veranstaltung", "datum_veranstaltung", "mail_adresse_kontaktperson")
    assert [f.check for f in spec.fields] == [None, None, "email"]
    assert spec.fields[0].starts_practice == "always" and spec.fields[0].labels["de"] == ("Name der Veranstaltung",)
    assert spec.blank_form["de"] == (
        "Umfrage zur Veranstaltung",
        "Bitte füllen Sie für jede Veranstaltung eine Tabelle aus.",
    )


def test_a_layout_without_labels_gives_no_draft():
    with pytest.raises(NoLabelsFound):
        draft_form(Layout(format="docx", blocks=(_block("Madame, Monsieur,"),)), "letter")


def test_a_german_compendium_is_a_spec_edit_and_reads_back_into_the_same_records(tmp_path):
    from test_publish import _essence, _fixture_records, _read_back

    from publish.compendium import CompendiumOptions, build_compendium, save_compendium

    records = _fixture_records()
    target = tmp_path / "sammlung.docx"
    save_compendium(build_compendium(records, CompendiumOptions(lang="de", include_unreviewed=True)), target)
    back = _read_back(target)
    assert _essence(back) == _essence(records)
    assert {record.language for record in back} == {"de"}


def test_a_folder_of_another_form_records_says_which_form_they_answer(tmp_path):
    from records import list_records

    out = tmp_path / "out"
    args = [str(SPECS / "survey" / "docx" / "survey_de.docx"), "--form", str(SURVEY), "-o", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    record = json.loads(next(p for p in out.glob("*.json") if p.name != "_report.json").read_text(encoding="utf-8"))
    assert record["form"] == "event-survey"
    problems = list_records(out).problems()
    assert problems and all("a record of the form 'event-survey'" in problem for problem in problems)


def test_the_german_blank_form_wording_is_never_taken_as_a_value(tmp_path):
    """A German reply that keeps the German questionnaire's title and instructions ([blank_form] de) above
    its submitter: they are neither a value nor unplaced text (without that wording, they were four pieces
    of unplaced text to review)."""
    import sys

    import docx

    sys.path.insert(0, str(FIXTURES))
    import form_fixtures as f

    document = docx.Document()
    for line in load_form().blank_form["de"][:4]:
        document.add_paragraph(line)
    f.b.header(document, f.NACHBARSCHAFT["submitter"])
    f.b.table_form(document, f.NACHBARSCHAFT, f.DE_LABELS)
    path = tmp_path / "antwort_de.docx"
    document.save(path)
    _, [record] = read_records(Candidate(path, path.name))
    _, [reference] = records_of(FIXTURES / "docx" / "table_grid_de.docx")
    texts = [field.value or "" for _, field in record.all_fields()] + [u.text for u in record.unassigned]
    assert not [line for line in load_form().blank_form["de"][:4] if any(line in text for text in texts)]
    assert record.unassigned == [] and record.submitter == reference.submitter and not record.needs_review
    assert [f.value for _, f in record.all_fields()] == [f.value for _, f in reference.all_fields()]


def test_replies_of_one_form_are_refused_into_a_folder_of_another_forms_records(tmp_path):
    """A survey extracted into the PECS records' folder (--out forgotten) made a folder of two forms, which
    review, the compendium and the exports refuse, and which no later run of either form cleared."""
    out = tmp_path / "structured"
    pecs = [str(FIXTURES / "docx" / "table_grid_fr.docx"), "-o", str(out), "--workers", "1"]
    assert CliRunner().invoke(app, pecs).exit_code == 0
    before = sorted(p.name for p in out.iterdir())
    survey = [str(SPECS / "survey" / "docx" / "survey_de.docx"), "--form", str(SURVEY), "-o", str(out)]
    result = CliRunner().invoke(app, survey)
    assert result.exit_code == 2
    assert "holds records of the form 'pecs-2017'" in result.output and "another folder (--out)" in result.output
    assert sorted(p.name for p in out.iterdir()) == before
    assert CliRunner().invoke(app, [*survey[:3], "-o", str(tmp_path / "survey")]).exit_code == 0
