"""One import, start to finish: read, map, check, dedupe, send, report.

Rows stream through generator stages; each row ends in exactly one category of
the report. The CLI calls `run_import`; tests and scripts can too.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Iterator
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .check import Checked, Checker
from .columns import ColumnMap, find_header
from .credentials import Credentials
from .dedupe import Deduper
from .errors import ExitCode, TokenError
from .journal import Journal, import_key
from .outcomes import VALID, Category, Outcome, already_in_store
from .progress import make_progress
from .report import Filed, Report
from .retry import RetryPolicy
from .send import Existing, FileRow, Pending, Sender, Stop
from .sheet import Row, Table, open_tables

if TYPE_CHECKING:
    from .client import StoreClient

T = TypeVar("T")
PLAIN_BATCH = 2048  # rows a dry run checks column by column at once
# Rows an import reads and checks, and files in its report, at once. Larger batches
# saved more CPU but held up the answers arriving meanwhile: filing 32 rows with their
# workbook cells took ~6 ms, and at C=32 the requests it held back left together,
# in waves (0.89 of the bound instead of 0.91).
CHECK_BATCH = 16
FILE_BATCH = 8
DEFAULT_BASE_URL = "https://api.salesive.com/api/v1"


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed, since the HTTP stack costs less CPU per request
    on it; elsewhere (Windows, which uvloop does not support) on asyncio's own loop."""
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None
    try:
        import uvloop  # loaded by runs that talk to the store; a dry run never does
    except ImportError:
        loop_factory = None
    else:
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(coroutine)


def identity(options: Options, table: Table, column_map: ColumnMap) -> dict[str, object]:
    """What makes an import itself besides the file's content: a run that differs in any of these is another import."""
    return {
        "sheet": table.name if table.kind == "workbook" else None,
        "base_url": options.base_url.rstrip("/"),
        "columns": column_map.columns,
        "encoding": table.encoding,
        "phone_region": options.phone_region,
        "on_existing": options.on_existing,
        "blank_clears": options.blank_clears,
    }


def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    table, column_map, _ = find_header(open_tables(options.input, options.sheet), options.overrides)
    return import_key(options.input, identity(options, table, column_map))


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class Options:
    """Everything a run or a dry run needs, except the token (kept out so it is never echoed)."""

    input: Path
    base_url: str = DEFAULT_BASE_URL
    dry_run: bool = False
    sheet: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    concurrency: int = 8
    reports_dir: Path = Path("reports")
    phone_region: str | None = None
    progress: bool = True
    max_rps: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_existing: str = "skip"  # or "update"
    restart: bool = False
    check_existing: bool = False
    blank_clears: bool = False
    quiet: bool = False
    verbose: bool = False
    log_interval: float = 10.0

    def described(self) -> dict[str, Any]:
        """The options for summary.json (the token is not among them)."""
        skip = {"input", "retry", "progress", "log_interval"}
        return {k: str(v) if isinstance(v, Path) else v for k, v in vars(self).items() if k not in skip}


@dataclass(frozen=True)
class RunResult:
    folder: Path
    summary: dict[str, Any]

    @property
    def exit_code(self) -> int:
        return int(self.summary["exit_code"])


