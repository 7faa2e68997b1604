"""A value edited in the reviewer's own editor ($VISUAL, $EDITOR), for the terminal walk.

Leaving the editor is an answer too: quitting without a change (vim's `:q!`, or saving the same text)
decides nothing, and a non-zero exit (vim's `:cq`) cancels the edit. click.edit reports the first as
"not saved" (the walk took the old value for an acceptance) and the second as a failure to open the
editor, so the editor is run here, where each outcome can be told apart."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path


class EditCancelled(Exception):
    """The editor was left without a change, or with a non-zero exit: nothing is to be decided."""


class EditorMissing(Exception):
    """The editor could not be started (no such program, not executable)."""


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR (each may hold options: 'code --wait'), else the system's usual editor."""
    for name in ("VISUAL", "EDITOR"):
        if os.environ.get(name, "").strip():
            return shlex.split(os.environ[name])
    found = next((shutil.which(e) for e in ("sensible-editor", "vim", "nano") if shutil.which(e)), None)
    return [found or "vi"]


def edit_text(current: str) -> str:
    """The text as the person left it in their editor, stripped; EditCancelled when they changed nothing
    or the editor exited with an error, EditorMissing when it cannot be started."""
    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="pecs-edit-") as folder:
        path = Path(folder) / "value.txt"
        path.write_text(f"{current}\n" if current else "", encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise EditorMissing(f"{command[0]}: {error.strerror}") from None
        if done.returncode != 0:
            raise EditCancelled(f"edit cancelled ({command[0]} exited with status {done.returncode}); nothing saved")
        try:
            edited = path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            raise EditCancelled("the edited text is not UTF-8; nothing saved") from None
        except OSError as error:  # the editor removed or replaced the file
            raise EditCancelled(f"the edited text cannot be read back ({error.strerror}); nothing saved") from None
    if edited == current.strip():
        raise EditCancelled("no change; nothing saved")
    return edited
