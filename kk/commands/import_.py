"""`kk import csv|jsonl|json|vcard FILE`: bring customers in, all or nothing."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from kk.commands._common import reading
from kk.errors import KkError

if TYPE_CHECKING:
    from kk.services.import_rejects import RejectWriter
    from kk.services.import_sources import Source
    from kk.services.importing import ImportOptions, ImportSummary

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Import customers from CSV, JSON Lines, JSON, vCard. One transaction: if any row is "
        "invalid, nothing is imported (unless --skip-invalid) and every bad row is reported "
        "with its line, column, value and reason."
    ),
)


class OnDuplicate(StrEnum):
    error = "error"
    skip = "skip"
    update = "update"


class Kind(StrEnum):
    private = "private"
    company = "company"


class Summary(StrEnum):
    table = "table"
    json = "json"


File = Annotated[str, typer.Argument(help="The file to import; - reads stdin.")]
DuplicateOpt = Annotated[
    OnDuplicate,
    typer.Option(
        "--on-duplicate",
        case_sensitive=False,
        help="A row whose number, e-mail or VAT ID exists (in the database or earlier in the "
        "file): error (default), skip it, or update that customer (re-running the same file "
        "then changes nothing).",
    ),
]
KindOpt = Annotated[
    Kind | None,
    typer.Option(
        "--kind",
        case_sensitive=False,
        help="Make every row this kind (default: a company name makes a company).",
    ),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check and report everything, write nothing.")
]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Import the good rows; report the bad ones.")
]
RejectFile = Annotated[
    Path | None,
    typer.Option(
        "--reject-file",
        help="Write the bad rows here, in the input's format plus a reject_reason.",
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help='"Column=field": read this column (or JSON key) as this JSON key; field "ignore" '
        "drops it. Repeatable.",
    ),
]
IgnoreUnknown = Annotated[
    bool, typer.Option("--ignore-unknown", help="Drop columns or keys kk does not know.")
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="utf-8, cp1252, utf-16 … (default: detected)."),
]
Delimiter = Annotated[
    str | None,
    typer.Option("--delimiter", help="';', ',' or tab (default: detected)."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        min=0,
        help="Worker processes that check rows of large files (default: one per core beyond "
        "the first; 0: none).",
    ),
]
SummaryOpt = Annotated[
    Summary,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="json prints the summary as a JSON object on stdout.",
    ),
]


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        column, sep, target = pair.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise KkError(f"--map: {pair!r} is not COLUMN=FIELD (e.g. --map 'Kd-Nr=number')")
        mapping[column.strip()] = target.strip()
    return mapping


def _run(
    fmt: str, file: str, options: dict[str, Any], reject_file: Path | None, out: Summary
) -> None:
    from kk import config
    from kk.render import message
    from kk.services.importing import ImportOptions, import_customers

    settings = ImportOptions(
        fmt=fmt, default_country=config.get("country") or "DE",
        source_name="stdin" if file == "-" else Path(file).name, **options,
    )  # fmt: skip
    if reject_file is not None and file != "-" and str(reject_file) != "-":
        if reject_file.exists() and reject_file.resolve() == Path(file).resolve():
            raise KkError("--reject-file: that is the file being imported; name another one")
    with ExitStack() as stack:
        stream = _open(file, stack)
        size = _size(file)
        progress = stack.enter_context(_progress(size)) if sys.stderr.isatty() else None

        def rejects(source: Source) -> RejectWriter | None:
            if reject_file is None:
                return None
            target: BinaryIO = (
                sys.stdout.buffer if str(reject_file) == "-" else stack.enter_context(
                    reject_file.open("wb")
                )
            )  # fmt: skip
            writer: RejectWriter = source.rejects(target)
            return writer

        with reading() as (connection, actor):
            summary = import_customers(
                connection, stream, settings, actor=actor, on_error=message,
                rejects=rejects, progress=progress,
            )  # fmt: skip
    _finish(summary, settings, out)


def _finish(summary: ImportSummary, settings: ImportOptions, out: Summary) -> None:
    from kk.render import message

    if out is Summary.json:
        import json

        sys.stdout.write(json.dumps(summary.as_dict()) + "\n")
    prefix = "dry run, nothing written: " if settings.dry_run else ""
    message(prefix + summary.line())
    if summary.rejected and not settings.skip_invalid:
        bad = f"{summary.rejected} of {summary.read} rows"
        if settings.dry_run:
            raise KkError(f"{bad} would be refused")
        raise KkError(
            f"nothing imported: {bad} are invalid (fix them, or pass --skip-invalid to import "
            "the others)"
        )


def _open(file: str, stack: ExitStack) -> BinaryIO:
    if file == "-":
        return sys.stdin.buffer
    path = Path(file)
    if not path.is_file():
        raise KkError(f"FILE: {file} does not exist or is not a file")
    return stack.enter_context(path.open("rb"))


def _size(file: str) -> int | None:
    if file == "-":
        return None
    try:
        return Path(file).stat().st_size
    except OSError:
        return None


class _progress:
    """A rich progress bar on stderr (only on a terminal; rich is imported only then)."""

    def __init__(self, size: int | None) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        from kk.render import console

        self.bar = Progress(
            TextColumn("importing"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TimeRemainingColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("import", total=size, rows=0)

    def __enter__(self) -> _progress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, rows: int, done: int) -> None:
        self.bar.update(self.task, completed=done, rows=rows)


def _options(
    on_duplicate: OnDuplicate,
    kind: Kind | None,
    dry_run: bool,
    skip_invalid: bool,
    ignore_unknown: bool,
    jobs: int | None,
    mapping: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    return {
        "on_duplicate": on_duplicate.value,
        "kind": kind.value if kind else None,
        "dry_run": dry_run,
        "skip_invalid": skip_invalid,
        "ignore_unknown": ignore_unknown,
        "mapping": _mapping(mapping),
        "encoding": encoding,
        "delimiter": delimiter,
        "jobs": jobs,
    }


@app.command()
def csv(
    file: File,
    on_duplicate: DuplicateOpt = OnDuplicate.error,
    kind: KindOpt = None,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    reject_file: RejectFile = None,
    mapping: MapOpt = None,
    ignore_unknown: IgnoreUnknown = False,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    jobs: JobsOpt = None,
    fmt: SummaryOpt = Summary.table,
) -> None:
    """CSV from Excel (German or UTF-8), Outlook, Google Contacts, kk: encoding, delimiter
    and header family are detected."""
    options = _options(on_duplicate, kind, dry_run, skip_invalid, ignore_unknown, jobs, mapping,
                       encoding, delimiter)  # fmt: skip
    _run("csv", file, options, reject_file, fmt)


@app.command()
def jsonl(
    file: File,
    on_duplicate: DuplicateOpt = OnDuplicate.error,
    kind: KindOpt = None,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    reject_file: RejectFile = None,
    mapping: MapOpt = None,
    ignore_unknown: IgnoreUnknown = False,
    jobs: JobsOpt = None,
    fmt: SummaryOpt = Summary.table,
) -> None:
    """JSON Lines: one customer object per line, with kk's JSON keys."""
    options = _options(on_duplicate, kind, dry_run, skip_invalid, ignore_unknown, jobs, mapping)
    _run("jsonl", file, options, reject_file, fmt)


@app.command()
def json(
    file: File,
    on_duplicate: DuplicateOpt = OnDuplicate.error,
    kind: KindOpt = None,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    reject_file: RejectFile = None,
    mapping: MapOpt = None,
    ignore_unknown: IgnoreUnknown = False,
    jobs: JobsOpt = None,
    fmt: SummaryOpt = Summary.table,
) -> None:
    """A JSON array of customer objects (read element by element, not loaded whole)."""
    options = _options(on_duplicate, kind, dry_run, skip_invalid, ignore_unknown, jobs, mapping)
    _run("json", file, options, reject_file, fmt)


@app.command()
def vcard(
    file: File,
    on_duplicate: DuplicateOpt = OnDuplicate.error,
    kind: KindOpt = None,
    dry_run: DryRun = False,
    skip_invalid: SkipInvalid = False,
    reject_file: RejectFile = None,
    jobs: JobsOpt = None,
    fmt: SummaryOpt = Summary.table,
) -> None:
    """vCard 2.1, 3.0 or 4.0, many cards per file (Outlook, Apple, Google, kk)."""
    options = _options(on_duplicate, kind, dry_run, skip_invalid, False, jobs)
    _run("vcard", file, options, reject_file, fmt)
