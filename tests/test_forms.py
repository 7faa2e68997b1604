"""The form as data: the PECS spec, the record model and the README agree; a bad spec is refused clearly."""

from __future__ import annotations

import ast
import re
import sys
import typing

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cli import app
from extract.record import Record
from forms import PECS_FORM, FormSpecError, load_form, parse_form
from forms.spec import load_form_file

PECS = load_form()


def test_the_pecs_record_model_has_the_spec_keys_languages_and_codes():
    fields = Record.model_fields["fields"].annotation
    contact = Record.model_fields["contact"].annotation
    assert tuple(fields.model_fields) == PECS.section_keys("practice")
    assert tuple(contact.model_fields) == PECS.section_keys("contact")
    assert typing.get_args(Record.model_fields["language"].annotation) == PECS.languages
    (code_type,) = typing.get_args(Record.model_fields["priority_areas"].annotation)
    assert typing.get_args(code_type) == PECS.codes


def _contract_row(key: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(rf"^\| `{key}` \| (.*) \|$", readme, re.MULTILINE).group(1)


def test_the_readme_contract_table_lists_the_spec_fields_in_order():
    listed = re.findall(r"`(\w+)`", _contract_row("fields"))
    assert tuple(listed) == PECS.section_keys("practice")
    assert f"all {len(listed)} keys" in _contract_row("fields")
    assert tuple(re.findall(r"`(\w+)`", _contract_row("contact"))) == PECS.section_keys("contact")
    assert re.findall(r'"(\w+)"', _contract_row("priority_areas")) == list(PECS.codes)
    assert re.findall(r'"(\w+)"', _contract_row("language")) == list(PECS.languages)


def test_form_specs_are_read_with_the_standard_library_only():
    for path in (ROOT / "forms").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "forms", f"forms/{path.name} imports {name}"


def _minimal(**changes) -> dict:
    data = {
        "form": {"id": "survey", "languages": ["en", "de"]},
        "field": [
            {"key": "name", "en": ["Name"], "de": ["Name"], "starts_practice": "always", "expected": True},
            {"key": "city", "en": ["City"], "de": ["Stadt"]},
        ],
    }
    data.update(changes)
    return data


def test_a_minimal_spec_gives_its_keys_and_languages():
    spec = parse_form(_minimal(), "survey.toml")
    assert spec.section_keys("practice") == ("name", "city") and spec.languages == ("en", "de")
    assert spec.section_keys("contact") == () and spec.priority is None
    assert spec.min_fields == 2  # a two-question form: both, not the default three it cannot reach


@pytest.mark.parametrize(
    "change, message",
    [
        ({"form": {"id": "survey", "languages": ["en", "de"], "lang": "x"}}, "[form]: unknown key(s) lang"),
        ({"labels": {}}, "the file: unknown key(s) labels"),
        ({"field": [{"key": "name", "en": ["Name"], "de": ["Name"], "it": ["Nome"]}]}, "unknown key 'it'"),
        ({"field": [{"key": "name", "en": ["Name"]}]}, "[[field]] 'name': no labels in 'de'"),
        ({"field": [{"key": "a", "en": ["A"], "de": ["A"]}, {"key": "a", "en": ["B"], "de": ["B"]}]}, "used twice"),
        ({"field": [{"key": "Name!", "en": ["A"], "de": ["A"]}]}, "keys are lower-case letters"),
        ({"field": [{"key": "a", "en": ["A"], "de": ["A"], "section": "annex"}]}, "section 'annex' is not one of"),
        ({"field": [{"key": "a", "en": "A", "de": ["A"]}]}, "'en' must be a list of non-empty strings"),
        ({"priority": {"field": "nowhere", "code": [{"code": "I"}]}}, "[priority] field: 'nowhere' is not"),
        ({"priority": {"field": "name", "code": [{"code": "I", "keywords": ["(youth"]}]}}, "not a valid regular"),
        ({"priority": {"field": "name", "code": [{"code": "I", "fr": ["x"]}]}}, "unknown key(s) fr"),
        ({"blank_form": {"it": ["Grazie"]}}, "[blank_form]: unknown key(s) it"),
        ({"form": {"id": "survey", "languages": ["en", "en"]}}, "listed twice"),
        ({"form": {"id": "survey", "languages": ["en", "de"], "min_fields": 3}}, "min_fields: must be a whole number"),
        ({"field": [{"key": "a", "en": ["A"], "de": ["A"], "check": "iban"}]}, "check 'iban' is not one of"),
    ],
)
def test_a_spec_with_an_unknown_key_or_language_is_refused_naming_the_file(change, message):
    with pytest.raises(FormSpecError) as caught:
        parse_form(_minimal(**change), "survey.toml")
    assert str(caught.value).startswith("survey.toml: ") and message in str(caught.value)


def test_a_spec_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[form\nid = "x"', encoding="utf-8")
    with pytest.raises(FormSpecError, match=r"broken\.toml: not a valid TOML file"):
        load_form_file(broken)
    with pytest.raises(FormSpecError, match=r"missing\.toml: cannot be read"):
        load_form(tmp_path / "missing.toml")


def test_the_shipped_spec_is_the_packaged_pecs_form():
    assert PECS_FORM.name == "pecs-2017.toml" and PECS.id == "pecs-2017"
    assert "forms" in (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-data]")[1]


def test_no_pecs_field_key_or_language_is_written_in_the_extraction_code():
    """The PECS form lives in its spec: the code that reads replies names none of its keys or languages."""
    keys = [*PECS.section_keys("practice"), *(f"contact.{k}" for k in PECS.section_keys("contact"))]
    forbidden = [f'"{k}"' for k in keys] + [f".fields.{k}" for k in keys]  # ('aim' in prose is an example)
    forbidden += [f'"{language}"' for language in PECS.languages]
    for package in ("forms", "parsers", "extract", "normalise", "records", "pipeline"):
        for path in (ROOT / package).glob("*.py"):
            if path.name in ("language.py", "form_draft.py"):  # guessing a language knows languages by nature
                continue
            text = path.read_text(encoding="utf-8")
            named = [word for word in forbidden if word in text]
            assert not named, f"{package}/{path.name} names {named}"


def test_no_pecs_field_key_is_written_in_review_duplicates_or_publish():
    """Downstream of reading, the form is data too: the review, the duplicate grouping, the compendium and
    the exports (their Python and the desk's script) take every key from the records' spec."""
    keys = [*PECS.section_keys("practice"), *(f"contact.{k}" for k in PECS.section_keys("contact"))]
    forbidden = [f'"{k}"' for k in keys] + [f".fields.{k}" for k in keys] + [f".contact.{k}" for k in keys]
    forbidden += [f"item.{k}" for k in keys]  # the desk's script reads the item's keys
    for package in ("review", "publish", "duplicates"):
        for path in [*(ROOT / package).rglob("*.py"), *(ROOT / package).rglob("*.js")]:
            text = path.read_text(encoding="utf-8")
            named = [word for word in forbidden if word in text]
            if path.name != "texts.py":  # the tool's own wording of the columns every record has, per language
                named += [f'"{lang}"' for lang in PECS.languages if f'"{lang}"' in text]
            assert not named, f"{package}/{path.relative_to(ROOT / package)} names {named}"


def test_the_title_field_is_the_one_the_spec_marks_else_the_first_practice_field():
    assert PECS.title_key == "practice_name"  # `title = true` in forms/pecs-2017.toml
    assert parse_form(_minimal()).title_key == "name"
    fields = [
        {"key": "city", "en": ["City"], "de": ["Stadt"]},
        {"key": "name", "en": ["N"], "de": ["N"], "title": True},
    ]
    assert parse_form(_minimal(field=fields)).title_key == "name"
    areas = {"field": "topic", "code": [{"code": "A"}]}  # the priority areas' field never names a practice
    topic = [{"key": "topic", "en": ["Topic"], "de": ["Thema"]}, {"key": "city", "en": ["City"], "de": ["Stadt"]}]
    assert parse_form(_minimal(field=topic, priority=areas)).title_key == "city"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"field": [{"key": f, "en": [f], "de": [f], "title": True} for f in ("a", "b")]},
            "only one field can be the title",
        ),
        (
            {
                "field": [
                    {"key": "a", "en": ["A"], "de": ["A"]},
                    {"key": "m", "section": "contact", "en": ["M"], "de": ["M"], "title": True},
                ]
            },
            "only a practice field can be the title",
        ),
        ({"field": [{"key": "a", "en": ["A"], "de": ["A"], "header": {"it": "A"}}]}, "header: unknown key(s) it"),
        ({"compendium": {"en": {"parts": {}}}}, "see_also, other_part and parts are for a form with [priority]"),
    ],
)
def test_title_header_and_compendium_texts_are_checked_like_the_rest(change, message):
    with pytest.raises(FormSpecError) as caught:
        parse_form(_minimal(**change), "survey.toml")
    assert message in str(caught.value)


def test_the_pecs_spec_has_the_blank_form_wording_in_every_language_of_its_labels():
    assert set(PECS.blank_form) == set(PECS.languages)
    assert PECS.blank_form["de"][0].startswith("Fragebogen zu guten Praktiken")


def test_the_compendium_languages_come_from_the_spec():
    result = CliRunner().invoke(app, ["compendium", "--lang", "xx", "-o", "unused.docx"])
    assert result.exit_code == 2 and "fr, en" in result.output
