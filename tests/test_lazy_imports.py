"""`pecs-extract --help` and a run where nothing changed stay light: they import no heavy library
(they would cost more than the run itself), and the unchanged run answers only when the batch would
change nothing. Run in a fresh interpreter, since the test process has imported everything already."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from parsers import ReadOptions
from pipeline.batch import run_batch
from pipeline.unchanged import REPORT_NAME, default_store, unchanged_run

# Not for --help, not for a run where every file is unchanged. Import them inside the function that needs them.
HEAVY = {"pydantic", "pydantic_core", "rich", "pypdfium2", "pypdfium2_raw", "pdfplumber", "pdfminer", "openpyxl"}
HEAVY |= {"docx", "lxml", "rapidfuzz", "extract", "records", "review", "publish", "duplicates"}

PROBE = """
import json, sys
sys.argv = ["pecs-extract", *sys.argv[1:]]
import cli
try:
    cli.main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "loaded": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def _heavy(loaded: list[str]) -> str:
    """What got imported, with the usual cause when pydantic is among it."""
    found = HEAVY & set(loaded)
    hint = ""
    if "pydantic" in found and "typer" in loaded:
        from importlib.metadata import version

        if tuple(int(part) for part in version("typer").split(".")[:2]) >= (0, 29):
            hint = f" (typer {version('typer')} coerces options through pydantic: pip install -e '.[test]' gets < 0.29)"
    return f"{sorted(found)}{hint}" if found else ""


def _probe(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=os.environ
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["review", "--help"]], ids=" ".join)
def test_help_imports_no_heavy_library(args):
    result = _probe(*args)
    assert result["code"] == 0
    assert not _heavy(result["loaded"]), _heavy(result["loaded"])


@pytest.fixture
def replies(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "a.docx")
    shutil.copy(FIXTURES / "pdf" / "english_table.pdf", inputs / "b.pdf")
    (inputs / "notes.txt").write_text("not a reply", encoding="utf-8")
    out = tmp_path / "structured"
    run_batch([inputs], out, isolate=False)
    return inputs, out


def test_a_run_where_nothing_changed_imports_no_heavy_library(replies):
    inputs, out = replies
    before = (out / REPORT_NAME).read_bytes()
    result = _probe(str(inputs), "--out", str(out))
    assert result["code"] == 0
    assert not _heavy(result["loaded"]), _heavy(result["loaded"])
    assert (out / REPORT_NAME).read_bytes() == before


def test_the_unchanged_run_gives_the_last_report(replies):
    inputs, out = replies
    report = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    unchanged = unchanged_run([inputs], out)
    assert unchanged is not None
    assert [vars(f) for f in unchanged.files] == report["files"]
    assert (unchanged.count("ok"), unchanged.count("skipped"), unchanged.practices) == (2, 1, 2)


def test_anything_that_could_change_the_records_makes_the_batch_run(replies):
    inputs, out = replies
    assert unchanged_run([inputs], out, ReadOptions(pdf_engine="pdfplumber")) is None  # another option
    assert unchanged_run([inputs, inputs / "a.docx"], out) is None  # other inputs
    record = next(p for p in out.glob("*.json") if p.name != REPORT_NAME)
    record.write_bytes(record.read_bytes() + b" ")  # a record changed (a review decision, a duplicate grouping)
    assert unchanged_run([inputs], out) is None
    run_batch([inputs], out, isolate=False)
    assert unchanged_run([inputs], out) is not None
    os.utime(inputs / "b.pdf", ns=(1, 1))  # same bytes, another time: the duplicate grouping uses it
    assert unchanged_run([inputs], out) is None
    run_batch([inputs], out, isolate=False)
    (inputs / "c.pdf").write_bytes((inputs / "b.pdf").read_bytes())  # a new reply
    assert unchanged_run([inputs], out) is None


def test_the_light_copies_agree_with_the_records_layer(tmp_path):
    import records

    assert REPORT_NAME == records.REPORT_NAME
    assert default_store(tmp_path / "structured") == records.store_for(tmp_path / "structured")
