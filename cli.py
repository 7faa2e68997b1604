"""pecs-extract command line: a thin shell that parses options, calls the library, prints, exits.

`pecs-extract data/raw` is short for `pecs-extract extract data/raw`: when the first word is not a
command, `extract` is assumed, so later commands never break the plain form.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from extract.record import Record
from pipeline import BatchReport, FileReport, Limits, run_batch
from pipeline.workers import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT

EXIT_OK, EXIT_FAILED_INPUT, EXIT_USAGE = 0, 1, 2


class _DefaultToExtract(TyperGroup):
    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["extract", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToExtract,
    help="Turn PECS questionnaire replies (Word, PDF) into structured, reviewable records.",
    pretty_exceptions_show_locals=False,  # a traceback must never print a reply's content
    no_args_is_help=False,
    add_completion=False,
)


@app.command()
def extract(
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="Reply files and/or folders (searched recursively). Example: data/raw", exists=True,
        show_default="data/raw")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSON records and _report.json.")] =
        Path("data/structured"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary, no per-file lines.")] = False,
    timeout: Annotated[float, typer.Option(
        help="Seconds one file may take before its reading is stopped. Example: --timeout 120", min=1)] =
        DEFAULT_TIMEOUT,
    max_memory: Annotated[int, typer.Option(
        help="Memory (MB) one file's reader may use; 0 for no limit. Example: --max-memory 4096", min=0)] =
        DEFAULT_MAX_MEMORY_MB,
    workers: Annotated[int | None, typer.Option(
        help="Files read at once (worker processes); default: one per CPU. Example: --workers 2", min=1,
        show_default="CPU count")] = None,
) -> None:
    """Read every reply and write one JSON record per practice (the default command)."""
    if not inputs:
        default = Path("data/raw")
        if not default.is_dir():
            _usage_error("no input given and ./data/raw does not exist; name files or folders to read")
        inputs = [default]
    limits = Limits(timeout=timeout, max_memory_mb=max_memory or None)
    report = _run_with_progress(inputs, out, quiet, limits, workers)
    _print_summary(report, out)
    raise typer.Exit(EXIT_FAILED_INPUT if report.failed else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record (the contract for downstream tools)."""
    typer.echo(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2))


def _run_with_progress(inputs: list[Path], out: Path, quiet: bool, limits: Limits,
                       workers: int | None) -> BatchReport:
    def show(report: FileReport) -> None:
        if quiet or report.status == "ok":
            return
        colour = "red" if report.status == "error" else "yellow"
        typer.secho(f"{report.status}: {report.path}: {report.message}", fg=colour, err=True)

    if not sys.stderr.isatty() or quiet:
        return run_batch(inputs, out, on_file=show, limits=limits, workers=workers)
    from rich.progress import Progress  # a progress bar only where someone watches

    with Progress(transient=True) as progress:
        task = progress.add_task("reading replies", total=None)

        def step(report: FileReport) -> None:
            progress.advance(task)
            progress.update(task, description=f"read {report.path}")
            show(report)

        return run_batch(inputs, out, on_file=step, limits=limits, workers=workers)


def _print_summary(report: BatchReport, out: Path) -> None:
    typer.echo(
        f"{len(report.files)} files: {report.count('ok')} read, {report.count('error')} failed, "
        f"{report.count('skipped')} skipped; {report.practices} practices written to {out}/, "
        f"{report.flagged_fields} fields flagged for review."
    )
    if report.failed:
        typer.secho("Failed:", fg="red", err=True)
        for failed in report.failed:
            typer.secho(f"  {failed.path}: {failed.message}", fg="red", err=True)


def _usage_error(message: str) -> None:
    typer.secho(f"Error: {message}", fg="red", err=True)
    raise typer.Exit(EXIT_USAGE)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
