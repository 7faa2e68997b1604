"""Public test files of other projects (tests/regression/, sources and licences in SOURCES.md), none a
PECS reply, run as a user would run them: no record, no traceback, one status per file, and the same
status, message and error code from both PDF engines."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

REGRESSION = ROOT / "tests" / "regression"
FILES = sorted(p.name for p in REGRESSION.iterdir() if p.suffix in (".pdf", ".docx"))
# Why each file is here shows in what it must give; every other file is skipped, read but no questionnaire.
EXPECTED = {
    "pdfjs_poppler-937-0-fuzzed.pdf": ("error", "damaged"),  # PDFium failed with a traceback
    "pdfjs_ghostscript-698804-1-fuzzed.pdf": ("error", "empty"),  # PDFium saw a blank page, pdfminer none
    "pypdf_imagemagick-ccittfaxdecode.pdf": ("skipped", None),  # a small picture: not a scan, no OCR
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The command run on the folder once per engine: (its output, its report by file)."""
    found = {}
    for engine in ("pdfium", "pdfplumber"):
        out = tmp_path_factory.mktemp(engine)
        done = subprocess.run(
            [sys.executable, "-c", "import cli; cli.main()", str(REGRESSION), "-o", str(out), "--pdf-engine", engine],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            check=False,
        )
        report = json.loads((out / "_report.json").read_text(encoding="utf-8"))["files"]
        found[engine] = (done.stdout + done.stderr, {entry["path"]: entry for entry in report})
    return found


def test_the_folder_holds_a_handful_of_files_each_with_its_source():
    sources = (REGRESSION / "SOURCES.md").read_text(encoding="utf-8")
    assert 10 <= len(FILES) <= 15
    assert all(f"| {name} |" in sources for name in FILES)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_no_record_and_no_traceback_from_any_file(runs, engine):
    output, report = runs[engine]
    assert "Traceback" not in output
    assert sorted(report) == sorted([*FILES, "SOURCES.md"])  # one status per file
    assert report.pop("SOURCES.md")["status"] == "skipped"  # not a reply's format
    for name, entry in report.items():
        assert entry["record_ids"] == [], name
        assert entry.get("error_code") not in ("internal", "crashed"), (name, entry["message"])
        status, code = EXPECTED.get(name, ("skipped", None))
        assert (entry["status"], entry.get("error_code")) == (status, code), (name, entry["message"])


def test_both_engines_say_the_same_of_every_file(runs):
    fast, reference = runs["pdfium"][1], runs["pdfplumber"][1]
    for name in FILES:
        keys = ("status", "message", "error_code", "record_ids")
        assert [fast[name].get(k) for k in keys] == [reference[name].get(k) for k in keys], name
