"""Duplicate practices: a resent reply, a corrected resend, the same practice twice in one file and in a
compilation are grouped after extraction; identical copies are printed once, differing ones are one review
item that waits for a person (publish a copy, or different practices), never merged silently."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import zipfile

import docx
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cli import app
from duplicates import NEAR_FLAG
from pipeline.batch import run_batch

runner = CliRunner()
WALLONIE = "Plan de cohésion sociale dans les villes et communes de Wallonie"
NEW_DURATION = "La programmation suivante couvre la période 2020-2025."


def _records(out):
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json") if p.name[0] != "_"}


def _run(inputs, out):
    report = run_batch(inputs, out, isolate=False, review_dir=out.parent / "review")
    return report, _records(out)


def _corrected_resend(target):
    """table_grid_fr.docx with one answer changed, as a corrected reply sent again."""
    document = docx.Document(FIXTURES / "docx" / "table_grid_fr.docx")
    cells = [row.cells for table in document.tables for row in table.rows]
    duration = next(c for c in cells if c[0].text.strip().startswith("Durée"))
    duration[1].paragraphs[0].runs[0].text = NEW_DURATION
    for extra in duration[1].paragraphs[0].runs[1:]:
        extra.text = ""
    document.save(target)


def _twice_in_one_file(target):
    """table_grid_fr.docx whose whole body (header and form) is repeated: the same practice twice."""
    document = docx.Document(FIXTURES / "docx" / "table_grid_fr.docx")
    body = document.element.body
    content = [element for element in body if not element.tag.endswith("sectPr")]
    for element in content:
        body.insert(len(body) - 1, copy.deepcopy(element))
    document.save(target)


def _document_text(path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_a_resent_reply_is_grouped_and_printed_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", raw / "reponse.docx")
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", raw / "reponse (renvoi).docx")
    os.utime(raw / "reponse.docx", (1_600_000_000, 1_600_000_000))  # the first one came a day earlier
    os.utime(raw / "reponse (renvoi).docx", (1_600_090_000, 1_600_090_000))
    report, records = _run([raw], tmp_path / "structured")
    (group,) = report.duplicates
    assert group.status == "identical" and group.similarity == 100.0 and not group.differing_fields
    resent, first = "reponse-renvoi-.docx", "reponse.docx"
    assert group.chosen.startswith(resent)  # the most recent copy is published
    chosen = next(r for i, r in records.items() if i.startswith(resent))
    other = next(r for i, r in records.items() if i.startswith(first))
    assert chosen["duplicate_of"] is None and other["duplicate_of"] == chosen["record_id"]
    assert not any(NEAR_FLAG in f["flags"] for g in ("fields", "contact") for f in other[g].values())
    target = tmp_path / "c.docx"
    result = runner.invoke(app, ["compendium", str(tmp_path / "structured"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _document_text(target).count("Service public de Wallonie") == 1


def _no_near_flags(records) -> bool:
    return not any(
        NEAR_FLAG in f["flags"] for r in records.values() for g in ("fields", "contact") for f in r[g].values()
    )


def _differing_copies(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", raw / "reponse.docx")
    _corrected_resend(raw / "reponse corrigee.docx")
    out = tmp_path / "structured"
    report, records = _run([raw], out)
    return raw, out, report, records


def test_differing_copies_are_one_review_item_that_blocks_the_compendium_until_a_copy_is_chosen(tmp_path):
    raw, out, report, records = _differing_copies(tmp_path)
    (group,) = report.duplicates
    assert group.status == "differs" and group.differing_fields == ["duration"]
    assert 85 <= group.similarity < 100
    for record in records.values():  # every copy waits, no field is flagged for the group
        assert record["duplicate_group"]["status"] == "differs" and record["needs_review"]
        assert record["duplicate_group"]["differing_fields"] == ["duration"]
    assert _no_near_flags(records)
    blocked = runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx")])
    assert blocked.exit_code == 1 and f"duplicate group {group.id}: choose the copy to publish" in blocked.output
    listed = json.loads(runner.invoke(app, ["review", str(out), "--list", "--json"]).output)
    [item] = listed  # one item for the group, none per copy or per field
    assert item["kind"] == "duplicate" and item["group"] == group.id
    assert [d["field"] for d in item["differing"]] == ["duration"]
    assert NEW_DURATION in item["differing"][0]["values"] and len(item["copies"]) == 2
    assert "1 duplicate groups to decide" in runner.invoke(app, ["review", str(out), "--list"]).output

    kept = next(i for i in records if i.startswith("reponse-corrigee"))
    settled = runner.invoke(app, ["review", str(out), "--same-practice", group.id, kept, "--reviewer", "Ana"])
    assert settled.exit_code == 0, settled.output
    after = _records(out)
    assert after[kept]["duplicate_of"] is None and not any(r["needs_review"] for r in after.values())
    assert all(
        r["duplicate_of"] == kept and r["duplicate_group"]["status"] == "confirmed"
        for i, r in after.items()
        if i != kept
    )
    decisions = json.loads((tmp_path / "review" / "_duplicates.json").read_text(encoding="utf-8"))
    assert decisions[group.id]["decided_by"] == "Ana" and decisions[group.id]["keep"] == kept
    result = runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx")])
    assert result.exit_code == 0, result.output
    text = _document_text(tmp_path / "c.docx")
    assert text.count("Service public de Wallonie") == 1 and NEW_DURATION in text
    assert json.loads(runner.invoke(app, ["review", str(out), "--list", "--json"]).output) == []

    report, again = _run([raw], out)  # the decision outlives a new run
    assert report.duplicates[0].status == "confirmed" and again == after

    undone = runner.invoke(app, ["review", str(out), "--undo-group", group.id])
    assert undone.exit_code == 0 and "differs" in undone.output
    assert all(r["needs_review"] and r["duplicate_group"]["status"] == "differs" for r in _records(out).values())


def test_a_correction_on_one_copy_leaves_the_others_flags_alone_and_a_decided_field_stays_unflagged(tmp_path):
    _, out, _report, records = _differing_copies(tmp_path)
    first, second = sorted(records)
    before = _records(out)[second]
    corrected = runner.invoke(app, ["review", str(out), "--set", first, "context", "Un contexte réécrit."])
    assert corrected.exit_code == 0, corrected.output
    runner.invoke(app, ["duplicates", str(out)])  # regrouped: the copies now differ in `context` too
    after = _records(out)
    assert after[second]["fields"] == before["fields"]  # not a flag added to the other copy
    assert after[first]["fields"]["context"]["flags"] == [] and after[first]["fields"]["context"]["reviewed"]
    assert after[first]["duplicate_group"]["differing_fields"] == ["context", "duration"]
    assert after[first]["needs_review"]  # the group still waits, as one item
    items = json.loads(runner.invoke(app, ["review", str(out), "--list", "--json"]).output)
    assert [i["kind"] for i in items] == ["duplicate"]


def test_a_split_group_prints_both_practices(tmp_path):
    _, out, report, _ = _differing_copies(tmp_path)
    result = runner.invoke(app, ["review", str(out), "--different-practices", report.duplicates[0].id])
    assert result.exit_code == 0, result.output
    assert all(r["duplicate_of"] is None and not r["needs_review"] for r in _records(out).values())
    assert all("duplicate_group" not in r for r in _records(out).values())
    runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx")])
    assert _document_text(tmp_path / "c.docx").count("Service public de Wallonie") == 2
    listed = runner.invoke(app, ["duplicates", str(out)])
    assert f"{report.duplicates[0].id}  split" in listed.output
    unknown = runner.invoke(app, ["review", str(out), "--same-practice", "dup-0000000000", "x"])
    assert unknown.exit_code == 2 and "unknown duplicate group" in unknown.output


def test_the_same_practice_twice_in_one_file_is_one_group(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _twice_in_one_file(raw / "deux_fois.docx")
    report, records = _run([raw], tmp_path / "structured")
    assert len(records) == 2
    (group,) = report.duplicates
    assert group.status == "identical" and group.chosen.endswith("-0") and group.members[1].endswith("-1")


def test_the_samples_hold_three_practices_twice_single_reply_and_compilation(tmp_path):
    report, records = _run([ROOT / "data" / "raw"], tmp_path / "structured")
    assert len(records) == 10 and len(report.duplicates) == 3
    for group in report.duplicates:
        sources = sorted(records[m]["source"]["path"] for m in group.members)
        assert sources[0] == "sample_compilation.pdf" and sources[1].endswith(".docx")
        assert group.status == "identical"
    names = [r["fields"]["practice_name"]["value"] for r in records.values() if r["duplicate_of"] is None]
    assert len(names) == len(set(names)) == 7 and WALLONIE in " ".join(names)
    unknown = runner.invoke(app, ["duplicates", str(tmp_path / "structured"), "--confirm", "dup-0000000000"])
    assert unknown.exit_code == 2 and "unknown duplicate group" in unknown.output


def _copies_with_known_duplicates(folder):
    """120 records from one golden: names of many lengths, 30 like no other, near-duplicate names (a typo, a word
    added) with the same or changed answers, and records that carry an earlier grouping to undo."""
    from extract.record import Record

    golden = json.loads((FIXTURES / "docx" / "table_grid_fr.expected.json").read_text(encoding="utf-8"))
    base = Record.model_validate(golden["records"][0])
    words = ["jardin", "passerelle", "ruche", "phare", "tremplin", "voisinage", "escale", "horizon"]
    made = []
    for index in range(120):
        record = base.model_copy(deep=True)
        record.record_id = f"rec-{index:03d}"
        digits = [(index // 3) // 8**k % 8 for k in range(2)]  # every third record: another practice
        name = " ".join(["atelier"] * (index // 3 % 5) + [words[d] for d in digits])  # of many lengths
        if index % 3 == 1:  # the previous one's name with a typo: the same practice
            name = made[-1].fields.practice_name.value[:-2] + "x" + made[-1].fields.practice_name.value[-1]
        if index % 3 == 2 and index % 2:  # the same name, one answer changed: grouped, flagged as differing
            name = made[-1].fields.practice_name.value
            record.fields.description.value = f"Une tout autre pratique, numéro {index}."
        if index >= 90:  # a practice like no other
            name = hashlib.sha256(str(index).encode()).hexdigest()[: 8 + index % 20]
        record.fields.practice_name.value = name
        if index % 7 == 0:  # grouped by an earlier run with a record since gone
            record.duplicate_of = "rec-gone"
            record.fields.context.flags = [*record.fields.context.flags, NEAR_FLAG]
        made.append(record)
    for record in made:
        (folder / f"{record.record_id}.json").write_text(record.model_dump_json(indent=2), encoding="utf-8")


def test_grouping_reads_only_records_that_can_change_and_finds_the_same_groups_as_all_pairs(tmp_path):
    from duplicates.grouping import apply_groups, find_groups
    from duplicates.store import load_records, records_to_group, regroup

    folder = tmp_path / "records"
    folder.mkdir()
    _copies_with_known_duplicates(folder)
    everything = load_records(folder)
    expected_groups = find_groups(everything, {})
    expected = {r.record_id: r for r in apply_groups(everything, expected_groups)}
    subset = records_to_group(folder)
    assert len(subset) < len(everything)  # the records like no other were let go
    assert len(expected_groups) >= 25 and any(len(g.differing) > 1 for g in expected_groups)

    groups = regroup(folder, tmp_path / "review", when={})
    assert [(g.members, g.similarity, g.differing) for g in groups] == [
        (g.members, g.similarity, g.differing) for g in expected_groups
    ]
    after = {r.record_id: r for r in load_records(folder)}
    for record in everything:
        assert after[record.record_id] == expected.get(record.record_id, record)


def test_names_are_paired_by_length_windows_exactly_as_by_comparing_every_pair():
    from rapidfuzz import fuzz, process

    from duplicates.grouping import NAME_CUTOFF, name_pairs

    names = [
        "ab" * (length // 2) + "c" * (length % 2) + suffix
        for length in range(1, 60, 3)
        for suffix in ("", "x", "xy", "xyz", "abcabc")
    ]
    every = sorted(
        (i, i + 1 + j)
        for i in range(len(names))
        for _, _, j in process.extract(
            names[i], names[i + 1 :], scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
        )
    )
    assert len(every) > 50
    assert name_pairs(names) == every


def test_the_terminal_walk_shows_a_group_once_and_publishes_the_copy_chosen_by_its_number(tmp_path):
    _, out, report, _records_made = _differing_copies(tmp_path)
    (group,) = report.duplicates
    walk = runner.invoke(app, ["review", str(out), "--interactive"], input="2\n")
    assert walk.exit_code == 0, walk.output
    assert "1 item to decide: 1 duplicate group" in walk.output and "[1/1]" in walk.output
    assert "received 2 times" in walk.output and NEW_DURATION in walk.output
    assert "saved: published copy 2" in walk.output and "0 items still to decide" in walk.output
    second = group.members[1]
    after = _records(out)
    assert after[second]["duplicate_of"] is None
    assert all(r["duplicate_of"] == second for i, r in after.items() if i != second)
    assert not any(r["needs_review"] for r in after.values()) and _no_near_flags(after)
    listed = runner.invoke(app, ["duplicates", str(out)])
    assert f"{group.id}  confirmed" in listed.output


def test_records_of_schema_2_1_lose_their_near_duplicate_flags_when_regrouped(tmp_path):
    _, out, _report, _records_made = _differing_copies(tmp_path)
    for path in out.glob("reponse*.json"):  # as a 2.1 run wrote them: the flag on the differing field
        data = json.loads(path.read_text(encoding="utf-8"))
        data["schema_version"] = "2.1"
        del data["duplicate_group"]
        data["fields"]["duration"]["flags"] = [NEAR_FLAG]
        path.write_text(json.dumps(data), encoding="utf-8")
    assert runner.invoke(app, ["duplicates", str(out)]).exit_code == 0
    after = _records(out)
    assert _no_near_flags(after) and all(r["duplicate_group"]["status"] == "differs" for r in after.values())
