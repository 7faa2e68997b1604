"""pecs-extract command line: a thin shell that parses options, calls the library, prints, exits.

`pecs-extract data/raw` is short for `pecs-extract extract data/raw`: when the first word is not a
command, `extract` is assumed, so later commands never break the plain form.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer.core import TyperGroup

from forms import FormSpec, FormSpecError, load_form

# Only light modules at the top (tests/test_lazy_imports.py guards it): `--help` and a run where
# nothing changed must not pay for pydantic, rich or the readers. Import heavy things inside commands.
from parsers import DEFAULT_PDF_ENGINE, PDF_ENGINES, ReadOptions
from pipeline.discovery import input_in_output
from pipeline.interrupted import BatchInterrupted
from pipeline.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Limits
from pipeline.options import ExtractOptions
from pipeline.unchanged import UnchangedRun, default_store, unchanged_run

if TYPE_CHECKING:
    from extract.record import RecordBase
    from pipeline.batch import BatchReport

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool stopped by a closed pipe


class GroupBy(str, Enum):
    priority = "priority"
    submitter = "submitter"


# The choices come from the engine registry: a new engine needs no change here. mypy cannot see members
# built at run time, hence the one ignore; typer needs an Enum to print and check the choices itself.
PdfEngine = Enum("PdfEngine", {name: name for name in PDF_ENGINES}, type=str)  # type: ignore[misc]
DEFAULT_ENGINE = PdfEngine(DEFAULT_PDF_ENGINE)


# The compendium's languages: those the PECS spec (forms/pecs-2017.toml) has compendium texts in.
COMPENDIUM_LANGUAGES = list(load_form().compendium)


# Review, duplicates, the compendium and the exports read records of the form they name (a PECS record names
# none, another form's names its spec's id); --form gives the spec when it is not shipped (docs/forms.md).
RecordsForm = Annotated[
    Path | None,
    typer.Option(
        "--form",
        help="The spec the records were extracted with, for a form not shipped with pecs-extract (its id for a "
        "shipped one); default: the form the records name. Example: --form survey.toml",
        dir_okay=False,
    ),
]


class _DefaultToExtract(TyperGroup):
    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["extract", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToExtract,
    help="Turn PECS questionnaire replies (Word, PDF) into structured, reviewable records.",
    pretty_exceptions_show_locals=False,  # a traceback must never print a reply's content
    rich_markup_mode=None,  # plain help: rendering it with rich would import rich for every --help
    no_args_is_help=False,
    add_completion=False,
)


@app.command()
def extract(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Reply files and/or folders (searched recursively). Example: data/raw",
            exists=True,
            show_default="data/raw",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSON records and _report.json.")] = Path(
        "data/structured"
    ),
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Only the summary and the failures: no per-file lines, gaps or duplicates."),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(help="Seconds one file may take before its reading is stopped. Example: --timeout 120", min=1),
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        int,
        typer.Option(help="Memory (MB) one file's reader may use; 0 for no limit. Example: --max-memory 4096", min=0),
    ] = DEFAULT_MAX_MEMORY_MB,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Files read at once (worker processes); default: one per CPU. Example: --workers 2",
            min=1,
            show_default="CPU count",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Read every file again, even those unchanged since the last run.")
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Read again the files that failed last time though unchanged."),
    ] = False,
    pdf_engine: Annotated[
        PdfEngine,
        typer.Option(help="PDF text engine: pdfium (fast) or pdfplumber (the reference); both give the same records."),
    ] = DEFAULT_ENGINE,
    form: Annotated[
        Path | None,
        typer.Option(
            help="The questionnaire the replies answer, as a form spec (docs/forms.md); default: the PECS form. "
            "Example: --form survey.toml",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(help="Review store whose decisions apply; default: 'review' beside the output folder."),
    ] = None,
) -> None:
    """Read every reply and write one JSON record per practice (the default command)."""
    if not inputs:
        default = Path("data/raw")
        if not default.is_dir():
            _usage_error("no input given and ./data/raw does not exist; name files or folders to read")
        inputs = [default]
    clash = input_in_output(inputs, (out, store or default_store(out)))
    if clash is not None:
        _usage_error(
            f"{clash} holds records or review decisions, not replies: give the replies' folder "
            f"(pecs-extract data/raw), or look at the records with `pecs-extract status {clash}` or `review`"
        )
    limits = Limits(timeout=timeout, max_memory_mb=max_memory or None)
    options = _extract_options(form, pdf_engine=pdf_engine.value)
    try:
        report = _run_with_progress(inputs, out, quiet, limits, workers, (force, retry_failed), options, store)
    except BatchInterrupted as stop:
        _print_interrupted(stop, out)
    except OSError as error:
        _output_error(error)
    _print_summary(report, out, quiet, form)
    raise typer.Exit(EXIT_FAILED_INPUT if report.failed else EXIT_OK)


@app.command()
def review(
    records_dir: Annotated[Path, typer.Argument(help="Folder of records. Example: data/structured")] = Path(
        "data/structured"
    ),
    list_: Annotated[bool, typer.Option("--list", help="List what is left to decide and exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --list: as JSON, for scripts.")] = False,
    accept: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="Accept a field as extracted. Example: --accept RECORD_ID contact.email", metavar="RECORD_ID FIELD"
        ),
    ] = None,
    set_: Annotated[
        tuple[str, str, str] | None,
        typer.Option(
            "--set",
            help="Correct a field; VALUE '-' reads it from standard input. Example: --set ID duration 2016",
            metavar="RECORD_ID FIELD VALUE",
        ),
    ] = None,
    clear: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="Empty a field on purpose (--set refuses an empty value). Example: --clear ID duration",
            metavar="RECORD_ID FIELD",
        ),
    ] = None,
    assign: Annotated[
        tuple[str, int, str] | None,
        typer.Option(
            help="Add unplaced text number INDEX to a field. Example: --assign ID 0 impact",
            metavar="RECORD_ID INDEX FIELD",
        ),
    ] = None,
    dismiss: Annotated[
        tuple[str, int] | None,
        typer.Option(
            help="Unplaced text number INDEX belongs to no field. Example: --dismiss ID 0", metavar="RECORD_ID INDEX"
        ),
    ] = None,
    undo: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="Withdraw the decision on a field or 'unassigned.N'. Example: --undo ID impact",
            metavar="RECORD_ID FIELD",
        ),
    ] = None,
    same_practice: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="A duplicate group's copies are one practice: publish RECORD_ID. Example: --same-practice dup-1a2b ID",
            metavar="GROUP_ID RECORD_ID",
        ),
    ] = None,
    different_practices: Annotated[
        str | None,
        typer.Option(help="A duplicate group's copies are different practices. Example: --different-practices dup-1a"),
    ] = None,
    undo_group: Annotated[
        str | None, typer.Option(help="Withdraw the decision on a duplicate group. Example: --undo-group dup-1a2b")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write one self-contained review page. Example: --html review.html")
    ] = None,
    store: Annotated[
        Path | None, typer.Option(help="Review store (decisions); default: 'review' beside the records folder.")
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Name recorded with each decision; default: your user name.")
    ] = None,
    interactive: Annotated[bool, typer.Option(help="Walk the items one by one (the default on a terminal).")] = False,
    serve: Annotated[bool, typer.Option("--serve", help="Start the review desk, a web page, on this machine.")] = False,
    host: Annotated[
        str, typer.Option(help="With --serve: address to listen on; other than 127.0.0.1 needs a token.")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option(help="With --serve: port.", min=1, max=65535)] = 8765,
    open_: Annotated[bool, typer.Option("--open", help="With --serve: open the desk in your browser.")] = False,
    token: Annotated[
        str | None, typer.Option(help="With --serve on a shared address: the token reviewers need (else printed).")
    ] = None,
    form: RecordsForm = None,
) -> None:
    """Review flagged fields and unplaced text; decisions are kept apart and survive every re-run."""
    from review import store_for
    from review.groups import GroupError
    from review.session import ReviewSession
    from review.store import Conflict, DamagedStore, StoreError

    try:
        session = ReviewSession(records_dir, store or store_for(records_dir), reviewer, form)
        if serve:
            from review.desk import serve as serve_desk

            serve_desk(session, host=host, port=port, token=token, open_browser=open_)
        elif accept or set_ or clear or assign or dismiss or undo:
            _decide_scripted(session, accept, set_, clear, assign, dismiss, undo)
        elif same_practice or different_practices or undo_group:
            _decide_group(session, same_practice, different_practices, undo_group)
        elif html_out:
            _write_review_page(session, html_out)
        elif list_ or as_json or not (interactive or sys.stdin.isatty()):
            _list_items(session, as_json)
        else:
            from review.walk import Walk

            code = Walk(session, str(records_dir)).run()
            if code:
                raise typer.Exit(code)
    except Conflict as conflict:
        typer.secho(f"Error: {conflict}", fg="red", err=True)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    except DamagedStore as damaged:  # named, never quoted: the store holds names and phone numbers
        typer.secho(f"Error: {damaged}: repair or remove it.", fg="red", err=True)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    except (StoreError, GroupError) as error:
        _usage_error(str(error))
    except OSError as error:  # a read-only store, a full disk
        _output_error(error)
    for problem in session.problems:
        typer.secho(f"error: record file left out: {problem}", fg="red", err=True)


def _decide_group(session, same_practice, different_practices, undo_group) -> None:
    """One decision on a duplicate group, as the walk and the desk take it."""
    if same_practice:
        group_id, record_id = same_practice
        settled = session.groups.publish(group_id, record_id)
        typer.echo(f"same practice: {group_id}, published: {settled['chosen']}")
    elif different_practices:
        session.groups.split(different_practices)
        typer.echo(f"different practices: {different_practices}")
    else:
        settled = session.groups.undo(undo_group)
        typer.echo(f"undone: {undo_group} ({settled['status']})")


def _decide_scripted(session, accept, set_, clear, assign, dismiss, undo) -> None:
    if accept:
        decision = session.accept(*accept)
    elif set_:
        record_id, key, value = set_
        value = _stdin_text() if value == "-" else value
        if not value.strip():  # an empty variable or pipe would erase the answer unseen: refused
            _usage_error(f"empty value for {key}: nothing stored (to empty the field: --clear {record_id} {key})")
        decision = session.decide(record_id, key, value)
    elif clear:
        decision = session.decide(*clear, None)
    elif assign:
        decision = session.assign(*assign)
    elif dismiss:
        decision = session.dismiss(*dismiss)
    else:
        session.undo(*undo)
        typer.echo(f"undone: {undo[0]} {undo[1]}")
        return
    typer.echo(f"{decision.action}: {decision.record_id} {decision.field}")
    for problem in session.not_written:
        typer.secho(f"warning: {problem}", fg="yellow", err=True)


def _list_items(session, as_json: bool) -> None:
    items = session.items()
    if as_json:
        typer.echo(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
        return
    for item in items:
        view = item.as_dict()
        if view["kind"] == "duplicate":
            copies = ", ".join(copy["record_id"] for copy in view["copies"])
            differs = ", ".join(d["field"] for d in view["differing"])
            typer.echo(f"{view['group']}  the same practice?  copies: {copies}  differ in: {differs}")
        elif view["kind"] == "unassigned":
            place = f"unassigned {view['index']} (after {view['near_field'] or 'the start'})"
            typer.echo(f"{view['record_id']}  {place}  {view['text'][:70]!r}")
        else:
            value = (view["value"] or view["typed"] or "(empty)").replace("\n", " ")
            typer.echo(f"{view['record_id']}  {view['field']}  [{', '.join(view['flags'])}]  {value[:70]}")
    fields = sum(item.kind == "field" for item in items)
    groups = sum(item.kind == "duplicate" for item in items)
    texts = len(items) - fields - groups
    typer.echo(
        f"{fields} flagged fields and {texts} unplaced texts in {len(session.records())} records;"
        f" {groups} duplicate groups to decide."
    )
    for left in session.unmatched_decisions():
        typer.secho(
            f"warning: {left.decisions} review decisions on {left.record_id} apply to no record here: {left.reason};"
            f" kept in {session.store.folder / left.record_id}.json",
            fg="yellow",
            err=True,
        )


def _write_review_page(session, target: Path) -> None:
    from records import write_atomic
    from review.html import review_page
    from review.render import IsolatedRenderer

    sources = session.sources()
    with IsolatedRenderer() as renderer:
        page = review_page(session.records(), lambda record: sources.get(record.record_id), renderer.regions)
    with _writing():
        write_atomic(target, page)
    typer.echo(f"wrote {target}")


@app.command()
def compendium(
    records_dir: Annotated[Path, typer.Argument(help="Folder of records. Example: data/structured")] = Path(
        "data/structured"
    ),
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write, .docx or .pdf by its suffix. Example: -o recueil.pdf")
    ] = Path("compendium.docx"),
    group_by: Annotated[GroupBy, typer.Option(help="One part per priority area, or per submitter.")] = GroupBy.priority,
    lang: Annotated[
        str | None,
        typer.Option(
            help="Language of the form's labels and headings: one its spec has compendium texts in "
            f"(PECS: {', '.join(COMPENDIUM_LANGUAGES)}).",
            show_default="the first",
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="With a .docx output, also write the PDF beside it.")] = False,
    include_unreviewed: Annotated[
        bool, typer.Option(help="Publish practices that still need review, each marked 'not reviewed'.")
    ] = False,
    no_personal_data: Annotated[
        bool, typer.Option("--no-personal-data", help="Leave out contact names, e-mails and phone numbers.")
    ] = False,
    title: Annotated[str | None, typer.Option(help="Title page's title. Example: --title 'Recueil 2019'")] = None,
    subtitle: Annotated[str | None, typer.Option(help="Line under the title. Example: --subtitle 'PECS'")] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="Date on the title page, as written (default: the records' date of compilation, in the "
            "compendium's language). Example: --date 'mai 2019'"
        ),
    ] = None,
    intro: Annotated[
        Path | None, typer.Option(help="Introduction after the title page, Markdown or text. Example: --intro intro.md")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(help="Review store whose decisions apply; default: 'review' beside the records folder."),
    ] = None,
    form: RecordsForm = None,
) -> None:
    """Build the published compendium (Word and/or PDF) from the reviewed records."""
    from parsers.pdf_text import page_texts
    from publish.compendium import CompendiumOptions, blockers
    from publish.pdf import PdfExportError
    from publish.publication import UnknownFormat, compiled_on, publish_compendium, targets

    spec = _records_form(records_dir, form)
    lang = _language(lang, list(spec.compendium), f"{spec.path}: the form '{spec.id}' has compendium texts")
    try:
        targets(output, pdf)
        intro_text = intro.read_text(encoding="utf-8") if intro else None
    except UnknownFormat as error:
        _usage_error(str(error))
    except (OSError, UnicodeDecodeError) as error:
        _usage_error(f"cannot read the introduction {intro}: {error}")
    records, damaged = _published_records(records_dir, store, spec)
    if not records:
        _usage_error(f"no records in {records_dir}: run 'pecs-extract' first")
    waiting = blockers(records)
    if waiting and not include_unreviewed:
        typer.secho(
            f"Not published: {len(waiting)} practices still need review "
            "(pecs-extract review, or --include-unreviewed):",
            fg="red",
            err=True,
        )
        for line in waiting:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(EXIT_FAILED_INPUT)
    options = CompendiumOptions(
        group_by=group_by.value,
        lang=lang,
        include_unreviewed=include_unreviewed,
        personal_data=not no_personal_data,
        title=title,
        subtitle=subtitle,
        date=date,
        compiled=compiled_on(records, records_dir),
        intro=intro_text,
    )
    try:
        with _writing():
            done = publish_compendium(records, options, output, pdf, page_texts)
    except PdfExportError as error:
        typer.secho(f"Error: {error}", fg="red", err=True)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    for warning in done.warnings:
        typer.secho(f"Warning: {warning}", fg="yellow", err=True)
    counts = f"{done.practices} practices" + (f", {len(waiting)} not reviewed" if waiting else "")
    counts += f", {done.pages} pages" if done.pages else ""
    for path in done.written:
        typer.echo(f"wrote {path} ({counts})")
    if damaged:
        raise typer.Exit(EXIT_FAILED_INPUT)


class Separator(str, Enum):
    comma = ","
    semicolon = ";"


@app.command()
def export(
    records_dir: Annotated[Path, typer.Argument(help="Folder of records. Example: data/structured")] = Path(
        "data/structured"
    ),
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Example: --csv practices.csv")] = None,
    xlsx_out: Annotated[Path | None, typer.Option("--xlsx", help="Example: --xlsx practices.xlsx")] = None,
    jsonl_out: Annotated[Path | None, typer.Option("--jsonl", help="Example: --jsonl practices.jsonl")] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            help="Language of the spreadsheet's headers and sheet names: one of the form's "
            f"(PECS: {', '.join(load_form().languages)}).",
            show_default="the form's first",
        ),
    ] = None,
    csv_separator: Annotated[
        Separator, typer.Option(help="CSV separator; ';' for Excel in a French locale. Example: --csv-separator ';'")
    ] = Separator.comma,
    no_bom: Annotated[
        bool, typer.Option("--no-bom", help="CSV without the UTF-8 byte-order mark (Excel needs it for accents).")
    ] = False,
    store: Annotated[
        Path | None,
        typer.Option(help="Review store whose decisions apply; default: 'review' beside the records folder."),
    ] = None,
    form: RecordsForm = None,
) -> None:
    """Export one row per practice (every field, codes, submitter, source, review state); duplicates once."""
    from duplicates import published
    from publish.export import UnknownFormat, check_suffix, write_csv, write_jsonl
    from publish.sheets import write_xlsx

    if not (csv_out or xlsx_out or jsonl_out):
        _usage_error("name at least one of --csv, --xlsx, --jsonl")
    spec = _records_form(records_dir, form)
    lang = _language(lang, list(spec.languages), "the spreadsheet has headers")
    try:
        for kind, target in (("csv", csv_out), ("xlsx", xlsx_out), ("jsonl", jsonl_out)):
            if target:
                check_suffix(kind, target)
    except UnknownFormat as error:
        _usage_error(str(error))
    records, damaged = _published_records(records_dir, store, spec)
    count = len(published(records))
    with _writing():
        if csv_out:
            write_csv(records, csv_out, separator=csv_separator.value, bom=not no_bom, form=spec)
            typer.echo(f"wrote {csv_out} ({count} practices)")
        if xlsx_out:
            for warning in write_xlsx(records, xlsx_out, lang=lang, form=spec).warnings:
                typer.secho(f"Warning: {warning}", fg="yellow", err=True)
            typer.echo(f"wrote {xlsx_out} ({count} practices)")
        if jsonl_out:
            write_jsonl(records, jsonl_out)
            typer.echo(f"wrote {jsonl_out} ({count} practices)")
    if damaged:
        raise typer.Exit(EXIT_FAILED_INPUT)


def _published_records(records_dir: Path, store: Path | None, spec: FormSpec) -> tuple[list[RecordBase], list[str]]:
    """The readable records of the form `spec` with the store's decisions applied now (whatever store they
    were written with); each damaged record file is named on stderr (the command then exits 1)."""
    from review.session import ReviewSession
    from review.store import StoreError, store_for

    if not records_dir.is_dir():
        _usage_error(f"no records folder at {records_dir}: run 'pecs-extract' first")
    session = ReviewSession(records_dir, store or store_for(records_dir), form=spec)
    try:
        records = session.records()
    except StoreError as error:
        _usage_error(str(error))
    for problem in session.problems:
        typer.secho(f"error: record file left out: {problem}", fg="red", err=True)
    return records, session.problems


@app.command()
def duplicates(
    records_dir: Annotated[Path, typer.Argument(help="Folder of records. Example: data/structured")] = Path(
        "data/structured"
    ),
    confirm: Annotated[
        str | None, typer.Option(help="The group is one practice: publish it once. Example: --confirm dup-1a2b3c4d5e")
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="The group's records are different practices. Example: --split dup-1a2b3c4d5e")
    ] = None,
    keep: Annotated[
        str | None, typer.Option(help="With --confirm: the record to publish (default: the chosen one).")
    ] = None,
    store: Annotated[
        Path | None, typer.Option(help="Review store (decisions); default: 'review' beside the records folder.")
    ] = None,
    form: RecordsForm = None,
) -> None:
    """List the groups of duplicate practices, or settle one (confirm or split)."""
    from duplicates import DuplicateError, GroupReport, decide, regroup
    from extract.record import record_model
    from review import store_for

    if not records_dir.is_dir():
        _usage_error(f"no records folder at {records_dir}: run 'pecs-extract' first")
    store_dir = store or store_for(records_dir)
    model = record_model(_records_form(records_dir, form))
    try:
        settled = confirm or split
        if settled:
            group = decide(records_dir, store_dir, settled, "confirmed" if confirm else "split", keep, model=model)
            typer.echo(f"{group.decision}: {group.id}" + (f", published: {group.chosen}" if confirm else ""))
            return
        groups = regroup(records_dir, store_dir, model=model)
    except DuplicateError as error:
        _usage_error(str(error))
    for report in map(GroupReport.of, groups):
        typer.echo(f"{report.id}  {report.status}  {report.similarity:g}%  chosen: {report.chosen}")
        for member in report.members[1:]:
            typer.echo(f"    also: {member}")
        if report.differing_fields:
            typer.echo(f"    differs in: {', '.join(report.differing_fields)}")
    typer.echo(f"{len(groups)} duplicate groups in {records_dir}.")


@app.command()
def status(
    records_dir: Annotated[Path, typer.Argument(help="Folder of records. Example: data/structured")] = Path(
        "data/structured"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
    form: RecordsForm = None,
) -> None:
    """Per reply, the questions it leaves unanswered (empty, placeholder, absent), to write back to the sender."""
    from extract.record import record_model
    from records.status import reply_status

    if not records_dir.is_dir():
        _usage_error(f"no records folder at {records_dir}: run 'pecs-extract' first")
    replies, problems = reply_status(records_dir, record_model(_records_form(records_dir, form)))
    for problem in problems:
        typer.secho(f"error: record file left out: {problem}", fg="red", err=True)
    if as_json:
        typer.echo(json.dumps([dict(vars(r), gaps=[list(g) for g in r.gaps]) for r in replies], indent=2))
        return
    for reply in replies:
        typer.echo(reply.line())
    typer.echo(f"{sum(bool(r.gaps) for r in replies)} of {len(replies)} practices have unanswered questions.")


@app.command()
def schema(
    form: Annotated[
        Path | None,
        typer.Option(help="The schema of another form's records. Example: --form survey.toml", exists=True),
    ] = None,
) -> None:
    """Print the JSON Schema of a record (the contract for downstream tools)."""
    from extract.record import record_model

    model = record_model(_extract_options(form).form_spec())
    typer.echo(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))


form_app = typer.Typer(help="Form specs: the questionnaire as data (docs/forms.md).", no_args_is_help=True)
app.add_typer(form_app, name="form")


@form_app.command("init")
def form_init(
    blank: Annotated[
        Path,
        typer.Argument(help="A blank questionnaire (.docx or .pdf). Example: blank.docx", exists=True, dir_okay=False),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the draft spec. Example: -o survey.toml")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft a form spec from a blank questionnaire, for a person to check and edit."""
    from pipeline.form_init import FormDraftError, draft_form_file

    if out.exists() and not force:
        _usage_error(f"{out} exists; use --force to overwrite it")
    try:
        draft = draft_form_file(blank)
    except FormDraftError as error:
        _usage_error(str(error))
    out.write_text(draft.text, encoding="utf-8")
    typer.echo(f"{out}: {len(draft.keys)} fields ({draft.language}): {', '.join(draft.keys)}. Check it, then:")
    typer.echo(f"  pecs-extract REPLIES --form {out}")


