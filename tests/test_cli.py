"""The command line end to end: the shipped samples, a mixed batch, usage errors, the schema."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cli import app
from extract.record import Record

runner = CliRunner()


def test_samples_give_records_and_exit_zero(tmp_path):
    out = tmp_path / "structured"
    result = runner.invoke(app, [str(ROOT / "data" / "raw"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "_report.json").read_text(encoding="utf-8"))
    assert {f["status"] for f in report["files"]} == {"ok"}
    records = [
        Record.model_validate_json(p.read_text(encoding="utf-8"))
        for p in out.glob("*.json")
        if p.name != "_report.json"
    ]
    assert len(records) == 10
    assert "10 practices" in result.output


def test_shipped_outputs_are_current(tmp_path):
    out = tmp_path / "structured"
    runner.invoke(app, [str(ROOT / "data" / "raw"), "--out", str(out)])
    shipped = ROOT / "data" / "structured"
    assert sorted(p.name for p in out.glob("*.json")) == sorted(p.name for p in shipped.glob("*.json"))
    regenerate = "stale: regenerate the shipped outputs with `make samples`"
    for path in out.glob("*.json"):
        if path.name == "_report.json":
            continue
        assert path.read_text(encoding="utf-8") == (shipped / path.name).read_text(encoding="utf-8"), regenerate
    # The report too (it names the inputs as given, here an absolute path): nothing in it depends on the
    # clone, so the README's first command leaves the tracked report as it is.
    report = json.loads((out / "_report.json").read_text(encoding="utf-8"))
    report["inputs"] = ["data/raw"]
    for entry in report["files"]:
        entry["location"] = entry["location"].replace(str(ROOT) + "/", "")
        assert (out / entry["found_at"]).resolve() == (ROOT / "data" / "raw" / entry["path"]).resolve()
        entry["found_at"] = f"../raw/{entry['path']}"  # relative to the records folder: data/structured/
    assert report == json.loads((shipped / "_report.json").read_text(encoding="utf-8")), regenerate


def test_a_bad_file_fails_alone_and_the_good_records_are_written(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "good.docx")
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (inputs / "notes.txt").write_text("hello", encoding="utf-8")
    (inputs / "folder.docx").mkdir()
    out = tmp_path / "out"
    result = runner.invoke(app, [str(inputs), "--out", str(out)])
    assert result.exit_code == 1
    assert "broken.docx" in result.output and "damaged Word file" in result.output
    report = {f["path"]: f for f in json.loads((out / "_report.json").read_text(encoding="utf-8"))["files"]}
    assert report["good.docx"]["status"] == "ok" and len(report["good.docx"]["record_ids"]) == 1
    assert report["broken.docx"]["status"] == "error"
    assert report["notes.txt"]["status"] == "skipped" and "unsupported" in report["notes.txt"]["message"]
    assert report["folder.docx"]["status"] == "skipped" and "folder" in report["folder.docx"]["message"]
    assert (out / f"{report['good.docx']['record_ids'][0]}.json").exists()


def test_a_cover_letter_is_skipped_with_a_reason(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, [str(FIXTURES / "docx" / "cover_letter.docx"), "--out", str(out)])
    assert result.exit_code == 0
    assert "no questionnaire found" in result.output
    assert [p.name for p in out.glob("*.json")] == ["_report.json"]


def test_missing_input_is_a_usage_error(tmp_path):
    result = runner.invoke(app, [str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2


def test_the_records_folder_given_as_input_is_refused_and_its_report_kept(tmp_path):
    """`pecs-extract data/structured` (review or status meant): reading it listed every record as a skipped
    file and replaced the real run's report."""
    out = tmp_path / "structured"
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "raw", ignore=shutil.ignore_patterns(".*"))
    runner.invoke(app, [str(tmp_path / "raw"), "--out", str(out)])
    report = (out / "_report.json").read_bytes()
    result = runner.invoke(app, [str(out), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds records or review decisions, not replies" in result.output
    assert (out / "_report.json").read_bytes() == report


def test_records_inside_the_input_folder_are_not_taken_for_replies(tmp_path):
    (tmp_path / "replies").mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", tmp_path / "replies" / "reply.docx")
    for _ in range(2):  # the second run finds the first run's records and review store under its input
        result = runner.invoke(app, [str(tmp_path), "--out", str(tmp_path / "structured")])
        assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "structured" / "_report.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in report["files"]] == ["replies/reply.docx"]


def test_schema_command_prints_the_committed_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    committed = json.loads((ROOT / "docs" / "record.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == committed == Record.model_json_schema()


def test_every_command_has_help():
    for command in ([], ["extract"], ["schema"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_status_lists_each_replys_unanswered_questions_with_why(tmp_path):
    inputs = tmp_path / "raw"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "empty_and_placeholder.docx", inputs / "lux.docx")
    shutil.copy(FIXTURES / "docx" / "missing_rows_en.docx", inputs / "housing.docx")
    run = runner.invoke(app, [str(inputs), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert run.exit_code == 0 and "Unanswered questions in 2 practices" in run.output
    result = runner.invoke(app, ["status", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "housing.docx (practice 1): unanswered: partners (absent), impact (absent)" in result.output
    assert "lux.docx (practice 1): unanswered: success_conditions (placeholder)" in result.output
    listed = json.loads(runner.invoke(app, ["status", str(tmp_path / "out"), "--json"]).output)
    assert {r["source"] for r in listed} == {"lux.docx", "housing.docx"}
