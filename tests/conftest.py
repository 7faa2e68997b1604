"""Shared paths and helpers for the tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DOCX_FIXTURES = sorted((FIXTURES / "docx").glob("*.docx")) + sorted((FIXTURES / "docx").glob("*.doc"))
PDF_FIXTURES = sorted((FIXTURES / "pdf").glob("*.pdf"))
ALL_FIXTURES = DOCX_FIXTURES + PDF_FIXTURES


@cache
def records_of(path: Path):
    """Read a fixture once per test run (several tests look at the same records; none changes them)."""
    from pipeline.reading import Candidate, read_records

    report, records = read_records(Candidate(path, path.name))
    return report, records


def truth_of(path: Path) -> list[dict]:
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))["practices"]


def field_of(record, key: str):
    return (
        getattr(record.contact, key[len("contact.") :]) if key.startswith("contact.") else getattr(record.fields, key)
    )


@pytest.fixture(scope="session")
def catalogue():
    from extract.catalogue import load_catalogue

    return load_catalogue()
