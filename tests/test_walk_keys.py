"""The terminal walk's answers as a person gives them in a real terminal (tmux): leaving the editor without
a change, or with vim's :cq, decides nothing; a wrong field name is asked again; Ctrl-C ends like `q`."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from review_fixtures import extracted_reply

if not shutil.which("tmux") or not shutil.which("vi"):
    pytest.skip("no tmux or vi (apt-get install tmux vim-tiny)", allow_module_level=True)

from test_walk_terminal import Terminal  # after the skip: it needs tmux too

COMMAND = Path(sys.executable).parent / "pecs-extract"


@pytest.fixture
def reply(tmp_path):
    """A reply whose first item is the multi-line field `implementation`, then `impact`, then two texts."""
    return extracted_reply(tmp_path)[1]


@pytest.fixture
def walk(tmp_path, reply):
    opened: list[Terminal] = []

    def start() -> Terminal:
        # vi without the user's vimrc: the keys below mean the same on every machine
        opened.append(Terminal(tmp_path, ["env", "EDITOR=vi -u NONE", str(COMMAND), "review", str(reply)]))
        return opened[-1]

    yield start
    for each in opened:
        each.close()


def _stored(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "review").glob("*.json"))


def _records(tmp_path: Path) -> list[dict]:
    paths = [p for p in (tmp_path / "structured").glob("*.json") if not p.name.startswith("_")]
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def test_leaving_the_editor_without_a_change_or_with_cq_decides_nothing_and_stays_on_the_item(tmp_path, walk):
    terminal = walk()
    terminal.wait_for("[1/")
    terminal.type("e")
    terminal.wait_for("value.txt")
    terminal.type(":q!")
    shown = terminal.wait_for("no change; nothing saved.")
    assert "saved: accepted" not in shown and "[2/" not in shown  # still on the first item
    terminal.type("e")
    terminal.wait_for("value.txt")
    terminal.type(":cq")
    shown = terminal.wait_for("edit cancelled (vi exited with status 1); nothing saved.")
    assert "could not be opened" not in shown and "[2/" not in shown
    terminal.type("q")
    shown = terminal.wait_for("[exited]")
    assert "no decision;" in shown
    assert _stored(tmp_path) == []
    [record] = _records(tmp_path)
    assert not record["fields"]["implementation"]["reviewed"] and record["fields"]["implementation"]["flags"]


def test_an_unknown_field_name_at_the_field_prompt_is_asked_again(tmp_path, walk):
    terminal = walk()
    terminal.wait_for("[1/")
    terminal.type("s", "s")  # the two flagged fields; then the first unplaced text
    terminal.wait_for("[f]ield: add it to a field")
    terminal.type("f")
    terminal.wait_for("add it to which field")
    terminal.type("budget")
    shown = terminal.wait_for("no field 'budget'")
    assert "unknown key" not in shown and "saved:" not in shown
    terminal.type("impact")
    terminal.wait_for("saved: assigned.")
    terminal.type("q")
    terminal.wait_for("[exited]")
    [record] = _records(tmp_path)
    assert record["unassigned"][0]["review"]["field"] == "impact"


def test_ctrl_c_in_the_walk_ends_like_q_with_what_was_decided_saved_and_exit_130(tmp_path, reply):
    command = f"{COMMAND} review {reply}; echo exit=$?"
    terminal = Terminal(tmp_path, ["bash", "-c", command])  # bash goes on after a child that handled Ctrl-C
    try:
        terminal.wait_for("[1/")
        terminal.type("a")
        terminal.wait_for("saved: accepted.")
        terminal._tmux("send-keys", "-t", "walk", "C-c")
        shown = terminal.wait_for("exit=")
    finally:
        terminal.close()
    assert "exit=130" in shown and "accepted 1; 3 items still to decide." in shown
    assert "Traceback" not in shown and "Abort" not in shown
    assert len(_stored(tmp_path)) == 1


def test_a_correction_line_left_as_it_is_saves_nothing(tmp_path, walk):
    terminal = walk()
    terminal.wait_for("[1/")
    terminal.type("s")  # to `impact`, empty: its correction line starts empty
    terminal.wait_for("[2/")
    terminal.type("c")
    terminal.wait_for("new value (Enter saves a change; erase it all to clear)")
    terminal.type("")
    shown = terminal.wait_for("no change; nothing saved.")
    assert "saved: accepted" not in shown and "[3/" not in shown
    terminal.type("q")
    terminal.wait_for("[exited]")
    assert _stored(tmp_path) == []