def _records_form(records_dir: Path, form: Path | None) -> FormSpec:
    """The form of a folder's records: --form, else the one they name; a usage error naming the file if none."""
    from records import UnknownForm, folder_form

    try:
        return folder_form(records_dir, form)
    except (UnknownForm, FormSpecError) as error:
        _usage_error(str(error))


def _language(lang: str | None, languages: list[str], what: str) -> str:
    """--lang, checked against the languages there is wording in; default: the first of them."""
    if not languages:
        _usage_error(f"{what} in no language: add them to its spec (docs/forms.md)")
    if lang is None:
        return languages[0]
    if lang not in languages:
        _usage_error(f"--lang {lang}: {what} in {', '.join(languages)} only")
    return lang


def _extract_options(form: Path | None, **reading) -> ExtractOptions:
    try:
        return ExtractOptions.for_form(form, **reading)
    except FormSpecError as error:
        _usage_error(str(error))


def _run_with_progress(
    inputs: list[Path],
    out: Path,
    quiet: bool,
    limits: Limits,
    workers: int | None,
    rereading: tuple[bool, bool],  # --force, --retry-failed
    options: ReadOptions,
    store: Path | None = None,
) -> BatchReport | UnchangedRun:
    def busy() -> None:
        typer.secho(f"waiting: another pecs-extract run is writing to {out}/", fg="yellow", err=True)

    def show(report) -> None:
        if quiet or report.status == "ok":
            return
        colour = "red" if report.status == "error" else "yellow"
        typer.secho(f"{report.status}: {report.path}: {report.message}", fg=colour, err=True)

    force, retry_failed = rereading
    unchanged = None if force else unchanged_run(inputs, out, options, review_dir=store, on_file=show)
    if unchanged is not None:
        return unchanged  # nothing to read: the batch and its imports are not needed
    from pipeline.batch import run_batch

    run = partial(run_batch, inputs, out, limits=limits, workers=workers, force=force, options=options)
    run = partial(_guarded_batch, partial(run, retry_failed=retry_failed, review_dir=store, on_busy=busy))

    if not sys.stderr.isatty() or quiet:
        return run(on_file=show)
    from rich.progress import Progress  # a progress bar only where someone watches

    with Progress(transient=True) as progress:
        task = progress.add_task("reading replies", total=None)

        def step(report) -> None:
            progress.advance(task)
            progress.update(task, description=f"read {report.path}")
            show(report)

        return run(on_file=step)


