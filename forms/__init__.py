"""Questionnaires as data: the shipped PECS form and any other two-column form described in a spec file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from forms.spec import FieldSpec, FormSpec, FormSpecError, PriorityCode, PrioritySpec, load_form_file, parse_form

PECS_FORM = Path(__file__).with_name("pecs-2017.toml")


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> FormSpec:
    return load_form_file(Path(path))


def load_form(path: Path | str | None = None) -> FormSpec:
    """The form spec at `path` (the PECS form when None), read once per version of the file."""
    target = Path(path) if path is not None else PECS_FORM
    try:
        status = target.stat()
    except OSError as error:
        raise FormSpecError(f"{target}: cannot be read: {error.strerror}") from error
    return _load(str(target.resolve()), status.st_mtime_ns, status.st_size)


def shipped_forms() -> dict[str, FormSpec]:
    """The specs shipped with the tool (forms/*.toml), by their `id`: records naming one need no --form."""
    return {spec.id: spec for spec in map(load_form, sorted(PECS_FORM.parent.glob("*.toml")))}


__all__ = [
    "PECS_FORM",
    "FieldSpec",
    "FormSpec",
    "FormSpecError",
    "PriorityCode",
    "PrioritySpec",
    "load_form",
    "parse_form",
    "shipped_forms",
]
