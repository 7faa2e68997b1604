"""Outputs are stable and safe: same input, same bytes; stale records go; ids never collide."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES

from extract.record_id import record_id
from pipeline.batch import run_batch


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_rerun_on_unchanged_input_gives_byte_identical_records(tmp_path):
    out = tmp_path / "out"
    run_batch([FIXTURES / "docx"], out)
    first = _snapshot(out)
    run_batch([FIXTURES / "docx"], out)
    assert _snapshot(out) == first


def test_records_of_a_reply_that_now_has_fewer_practices_are_removed(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "multi_practice_fr.docx", inputs / "reply.docx")
    assert len(run_batch([inputs], out).files[0].record_ids) == 3
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "reply.docx")
    run_batch([inputs], out)
    assert len([p for p in out.glob("*.json") if p.name != "_report.json"]) == 1


def test_replies_with_one_name_in_two_folders_each_keep_their_records(tmp_path):
    """Countries send files named alike: one name gave one record id, and the second reply silently
    overwrote the first's record."""
    for folder, fixture in (("fr", "table_grid_fr.docx"), ("be", "english_table.docx")):
        (tmp_path / folder).mkdir()
        shutil.copy(FIXTURES / "docx" / fixture, tmp_path / folder / "reponse.docx")
    for inputs in (
        [tmp_path / "fr", tmp_path / "be"],
        [tmp_path / "fr" / "reponse.docx", tmp_path / "be" / "reponse.docx"],
    ):
        out = tmp_path / f"out{len(str(inputs[0]))}"
        report = run_batch(inputs, out)
        assert [f.path for f in report.files] == ["fr/reponse.docx", "be/reponse.docx"]
        ids = [i for f in report.files for i in f.record_ids]
        assert len(ids) == len(set(ids)) == 2
        languages = {json.loads((out / f"{i}.json").read_text())["language"] for i in ids}
        assert languages == {"fr", "en"}


