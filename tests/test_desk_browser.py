"""The review desk in a real browser (Debian's Chromium driven by Playwright): a reviewer accepts a field,
corrects one, assigns unplaced text, reloads, and the decisions hold through a new extraction run."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from review_fixtures import UNPLACED_TEXT, extract, extracted_samples
from typer.testing import CliRunner

from cli import app

CHROMIUM = os.environ.get("PECS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def desk(tmp_path):
    """The desk serving the samples (plus a reply with unplaced text), as `pecs-extract review --serve` runs it."""
    inputs, out = extracted_samples(tmp_path)
    port = _free_port()
    code = "import sys; from cli import main; sys.argv = ['pecs-extract', *sys.argv[1:]]; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "review", str(out), "--serve", "--port", str(port), "--reviewer", "Browser"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"the desk did not start: {server.communicate()[0].decode()[-2000:]}")
    yield url, inputs, out
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        pytest.fail("the desk did not stop within 20 s of SIGTERM")


@pytest.fixture
def page():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # a Chromium Playwright cannot drive: say so rather than fail obscurely
            pytest.skip(f"Chromium at {CHROMIUM} could not be started by Playwright: {error}")
        yield browser.new_page(viewport={"width": 1400, "height": 900})
        browser.close()


def _show(page, reply: str, item_text: str) -> None:
    """Filter the queue to one reply, wait until the queue shows only it, then open the item."""
    page.select_option("select[name=reply]", reply)
    page.wait_for_function(
        "reply => [...document.querySelectorAll('#queue .reply')].every(p => p.textContent === reply)"
        " && document.querySelectorAll('#queue .reply').length > 0",
        arg=reply,
    )
    page.locator("#queue button", has_text=item_text).first.click()
    page.wait_for_function(
        "([reply, text]) => document.querySelector('#item .meta').textContent.includes(reply)"
        " && document.querySelector('#queue button.current').textContent.includes(text)",
        arg=[reply, item_text],
    )


def _record(out: Path, prefix: str) -> dict:
    [path] = [p for p in out.glob(f"{prefix}*.json")]
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_reviewer_clears_items_in_the_browser_and_the_decisions_survive_a_reload_and_a_re_run(desk, page):
    url, inputs, out = desk
    page.goto(url)
    page.wait_for_selector("#queue button")
    assert "0 decided" in page.text_content("#progress")

    _show(page, "unplaced.docx", "Mise en œuvre / étapes / processus")  # accept with the keyboard
    page.locator("#item h2").click()
    page.keyboard.press("a")
    page.wait_for_selector("#notice:has-text('accepted: Mise en œuvre / étapes / processus')")

    _show(page, "unplaced.docx", "Impact")  # correct in the prefilled editor
    page.keyboard.press("e")
    page.fill("#editor", "Corrigé dans le navigateur")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#notice:has-text('corrected: Impact')")

    _show(page, "unplaced.docx", "unplaced text 1")  # assign the unplaced text to `impact`
    assert UNPLACED_TEXT in page.text_content("#item pre.unplaced")
    page.select_option("#target", "impact")
    page.click("#assign")
    page.wait_for_selector("#notice:has-text('assigned: unplaced text 1')")

    page.reload()
    page.wait_for_selector("#progress:has-text('decided')")
    progress = page.text_content("#progress")
    assert progress.startswith("3 decided"), progress  # implementation, impact, the text
    assert page.locator("#queue button", has_text="unplaced text 1").count() == 0

    extract(inputs, out, "--force")  # the sources read again: the decisions still hold
    record = _record(out, "unplaced")
    assert record["fields"]["implementation"]["reviewed"]
    assert record["fields"]["impact"]["value"] == f"Corrigé dans le navigateur\n{record['unassigned'][1]['text']}"
    assert record["fields"]["impact"]["review"]["decided_by"] == "Browser"
    assert record["unassigned"][1]["text"].startswith(UNPLACED_TEXT)
    assert record["unassigned"][1]["review"]["field"] == "impact"


def test_a_pdf_item_shows_its_page_and_document_text_stays_text(desk, page):
    url, inputs, out = desk
    shutil.copy(FIXTURES / "pdf" / "retyped_labels_fr.pdf", inputs / "retyped_labels_fr.pdf")  # a weak label
    extract(inputs, out)
    rid = _record(out, "unplaced")["record_id"]
    store = out.parent / "review"
    hostile = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
    typed = CliRunner().invoke(app, ["review", str(out), "--set", rid, "partners", hostile])
    assert typed.exit_code == 0, typed.output
    assert (store / f"{rid}.json").exists()
    page.goto(url)
    page.wait_for_selector("#queue button")
    _show(page, "retyped_labels_fr.pdf", "Partenaires impliqués")
    page.wait_for_selector("#item .source img", timeout=30000)
    size = page.eval_on_selector("#item .source img", "img => img.naturalWidth")
    assert size > 300  # a whole page, with the field's box drawn on it
    _show(page, "unplaced.docx", "Impact")
    page.click("#item details.record summary")
    page.wait_for_selector("#item details.record textarea[aria-label=partners]")
    assert page.input_value("#item details.record textarea[aria-label=partners]") == hostile
    assert page.title() != "pwned" and page.locator("img[src=x]").count() == 0


def test_a_duplicate_group_is_one_item_published_by_number_undone_and_split_in_the_browser(desk, page):
    url, _, out = desk
    page.goto(url)
    page.wait_for_selector("#queue button")
    page.select_option("select[name=flag]", "duplicate")
    page.wait_for_function("() => document.querySelectorAll('#queue button').length === 1")  # one for the group
    page.locator("#queue button", has_text="copies of one practice").click()
    page.wait_for_selector("#item .duplicate #split")
    box = page.text_content("#item .duplicate")
    assert "look like the same practice" in box and "Copy 1 (published now)" in box
    offers = page.locator("#item .duplicate button", has_text="Same practice: publish copy").count()
    assert offers == 3  # the Wallonia practice: the Word sample, the compilation's copy, the changed reply
    page.locator("#item h2").click()
    page.keyboard.press("2")
    page.wait_for_selector("#notice:has-text('copy 2 published')")
    page.wait_for_selector("#item .empty")
    group = _record(out, "unplaced")["duplicate_group"]
    assert group["status"] == "confirmed"
    copies = [json.loads((out / f"{member}.json").read_text(encoding="utf-8")) for member in group["members"]]
    assert [c["duplicate_of"] is None for c in copies] == [True, False, False]  # the copy chosen is published
    page.keyboard.press("u")
    page.wait_for_selector("#notice:has-text('undone: dup-')")
    page.wait_for_selector("#item .duplicate #split")
    page.click("#item .duplicate #split")
    page.wait_for_selector("#notice:has-text('different practices: ')")
    page.wait_for_selector("#item .empty")
    assert "duplicate_group" not in _record(out, "unplaced") and "near_duplicate" not in json.dumps(
        _record(out, "unplaced")
    )


def test_filters_that_hide_every_item_say_so_rather_than_nothing_left(desk, page):
    url, _, _ = desk
    page.goto(url)
    page.wait_for_selector("#queue button")
    with_items = set(page.eval_on_selector_all("#queue .reply", "nodes => nodes.map(n => n.textContent)"))
    replies = page.eval_on_selector_all("select[name=reply] option", "nodes => nodes.map(n => n.value)")
    quiet = next(reply for reply in replies if reply and reply not in with_items)
    page.select_option("select[name=reply]", quiet)
    page.wait_for_selector("#item .empty h2:has-text('under these filters')")
    assert "clear the filters" in page.text_content("#item .empty")
    assert "Nothing left to decide" not in page.text_content("#item")


def test_a_flag_is_shown_with_its_question_in_the_replys_language_and_explained_and_u_undoes_the_last_decision(
    desk, page
):
    from extract.vocabulary import FLAGS, Flag

    url, _, out = desk
    page.goto(url)
    page.wait_for_selector("#queue button")
    _show(page, "sample_housing_en.docx", "Target group(s)")  # a retyped label in the shipped samples
    assert page.text_content("#item .question") == "Target group(s)"  # the form's words, not `target_groups`
    assert "Target group(s) reached in 2016" in page.text_content("#item q")  # the label as the reply has it
    explanation = FLAGS[Flag.weak_label][0]
    assert page.text_content("#item ul.flags li").replace("\n", " ") == f"weak_label {explanation}"
    assert page.get_attribute("#editor", "lang") == "en" and page.get_attribute("html", "lang") == "en"
    page.locator("#item h2").click()
    page.keyboard.press("a")
    page.wait_for_selector("#notice:has-text('accepted: Target group(s)')")
    page.wait_for_function("() => !document.querySelector('#item .question')?.textContent.startsWith('Target')")
    page.keyboard.press("u")  # the last decision, whichever item is shown now: back to it
    page.wait_for_selector("#notice:has-text('undone: Target group(s)')")
    page.wait_for_function("() => document.querySelector('#item .question')?.textContent === 'Target group(s)'")
    assert not _record(out, "sample_housing_en")["fields"]["target_groups"]["reviewed"]
    _show(page, "unplaced.docx", "unplaced text 1")
    assert page.get_attribute("#item pre.unplaced", "lang") == "fr"
    options = page.eval_on_selector_all("#target option", "nodes => nodes.map(n => n.textContent)")
    assert "Impact" in options and "impact" not in options


def test_an_uncertain_submitter_is_corrected_in_the_browser(desk, page):
    from review_fixtures import reply_without_header

    from forms import load_form

    url, inputs, out = desk
    reply_without_header(inputs / "sans_entete.docx")
    extract(inputs, out)
    page.goto(url)
    page.wait_for_selector("#queue button")
    _show(page, "sans_entete.docx", load_form().label("priority_domains", "fr"))
    assert page.input_value("#submitter") == ""  # no header was found
    page.fill("#submitter", "BELGIQUE / Wallonie")
    page.click("#save-submitter")
    page.wait_for_selector("#notice:has-text('corrected: country / organisation')")
    record = _record(out, "sans_entete")
    assert record["submitter"] == "BELGIQUE / Wallonie" and record["submitter_review"]["decided_by"] == "Browser"
    assert "submitter_uncertain" not in record["fields"]["priority_domains"]["flags"]
    page.wait_for_function("() => !document.querySelector('#item .flags').textContent.includes('submitter_uncertain')")


def test_a_field_chosen_while_the_queue_reloads_is_the_one_the_text_goes_to(desk, page):
    """A decision reloads the queue in the background; a reviewer who meanwhile opens unplaced text and
    picks its field must keep that choice when the reload answers (the pane was redrawn, the choice reset
    to the suggested field, and Assign put the text in the wrong field: the suite's flaky failure)."""
    url, _, out = desk
    page.goto(url)
    page.wait_for_selector("#queue button")
    _show(page, "unplaced.docx", "Impact")
    held: list = []
    page.route("**/api/items*", lambda route: held.append(route))  # the reload's answer waits for the test
    page.keyboard.press("e")  # a correction of `impact`, which the unplaced text shows as its neighbour
    page.fill("#editor", "Corrigé dans le navigateur")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#notice:has-text('corrected: Impact')")
    page.locator("#queue button", has_text="unplaced text 1").click()
    page.wait_for_function("() => document.querySelector('#queue button.current').textContent.includes('text 1')")
    page.select_option("#target", "impact")
    assert held, "the reload was not sent"
    for route in held:
        route.continue_()
    page.unroute("**/api/items*")
    page.wait_for_function("() => document.querySelector('#item dl.neighbours').textContent.includes('Corrigé')")
    assert page.input_value("#target") == "impact"  # the reviewer's choice, not the suggestion
    page.click("#assign")
    page.wait_for_selector("#notice:has-text('assigned: unplaced text 1')")
    record = _record(out, "unplaced")
    assert record["unassigned"][1]["review"]["field"] == "impact"
    assert record["fields"]["impact"]["value"] == f"Corrigé dans le navigateur\n{record['unassigned'][1]['text']}"