def run_import(
    options: Options,
    token: str | None,
    *,
    say: Callable[[str], None] = _stderr,
    credentials: Credentials | None = None,
) -> RunResult:
    """Import (or, with `dry_run`, only check) every row of the input file."""
    table, column_map, rows = find_header(open_tables(options.input, options.sheet), options.overrides)
    say(f"Reading {options.input}" + (f", sheet {table.name!r}" if table.kind == "workbook" else ""))
    say("Columns: " + ", ".join(f"{f} <- {h!r}" for f, h in column_map.columns.items()))
    if not options.dry_run and not token:
        raise TokenError("no token: set SALESIVE_TOKEN or pass --token-file (or rehearse with --sandbox)")
    if options.dry_run and options.check_existing and not token:
        raise TokenError("--check-existing reads the store, so it needs a token: set SALESIVE_TOKEN or pass --token-file")
    existing = Existing(options.on_existing == "update", options.blank_clears, options.check_existing)
    if options.dry_run and options.check_existing:
        assert token is not None
        existing.known = run_async(read_store_emails(options, token, credentials))
    report = Report.create(
        options.reports_dir,
        column_map.header,
        {
            "input": str(options.input),
            "dry_run": options.dry_run,
            "version": __version__,
            "columns": column_map.columns,
            **({} if options.dry_run else {"base_url": options.base_url}),
            "options": options.described(),
        },
    )
    progress = make_progress(
        options.progress, table.estimate_rows(), "checking" if options.dry_run else "importing",
        None if options.quiet else say, options.log_interval, report.counts,
    )
    checker = Checker(phone_region=options.phone_region)

    add, advance = report.add, progress.advance

    def file_rows(filed: list[Filed], outcome: Outcome) -> None:
        add(filed, outcome)
        advance(len(filed))
        if options.verbose:
            for row, _, _ in filed:
                say(f"row {row}: {outcome.category.value} ({outcome.code}) {outcome.message}")

    file_row = HeldRows(file_rows)
    try:
        if options.dry_run:
            check_rows(rows, column_map, checker, existing.known, file_rows)
            stopped = None
        else:
            assert token is not None
            stream = checked_rows(rows, column_map, checker, Deduper(), file_row)
            journal = Journal(options.reports_dir / ".state", import_key(options.input, identity(options, table, column_map)), options.restart)
            finished = False
            try:
                if journal.resumed:
                    say(f"Resuming an earlier run of this import: {journal.settled_earlier} rows already settled (--restart starts over)")
                stopped = run_async(send_rows(stream, options, token, journal, file_row, existing, credentials, report.load_writer))
                finished = stopped is None
            finally:
                journal.close(finished)
            file_row.flush()
    finally:
        progress.close()
    exit_code = stopped.code if stopped is not None else decide_exit_code(report)
    summary = report.finish(exit_code)
    if stopped is not None:
        say(f"Stopped: {stopped.message}")
    say(describe(summary))
    return RunResult(report.folder, summary)


class HeldRows:
    """An import's rows on their way to the report, filed FILE_BATCH at a time.

    One at a time, as each answer came, the report's code and data were cold every
    time (see CHECK_BATCH). `flush` files the rest when the sending is over.
    """

    def __init__(self, file_rows: Callable[[list[Filed], Outcome], None]) -> None:
        self._file_rows = file_rows
        self._held: list[tuple[int, list[str], Outcome, str]] = []

    def __call__(self, row: int, cells: list[str], outcome: Outcome, warnings: str = "") -> None:
        self._held.append((row, cells, outcome, warnings))
        if len(self._held) >= FILE_BATCH:
            self.flush()

    def flush(self) -> None:
        held, self._held = self._held, []
        for row, cells, outcome, warnings in held:
            self._file_rows([(row, cells, warnings)], outcome)


async def send_rows(
    stream: Iterator[Pending],
    options: Options,
    token: str,
    journal: Journal,
    file_row: FileRow,
    existing: Existing,
    credentials: Credentials | None,
    meanwhile: Callable[[], object],
) -> Stop | None:
    async with _client(options, token, credentials) as client:
        return await Sender(client, journal, file_row, options.concurrency, existing).run(stream, meanwhile)


async def read_store_emails(
    options: Options, token: str, credentials: Credentials | None
) -> dict[str, str]:
    """For a dry run with --check-existing: the store's emails, read-only."""
    async with _client(options, token, credentials) as client:
        await client.check_token()
        return await client.store_emails()


def _client(options: Options, token: str, credentials: Credentials | None) -> StoreClient:
    from .client import StoreClient  # the HTTP client loads only when the store is used: a dry run starts sooner

    return StoreClient(options.base_url, token, options.concurrency, options.retry, options.max_rps, credentials=credentials)


def check_rows(
    rows: Iterator[Row],
    column_map: ColumnMap,
    checker: Checker,
    known: dict[str, str],
    file_rows: Callable[[list[Filed], Outcome], None],
) -> None:
    """A dry run: file every row under the outcome sending would give it, short of the store's answer.

    Valid rows are filed a batch at a time (one write for the lot); a row of any
    other category first files the valid rows before it, so every file, sheet and
    verbose line keeps the input's order.
    """
    valid: list[Filed] = []

    def file_valid() -> None:
        if valid:
            file_rows(valid, VALID)
            valid.clear()

    def file_row(row: int, cells: list[str], outcome: Outcome, warnings: str = "") -> None:
        file_valid()
        file_rows([(row, cells, warnings)], outcome)

    for row, cells, key, warnings, _ in screened_rows(rows, column_map, checker, Deduper(), file_row, PLAIN_BATCH):
        in_store = known.get(key) if known else None
        if in_store is not None:
            file_row(row, cells, already_in_store(in_store), warnings)
            continue
        valid.append((row, cells, warnings))
        if len(valid) >= PLAIN_BATCH:
            file_valid()
    file_valid()


