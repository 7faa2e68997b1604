"""A batch mixing good replies with broken, protected, wrong and hostile files: every file gets an
answer, the good records are all there and right, and the run ends within a bound set by the timeout."""

from __future__ import annotations

import json
import shutil
import sys
import time

from conftest import FIXTURES, records_of
from typer.testing import CliRunner

from cli import app

sys.path.insert(0, str(FIXTURES))
from hostile import make_hostile_batch, make_slow_batch

TIMEOUT = 15  # seconds per file: enough for a real reply read by Python alone, short for a hang
SLOW_TIMEOUT = 300  # OCR of a scan, LibreOffice for a Word 97 file: generous, as a loaded machine may need
MAX_MEMORY_MB = 300


def _run_batch(inputs, out, timeout: int):
    started = time.monotonic()
    options = ["--timeout", str(timeout), "--max-memory", str(MAX_MEMORY_MB), "--workers", "2"]
    result = CliRunner().invoke(app, [str(inputs), "--out", str(out), *options])
    return result, time.monotonic() - started


def _check_every_file(cases, out, result) -> dict:
    """Each file has its entry with the status, message and number of records its case expects."""
    report = {entry["path"]: entry for entry in json.loads((out / "_report.json").read_text())["files"]}
    assert set(report) == set(cases)
    for name, expect in cases.items():
        entry = report[name]
        assert entry["status"] == expect.status, (name, entry)
        if expect.message:
            assert expect.message in entry["message"], (name, entry["message"])
            if entry["status"] == "error":
                assert f"{name}: " in result.output  # named on screen too
        assert len(entry["record_ids"]) == expect.records, name
    return report


def _same_as_alone(out, report, name, source) -> None:
    _, alone = records_of(source)
    written = [json.loads((out / f"{i}.json").read_text()) for i in report[name]["record_ids"]]
    assert [r["fields"] for r in written] == [r.model_dump(mode="json")["fields"] for r in alone]


def test_mixed_hostile_batch_keeps_good_records_and_names_every_problem(tmp_path):
    inputs, out = tmp_path / "replies", tmp_path / "structured"
    cases = make_hostile_batch(inputs)
    result, elapsed = _run_batch(inputs, out, TIMEOUT)
    assert result.exit_code == 1, result.output
    report = _check_every_file(cases, out, result)
    # the good ones are exactly what they give on their own
    _same_as_alone(out, report, "good_table.docx", FIXTURES / "docx" / "table_grid_fr.docx")
    _same_as_alone(out, report, "good_compilation.pdf", FIXTURES / "pdf" / "compilation.pdf")
    xxe = json.loads((out / f"{report['xxe_entity.docx']['record_ids'][0]}.json").read_text())
    assert "root:" not in json.dumps(xxe)
    assert elapsed < 2 * TIMEOUT + 40  # bounded by the timeout, whatever a file does


def test_replies_that_need_ocr_or_libreoffice_come_through_a_batch_with_a_generous_timeout(tmp_path):
    inputs, out = tmp_path / "replies", tmp_path / "structured"
    cases = make_slow_batch(inputs)
    result, _ = _run_batch(inputs, out, SLOW_TIMEOUT)
    expected_exit = 1 if any(expect.status == "error" for expect in cases.values()) else 0
    assert result.exit_code == expected_exit, result.output
    report = _check_every_file(cases, out, result)
    _same_as_alone(out, report, "good_table.docx", FIXTURES / "docx" / "table_grid_fr.docx")
    if report["legacy_word97.doc"]["status"] == "ok":  # LibreOffice here: the Word 97 file is the same reply
        _same_as_alone(out, report, "legacy_word97.doc", FIXTURES / "hostile" / "legacy_word97.doc")


def test_a_file_that_hangs_the_parser_is_stopped_at_the_timeout_and_the_rest_goes_on(tmp_path):
    from hostile import huge_xref_pdf

    inputs, out = tmp_path / "replies", tmp_path / "structured"
    inputs.mkdir()
    (inputs / "huge_xref.pdf").write_bytes(huge_xref_pdf())  # pdfminer loops for hours on it
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "good.docx")
    started = time.monotonic()
    result = CliRunner().invoke(
        app, [str(inputs), "--out", str(out), "--timeout", "4", "--workers", "2", "--pdf-engine", "pdfplumber"]
    )
    assert result.exit_code == 1
    assert time.monotonic() - started < 4 + 20
    report = {e["path"]: e for e in json.loads((out / "_report.json").read_text())["files"]}
    assert "no result after 4 s" in report["huge_xref.pdf"]["message"]
    assert report["good.docx"]["status"] == "ok"


def test_scanned_or_ocr_text_is_flagged_on_every_field(tmp_path):
    from hostile import scanned_pdf

    from parsers.ocr import ocr_available

    if not ocr_available():
        import pytest

        pytest.skip("OCRmyPDF/Tesseract not installed (apt-get install ocrmypdf tesseract-ocr-fra)")
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(FIXTURES / "pdf" / "table_grid_fr.pdf"))
    _, [record] = records_of(path)
    assert record.fields.practice_name.value.startswith("Plan de cohésion sociale")
    assert all("ocr" in field.flags for _, field in record.flagged()) and len(record.flagged()) == 19


def test_a_pdf_whose_text_layer_was_made_by_ocr_elsewhere_is_flagged_too(tmp_path):
    from hostile import scanned_pdf

    from parsers.ocr import ocr_available, ocr_pdf

    if not ocr_available():
        import pytest

        pytest.skip("OCRmyPDF/Tesseract not installed (apt-get install ocrmypdf tesseract-ocr-fra)")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf(FIXTURES / "pdf" / "table_grid_fr.pdf"))
    ocr_pdf(scan, tmp_path / "searchable.pdf")
    _, [record] = records_of(tmp_path / "searchable.pdf")
    assert len(record.flagged()) == 19 and all("ocr" in f.flags for _, f in record.flagged())
