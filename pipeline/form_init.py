"""`pecs-extract form init`: a blank questionnaire file → a draft form spec (extract/form_draft.py)."""

from __future__ import annotations

import re
from pathlib import Path

from extract.form_draft import FormDraft, NoLabelsFound, draft_form
from parsers import ReadOptions, UnreadableFile, read_layout


class FormDraftError(Exception):
    """The blank questionnaire cannot be read or shows no labels; the message names the file."""


def draft_form_file(blank: Path, options: ReadOptions | None = None) -> FormDraft:
    try:
        layout = read_layout(blank, options or ReadOptions())
    except UnreadableFile as error:
        raise FormDraftError(f"{blank}: {error.message}") from error
    except OSError as error:
        raise FormDraftError(f"{blank}: cannot be read: {error.strerror}") from error
    form_id = re.sub(r"[^a-z0-9]+", "-", blank.stem.lower()).strip("-") or "form"
    try:
        return draft_form(layout, form_id if form_id[0].isalpha() else f"form-{form_id}")
    except NoLabelsFound as error:
        raise FormDraftError(f"{blank}: {error}") from error
