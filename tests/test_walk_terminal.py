"""The terminal walk as a person sees it: `pecs-extract review` run in a real terminal (tmux), keys typed,
the screen read back."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from review_fixtures import extract, unplaced_reply

if not shutil.which("tmux"):
    pytest.skip("no tmux (apt-get install tmux)", allow_module_level=True)

COMMAND = Path(sys.executable).parent / "pecs-extract"


class Terminal:
    """One tmux session of its own (its own server socket), 150 x 50, running one command."""

    def __init__(self, tmp_path: Path, command: list[str]):
        self.socket = str(tmp_path / "tmux.sock")
        shell = f"cd {shlex.quote(str(ROOT))} && {shlex.join(command)}; echo '[exited]'; sleep 60"
        self._tmux("new-session", "-d", "-s", "walk", "-x", "150", "-y", "50", shell)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=10)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "walk")

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the terminal:\n{self.screen()}")

    def type(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", "walk", key, "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def copies(tmp_path):
    """The Wallonia reply and a copy with the `impact` label retyped (its answer unplaced): one practice
    received twice, the copies differing."""
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    shutil.copy(FIXTURES / "docx" / "table_grid_fr.docx", inputs / "reponse.docx")
    unplaced_reply(inputs / "reponse corrigee.docx")
    extract(inputs, out)
    return out


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        opened.append(Terminal(tmp_path, [str(COMMAND), "review", *args]))
        return opened[-1]

    yield start
    for each in opened:
        each.close()


def _records(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json") if p.name[0] != "_"}


def test_a_duplicate_group_is_one_screen_in_the_terminal_and_its_number_publishes_that_copy(copies, terminal):
    walk = terminal(str(copies))
    shown = walk.wait_for("[d]ifferent practices")
    assert "received 2 times" in shown and "(published now)" in shown
    assert "[1] publish copy 1  [2] publish copy 2" in shown
    second = shown.split("copy 2: ")[1].split(",")[0]  # the reply of copy 2
    walk.type("2")
    walk.wait_for("saved: published copy 2")
    walk.type("q")
    walk.wait_for("[exited]")
    records = _records(copies)
    [published] = [r for r in records.values() if r["duplicate_of"] is None]
    assert published["source"]["path"] == second and published["duplicate_group"]["status"] == "confirmed"


def test_the_walk_names_a_field_by_its_question_explains_its_flag_and_u_takes_back_the_last_decision(copies, terminal):
    from extract.vocabulary import FLAGS, Flag

    walk = terminal(str(copies))
    walk.wait_for("[d]ifferent practices")
    walk.type("s")  # the duplicate group: later
    shown = walk.wait_for("[a]ccept")
    assert "field:  Mise en œuvre / étapes / processus (implementation)" in shown  # the form's words, then the key
    assert f"flag:   unassigned_nearby: {FLAGS[Flag.unassigned_nearby][0]}" in shown
    walk.type("a")
    walk.wait_for("saved: accepted")
    walk.wait_for("field:  Impact (impact)")
    walk.type("u")  # on the next item: takes back the acceptance and shows its item again
    shown = walk.wait_for("undone: your last decision; here is its item again.")
    after_undo = shown.split("undone: your last decision")[1]
    assert "(implementation)" in after_undo.split("[a]ccept")[0]
    [changed] = [r for r in _records(copies).values() if r["source"]["path"] == "reponse corrigee.docx"]
    assert not changed["fields"]["implementation"]["reviewed"]
    assert changed["fields"]["implementation"]["flags"] == ["unassigned_nearby"]
    walk.type("q")
    walk.wait_for("[exited]")


def test_the_walk_corrects_an_uncertain_submitter_with_o_and_u_takes_it_back(tmp_path, terminal):
    from review_fixtures import reply_without_header

    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    reply_without_header(inputs / "sans_entete.docx")
    extract(inputs, out)
    walk = terminal(str(out))
    shown = walk.wait_for("[o] correct the country / organisation")
    assert "submitter (country / organisation): (none)" in shown
    walk.type("o")
    walk.wait_for("new value")
    walk.type("BELGIQUE / Wallonie")
    walk.wait_for("saved: submitter corrected")
    [record] = _records(out).values()
    assert record["submitter"] == "BELGIQUE / Wallonie"
    assert "submitter_uncertain" not in record["fields"]["priority_domains"]["flags"]
    walk.wait_for("unplaced text (after the start of the form)")
    walk.type("u")
    walk.wait_for("undone: your last decision")
    [record] = _records(out).values()
    assert record["submitter"] is None and "submitter_uncertain" in record["fields"]["priority_domains"]["flags"]
    walk.type("q")
    walk.wait_for("[exited]")
