"""The README stays true to the code: every command and option is documented (sqlite-utils' test_docs is the model)."""

from __future__ import annotations

import json
import re

import pytest
import typer
from conftest import ROOT

from cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands():
    group = typer.main.get_command(app)
    return sorted(group.commands.items())


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_every_command_appears_in_the_readme(name):
    assert re.search(rf"pecs-extract {re.escape(name)}\b", README), f"`pecs-extract {name}` is not in README.md"


@pytest.mark.parametrize(
    "command, option",
    [
        (name, opt)
        for name, command in _commands()
        for param in command.params
        for opt in param.opts
        if opt.startswith("--") and opt != "--help"
    ],
)
def test_every_option_appears_in_the_readme(command, option):
    assert re.search(rf"{re.escape(option)}\b", README), f"`pecs-extract {command} {option}` is not in README.md"


def test_every_command_has_help_text():
    for name, command in _commands():
        assert (command.help or "").strip(), f"`pecs-extract {name}` has no help text"


def test_the_flag_and_note_tables_match_the_vocabulary():
    from extract.vocabulary import FLAGS, NOTES

    for flag, (meaning, cap) in FLAGS.items():
        row = f"| `{flag.value}` | {meaning} | {'unchanged' if cap == 1.0 else cap} |"
        assert row in README, f"README's flag table lacks or misstates: {row}"
    for note, meaning in NOTES.items():
        assert f"| `{note.value}` | {meaning} |" in README, f"README's note table lacks `{note.value}`"
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.M))
    assert {f.value for f in FLAGS} | {n.value for n in NOTES} <= documented


def test_the_readme_example_is_the_shipped_sample_record_abridged():
    """The example had drifted from what the tool writes (another sha256, keys missing, a wrong count)."""
    from readme_example import RECORD, abridged, readme_example

    expected = abridged(json.loads(RECORD.read_text(encoding="utf-8")))
    assert readme_example(README) == expected, "README's example record is stale: run `python tests/readme_example.py`"
