"""The review loop end to end with the CLI: decisions are stored apart and survive every re-run."""

from __future__ import annotations

import json
import shutil

import docx
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def _extract(inputs, out):
    result = runner.invoke(app, [str(inputs), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result


def _record(out, record_id):
    return json.loads((out / f"{record_id}.json").read_text(encoding="utf-8"))


def _flagged(out):
    result = runner.invoke(app, ["review", str(out), "--list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _setup(tmp_path):
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    # Two weakly matched labels in each (empty or placeholder answers are notes, not review items).
    shutil.copy(FIXTURES / "pdf" / "doubtful_labels_fr.pdf", inputs / "luxembourg.pdf")
    shutil.copy(FIXTURES / "docx" / "doubtful_labels_en.docx", inputs / "housing.docx")
    _extract(inputs, out)
    return inputs, out


def test_corrections_and_acceptances_survive_re_extraction_and_a_deleted_output(tmp_path):
    inputs, out = _setup(tmp_path)
    flagged = {(item["record_id"], item["field"]) for item in _flagged(out)}
    lux = next(r for r, f in flagged if r.startswith("luxembourg"))
    housing = next(r for r, f in flagged if r.startswith("housing"))
    assert runner.invoke(app, ["review", str(out), "--set", lux, "success_conditions", "Sans objet"]).exit_code == 0
    typed = runner.invoke(
        app,
        ["review", str(out), "--set", housing, "impact", "-"],
        input="Eight tenants out of ten\nkeep their lease.\n",
    )
    assert typed.exit_code == 0 and "corrected" in typed.output
    assert runner.invoke(app, ["review", str(out), "--accept", lux, "final_remarks"]).exit_code == 0
    store = tmp_path / "review"
    decisions = json.loads((store / f"{lux}.json").read_text(encoding="utf-8"))["decisions"]
    assert decisions["success_conditions"]["action"] == "corrected"
    assert decisions["final_remarks"]["action"] == "accepted"
    assert decisions["final_remarks"]["source_sha256"] == _record(out, lux)["source"]["sha256"]
    for rerun in ("same folder", "deleted folder"):
        if rerun == "deleted folder":
            shutil.rmtree(out)
        _extract(inputs, out)
        fields = _record(out, lux)["fields"]
        assert fields["success_conditions"]["value"] == "Sans objet", rerun
        assert fields["success_conditions"]["reviewed"] and fields["success_conditions"]["flags"] == []
        assert fields["success_conditions"]["confidence"] == 1.0
        assert fields["final_remarks"]["value"] is None and fields["final_remarks"]["reviewed"]
        assert _record(out, lux)["needs_review"] is False
        impact = _record(out, housing)["fields"]["impact"]
        assert impact["value"] == "Eight tenants out of ten\nkeep their lease."
        assert impact["review"]["extracted_value"] == "Eight tenants out of ten still hold their lease after two years."
    assert {(i["record_id"], i["field"]) for i in _flagged(out)} == {(housing, "partners")}


def test_a_changed_source_makes_the_decision_stale_with_both_values(tmp_path):
    inputs, out = _setup(tmp_path)
    [housing] = [i["record_id"] for i in _flagged(out) if i["field"] == "impact"]
    runner.invoke(app, ["review", str(out), "--set", housing, "impact", "Decided by a reviewer"])
    shutil.copy(FIXTURES / "docx" / "table_borderless_fr.docx", inputs / "housing.docx")  # the sender resent
    _extract(inputs, out)
    impact = _record(out, housing)["fields"]["impact"]
    assert "stale_review" in impact["flags"] and not impact["reviewed"]
    assert impact["review"]["decided_value"] == "Decided by a reviewer" and impact["review"]["stale"]
    assert impact["value"] and impact["value"].startswith("Le Réseau Together")
    settled = runner.invoke(app, ["review", str(out), "--accept", housing, "impact"])
    assert settled.exit_code == 0
    _extract(inputs, out)
    assert _record(out, housing)["fields"]["impact"]["flags"] == []


def test_removing_a_source_keeps_its_decisions(tmp_path):
    inputs, out = _setup(tmp_path)
    [housing] = [i["record_id"] for i in _flagged(out) if i["field"] == "impact"]
    runner.invoke(app, ["review", str(out), "--set", housing, "impact", "Kept"])
    (inputs / "housing.docx").unlink()
    _extract(inputs, out)
    assert not (out / f"{housing}.json").exists()
    assert (tmp_path / "review" / f"{housing}.json").exists()


def test_unknown_record_or_field_is_a_usage_error(tmp_path):
    _, out = _setup(tmp_path)
    [lux] = {i["record_id"] for i in _flagged(out) if i["record_id"].startswith("luxembourg")}
    unknown_record = runner.invoke(app, ["review", str(out), "--accept", "no-such-record", "impact"])
    assert unknown_record.exit_code == 2 and "unknown record" in unknown_record.output
    unknown_field = runner.invoke(app, ["review", str(out), "--set", lux, "budget", "x"])
    assert unknown_field.exit_code == 2 and "unknown field 'budget'" in unknown_field.output
    escaping = runner.invoke(app, ["review", str(out), "--accept", "../structured/x", "impact"])
    assert escaping.exit_code == 2


def test_every_flag_of_the_samples_can_be_cleared_by_scripted_commands(tmp_path):
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    shutil.copytree(ROOT / "data" / "raw", inputs)
    sample = docx.Document(str(inputs / "sample_wallonie_pcs.docx"))  # the samples have no doubt: make one
    sample.tables[0].rows[6].cells[0].paragraphs[0].runs[0].text = "Durre"  # "Durée" mistyped: weak_label
    sample.save(str(inputs / "sample_wallonie_pcs.docx"))
    _extract(inputs, out)
    pending = _flagged(out)
    assert pending
    for item in pending:
        assert runner.invoke(app, ["review", str(out), "--accept", item["record_id"], item["field"]]).exit_code == 0
    assert _flagged(out) == []
    _extract(inputs, out)
    assert _flagged(out) == []


def test_the_terminal_walk_saves_after_every_answer(tmp_path):
    _, out = _setup(tmp_path)
    before = _flagged(out)
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="a\nc\nnouvelle valeur\n.\nq\n")
    assert walk.exit_code == 0, walk.output
    assert "flagged fields" in walk.output and "saved." in walk.output
    after = _flagged(out)
    assert len(after) == len(before) - 2
    corrected = before[1]
    assert (
        _record(out, corrected["record_id"])["fields" if "." not in corrected["field"] else "contact"][
            corrected["field"].split(".")[-1]
        ]["value"]
        == "nouvelle valeur"
    )


def test_review_page_escapes_document_text_and_shows_pdf_sources(tmp_path):
    inputs, out = _setup(tmp_path)
    hostile = docx.Document(str(FIXTURES / "docx" / "table_grid_fr.docx"))
    cell = hostile.tables[0].rows[2].cells[1]
    cell.paragraphs[0].text = "<script>alert('x')</script> & <b>bold</b>"
    hostile.tables[0].rows[4].cells[1].paragraphs[0].text = ""  # an empty answer: flagged
    hostile.save(inputs / "hostile.docx")
    _extract(inputs, out)
    page_path = tmp_path / "review.html"
    result = runner.invoke(app, ["review", str(out), "--html", str(page_path)])
    assert result.exit_code == 0, result.output
    page = page_path.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert page.count("data:image/png;base64,") >= 2  # the Luxembourg PDF's flagged fields
    assert "needs review" in page
