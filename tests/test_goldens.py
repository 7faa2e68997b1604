"""Every fixture's whole output is pinned by a golden JSON beside it; goldens change only on purpose.

UPDATE_GOLDENS=1 pytest tests/test_goldens.py   rewrites them (then read the diff before committing).
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import ALL_FIXTURES, DOCX_FIXTURES, PDF_FIXTURES, records_of

UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


def _output(path) -> str:
    report, records = records_of(path)
    payload = {
        "status": report.status,
        "message": report.message,
        "records": [record.model_dump(mode="json") for record in records],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_output_matches_golden(path):
    golden = path.with_suffix(".expected.json")
    actual = _output(path)
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden for {path.name}: run UPDATE_GOLDENS=1 pytest tests/test_goldens.py"
    assert json.loads(actual) == json.loads(golden.read_text(encoding="utf-8"))


def test_goldens_are_never_rewritten_in_ci():
    assert not (UPDATE and os.environ.get("CI")), "UPDATE_GOLDENS must not be set in CI"


def test_every_fixture_has_its_truth_and_golden():
    assert len(DOCX_FIXTURES) >= 15 and len(PDF_FIXTURES) >= 15
    for path in ALL_FIXTURES:
        assert path.with_suffix(".truth.json").exists(), path.name
