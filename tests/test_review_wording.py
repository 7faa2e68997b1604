"""Small things a new user tripped over: counts that say what they count (and in the singular for one), the
next step naming the records folder, and a listing piped into `head` ending quietly."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from review_fixtures import extract, unplaced_reply
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
CODE = "import sys; from cli import main; sys.argv = ['pecs-extract', *sys.argv[1:]]; main()"


def _one_reply(tmp_path):
    inputs, out = tmp_path / "raw", tmp_path / "my records"
    inputs.mkdir()
    unplaced_reply(inputs / "reponse.docx")
    return inputs, out


def test_one_practice_is_said_in_the_singular_in_the_run_summary(tmp_path):
    inputs, out = _one_reply(tmp_path)
    run = runner.invoke(app, [str(inputs), "--out", str(out), "--workers", "1"])
    assert run.exit_code == 0, run.output
    assert "1 practice in " in run.stdout and "1 practices" not in run.stdout
    assert "Unanswered questions in 1 practice (" in run.stdout


def test_the_walk_header_counts_items_by_kind_and_flags_apart(tmp_path):
    inputs, out = _one_reply(tmp_path)
    extract(inputs, out)
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="q\n")
    assert walk.exit_code == 0, walk.output
    header = walk.stdout.splitlines()[0]
    assert header == (
        "1 record, 4 items to decide: 2 flagged fields (flags: unassigned_nearby 1, label_missing 1), 2 unplaced texts"
    )


def test_the_desk_names_the_records_folder_in_the_next_step(tmp_path):
    from starlette.testclient import TestClient

    from review.desk import create_app
    from review.session import ReviewSession
    from review.store import store_for

    inputs, out = _one_reply(tmp_path)
    extract(inputs, out)
    client = TestClient(create_app(ReviewSession(out, store_for(out))), base_url="http://127.0.0.1:8765")
    assert client.get("/api/items").json()["next_step"] == f"pecs-extract compendium '{out}'"
    script = (ROOT / "review" / "static" / "desk.js").read_text(encoding="utf-8")
    assert "state.nextStep = data.next_step" in script  # what the empty queue shows


def test_a_listing_whose_reader_went_away_ends_quietly(tmp_path):
    inputs, out = _one_reply(tmp_path)
    extract(inputs, out)
    listing = subprocess.Popen(
        [sys.executable, "-c", CODE, "review", str(out), "--list"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert listing.stdout is not None
    listing.stdout.close()  # as `| head` does once it has its lines: here before the first one
    _, errors = listing.communicate(timeout=120)
    assert listing.returncode == 141 and errors == "", errors
