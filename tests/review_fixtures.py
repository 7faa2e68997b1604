"""Replies for the review tests, built from the fixtures: one with unplaced text, and a folder of the
shipped samples plus that reply, extracted."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import docx
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cli import app

UNPLACED_TEXT = "Le PCS a permis de renforcer la cohésion sociale"


def unplaced_reply(target: Path) -> Path:
    """The Wallonia form with the 'Impact' label retyped beyond recognition ('Budget annuel'): that row's
    label and answer come out as two unplaced texts after `implementation`, and `impact` is missing."""
    document = docx.Document(str(FIXTURES / "docx" / "table_grid_fr.docx"))
    document.tables[0].rows[9].cells[0].paragraphs[0].text = "Budget annuel"
    document.save(target)
    return target


def extracted_samples(tmp_path: Path) -> tuple[Path, Path]:
    """data/raw plus the reply with unplaced text, extracted: (inputs, records folder)."""
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    shutil.copytree(ROOT / "data" / "raw", inputs)
    unplaced_reply(inputs / "unplaced.docx")
    # One modification time for every reply: which copy of a duplicate group is published depends on the
    # sources' times (a copy changed more than an hour later wins), and copytree keeps the checkout's, so the
    # tests' items depended on how old the clone was.
    moment = time.time()
    for path in inputs.rglob("*"):
        os.utime(path, (moment, moment))
    extract(inputs, out)
    return inputs, out


def extract(inputs: Path, out: Path, *more: str) -> None:
    result = CliRunner().invoke(app, [str(inputs), "--out", str(out), "--workers", "1", *more])
    assert result.exit_code == 0, result.output


def extracted_reply(tmp_path: Path, name: str = "reponse.docx", build=None) -> tuple[Path, Path, str]:
    """One reply made by `build` (default: the reply with unplaced text), alone in tmp_path/raw, extracted
    into tmp_path/structured: (inputs, records folder, its record id)."""
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    (build or unplaced_reply)(inputs / name)
    extract(inputs, out)
    [record_id] = [p.stem for p in out.glob(f"{name}-*.json")]
    return inputs, out, record_id


def reply_without_header(target: Path) -> Path:
    """The Wallonia form whose header (BELGIQUE / Wallonie) became a sentence the reader cannot take as one:
    the practice has no submitter, the sentence is unplaced text, and the first field is flagged
    submitter_uncertain."""
    document = docx.Document(str(FIXTURES / "docx" / "table_grid_fr.docx"))
    first, second = document.paragraphs[0], document.paragraphs[1]
    first.runs[0].text = "Contribution du Service public de Wallonie, envoyée par Prénom Nom."
    first.runs[0].bold = False
    second._p.getparent().remove(second._p)
    document.save(target)
    return target
