"""Review decisions follow a reply that is moved or renamed (its record ids hold its path), stay where they
are when it is copied, and are named, never silently dropped, when they apply to no record any more."""

from __future__ import annotations

import json
import shutil

import docx
from review_fixtures import extracted_reply
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def _review(*args: str):
    return runner.invoke(app, ["review", *args])


def _decided(tmp_path):
    """One reply with unplaced text, three kinds of decision taken on it: (inputs, records, store, id)."""
    inputs, out, record_id = extracted_reply(tmp_path, "x.docx")
    for option, *rest in (["--assign", "1", "partners"], ["--dismiss", "0"], ["--accept", "impact"]):
        done = _review(str(out), option, record_id, *rest)
        assert done.exit_code == 0, done.output
    return inputs, out, tmp_path / "review", record_id


def _items(out, prefix: str) -> list[dict]:
    """The record's fields and unplaced texts to decide (a copy also makes a duplicate group: not ours here)."""
    listed = _review(str(out), "--list", "--json")
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)
    return [item for item in items if item["record_id"].startswith(prefix) and item["kind"] != "duplicate"]


def test_decisions_follow_a_reply_moved_into_a_subfolder_and_the_old_file_is_kept(tmp_path):
    inputs, out, store, old_id = _decided(tmp_path)
    assert _items(out, "x.docx") == []
    (inputs / "belgique").mkdir()
    shutil.move(inputs / "x.docx", inputs / "belgique" / "x.docx")
    run = runner.invoke(app, [str(inputs), "--out", str(out), "--workers", "1", "-q"])
    assert run.exit_code == 0, run.output
    [new_id] = [p.stem for p in out.glob("belgique-x.docx-*.json")]
    assert f"4 review decisions on {old_id} followed its reply to belgique/x.docx (now {new_id})" in run.stdout
    assert _items(out, "belgique") == []  # nothing is back to decide
    record = json.loads((out / f"{new_id}.json").read_text(encoding="utf-8"))
    assert record["unassigned"][0]["review"]["action"] == "dismissed"
    assert record["unassigned"][1]["review"] == {**record["unassigned"][1]["review"], "field": "partners"}
    assert record["fields"]["impact"]["reviewed"] and record["fields"]["partners"]["reviewed"]
    carried = json.loads((store / f"{new_id}.json").read_text(encoding="utf-8"))
    assert carried["moved_from"] == [old_id] and len(carried["history"]) == 4
    assert not (store / f"{old_id}.json").exists()
    kept = json.loads((store / "moved" / f"{old_id}.json").read_text(encoding="utf-8"))
    assert kept["record_id"] == old_id and len(kept["decisions"]) == 4


def test_a_copied_reply_leaves_the_decisions_on_the_original_and_the_copy_undecided(tmp_path):
    inputs, out, store, old_id = _decided(tmp_path)
    shutil.copy(inputs / "x.docx", inputs / "copie.docx")
    run = runner.invoke(app, [str(inputs), "--out", str(out), "--workers", "1"])
    assert run.exit_code == 0, run.output
    assert "followed its reply" not in run.stdout and "apply to no record" not in run.stderr
    assert _items(out, "x.docx") == []
    assert {item["key"] for item in _items(out, "copie.docx")} >= {"unassigned.0", "unassigned.1"}
    assert len(json.loads((store / f"{old_id}.json").read_text(encoding="utf-8"))["decisions"]) == 4
    assert not (store / "moved").exists()


def test_decisions_that_apply_to_no_record_are_named_by_the_run_and_the_list(tmp_path):
    inputs, out, store, old_id = _decided(tmp_path)
    changed = docx.Document(str(inputs / "x.docx"))  # moved AND edited: other bytes, nothing sound to follow
    changed.paragraphs[0].text = "Version corrigée"
    changed.save(inputs / "renamed.docx")
    (inputs / "x.docx").unlink()
    run = runner.invoke(app, [str(inputs), "--out", str(out), "--workers", "1", "-q"])
    assert run.exit_code == 0, run.output
    warning = f"warning: 4 review decisions on {old_id} apply to no record"
    assert warning in run.stderr and "no reply read here has the bytes they were decided on" in run.stderr
    listed = _review(str(out), "--list")
    assert listed.exit_code == 0 and warning in listed.stderr and f"{old_id}.json" in listed.stderr
    assert (store / f"{old_id}.json").exists()  # never lost: put the reply back and they apply again
