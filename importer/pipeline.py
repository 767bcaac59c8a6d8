"""One import, start to finish: read, map, check, dedupe, send, report.

Rows stream through generator stages; each row ends in exactly one category of
the report. The CLI calls `run_import`; tests and scripts can too.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from . import __version__
from .check import Checked, Checker
from .client import DEFAULT_BASE_URL, StoreClient
from .columns import ColumnMap, find_header
from .dedupe import Deduper
from .errors import ExitCode, TokenError, UnreachableError
from .outcomes import VALID, Category, Outcome
from .progress import make_progress
from .report import Report
from .sheet import Row, open_tables

NOT_SENT_AUTH = Outcome(Category.AUTH_FAILED, "not-sent-auth", "not sent: the run stopped after the store rejected the token")
NOT_SENT_UNREACHABLE = Outcome(Category.PENDING, "not-sent-unreachable", "not sent: the store could not be reached; run the same command again")


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


@dataclass(frozen=True)
class RunResult:
    folder: Path
    summary: dict[str, Any]

    @property
    def exit_code(self) -> int:
        return int(self.summary["exit_code"])


@dataclass(frozen=True)
class Stop:
    """Why a run stopped before its last row: the exit code and what to tell the merchant."""

    code: ExitCode
    message: str


@dataclass(frozen=True)
class Pending:
    """A checked row on its way to the store."""

    row: int
    cells: list[str]
    checked: Checked


def run_import(
    options: Options,
    token: str | None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    say: Callable[[str], None] = _stderr,
) -> RunResult:
    """Import (or, with `dry_run`, only check) every row of the input file."""
    table, column_map, rows = find_header(open_tables(options.input, options.sheet), options.overrides)
    say(f"Reading {options.input}" + (f", sheet {table.name!r}" if table.kind == "workbook" else ""))
    say("Columns: " + ", ".join(f"{f} <- {h!r}" for f, h in column_map.columns.items()))
    if not options.dry_run and not token:
        raise TokenError("no token: set SALESIVE_TOKEN or pass --token-file (or rehearse with --sandbox)")
    report = Report.create(
        options.reports_dir,
        column_map.header,
        {
            "input": str(options.input),
            "dry_run": options.dry_run,
            "version": __version__,
            "columns": column_map.columns,
            **({} if options.dry_run else {"base_url": options.base_url}),
        },
    )
    progress = make_progress(options.progress, table.estimate_rows(), "checking" if options.dry_run else "importing")
    checker = Checker(phone_region=options.phone_region)

    def file_row(row: int, cells: list[str], outcome: Outcome, warnings: str = "") -> None:
        report.add(row, cells, outcome, warnings)
        progress.advance(outcome.category)

    stream = checked_rows(rows, column_map, checker, Deduper(), file_row)
    try:
        if options.dry_run:
            for item in stream:
                file_row(item.row, item.cells, VALID, item.checked.warnings)
            stopped = None
        else:
            assert token is not None
            stopped = asyncio.run(send_rows(stream, options, token, transport, file_row))
    finally:
        progress.close()
    exit_code = decide_exit_code(report, stopped)
    summary = report.finish(exit_code)
    if stopped is not None:
        say(f"Stopped: {stopped.message}")
    say(describe(summary))
    return RunResult(report.folder, summary)


def checked_rows(
    rows: Iterator[Row],
    column_map: ColumnMap,
    checker: Checker,
    deduper: Deduper,
    file_row: Callable[[int, list[str], Outcome, str], None],
) -> Iterator[Pending]:
    """Yield the rows that pass every local check; file the others as they are met."""
    for row, cells in rows:
        original = column_map.original(cells)
        result = checker.check(column_map.values(cells))
        if isinstance(result, Outcome):
            file_row(row, original, result, "")
            continue
        repeated = deduper.check(result.key, row)
        if repeated is not None:
            file_row(row, original, repeated, result.warnings)
            continue
        yield Pending(row, original, result)


async def send_rows(
    stream: Iterator[Pending],
    options: Options,
    token: str,
    transport: httpx.AsyncBaseTransport | None,
    file_row: Callable[[int, list[str], Outcome, str], None],
) -> Stop | None:
    """Send with at most `concurrency` requests in flight; return why the run stopped early, if it did.

    Workers share one row generator (safe: pulling a row never awaits). After an
    auth failure no new row is sent: the rest are filed as not sent.
    """
    stopped: Stop | None = None

    async def worker() -> None:
        nonlocal stopped
        for item in stream:
            if stopped is not None:
                not_sent = NOT_SENT_AUTH if stopped.code is ExitCode.AUTH_FAILED else NOT_SENT_UNREACHABLE
                file_row(item.row, item.cells, not_sent, item.checked.warnings)
                continue
            try:
                outcome = await client.create(item.checked.body)
            except UnreachableError as exc:
                stopped = stopped or Stop(ExitCode.UNREACHABLE, str(exc))
                outcome = Outcome(Category.PENDING, "unreachable", f"not confirmed: {exc}")
            if outcome.category is Category.AUTH_FAILED and stopped is None:
                stopped = Stop(ExitCode.AUTH_FAILED, auth_stop_message(outcome))
            file_row(item.row, item.cells, outcome, item.checked.warnings)

    async with StoreClient(options.base_url, token, options.concurrency, transport) as client:
        await client.check_token()
        async with asyncio.TaskGroup() as group:
            for _ in range(options.concurrency):
                group.create_task(worker())
    return stopped


def auth_stop_message(outcome: Outcome) -> str:
    message = f"the token was rejected by the store ({outcome.message})"
    if outcome.code == "http-403":
        message += "; it lacks the WRITE_CUSTOMERS scope"
    return message


def decide_exit_code(report: Report, stopped: Stop | None) -> ExitCode:
    if stopped is not None:
        return stopped.code
    if any(report.counts[c] for c in Category if c.is_problem):
        return ExitCode.ROWS_REJECTED
    return ExitCode.OK


def describe(summary: dict[str, Any]) -> str:
    """The short human summary printed at the end of a run."""
    counts = {k: v for k, v in summary["counts"].items() if v}
    verb = "Checked" if summary["dry_run"] else "Imported"
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) or "no rows"
    line = f"{verb} {summary['rows']} rows: {parts}."
    if summary["rows"] == 0:
        line += " Warning: the file has a header but no rows."
    return line