def checked_rows(
    rows: Iterator[Row],
    column_map: ColumnMap,
    checker: Checker,
    deduper: Deduper,
    file_row: FileRow,
) -> Iterator[Pending]:
    """Yield the rows to send: those that pass every local check; file the others as they are met.

    Rows are read, checked and encoded CHECK_BATCH at a time, while the code doing it
    is warm. One at a time, between two answers, the code and its data were cold each
    time: with rows filed in batches too, an import at C=32 and 50 ms latency took
    ~60 µs less CPU per row (median of 6 alternating runs: 520 -> 460).
    """
    batch: list[Pending] = []
    try:
        for row, cells, _, _, checked in screened_rows(rows, column_map, checker, deduper, file_row):
            batch.append(pending(row, cells, checked))
            if len(batch) == CHECK_BATCH:
                yield from batch
                batch = []
    except Exception:  # the file cannot be read on: the rows checked before it still go
        yield from batch
        raise
    yield from batch


def pending(row: int, cells: list[str], checked: Checked | None) -> Pending:
    """A row on its way to the store, its body encoded once."""
    assert checked is not None  # every row is checked alone without a batch
    return Pending(row, cells, checked, json.dumps(checked.body, ensure_ascii=False))


def screened_rows(
    rows: Iterator[Row],
    column_map: ColumnMap,
    checker: Checker,
    deduper: Deduper,
    file_row: FileRow,
    batch: int = 0,
) -> Iterator[tuple[int, list[str], str, str, Checked | None]]:
    """Each row that passes every local check and is the first with its email, as (row,
    original cells, dedupe key, warnings, checked row); the others are filed as they are met.

    With a `batch` size (a dry run, which needs no request body), rows come that many
    at a time, and those `Checker.plain_keys` passes column by column come with no
    checked row; only the rest are checked one by one. A 1,000,000-row dry run took
    8.5 s this way and 12.3 s row by row on a 2-core machine.
    """
    original, values, check, first = column_map.original, column_map.values, checker.check, deduper.check
    while taken := list(islice(rows, batch or 1)):
        columns = column_map.by_field([cells for _, cells in taken]) if batch else None
        keys = checker.plain_keys(columns, len(taken)) if columns is not None else [None] * len(taken)
        for (row, cells), key in zip(taken, keys):
            if columns is None:  # the rows of a batch with columns are as wide as the header already
                cells = original(cells)
            checked, warnings = None, ""
            if key is None:
                result = check(values(cells))
                if isinstance(result, Outcome):
                    file_row(row, cells, result, "")
                    continue
                checked, key, warnings = result, result.key, result.warnings
            repeated = first(key, row)
            if repeated is not None:
                file_row(row, cells, repeated, warnings)
                continue
            yield row, cells, key, warnings, checked


def decide_exit_code(report: Report) -> ExitCode:
    """A run that went to its end: 1 when the merchant has rows to fix."""
    if any(report.counts[c] for c in Category if c.is_problem):
        return ExitCode.ROWS_REJECTED
    return ExitCode.OK


def describe(summary: dict[str, Any]) -> str:
    """The short human summary printed at the end of a run."""
    counts = {k: v for k, v in summary["counts"].items() if v}
    pending = counts.pop(Category.PENDING.value, 0)
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    if pending:
        line = f"Stopped after {parts or '0 created'}; {pending} not sent yet: run the same command to send them."
    else:
        verb = "Checked" if summary["dry_run"] else "Imported"
        line = f"{verb} {summary['rows']} rows: {parts or 'no rows'}."
    if summary.get("rows_with_warnings"):
        line += f" {summary['rows_with_warnings']} rows have warnings (see the warnings column)."
    if summary["rows"] == 0:
        line += " Warning: the file has a header but no rows."
    return line
