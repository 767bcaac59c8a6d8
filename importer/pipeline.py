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
from .columns import ColumnMap, Found, find_header
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
        **({"table": table.label} if table.label else {}),
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


def find(options: Options, rows: int) -> Found:
    """The table of the input an import of `options` reads, with its header and rows (`rows` at a time)."""
    return find_header(open_tables(options.input, options.sheet, options.encoding), options.overrides, rows, options.table)


def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    found = find(options, SEND_CHUNK)
    return key_of(options, found.table, found.column_map)


def source(options: Options, table: Table) -> str:
    """The file being read, as the merchant is told: with its sheet (and table), or the encoding its text was read in."""
    where = f", sheet {table.name!r}" if table.kind == "workbook" else f" ({table.encoding})"
    if table.label:
        where += f", table {table.label}"
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
    table: str | None = None  # of a sheet holding several tables, the one to read (`--table`)
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
    found = find(options, DRY_CHUNK if options.dry_run else SEND_CHUNK)
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
            **({"table": table.label} if table.label else {}),
            "hidden_rows": found.hidden_rows,
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

    def file_rows(filed: list[Filed], outcome: Outcome) -> None:
        add(filed, outcome)
        advance(len(filed))
        if options.verbose:
            for row, *_ in filed:
                say(f"row {row}: {outcome.category.value} ({outcome.code}) {outcome.message}")

    def file_frame(cells: pd.DataFrame, sent: pd.DataFrame, warned: int) -> None:
        report.add_frame(cells, sent, VALID, warned)
        advance(len(cells))
        if options.verbose:
            for row in cells.index.tolist():
                say(f"row {row}: valid ({VALID.code}) {VALID.message}")

    chunks = screened(found.frames, column_map, checker, Deduper(), line_width(found))
    stopped: Stop | None = None
    try:
        if options.dry_run:
            for chunk in chunks:
                file_checked(chunk, existing.known, file_rows, file_frame)
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
    report.info["passed_over"] = {"count": len(found.passed_over), "rows": found.passed_over}
    if found.passed_over:
        say(f"Passed over lines that are not customers (titles, totals, page lines, copies of the header): {passed_over(found.passed_over)}")
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


def screened(
    frames: Iterator[pd.DataFrame], column_map: ColumnMap, checker: Checker, deduper: Deduper, line_width: int = 0
) -> Iterator[Screened]:
    """Check each chunk of rows: column by column where a row is plain, row by row (`Checker.check`) for the rest; then drop repeats.

    `line_width`: of a CSV, the cells of its header line; a line with more was cut in the wrong
    places, and is invalid whatever its cells say.
    """
    for frame in frames:
        settled: dict[int, Outcome] = too_long(frame, line_width) if line_width else {}
        cells = column_map.original(frame)
        fields = column_map.field_frame(cells)
        sent = checker.screen(fields)
        checked: dict[int, Checked] = {}
        rest = fields[~sent["plain"]]
        names = list(rest.columns)
        for row, values in zip(rest.index.tolist(), rest.itertuples(index=False, name=None)):
            if row in settled:
                continue
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


def line_width(found: Found) -> int:
    """The cells of a CSV's header line, past which a line was split wrongly; 0 for a workbook, whose cells are where they show."""
    return found.width if found.table.kind == "csv" else 0


def too_long(frame: pd.DataFrame, width: int) -> dict[int, Outcome]:
    """Rows of a CSV with a filled cell past the header: invalid, with every cell past it named in the reason.

    Such a line was split in the wrong places, most often at a comma inside a value that is
    not quoted (`Okafor, Ngozi`), so its cells are not under their headers: sending it would
    put a name in the phone. Only the columns past the header are looked at.
    """
    if frame.shape[1] <= width:
        return {}
    extra = frame.iloc[:, width:]
    filled = extra[extra.columns[0]].str.strip().ne("").to_numpy(dtype=bool, na_value=False)
    for column in extra.columns[1:]:
        filled |= extra[column].str.strip().ne("").to_numpy(dtype=bool, na_value=False)
    if not filled.any():
        return {}
    outcomes: dict[int, Outcome] = {}
    for row, cells in zip(extra.index[filled].tolist(), extra[filled].itertuples(index=False, name=None)):
        past = list(cells)
        while past and not past[-1].strip():
            past.pop()
        outcomes[row] = Outcome(
            Category.INVALID, "row-too-long",
            f"this line has {width + len(past)} cells and the header {width}: a value with a comma that is not in quotes "
            f"(such as Okafor, Ngozi) splits it, so its cells are not under their headers; put that value in quotes "
            f"(cells past the header: {' | '.join(past)})",
        )
    return outcomes


def file_checked(
    chunk: Screened,
    known: dict[str, str],
    file_rows: Callable[[list[Filed], Outcome], None],
    file_frame: Callable[[pd.DataFrame, pd.DataFrame, int], None],
) -> None:
    """A dry run: file every row of a chunk under the outcome sending would give it, short of the store's answer.

    Runs of valid rows are filed a frame at a time; the rows between them one by one,
    so every file, sheet and verbose line keeps the input's order.
    """
    sent = chunk.sent
    settled = dict(chunk.settled)
    if known:
        for row, key in zip(sent.index.tolist(), sent["key"].tolist()):
            if row not in settled and key in known:
                settled[row] = already_in_store(known[key])
    rows = sent.index
    start = 0
    for position, row in [(rows.get_loc(r), r) for r in sorted(settled)]:
        if position > start:
            file_valid(chunk, start, position, file_frame)
        cells = chunk.cells.loc[row].tolist()
        file_rows([(row, cells, sent.at[row, "warnings"], NOT_SENT)], settled[row])
        start = position + 1
    if start < len(rows):
        file_valid(chunk, start, len(rows), file_frame)


def file_valid(chunk: Screened, start: int, stop: int, file_frame: Callable[[pd.DataFrame, pd.DataFrame, int], None]) -> None:
    """File rows start..stop of a chunk, all valid, as one frame."""
    sent = chunk.sent.iloc[start:stop]
    shown = sent[["name", "email", "phone", "warnings"]].assign(active=sent["active"].map({True: "true", False: "false"}))
    file_frame(chunk.cells.iloc[start:stop], shown, int(sent["warnings"].ne("").sum()))


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


def passed_over(rows: list[int], shown: int = 10) -> str:
    """The row numbers of lines that are not customers, as the merchant is told: `row 1, row 22 and 3 more`."""
    named = ", ".join(f"row {r}" for r in rows[:shown])
    return named + (f" and {len(rows) - shown} more (summary.json lists them)" if len(rows) > shown else "")


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
