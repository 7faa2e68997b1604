"""Scripted corrections never change an answer unseen: an empty value is refused (clearing a field is its own
option), and a decision whose record file cannot be rewritten is saved, in force, and said to be so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from review_fixtures import extract, extracted_reply, unplaced_reply
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


@pytest.fixture
def reply(tmp_path):
    return extracted_reply(tmp_path)


def _field(out, record_id: str, key: str) -> dict:
    return json.loads((out / f"{record_id}.json").read_text(encoding="utf-8"))["fields"][key]


def test_an_empty_value_is_refused_and_nothing_is_stored(tmp_path, reply):
    _, out, record_id = reply
    before = _field(out, record_id, "duration")
    assert before["value"]
    for value, stdin in (("", None), ("-", ""), ("-", "\n"), ("  ", None)):
        result = runner.invoke(app, ["review", str(out), "--set", record_id, "duration", value], input=stdin)
        assert result.exit_code == 2, (value, stdin, result.output)
        assert f"empty value for duration: nothing stored (to empty the field: --clear {record_id} duration)" in (
            result.stderr
        )
    assert not (tmp_path / "review").exists()
    assert _field(out, record_id, "duration") == before


def test_clear_empties_a_field_on_purpose(tmp_path, reply):
    _, out, record_id = reply
    result = runner.invoke(app, ["review", str(out), "--clear", record_id, "duration"])
    assert result.exit_code == 0, result.output
    assert f"corrected: {record_id} duration" in result.stdout
    duration = _field(out, record_id, "duration")
    assert duration["value"] is None and duration["reviewed"] and duration["review"]["extracted_value"]


def _read_only_mount(folder) -> bool:
    """`folder` as a tmpfs that can be made read-only later (root ignores permissions; a mount it cannot)."""
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)]).returncode == 0


def test_a_decision_on_a_read_only_records_folder_is_saved_in_force_and_said_so(tmp_path):
    mounted = _read_only_mount(tmp_path / "ro")
    if not mounted and os.geteuid() == 0:
        pytest.skip("running as root without mount rights: permissions cannot make a folder read-only")
    try:
        _decide_on_a_read_only_folder(tmp_path, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(tmp_path / "ro")], check=False)


def _decide_on_a_read_only_folder(tmp_path, mounted: bool) -> None:
    inputs, out, store = tmp_path / "raw", tmp_path / "ro" / "structured", tmp_path / "review"
    inputs.mkdir()
    unplaced_reply(inputs / "reponse.docx")
    extract(inputs, out, "--store", str(store))
    [record_id] = [p.stem for p in out.glob("reponse*.json")]
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro", str(tmp_path / "ro")], check=True)
    else:
        out.chmod(0o555)
    command = ["review", str(out), "--store", str(store), "--set", record_id, "duration", "2016-2020"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert f"warning: decision saved; the record file {record_id}.json could not be updated" in result.stderr
    assert "Traceback" not in result.output
    stored = json.loads((store / f"{record_id}.json").read_text(encoding="utf-8"))
    assert stored["decisions"]["duration"]["decided_value"] == "2016-2020"
    shown = runner.invoke(app, ["export", str(out), "--store", str(store), "--jsonl", str(tmp_path / "x.jsonl")])
    assert shown.exit_code == 0, shown.output
    assert "2016-2020" in (tmp_path / "x.jsonl").read_text(encoding="utf-8")  # in force where records are read
    if mounted:
        subprocess.run(["mount", "-o", "remount,rw", str(tmp_path / "ro")], check=True)
    else:
        out.chmod(0o755)
    extract(inputs, out, "--store", str(store))  # writable again: the next run writes the record as decided
    assert _field(out, record_id, "duration")["value"] == "2016-2020"
