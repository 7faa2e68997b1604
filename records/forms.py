"""Which form a folder's records answer, so review, duplicates, the compendium and the exports read them
with the right model: a record of another form than PECS names its spec's `id` (`form`), a PECS record
names none. The spec is the one given (--form FILE.toml), else a spec shipped with the tool by that id;
a form that cannot be found is a plain error naming a record file, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

from forms import FormSpec, FormSpecError, load_form, shipped_forms
from records.load import record_paths


class UnknownForm(ValueError):
    """The records' form cannot be resolved: the message names a record file and what to give."""


def form_id_of(path: Path) -> str | None:
    """The `form` a record file names (None: a PECS record, or a file that is not a record at all,
    which the listing reports as damaged in its turn)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    form = data.get("form") if isinstance(data, dict) else None
    return form if isinstance(form, str) else None


def folder_form(folder: Path, given: Path | None = None) -> FormSpec:
    """The spec to read `folder`'s records with: `given` (a spec file, or the id of a shipped one), else
    the one their `form` names (the PECS form when they name none). UnknownForm when the records answer
    a form that is not shipped and none was given, or answer several forms; a `given` spec that cannot be
    read is a FormSpecError naming it."""
    if given is not None:
        by_id = shipped_forms()
        return by_id[str(given)] if str(given) in by_id and not given.exists() else load_form(given)
    found: dict[str, Path] = {}
    for path in record_paths(folder):
        found.setdefault(form_id_of(path) or load_form().id, path)
    if len(found) > 1:
        listed = ", ".join(f"{path.name} ('{form}')" for form, path in sorted(found.items()))
        raise UnknownForm(f"{folder} holds records of several forms: {listed}; choose one with --form FILE.toml")
    if not found:
        return load_form()
    ((form_id, path),) = found.items()
    shipped = shipped_forms().get(form_id)
    if shipped is None:
        raise UnknownForm(
            f"{path} is a record of the form '{form_id}', whose spec is not shipped with pecs-extract: "
            f"give it with --form FILE.toml (the spec the records were extracted with)"
        )
    return shipped


class OtherFormsRecords(UnknownForm):
    """Replies of one form extracted into a folder holding another form's records: the folder would hold
    two forms, which review, the compendium and the exports refuse, and no later run would clear."""


def check_same_form(folder: Path, form_id: str) -> None:
    """OtherFormsRecords when `folder` holds records of another form than `form_id`. One record is looked
    at (a folder is never let to mix forms, so one tells for all): the check costs nothing on a large folder."""
    first = next(iter(record_paths(folder)), None)
    found = (form_id_of(first) or load_form().id) if first is not None else form_id
    if found != form_id:
        raise OtherFormsRecords(
            f"{folder} holds records of the form '{found}' ({first.name if first else ''}), not of '{form_id}': "
            f"extract these replies into another folder (--out), or remove those records first"
        )


__all__ = ["FormSpecError", "OtherFormsRecords", "UnknownForm", "check_same_form", "folder_form", "form_id_of"]