def _print_summary(
    report: BatchReport | UnchangedRun, out: Path, quiet: bool = False, form: Path | None = None
) -> None:
    # a reply unchanged since the last run is not read again: say so, a warm run read nothing
    if isinstance(report, UnchangedRun):
        unchanged = report.count("ok")
    else:
        unchanged = sum(1 for f in report.files if f.status == "ok" and getattr(f, "from_earlier_run", False))
    typer.echo(
        f"{len(report.files)} files: {report.count('ok') - unchanged} read, {unchanged} unchanged, "
        f"{report.count('error')} failed, {report.count('skipped')} skipped; "
        f"{_plural(report.practices, 'practice')} in {out}/, "
        f"{_plural(report.flagged_fields, 'field')} flagged for review."
    )
    if not isinstance(report, UnchangedRun):  # an unchanged run moved nothing: its last run said it
        _print_moved_decisions(report)
    if quiet:  # the summary and the failures only; `status` and `duplicates` list the rest
        _print_failed(report)
        return
    if isinstance(report, UnchangedRun):  # it imports nothing heavy, so it leaves the gaps to `status`
        typer.echo(f"Nothing changed since the last run: `pecs-extract status {out}` lists the unanswered questions.")
    else:
        _print_gaps(out, {i for f in report.files for i in f.record_ids}, form, limit=20)
    for group in report.duplicates:
        state = {"identical": "the same answers", "differs": "answers differ: review it", "split": "split"}
        typer.echo(
            f"duplicate {group.id} ({group.similarity:g}% alike, {state.get(group.status, group.status)}): "
            + ", ".join(group.members)
            + (f"; published: {group.chosen}" if group.status != "split" else "")
        )
    _print_failed(report)


