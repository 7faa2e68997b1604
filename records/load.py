"""Reading records and other JSON files written by this tool, tolerant of damage: a truncated,
garbled or hand-edited file is reported by name with a plain reason and never stops the run, the
compendium, the export or the review. The reason never quotes the file's content (it holds names and
phone numbers), so pydantic's own messages, which echo the input, are not shown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from extract.record import Record, RecordBase, form_of
from records.files import REPORT_NAME

Model = TypeVar("Model", bound=BaseModel)


class DamagedFile(Exception):
    """A file of ours that cannot be read back: `reason` is plain and quotes nothing from the file."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_model(path: Path, model: type[Model]) -> Model:
    """`path` parsed as `model`; DamagedFile when it is not that (OSError when it cannot be opened)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DamagedFile(path, "not UTF-8 text (damaged or not written by pecs-extract)") from None
    if not text.strip():
        raise DamagedFile(path, "empty file (a write that never finished?)")
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        other = _other_form(text, form_of(model).id) if issubclass(model, RecordBase) else None
        raise DamagedFile(path, other or _plain(error)) from None


def _other_form(text: str, expected: str) -> str | None:
    """A sound record of another form than the one read (`pecs-extract --form`) is not a damaged one:
    say which form it answers. A record naming no form is a PECS record."""
    try:
        data = json.loads(text)
        form = data.get("form", form_of(Record).id) if "record_id" in data else None
    except (ValueError, AttributeError, TypeError):
        return None
    if not isinstance(form, str) or form == expected:
        return None
    return f"a record of the form '{form}', not of '{expected}': read it with that form's spec (--form)"


def _plain(error: ValidationError) -> str:
    problems = error.errors(include_url=False, include_context=False, include_input=False)
    first = problems[0]
    if first["type"] == "json_invalid":
        return "not valid JSON (truncated or damaged)"
    where = ".".join(str(part) for part in first["loc"]) or "the top level"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"not a valid record file: {where}: {first['msg']}{more}"


def record_paths(folder: Path) -> list[Path]:
    """The record files of a folder, sorted; the run report and hidden or temp files are not records."""
    try:
        paths = [p for p in folder.glob("*.json") if p.name != REPORT_NAME and not p.name.startswith(".")]
    except OSError:
        return []
    return sorted(paths)


def load_record(path: Path) -> Record:
    """One record; DamagedFile when the file is not a record (OSError when it cannot be opened)."""
    return read_model(path, Record)


def load_form_record(path: Path, model: type[RecordBase]) -> RecordBase:
    """One record of the form whose model is `model` (extract.record_model), as `load_record`."""
    return read_model(path, model)


@dataclass
class RecordListing:
    records: list = field(default_factory=list)  # Record, or the records of the model asked for
    damaged: list[DamagedFile] = field(default_factory=list)  # by name and reason, for the user to fix

    def problems(self) -> list[str]:
        return [f"{problem.path.name}: {problem.reason}" for problem in self.damaged]


def list_records(folder: Path, model: type[RecordBase] = Record) -> RecordListing:
    """Every record of `folder` that can be read (as `model`: the PECS form's, or another form's from
    extract.record_model), and the damaged ones (or another form's) by name."""
    listing = RecordListing()
    for path in record_paths(folder):
        try:
            listing.records.append(read_model(path, model))
        except DamagedFile as problem:
            listing.damaged.append(problem)
        except OSError as error:
            listing.damaged.append(DamagedFile(path, f"cannot be read: {error.strerror}"))
    return listing
