"""Fault injection: kills at chosen points, damaged outputs and stores, odd names, hanging and ballooning
helpers, full and read-only folders. Each test states the promise it protects (README, "Reliability"),
and the cases that run helpers check that no process and no temporary folder outlives them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cli import app
from parsers import ErrorCode, ReadOptions, UnreadableFile, read_layout
from pipeline.batch import run_batch
from records import clean_stale_temp_files, list_records, write_atomic

sys.path.insert(0, str(FIXTURES))
from faults_builders import (
    BALLOONING,
    HANGING,
    MALFORMED_WORD,
    fake_program,
    looping_page_tree_pdf,
    odt_linking_image,
    with_document_xml,
)

GOOD = FIXTURES / "docx" / "table_grid_fr.docx"
KILLS_ITS_WORKER = "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(600)\n"
SCAN = FIXTURES / "hostile" / "blank_scan.pdf"  # a page-size picture: a blank page is not a scan, never sent to OCR
PHONE, NAME = "+32 (0)81 00 00 00", "Prénom Nom"


# --- helpers of the tests ---------------------------------------------------------------------------------


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A temporary folder of our own for the run and its workers, to check that nothing is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def fake_bin(tmp_path, monkeypatch):
    """A folder first on PATH, for fake helper programs (workers inherit the environment)."""
    folder = tmp_path / "fakebin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    fake_program(folder, "tesseract", "import sys; sys.exit(0)\n")  # OCR counts as installed
    return folder


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes (zombies have none) that contain `text`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


def _assert_nothing_left(marker: Path, temp: Path) -> None:
    deadline = time.monotonic() + 3  # a killed process may take a moment to leave the process table
    while _processes_mentioning(str(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(marker)) == []
    assert [p.name for p in temp.iterdir()] == []  # no pecs-run-*, pecs-ocr-*, pecs-convert-* folder


def _report(out: Path) -> dict[str, dict]:
    return {entry["path"]: entry for entry in json.loads((out / "_report.json").read_text())["files"]}


def _extract(inputs: Path, out: Path, *options: str):
    return CliRunner().invoke(app, [str(inputs), "--out", str(out), "--workers", "1", *options])


def _one_reply(tmp_path: Path, name: str, data: bytes) -> Path:
    inputs = tmp_path / "replies"
    inputs.mkdir(exist_ok=True)
    (inputs / name).write_bytes(data)
    return inputs


# --- writing ---------------------------------------------------------------------------------------------


def test_writes_keep_the_mode_of_a_replaced_file_and_use_the_umask_for_new_ones(tmp_path):
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o644)
    write_atomic(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o644 and kept.read_text() == "new"
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "fresh.json", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "fresh.json").stat().st_mode) == 0o640


KILLED_WRITER = """
import os, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from records import write_atomic
def stall(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = stall
write_atomic(Path({target!r}), "new content " * 1000)
"""


def test_a_write_killed_midway_leaves_the_old_file_whole_and_the_next_run_cleans_its_temp_file(tmp_path):
    target = tmp_path / "out" / "record.json"
    target.parent.mkdir()
    target.write_text("old content")
    script = KILLED_WRITER.format(root=str(ROOT), target=str(target))
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"  # killed mid-write
    writer.kill()
    writer.wait()
    leftovers = [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert target.read_text() == "old content" and len(leftovers) == 1
    mine = target.parent / f".other.json.pid{os.getpid()}.abc.tmp"  # a live writer's work in progress
    mine.write_text("")
    run_batch([], target.parent, isolate=False)
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        [".pecs-state", "_report.json", "record.json", mine.name]
    )
    assert clean_stale_temp_files(target.parent) == []


# --- reader errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MALFORMED_WORD))
def test_malformed_word_xml_gets_its_own_code(tmp_path, name):
    change, code = MALFORMED_WORD[name]
    path = tmp_path / name
    path.write_bytes(with_document_xml(change))
    with pytest.raises(UnreadableFile) as caught:
        read_layout(path)
    assert caught.value.code == code


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_pdf_whose_page_tree_loops_is_too_complex_not_a_scan(tmp_path, engine):
    path = tmp_path / "loop.pdf"
    path.write_bytes(looping_page_tree_pdf())
    with pytest.raises(UnreadableFile) as caught:
        read_layout(path, ReadOptions(pdf_engine=engine))
    assert caught.value.code == ErrorCode.TOO_COMPLEX


def test_a_bug_of_ours_is_not_reported_as_a_damaged_pdf(monkeypatch):
    import parsers.pdfplumber_reader

    def broken(rects, diagonals):
        return [][0]  # an IndexError raised by our code, not by the library

    monkeypatch.setattr(parsers.pdfplumber_reader, "checkboxes", broken)
    with pytest.raises(IndexError):
        read_layout(FIXTURES / "pdf" / "table_grid_fr.pdf", ReadOptions(pdf_engine="pdfplumber"))


# --- damaged outputs and stores, odd names -----------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_reported_and_the_run_completes(tmp_path):
    inputs = tmp_path / "replies"
    inputs.mkdir()
    shutil.copy(GOOD, os.path.join(os.fsencode(inputs), b"r\xe9ponse.docx"))
    out = tmp_path / "out"
    for _ in range(2):  # the second run reads the first run's report
        batch = run_batch([inputs], out, isolate=False)
        assert [(f.path, f.status) for f in batch.files] == [("r\\xe9ponse.docx", "ok")]
    assert "r\\\\xe9ponse.docx" in (out / "_report.json").read_text()


def test_a_truncated_record_is_read_again_and_named_by_compendium_export_and_review(tmp_path):
    inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
    out = tmp_path / "structured"
    [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
    record = out / f"{record_id}.json"
    whole = record.read_text()
    record.write_text(whole[: len(whole) // 2])
    runner = CliRunner()
    for command in (
        ["compendium", str(out), "-o", str(tmp_path / "c.docx"), "--include-unreviewed"],
        ["export", str(out), "--jsonl", str(tmp_path / "p.jsonl")],
        ["review", str(out), "--list"],
    ):
        result = runner.invoke(app, command)
        assert f"{record_id}.json: not valid JSON" in result.output, command
        assert result.exception is None or isinstance(result.exception, SystemExit), command
    run_batch([inputs], out, isolate=False)  # not --force: the damage is seen and the source read again
    assert record.read_text() == whole and list_records(out).damaged == []


@pytest.mark.parametrize(
    "content",
    [
        b'{"record_id": "x", "decisions": {"context": {"record_id": "x", "field": "con',  # truncated
        b"\x00\xff\xfe garbage",
        json.dumps({"record_id": "x", "decisions": {"contact.phone": {"decided_value": [PHONE, NAME]}}}).encode(),
    ],
    ids=["truncated", "garbage", "wrong_types"],
)
def test_a_damaged_review_store_file_is_an_error_that_keeps_the_records_and_quotes_nothing(tmp_path, content):
    inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
    out = tmp_path / "structured"
    [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
    before = (out / f"{record_id}.json").read_text()
    store = tmp_path / "review"
    store.mkdir()
    (store / f"{record_id}.json").write_bytes(content)
    result = _extract(inputs, out, "--force")
    assert result.exit_code == 1
    entry = _report(out)["good.docx"]
    assert entry["error_code"] == "review_store_damaged" and entry["record_ids"] == [record_id]
    assert (out / f"{record_id}.json").read_text() == before
    assert PHONE not in result.output and NAME not in result.output and "Traceback" not in result.output


def test_review_and_extraction_name_a_damaged_store_without_quoting_it(tmp_path):
    inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
    out, store = tmp_path / "structured", tmp_path / "review"
    [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
    store.mkdir(exist_ok=True)
    (store / f"{record_id}.json").write_text(json.dumps({"record_id": record_id, "decisions": [PHONE]}))
    result = CliRunner().invoke(app, ["review", str(out), "--set", record_id, "duration", "2016"])
    assert result.exit_code == 1 and f"{record_id}.json is damaged" in result.output
    (store / f"{record_id}.json").unlink()
    (store / "_duplicates.json").write_text(json.dumps({"group": {"chosen": NAME}}))
    result = _extract(inputs, out, "--force")
    assert result.exit_code == 1 and "_duplicates.json is damaged" in result.output
    for output in (result.output,):
        assert PHONE not in output and NAME not in output and "Traceback" not in output


def test_a_record_left_by_a_killed_run_is_not_reused_when_the_source_is_put_back(tmp_path):
    inputs, out = tmp_path / "replies", tmp_path / "structured"
    inputs.mkdir()
    first, second = GOOD.read_bytes(), (FIXTURES / "docx" / "english_table.docx").read_bytes()
    (inputs / "reply.docx").write_bytes(first)
    run_batch([inputs], out, isolate=False)
    good_report = (out / "_report.json").read_bytes()
    (inputs / "reply.docx").write_bytes(second)
    run_batch([inputs], out, isolate=False)
    (out / "_report.json").write_bytes(good_report)  # as if killed after the records, before the report
    (inputs / "reply.docx").write_bytes(first)
    batch = run_batch([inputs], out, isolate=False)
    [record] = list_records(out).records
    assert record.source.sha256 == batch.files[0].sha256
    assert record.fields.practice_name.value.startswith("Plan de cohésion sociale")


def test_a_symlinked_reply_whose_target_is_away_is_an_error_that_keeps_its_records(tmp_path):
    inputs, out, away = tmp_path / "replies", tmp_path / "structured", tmp_path / "share"
    inputs.mkdir()
    away.mkdir()
    shutil.copy(GOOD, away / "reply.docx")
    (inputs / "reply.docx").symlink_to(away / "reply.docx")
    [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
    (away / "reply.docx").rename(away / "elsewhere.docx")
    [entry] = run_batch([inputs], out, isolate=False).files
    assert (entry.status, entry.error_code, entry.record_ids) == ("error", "unreachable", [record_id])
    assert (out / f"{record_id}.json").exists()


# --- helpers: hangs, memory, kills, leftovers ----------------------------------------------------------------


def test_a_ballooning_ocr_is_stopped_at_the_memory_limit(tmp_path, fake_bin, private_tmp):
    fake_program(fake_bin, "ocrmypdf", BALLOONING)
    inputs, out = _one_reply(tmp_path, "scan.pdf", SCAN.read_bytes()), tmp_path / "structured"
    result = _extract(inputs, out, "--timeout", "20", "--max-memory", "300")
    entry = _report(out)["scan.pdf"]
    assert result.exit_code == 1 and entry["error_code"] == "memory"
    assert entry["message"].startswith("OCR needed more than 300 MB")
    _assert_nothing_left(fake_bin, private_tmp)


def test_a_worker_killed_by_signal_9_from_outside_is_not_called_out_of_memory(tmp_path, fake_bin, private_tmp):
    # the fake OCR kills the worker that started it, then waits: its group must be killed by the batch
    fake_program(
        fake_bin, "ocrmypdf", "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(600)\n"
    )
    inputs, out = _one_reply(tmp_path, "scan.pdf", SCAN.read_bytes()), tmp_path / "structured"
    _extract(inputs, out, "--timeout", "20")
    entry = _report(out)["scan.pdf"]
    assert entry["error_code"] == "crashed" and "SIGKILL" in entry["message"]
    assert "likely out of memory" not in entry["message"]
    _assert_nothing_left(fake_bin, private_tmp)


def test_compendium_pdf_with_a_hanging_libreoffice_leaves_no_process(tmp_path, fake_bin, private_tmp):
    from publish.pdf import PdfExportError, to_pdf

    fake_program(fake_bin, "soffice", HANGING)
    document = tmp_path / "compendium.docx"
    shutil.copy(GOOD, document)
    with pytest.raises(PdfExportError, match="did not finish in 1 s"):
        to_pdf(document, timeout=1)
    assert not document.with_suffix(".pdf").exists()
    _assert_nothing_left(fake_bin, private_tmp)


def test_failures_are_remembered_and_read_again_only_when_asked(tmp_path, fake_bin):
    calls = tmp_path / "calls.log"
    fake_program(fake_bin, "ocrmypdf", f"open({str(calls)!r}, 'a').write('x')\nimport sys; sys.exit(2)\n")
    inputs, out = _one_reply(tmp_path, "scan.pdf", SCAN.read_bytes()), tmp_path / "structured"
    codes = [run_batch([inputs], out, isolate=False).files[0].error_code for _ in range(2)]
    assert codes == ["ocr_failed", "ocr_failed"] and calls.read_text() == "x"
    run_batch([inputs], out, isolate=False, retry_failed=True)
    assert calls.read_text() == "xx"


def test_a_libreoffice_conversion_fetches_nothing_a_reply_links_to(tmp_path, private_tmp, monkeypatch):
    import helpers.libreoffice

    if helpers.soffice() is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    listener = socket.create_server(("127.0.0.1", 0))
    port, visits = listener.getsockname()[1], []

    def serve():
        while True:
            try:
                visitor, _ = listener.accept()
            except OSError:
                return
            visits.append(visitor.recv(100))
            visitor.close()

    threading.Thread(target=serve, daemon=True).start()
    socket.create_connection(("127.0.0.1", port)).close()  # the listener hears what comes
    while not visits:
        time.sleep(0.05)
    # the profile alone must hold (where unshare works, the network is gone as well)
    monkeypatch.setattr(helpers.libreoffice, "no_network_prefix", lambda: ())
    path = tmp_path / "reply.odt"
    path.write_bytes(odt_linking_image(f"http://127.0.0.1:{port}/logo.png"))
    layout = read_layout(path)
    time.sleep(1)  # LibreOffice fetched asynchronously, even after converting, before this fix
    listener.close()
    assert "un exemple" in " ".join(block.text for block in layout.blocks)
    assert len(visits) == 1
    _assert_nothing_left(private_tmp, private_tmp)


def test_conversions_run_without_network_where_unshare_works(tmp_path):
    from helpers.libreoffice import libreoffice_command, no_network_prefix

    command = libreoffice_command("soffice", tmp_path / "profile", ["--version"])
    assert command[: len(no_network_prefix())] == list(no_network_prefix())
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        assert command[:2] == [shutil.which("unshare"), "-n"]
    settings = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text()
    assert '"BlockUntrustedRefererLinks"' in settings and '"Link" oor:op="fuse"><value>0<' in settings


def test_a_batch_of_every_fault_ends_with_a_complete_report_and_no_helper_or_temp_folder_left(
    tmp_path, fake_bin, private_tmp
):
    fake_program(fake_bin, "ocrmypdf", HANGING)  # with a child in its process group
    fake_program(fake_bin, "soffice", HANGING)
    (private_tmp / "pecs-run-999999-old").mkdir()  # left by a run killed outright: the next run removes it
    inputs, out = tmp_path / "replies", tmp_path / "structured"
    inputs.mkdir()
    expected = {"good.docx": None, "scan.pdf": "timeout", "loop.pdf": "too_complex"}
    shutil.copy(GOOD, inputs / "good.docx")
    shutil.copy(SCAN, inputs / "scan.pdf")
    (inputs / "loop.pdf").write_bytes(looping_page_tree_pdf())
    (inputs / "reply.odt").write_bytes(odt_linking_image("logo.png"))
    expected["reply.odt"] = "timeout"
    for name, (change, code) in MALFORMED_WORD.items():
        (inputs / name).write_bytes(with_document_xml(change))
        expected[name] = code
    result = CliRunner().invoke(app, [str(inputs), "--out", str(out), "--workers", "2", "--timeout", "6"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert {name: entry["error_code"] for name, entry in _report(out).items()} == expected
    assert _report(out)["scan.pdf"]["message"] == "OCR did not finish in 6 s (see --timeout)"  # the phase, named
    assert _report(out)["reply.odt"]["message"].endswith(
        "the LibreOffice conversion did not finish in 6 s (see --timeout)"
    )
    _assert_nothing_left(fake_bin, private_tmp)


# --- interruptions and output folders ------------------------------------------------------------------------


def test_ctrl_c_says_what_was_done_and_leaves_consistent_files(tmp_path, fake_bin, private_tmp):
    fake_program(fake_bin, "ocrmypdf", HANGING)
    inputs, out = tmp_path / "replies", tmp_path / "structured"
    inputs.mkdir()
    shutil.copy(GOOD, inputs / "good.docx")
    shutil.copy(SCAN, inputs / "scan.pdf")
    command = [sys.executable, "-c", "from cli import main; main()", str(inputs), "-o", str(out), "--workers", "2"]
    # its own session, so that Ctrl-C can be sent to the whole group as a terminal does
    run = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("good.docx-*.json")) or not _processes_mentioning(str(fake_bin)):
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGINT)
    _, errors = run.communicate(timeout=30)
    assert run.returncode == 130
    assert "Interrupted: 1 of 2 files done" in errors and "not read (1): scan.pdf" in errors
    assert "Traceback" not in errors
    report = _report(out)
    assert report["good.docx"]["status"] == "ok" and report["scan.pdf"]["error_code"] == "interrupted"
    assert list_records(out).damaged == [] and not list(out.glob(".*.tmp"))
    _assert_nothing_left(fake_bin, private_tmp)


def test_output_problems_are_plain_usage_errors(tmp_path):
    inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
    runner = CliRunner()
    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("")
    result = runner.invoke(app, [str(inputs), "--out", str(in_the_way)])
    assert result.exit_code == 2 and "a file is in the way" in result.output
    out = tmp_path / "structured"
    [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
    (tmp_path / "folder.csv").mkdir()
    result = runner.invoke(app, ["export", str(out), "--csv", str(tmp_path / "folder.csv")])
    assert result.exit_code == 2 and "it is a folder" in result.output
    result = runner.invoke(app, ["review", str(out), "--set", record_id, "duration", "-"], input=b"2016\xff\n")
    assert result.exit_code == 2 and "not UTF-8" in result.output
    assert not (tmp_path / "review").exists()  # nothing stored
    assert "Traceback" not in result.output


def _mount_tmpfs(folder: Path, options: str) -> bool:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_full_disk_exits_1_and_leaves_nothing_half_written(tmp_path):
    full = tmp_path / "full"
    if not _mount_tmpfs(full, "size=64k"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount rights) to fill a disk")
    try:
        inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
        (full / "ballast").write_bytes(b"\0" * 40_000)
        result = CliRunner().invoke(app, [str(inputs), "--out", str(full / "out")])
        assert result.exit_code == 1 and "disk full" in result.output
        written = list((full / "out").iterdir())  # what fitted is whole; what did not fit is not there at all
        assert not [p for p in written if p.name.endswith(".tmp")] and list_records(full / "out").damaged == []
        assert not (full / "out" / "_report.json").exists() or _report(full / "out")
    finally:
        _unmount(full)


def test_a_read_only_output_folder_is_a_usage_error(tmp_path):
    read_only = tmp_path / "ro"
    mounted = _mount_tmpfs(read_only, "ro,size=64k")
    if not mounted:
        if os.geteuid() == 0:
            pytest.skip("running as root without mount rights: permissions cannot make a folder read-only")
        read_only.chmod(0o500)
    try:
        inputs = _one_reply(tmp_path, "good.docx", GOOD.read_bytes())
        result = CliRunner().invoke(app, [str(inputs), "--out", str(read_only / "out")])
        assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output
        out = tmp_path / "structured"
        [record_id] = run_batch([inputs], out, isolate=False).files[0].record_ids
        command = ["review", str(out), "--store", str(read_only), "--set", record_id, "duration", "2016"]
        result = CliRunner().invoke(app, command)  # a read-only review store
        assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output
    finally:
        if mounted:
            _unmount(read_only)