def _print_moved_decisions(report: BatchReport) -> None:
    """Decisions that followed a moved reply, and those left matching no record: lost work is never silent."""
    for moved in report.moved:
        typer.echo(
            f"{_plural(moved.decisions, 'review decision')} on {moved.old_id} followed its reply to {moved.path}"
            f" (now {moved.new_id})"
        )
    for left in report.unmatched:
        typer.secho(
            f"warning: {_plural(left.decisions, 'review decision')} on {left.record_id} apply to no record: "
            f"{left.reason}; "
            f"kept in the review store ({left.record_id}.json)",
            fg="yellow",
            err=True,
        )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _print_failed(report: BatchReport | UnchangedRun) -> None:
    if report.failed:
        typer.secho("Failed:", fg="red", err=True)
        for failed in report.failed:
            typer.secho(f"  {failed.path}: {failed.message}", fg="red", err=True)
        remembered = sum(bool(getattr(failed, "from_earlier_run", False)) for failed in report.failed)
        if remembered:
            typer.echo(f"({remembered} of them unchanged since they failed last time, not read again: --retry-failed)")


def _print_gaps(out: Path, record_ids: set[str], form: Path | None, limit: int | None = None) -> None:
    from extract.record import record_model
    from records import UnknownForm, folder_form
    from records.status import reply_status

    try:
        spec = folder_form(out, form)  # the form just read with: --form, or the records' own
    except (UnknownForm, FormSpecError):
        return  # a folder of mixed forms: `status --form` lists each
    gaps = [g for g in reply_status(out, record_model(spec))[0] if g.record_id in record_ids and g.gaps]
    if not gaps:
        return
    typer.echo(
        f"Unanswered questions in {_plural(len(gaps), 'practice')}"
        " (to ask the senders; `pecs-extract status` lists all):"
    )
    for reply in gaps[:limit]:
        typer.echo("  " + reply.line())
    if limit is not None and len(gaps) > limit:
        typer.echo(f"  … and {len(gaps) - limit} more")


