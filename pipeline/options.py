"""What a run reads with: the reading options and the form the replies answer. Light (no pydantic, no
reader), so the CLI can build it before deciding whether anything needs reading at all."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from forms import FormSpec, load_form
from parsers import ReadOptions


@dataclass(frozen=True)
class ExtractOptions(ReadOptions):
    """Reading options plus the form the replies answer (None: the PECS form). The spec's sha256 is an
    option like the others, so the run's fingerprint changes with the spec and every file is read again."""

    form: str | None = None
    form_sha256: str | None = None

    @classmethod
    def for_form(cls, form: Path | None, **reading) -> ExtractOptions:
        """Options for `form`, checked now: FormSpecError names the file and what is wrong with it."""
        if form is None:
            return cls(**reading)
        return cls(form=str(form.resolve()), form_sha256=load_form(form).digest, **reading)

    def form_spec(self) -> FormSpec:
        return load_form(self.form)

    def as_key(self) -> str:
        """The reading options' key, plus the spec's sha256 for a form other than the PECS one (whose
        spec is hashed with the code): a run with the PECS form has the same key as plain ReadOptions."""
        key = ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(ReadOptions))
        return key if self.form_sha256 is None else f"{key},form_sha256={self.form_sha256}"
