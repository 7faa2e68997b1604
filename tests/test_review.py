"""The review loop end to end with the CLI: decisions are stored apart and survive every re-run."""

from __future__ import annotations

import html
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
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="a\nc\nnouvelle valeur\nq\n")
    assert walk.exit_code == 0, walk.output
    assert "items to decide" in walk.output and "saved: accepted" in walk.output and "saved: corrected" in walk.output
    assert "accepted 1, corrected 1; 2 items still to decide." in walk.output
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


def test_twenty_decisions_at_once_are_all_kept(tmp_path):
    """Each `review --set` is its own process; the store's lock keeps every one (none lost)."""
    import subprocess
    import sys

    _, out = _setup(tmp_path)
    [housing] = {i["record_id"] for i in _flagged(out) if i["record_id"].startswith("housing")}
    keys = [key for key in _record(out, housing)["fields"]] + [f"contact.{k}" for k in _record(out, housing)["contact"]]
    keys = (keys * 2)[:20]
    code = "import sys; from cli import main; sys.argv = ['pecs-extract', *sys.argv[1:]]; main()"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                code,
                "review",
                str(out),
                "--set",
                housing,
                key,
                f"value {n}",
                "--reviewer",
                f"r{n}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n, key in enumerate(keys)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    stored = json.loads((tmp_path / "review" / f"{housing}.json").read_text(encoding="utf-8"))
    assert len(stored["history"]) == 20 and stored["revision"] == 20
    assert {d["decided_by"] for d in stored["history"]} == {f"r{n}" for n in range(20)}
    for key in set(keys):
        last = max(n for n, k in enumerate(keys) if k == key)
        winner = stored["decisions"][key]
        assert winner["decided_value"] in {f"value {n}" for n, k in enumerate(keys) if k == key}, (key, last)