def test_a_reply_reached_twice_among_the_inputs_is_read_once(tmp_path):
    (tmp_path / "raw" / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", tmp_path / "raw" / "sub" / "reply.docx")
    report = run_batch([tmp_path / "raw", tmp_path / "raw" / "sub", tmp_path / "raw"], tmp_path / "out")
    assert [f.path for f in report.files] == ["sub/reply.docx"]


def _record_names(out):
    return sorted(p.name for p in out.glob("*.json") if p.name != "_report.json")


def _two_replies(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", raw / "a.docx")
    shutil.copy(FIXTURES / "docx" / "english_table.docx", raw / "sub" / "b.docx")
    return raw


def test_a_reply_read_again_under_a_longer_name_leaves_no_second_record(tmp_path):
    """Its subfolder given first, then its parent: the first record stayed beside the second, a duplicate
    of itself that no later run removed."""
    raw, out = _two_replies(tmp_path), tmp_path / "out"
    run_batch([raw / "sub"], out)
    report = run_batch([raw], out)
    assert sorted(f.path for f in report.files) == ["a.docx", "sub/b.docx"]
    assert _record_names(out) == sorted(f"{i}.json" for f in report.files for i in f.record_ids)
    assert report.duplicates == []


def test_records_of_a_reply_deleted_after_a_run_on_other_inputs_are_removed(tmp_path):
    raw, out = _two_replies(tmp_path), tmp_path / "out"
    run_batch([raw], out)
    run_batch([raw / "a.docx"], out)  # other inputs: b's records are kept, and listed
    (raw / "sub" / "b.docx").unlink()
    report = run_batch([raw / "a.docx"], out, force=True)
    assert [f.path for f in report.files] == ["a.docx"]
    assert _record_names(out) == [f"{report.files[0].record_ids[0]}.json"]


def test_a_run_on_one_late_reply_keeps_the_other_replies_records_in_the_folder_and_report(tmp_path):
    raw, out = _two_replies(tmp_path), tmp_path / "out"
    first = run_batch([raw / "sub"], out)
    report = run_batch([raw / "a.docx"], out)
    assert sorted(f.path for f in report.files) == ["a.docx", "b.docx"]
    assert report.inputs == [str(raw / "a.docx"), str(raw / "sub")]
    assert f"{first.files[0].record_ids[0]}.json" in _record_names(out)
    assert len(_record_names(out)) == 2


def test_records_from_an_earlier_good_read_survive_a_failed_read(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "reply.docx")
    [good_id] = run_batch([inputs], out).files[0].record_ids
    (inputs / "reply.docx").write_bytes(b"PK\x03\x04 truncated")
    report = run_batch([inputs], out).files[0]
    assert report.status == "error" and report.record_ids == [good_id]
    assert json.loads((out / f"{good_id}.json").read_text(encoding="utf-8"))["record_id"] == good_id


def test_record_ids_are_unique_stable_and_safe_as_file_names():
    ids = {record_id(path, 0) for path in ("x.pdf", "x.docx", "a b.docx", "a-b.docx", "sub/x.docx")}
    assert len(ids) == 5
    assert record_id("x.docx", 1) == record_id("x.docx", 1)
    hostile = record_id("../../etc/passwd", 0)
    assert "/" not in hostile and not hostile.startswith(".")
    assert record_id("Réponse « France ».docx", 2).startswith("reponse-france-.docx")


def _counting_reads(monkeypatch):
    import pipeline.batch as batch

    calls = []
    original = batch.read_file

    def counting(candidate, *args):
        calls.append(candidate.source_path)
        return original(candidate, *args)

    monkeypatch.setattr(batch, "read_file", counting)
    return calls


def test_unchanged_files_are_not_read_again_unless_forced(tmp_path, monkeypatch):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in ("table_grid_fr.docx", "multi_practice_fr.docx"):
        shutil.copy(FIXTURES / "docx" / name, inputs / name)
    calls = _counting_reads(monkeypatch)
    first = run_batch([inputs], out, isolate=False)
    assert len(calls) == 2
    before = _snapshot(out)
    second = run_batch([inputs], out, isolate=False)
    assert len(calls) == 2 and _snapshot(out) == before
    assert [f.record_ids for f in second.files] == [f.record_ids for f in first.files]
    shutil.copy(FIXTURES / "docx" / "english_table.docx", inputs / "table_grid_fr.docx")  # new content
    run_batch([inputs], out, isolate=False)
    assert calls[2:] == ["table_grid_fr.docx"]
    run_batch([inputs], out, isolate=False, force=True)
    assert len(calls) == 5


def test_a_change_to_the_reading_code_reads_everything_again(tmp_path, monkeypatch):
    import pipeline.fingerprint as fingerprint

    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "a.docx")
    calls = _counting_reads(monkeypatch)
    run_batch([inputs], out, isolate=False)
    monkeypatch.setattr(fingerprint, "extractor_fingerprint", lambda: "another version")
    run_batch([inputs], out, isolate=False)
    assert len(calls) == 2


def test_a_removed_source_takes_its_records_along(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "a.docx")
    shutil.copy(FIXTURES / "docx" / "english_table.docx", inputs / "b.docx")
    run_batch([inputs], out, isolate=False)
    (inputs / "b.docx").unlink()
    report = run_batch([inputs], out, isolate=False)
    assert [f.path for f in report.files] == ["a.docx"]
    assert len([p for p in out.glob("*.json") if p.name != "_report.json"]) == 1


def test_parallel_workers_write_the_same_as_one(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    run_batch([FIXTURES / "docx"], one, workers=1)
    run_batch([FIXTURES / "docx"], two, workers=2)
    assert _snapshot(one) == _snapshot(two)


def test_record_json_is_the_bytes_json_dumps_writes_even_for_tiny_numbers_and_odd_text():
    """Records are written by pydantic's serialiser for speed, with the bytes they always had."""
    from pydantic import BaseModel

    from records import dumps

    class Sample(BaseModel):
        numbers: list[float]
        keyed: dict[str, float]
        text: str

    numbers = [0.0, -0.0, 1.0, 0.85, 0.1 + 0.2, 1e-4, 3.2e-5, 1e-05, 7e-07, 2.5e-09, 1e-10, 5e-324, 1e16, 1.5e300]
    for text in ("plain", 'quote " back \\ slash', "\x01\x1f\x7f\u2028 é ☒ 🙂 \t\n", "e-mail: 0.00001, 1e-5"):
        for number in numbers:
            sample = Sample(numbers=[number, -number], keyed={"a": number}, text=text)
            expected = json.dumps(sample.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
            assert dumps(sample) == expected


def test_a_record_written_under_schema_2_0_is_still_read(tmp_path):
    """2.1 only added flag and note codes: a folder extracted by the previous release still opens in
    review, the compendium and the exports, without a re-run."""
    from extract.record import Record
    from records.load import read_model

    golden = FIXTURES / "docx" / "official_form_fr.expected.json"
    data = json.loads(golden.read_text(encoding="utf-8"))["records"][0]
    data["schema_version"] = "2.0"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_model(path, Record).schema_version == "2.0"
