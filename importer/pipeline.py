"""One import, start to finish: read, map, check, dedupe, send, report.

Rows stream through generator stages; each row ends in exactly one category of
the report. The CLI calls `run_import`; tests and scripts can too.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .check import Checked, Checker
from .columns import ColumnMap, find_header
from .credentials import Credentials
from .dedupe import Deduper
from .errors import ExitCode, InputError, TokenError
from .journal import Journal, import_key
from .outcomes import VALID, Category, Outcome, already_in_store
from .progress import make_progress
from .report import NOT_SENT, Filed, Report, Sent
from .retry import RetryPolicy
from .send import Existing, FileRow, Pending, Sender, Stop
from .sheet import Table, open_tables

if TYPE_CHECKING:
    import pandas as pd

    from .client import StoreClient

T = TypeVar("T")
# Rows read and checked at once: a dry run takes large chunks; an import small ones,
# so that checking a chunk never holds up the answers arriving meanwhile for long.
DRY_CHUNK = 49_152
SEND_CHUNK = 4_096
# Answers an import files in its report at once (the report's code stays warm; more
# held back the answers arriving meanwhile).
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


def key_of(options: Options, table: Table, column_map: ColumnMap) -> str:
    """The import's key (see `import_key`): the file's content, and the sheet, store and options it is sent with."""
    return import_key(options.input, identity(options, table, column_map))


def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    found = find_header(open_tables(options.input, options.sheet, options.encoding), options.overrides, SEND_CHUNK)
    return key_of(options, found.table, found.column_map)


def source(options: Options, table: Table) -> str:
    """The file being read, as the merchant is told: with its sheet, or the encoding its text was read in."""
    where = f", sheet {table.name!r}" if table.kind == "workbook" else f" ({table.encoding})"
    return f"{options.input}{where}"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class Options:
    """Everything a run or a dry run needs, except the token (kept out so it is never echoed)."""

    input: Path
    base_url: str = DEFAULT_BASE_URL
    dry_run: bool = False
    sheet: str | None = None
    overrides: dict[str, str | None] = field(default_factory=dict)
    concurrency: int = 8
    reports_dir: Path = Path("reports")
    phone_region: str | None = None
    progress: bool = True
    max_rps: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_existing: str = "skip"  # or "update"
    restart: bool = False
    encoding: str | None = None  # read a CSV in this encoding instead of the one detected
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
    agreed: str | None = None,
) -> RunResult:
    """Import (or, with `dry_run`, only check) every row of the input file.

    `agreed`: the import's key (see `import_key`) when the merchant saw the file checked
    and agreed to send it (confirm.py); a file that no longer has that key has changed
    since, and the run stops before anything is sent.
    """
    found = find_header(
        open_tables(options.input, options.sheet, options.encoding), options.overrides, DRY_CHUNK if options.dry_run else SEND_CHUNK
    )
    table, column_map = found.table, found.column_map
    say(f"Reading {source(options, table)}")
    for note in found.notes:
        say(f"Note: {note}")
    say("Columns: " + column_map.described())
    if not options.dry_run and not token:
        raise TokenError("no token: set SALESIVE_TOKEN or pass --token-file (or rehearse with --sandbox)")
    if not options.dry_run:
        table.check_readable()
    if options.dry_run and options.check_existing and not token:
        raise TokenError("--check-existing reads the store, so it needs a token: set SALESIVE_TOKEN or pass --token-file")
    key = "" if options.dry_run else key_of(options, table, column_map)
    if agreed is not None and key != agreed:
        raise InputError(f"{options.input} changed after it was checked; nothing was sent (run the command again to check it as it is now)")
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
            "encoding": table.encoding or None,
            "sheet": table.name if table.kind == "workbook" else None,
            "notes": found.notes,
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

    def tell(row: int, outcome: Outcome) -> None:
        say(f"row {row}: {outcome.category.value} ({outcome.code}) {outcome.message}")

    def file_rows(filed: list[Filed], outcome: Outcome) -> None:
        add(filed, outcome)
        advance(len(filed))
        if options.verbose:
            for row, *_ in filed:
                tell(row, outcome)

    def file_checked(chunk: Screened, settled: dict[int, Outcome]) -> None:
        """A dry run: file every row of a chunk under the outcome sending would give it, short of the store's answer."""
        for cells, shown, outcome in by_category(chunk, settled):
            report.add_frame(cells, shown, outcome, int(shown["warnings"].ne("").sum()))
            advance(len(cells))
        if options.verbose:
            for row in chunk.sent.index.tolist():
                tell(row, settled.get(row, VALID))

    chunks = screened(found.frames, column_map, checker, Deduper())
    stopped: Stop | None = None
    try:
        if options.dry_run:
            for chunk in chunks:
                file_checked(chunk, with_stored(chunk, existing.known))
        else:
            assert token is not None
            file_row = HeldRows(file_rows)
            stream = pending_rows(chunks, file_row)
            journal = Journal(options.reports_dir / ".state", key, options.restart)
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
    time; a few at a time they stay warm. `flush` files the rest when the sending is over.
    """

    def __init__(self, file_rows: Callable[[list[Filed], Outcome], None]) -> None:
        self._file_rows = file_rows
        self._held: list[tuple[Filed, Outcome]] = []

    def __call__(self, row: int, cells: list[str], outcome: Outcome, warnings: str = "", sent: Sent = NOT_SENT) -> None:
        self._held.append(((row, cells, warnings, sent), outcome))
        if len(self._held) >= FILE_BATCH:
            self.flush()

    def flush(self) -> None:
        held, self._held = self._held, []
        for filed, outcome in held:
            self._file_rows([filed], outcome)


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


@dataclass
class Screened:
    """One chunk of rows after the local checks: their original cells, what is sent for
    each (`Checker.screen`'s columns, with the rows `check` passed filled in), the rows
    settled locally (invalid, or a repeat of an earlier row), and the rows `check` passed."""

    cells: pd.DataFrame
    sent: pd.DataFrame
    settled: dict[int, Outcome]
    checked: dict[int, Checked]

    @property
    def passed(self) -> pd.Index:
        """The rows no local check settled, in order."""
        index = self.sent.index
        return index if not self.settled else index[~index.isin(list(self.settled))]


def screened(frames: Iterator[pd.DataFrame], column_map: ColumnMap, checker: Checker, deduper: Deduper) -> Iterator[Screened]:
    """Check each chunk of rows: column by column where a row is plain, row by row (`Checker.check`) for the rest; then drop repeats."""
    for frame in frames:
        cells = column_map.original(frame)
        fields = column_map.field_frame(cells)
        sent = checker.screen(fields)
        settled: dict[int, Outcome] = {}
        checked: dict[int, Checked] = {}
        rest = fields[~sent["plain"]]
        names = list(rest.columns)
        for row, values in zip(rest.index.tolist(), rest.itertuples(index=False, name=None)):
            result = checker.check(dict(zip(names, values)))
            if isinstance(result, Outcome):
                settled[row] = result
            else:
                checked[row] = result
        if checked:
            rows = list(checked)
            bodies = [checked[r] for r in rows]
            for column, values in (
                ("name", [c.body["name"] for c in bodies]), ("email", [c.body["email"] for c in bodies]),
                ("phone", [c.body["phone"] or "" for c in bodies]), ("active", [c.body["active"] for c in bodies]),
                ("user", [c.body.get("user", "") for c in bodies]), ("key", [c.key for c in bodies]),
                ("warnings", [c.warnings for c in bodies]),
            ):
                sent.loc[rows, column] = values
        chunk = Screened(cells, sent, settled, checked)
        settled.update(deduper.check_many(sent.loc[chunk.passed, "key"]))
        yield chunk


def with_stored(chunk: Screened, known: dict[str, str]) -> dict[int, Outcome]:
    """A dry run's settled rows of a chunk: those the local checks settled, and those whose key the store
    has (`known`, from --check-existing), which sending would report as already in the store."""
    if not known:
        return chunk.settled
    keys = chunk.sent.loc[chunk.passed, "key"]
    stored = keys[keys.isin(known)]
    return {**chunk.settled, **{row: already_in_store(known[key]) for row, key in stored.items()}} if len(stored) else chunk.settled


def by_category(chunk: Screened, settled: dict[int, Outcome]) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, Outcome]]:
    """A dry run's chunk as frames to file, one a category, in input order within each: the `settled` rows with
    their own outcomes (nothing sent), and the rest as valid (what would be sent).

    The categories come in the order of their first row, as the report's sheets come in the order
    categories first occur. Each frame is its rows' original cells, what is sent for each, and the outcome
    whose category it is filed under (`Report.add_frame`).
    """
    import pandas as pd

    sent = chunk.sent
    rows_of: dict[Category, list[int]] = {}
    for row in sorted(settled):
        rows_of.setdefault(settled[row].category, []).append(row)
    frames = []
    for category, rows in rows_of.items():
        outcomes = [settled[row] for row in rows]
        shown = pd.DataFrame(
            {
                "name": "", "email": "", "phone": "", "active": "", "warnings": sent.loc[rows, "warnings"],
                "reason": [o.message for o in outcomes], "reason_code": [o.code for o in outcomes],
                "customer_id": [o.customer_id or "" for o in outcomes],
            },
            index=rows,
        )
        frames.append((rows[0], chunk.cells.loc[rows], shown, Outcome(category)))
    valid = ~sent.index.isin(list(settled))
    passed = sent[valid]
    if len(passed):
        shown = passed[["name", "email", "phone", "warnings"]].assign(active=passed["active"].map({True: "true", False: "false"}))
        frames.append((int(passed.index[0]), chunk.cells[valid], shown, VALID))
    for _, cells, shown, outcome in sorted(frames, key=lambda frame: frame[0]):
        yield cells, shown, outcome


def pending_rows(chunks: Iterator[Screened], file_row: FileRow) -> Iterator[Pending]:
    """Yield the rows to send, their bodies encoded once; file the others as they are met."""
    for chunk in chunks:
        sent, settled, checked = chunk.sent, chunk.settled, chunk.checked
        columns = ("name", "email", "phone", "active", "user", "key", "warnings", "active_given")
        for row, cells, values in zip(sent.index.tolist(), chunk.cells.itertuples(index=False, name=None), sent[list(columns)].itertuples(index=False, name=None)):
            outcome = settled.get(row)
            if outcome is not None:
                file_row(row, list(cells), outcome, checked[row].warnings if row in checked else "", NOT_SENT)
                continue
            found = checked.get(row) or Checked.plain(*values)
            yield Pending(row, list(cells), found, json.dumps(found.body, ensure_ascii=False))


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