def test_an_extraction_run_waits_for_another_one_writing_to_the_same_folder(tmp_path):
    import subprocess
    import sys
    import time

    from records import folder_lock

    inputs, out = _setup(tmp_path)
    code = "import sys; from cli import main; sys.argv = ['pecs-extract', *sys.argv[1:]]; main()"
    with folder_lock(out):  # as if another run were writing there
        run = subprocess.Popen(
            [sys.executable, "-c", code, str(inputs), "--out", str(out), "--force", "--workers", "1"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(3)
        assert run.poll() is None  # still waiting
        report_before = (out / "_report.json").stat().st_mtime_ns
    _, err = run.communicate(timeout=180)
    assert run.returncode == 0 and b"another pecs-extract run is writing" in err
    assert (out / "_report.json").stat().st_mtime_ns > report_before


def test_the_record_shown_is_the_extraction_plus_the_decisions_of_the_store_it_is_read_with(tmp_path):
    """A decision made with another store, or whose record write was cut short, still shows everywhere."""
    from review.decisions import correct
    from review.session import ReviewSession
    from review.store import ReviewStore

    inputs, out = _setup(tmp_path)
    [housing] = {i["record_id"] for i in _flagged(out) if i["record_id"].startswith("housing")}
    other = tmp_path / "other-store"
    assert (
        runner.invoke(app, ["review", str(out), "--store", str(other), "--set", housing, "impact", "Autre"]).exit_code
        == 0
    )
    rows = tmp_path / "rows.jsonl"
    assert runner.invoke(app, ["export", str(out), "--store", str(other), "--jsonl", str(rows)]).exit_code == 0
    assert "Autre" in rows.read_text(encoding="utf-8")
    assert runner.invoke(app, ["export", str(out), "--jsonl", str(rows)]).exit_code == 0  # the default store: not
    assert "Autre" not in rows.read_text(encoding="utf-8")
    # a decision stored, then the process died before the record file was rewritten
    record = ReviewSession(out, tmp_path / "review").record(housing)
    correct(ReviewStore(tmp_path / "review"), record, "partners", "Stored only")
    assert _record(out, housing)["fields"]["partners"]["value"] != "Stored only"
    assert ReviewSession(out, tmp_path / "review").record(housing).fields.partners.value == "Stored only"
    _extract(inputs, out)  # an incremental run: the file is unchanged, the record is brought up to date
    assert _record(out, housing)["fields"]["partners"]["value"] == "Stored only"
    _extract(inputs, out)
    assert _record(out, housing)["fields"]["impact"]["value"] != "Autre"
    result = runner.invoke(app, [str(inputs), "--out", str(out), "--store", str(other), "--workers", "1"])
    assert result.exit_code == 0 and _record(out, housing)["fields"]["impact"]["value"] == "Autre"
    assert _record(out, housing)["fields"]["partners"]["value"] != "Stored only"  # that decision is elsewhere


def test_a_record_id_read_from_a_file_never_becomes_a_path(tmp_path):
    _, out = _setup(tmp_path)
    [housing] = {i["record_id"] for i in _flagged(out) if i["record_id"].startswith("housing")}
    data = _record(out, housing)
    data["record_id"] = "../../../escaped"
    (out / "evil.json").write_text(json.dumps(data), encoding="utf-8")
    listing = runner.invoke(app, ["review", str(out), "--list"])
    assert listing.exit_code == 0 and "evil.json" in listing.output and "skipped" in listing.output
    refused = runner.invoke(app, ["review", str(out), "--set", "evil", "impact", "x"])
    assert refused.exit_code == 2
    refused = runner.invoke(app, ["review", str(out), "--set", "../../../escaped", "impact", "x"])
    assert refused.exit_code == 2
    assert not (tmp_path.parent / "escaped.json").exists() and not (tmp_path / "escaped.json").exists()
    report = json.loads((out / "_report.json").read_text(encoding="utf-8"))
    report["files"][0]["record_ids"] = ["../../victim"]
    (out / "_report.json").write_text(json.dumps(report), encoding="utf-8")
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    _extract(tmp_path / "raw", out)
    assert victim.exists()


def test_unplaced_text_is_listed_assigned_dismissed_and_undone_from_the_command_line(tmp_path):
    from review_fixtures import UNPLACED_TEXT, unplaced_reply

    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    unplaced_reply(inputs / "reply.docx")
    _extract(inputs, out)
    items = _flagged(out)
    unplaced = [i for i in items if i["kind"] == "unassigned"]
    assert [(i["index"], i["near_field"]) for i in unplaced] == [(0, "implementation"), (1, "implementation")]
    rid = unplaced[0]["record_id"]
    listing = runner.invoke(app, ["review", str(out), "--list"]).output
    assert "unassigned 1 (after implementation)" in listing and "2 unplaced texts" in listing
    assert runner.invoke(app, ["review", str(out), "--assign", rid, "1", "impact"]).exit_code == 0
    assert runner.invoke(app, ["review", str(out), "--dismiss", rid, "0"]).exit_code == 0
    page = tmp_path / "review.html"
    assert runner.invoke(app, ["review", str(out), "--html", str(page)]).exit_code == 0
    assert "added to impact" in page.read_text(encoding="utf-8") and "dismissed" in page.read_text(encoding="utf-8")
    assert _record(out, rid)["needs_review"] is False
    _extract(
        inputs,
        out,
    )
    record = _record(out, rid)
    assert record["fields"]["impact"]["value"].startswith(UNPLACED_TEXT) and record["needs_review"] is False
    assert runner.invoke(app, ["review", str(out), "--undo", rid, "unassigned.1"]).exit_code == 0
    record = _record(out, rid)
    assert record["fields"]["impact"]["value"] is None and record["fields"]["impact"]["flags"] == ["label_missing"]
    assert record["needs_review"] and record["unassigned"][1]["review"] is None
    nothing = runner.invoke(app, ["review", str(out), "--undo", rid, "unassigned.1"])
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.output
    wrong = runner.invoke(app, ["review", str(out), "--assign", rid, "7", "impact"])
    assert wrong.exit_code == 2 and "no unplaced text number" in wrong.output


def test_an_empty_answer_stays_flagged_while_unplaced_text_elsewhere_waits(tmp_path):
    """Unplaced text could be any empty answer, not only the one beside it: the run's own decisions pass
    must not clear that doubt before a person has settled the text."""
    from review_fixtures import unplaced_reply

    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    reply = unplaced_reply(inputs / "reply.docx")
    document = docx.Document(str(reply))
    [row] = [r for r in document.tables[0].rows if r.cells[0].text.startswith("Remarques finales")]
    for paragraph in row.cells[1].paragraphs:
        paragraph.text = ""
    document.save(reply)
    _extract(inputs, out)
    [rid] = {i["record_id"] for i in _flagged(out)}
    remarks = _record(out, rid)["fields"]["final_remarks"]
    assert remarks["value"] is None and "empty" in remarks["notes"] and "unassigned_nearby" in remarks["flags"]
    for index in ("0", "1"):
        assert runner.invoke(app, ["review", str(out), "--dismiss", rid, index]).exit_code == 0
    remarks = _record(out, rid)["fields"]["final_remarks"]
    assert remarks["flags"] == [] and remarks["notes"] == ["empty"]


def test_the_terminal_walk_shows_the_neighbours_and_says_so_for_an_unknown_key(tmp_path):
    _, out = _setup(tmp_path)
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="x\n?\ns\ns\ns\nq\n")
    assert walk.exit_code == 0, walk.output
    assert "unknown key 'x'" in walk.output and "undo your last decision in this walk" in walk.output  # the help
    assert "  before: " in walk.output and "  after: " in walk.output  # the neighbouring fields
    assert "no decision; 4 items still to decide." in walk.output and "Next: pecs-extract review" in walk.output


def test_the_terminal_walk_keeps_either_side_of_a_stale_review_and_places_unplaced_text(tmp_path):
    from review_fixtures import UNPLACED_TEXT, unplaced_reply

    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    reply = unplaced_reply(inputs / "reply.docx")
    _extract(inputs, out)
    # implementation (a), impact (c, typed), text 0 (d), text 1 (f → impact, by number), end
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="a\nc\nDécidé\nd\nf\n10\n")
    assert walk.exit_code == 0, walk.output
    assert "unplaced text (after Mise en œuvre / étapes / processus)" in walk.output
    assert "accepted 1, assigned 1, corrected 1, dismissed 1; 0 items still to decide." in walk.output
    assert "Next: pecs-extract compendium" in walk.output
    [rid] = [p.stem for p in out.glob("reply*.json")]
    assert _record(out, rid)["fields"]["impact"]["value"] == f"Décidé\n{_record(out, rid)['unassigned'][1]['text']}"
    assert _record(out, rid)["unassigned"][1]["text"].startswith(UNPLACED_TEXT)
    document = docx.Document(str(reply))
    document.tables[0].rows[6].cells[1].paragraphs[0].text = "2014-2019"  # the sender sends a new version
    document.save(reply)
    _extract(inputs, out)
    stale = runner.invoke(app, ["review", str(out), "--interactive"], input="k\n")  # `implementation` holds: same
    assert "earlier decision (corrected" in stale.output and "new extraction:   (empty)" in stale.output
    assert "[k]eep the earlier decision" in stale.output, stale.output
    impact = _record(out, rid)["fields"]["impact"]
    assert impact["value"], stale.output
    assert impact["value"].startswith("Décidé\n") and impact["reviewed"] and impact["flags"] == []
    assert not _record(out, rid)["fields"]["implementation"]["flags"]  # the value accepted is read again as is
    left = runner.invoke(app, ["review", str(out), "--interactive"], input="q\n")
    assert "0 items to decide: none" in left.output and "Next: pecs-extract compendium" in left.output