def _stdin_text() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    try:
        return data.decode("utf-8").rstrip("\n")
    except UnicodeDecodeError:
        _usage_error("standard input is not UTF-8 text; nothing was stored")


def _print_interrupted(stop: BatchInterrupted, out: Path) -> NoReturn:
    read = len(stop.report.files) - len(stop.unread)
    typer.secho(
        f"Interrupted: {read} of {len(stop.report.files)} files done and written to {out}/ with _report.json; "
        f"not read ({len(stop.unread)}): {', '.join(stop.unread[:10])}{' …' if len(stop.unread) > 10 else ''}. "
        "Every file written is complete; run the same command again to read the rest.",
        fg="red",
        err=True,
    )
    raise typer.Exit(EXIT_INTERRUPTED)


def _output_error(error: OSError) -> NoReturn:
    """A folder or file that cannot be written: a plain message, exit 2 (1 when the disk is full, which is
    not a mistake in the command). The atomic writes leave nothing half-written either way."""
    if error.errno == errno.EPIPE:
        _closed_pipe()
    where = f" {error.filename}" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        typer.secho(f"Error: disk full while writing{where}; nothing was left half-written.", fg="red", err=True)
        raise typer.Exit(EXIT_FAILED_INPUT)
    reasons = {
        errno.EEXIST: "a file is in the way of the output folder",
        errno.ENOTDIR: "a file is in the way of the output folder",
        errno.EISDIR: "it is a folder, not a file name",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
    }
    _usage_error(f"cannot write{where}: {reasons.get(error.errno or 0, error.strerror)}")


def _closed_pipe() -> NoReturn:
    """The reader of our output went away (`review --list | head`): stop quietly, as Unix tools do, with the
    code of a command ended by SIGPIPE. What is still buffered goes nowhere rather than fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_CLOSED_PIPE)


def _guarded_batch(run, **arguments):
    from records import DamagedFile, OtherFormsRecords

    try:
        return run(**arguments)
    except DamagedFile as damaged:  # the duplicates' decisions: the records are written, not grouped
        _damaged(damaged)
    except OtherFormsRecords as other:  # nothing was read or changed
        _usage_error(str(other))


def _damaged(damaged) -> NoReturn:
    typer.secho(f"Error: {damaged.path} is damaged ({damaged.reason}): repair or remove it.", fg="red", err=True)
    raise typer.Exit(EXIT_FAILED_INPUT)


@contextmanager
def _writing():
    try:
        yield
    except OSError as error:
        _output_error(error)


def _usage_error(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", fg="red", err=True)
    raise typer.Exit(EXIT_USAGE)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