def test_the_review_page_survives_a_source_changed_since_extraction(tmp_path):
    """Pictures are drawn in a killable worker that first checks the source's sha256: a source replaced
    since (here by a truncated file) gets no picture and a reason, and the page is still written."""
    inputs, out = _setup(tmp_path)
    pdf = inputs / "luxembourg.pdf"
    pdf.write_bytes(pdf.read_bytes()[:3000])
    page_path = tmp_path / "review.html"
    result = runner.invoke(app, ["review", str(out), "--html", str(page_path)])
    assert result.exit_code == 0, result.output
    page = page_path.read_text(encoding="utf-8")
    assert "data:image/png;base64," not in page
    assert "no picture of the source: the source file changed since extraction" in page


def test_a_placeholder_shows_what_was_typed():
    from extract.record import FieldValue
    from review.views import typed_placeholder

    field = FieldValue(value=None, raw="--", confidence=1.0, notes=["placeholder"])
    assert typed_placeholder(field) == "--"
    assert typed_placeholder(FieldValue(value="x", raw="x", confidence=1.0)) is None


def test_a_fresh_record_without_decisions_is_shown_the_same_whether_copied_or_not():
    """The worker applies the (absent) decisions to the records it just made without copying them: the
    result must be what the copying path gives, on every golden record, unplaced text included."""
    from extract.record import Record
    from records import apply_decisions

    checked = 0
    for path in sorted(FIXTURES.rglob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        for data in expected.get("records", []) if isinstance(expected, dict) else []:
            if data.get("form"):
                continue  # another form's record: its own model
            copied = apply_decisions(Record.model_validate(data), {})
            in_place = apply_decisions(Record.model_validate(data), {}, copy=False)
            assert in_place == copied, path.name
            checked += 1
    assert checked > 50


def test_the_review_page_names_questions_in_each_replys_language_and_explains_the_flags(tmp_path):
    from extract.vocabulary import FLAGS, Flag

    out = tmp_path / "structured"
    shutil.copytree(ROOT / "data" / "structured", out)  # the shipped samples: French and English replies
    page_path = tmp_path / "review.html"
    assert runner.invoke(app, ["review", str(out), "--html", str(page_path)]).exit_code == 0
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html><html lang='en'>")  # the page's own words are English
    assert "<th><span lang='en'>Target group(s)</span> <span class='label'>target_groups</span>" in page
    assert "<th><span lang='fr'>Groupe(s) cible(s)</span>" in page  # a French reply's question in French
    assert "<div class='value' lang='fr'>" in page and "<div class='value' lang='en'>" in page
    assert f"<td>weak_label</td><td>2</td><td>{html.escape(FLAGS[Flag.weak_label][0])}</td>" in page


def test_a_reviewer_corrects_the_submitter_from_the_command_line_and_it_survives_a_re_run(tmp_path):
    from review_fixtures import extracted_reply, reply_without_header

    inputs, out, rid = extracted_reply(tmp_path, "sans_entete.docx", reply_without_header)
    before = _record(out, rid)
    assert before["submitter"] is None and "submitter_uncertain" in before["fields"]["priority_domains"]["flags"]
    result = runner.invoke(app, ["review", str(out), "--set", rid, "submitter", "BELGIQUE / Wallonie"])
    assert result.exit_code == 0 and "corrected: " in result.output, result.output
    after = _record(out, rid)
    assert after["submitter"] == "BELGIQUE / Wallonie" and after["submitter_review"]["original"] is None
    assert "submitter_uncertain" not in after["fields"]["priority_domains"]["flags"]
    assert after["fields"]["priority_domains"]["flags"] == ["unassigned_nearby"]  # its own doubt stays
    _extract(inputs, out)  # read again: the decision holds
    assert _record(out, rid)["submitter"] == "BELGIQUE / Wallonie"
    assert runner.invoke(app, ["review", str(out), "--undo", rid, "submitter"]).exit_code == 0
    undone = _record(out, rid)
    assert undone["submitter"] is None and "submitter_review" not in undone
    assert "submitter_uncertain" in undone["fields"]["priority_domains"]["flags"]
    # the unplaced sentence is the header: given to the submitter, it becomes it (not added to it)
    assert runner.invoke(app, ["review", str(out), "--assign", rid, "0", "submitter"]).exit_code == 0
    assigned = _record(out, rid)
    assert assigned["submitter"] == "Contribution du Service public de Wallonie, envoyée par Prénom Nom."
    assert assigned["unassigned"][0]["review"]["field"] == "submitter" and not assigned["needs_review"]
