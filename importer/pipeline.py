"""One import, start to finish: read, map, check, dedupe, send, report.

Rows stream through generator stages; each row ends in exactly one category of
the report. The CLI calls `run_import`; tests and scripts can too.
"""

from __future__ import annotations

import asyncio
import json
import string
import sys
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .check.checker import Checker
from .check.rules import ACTIVE_SHOWN, Checked
from .columns.column_map import ColumnMap, map_columns
from .columns.header import Found, find_header
from .send.credentials import Credentials
from .check.dedupe import Deduper
from .check.screen import PENDING_COLUMNS, Screened, line_width, screened
from .errors import ExitCode, InputError, ReportError, TokenError, UnreachableError
from .send.journal import Journal, import_key, keyed
from .send.ledger import StoreLedger
from .options import Options, identity, source
from .outcomes import NOT_SENT, VALID, Category, Filed, Outcome, Sent, already_in_store
from .report.progress import make_progress
from .report.summary import decide_exit_code, describe, passed_over
from .report.writer import Report
from .send.sender import Existing, FileRow, Pending, Sender, Stop, pending_stop
from .read.sheet import Table, open_tables
from .read.snapshot import FileChanged, Snapshot, changed

if TYPE_CHECKING:
    import pandas as pd

    from .send.client import StoreClient

T = TypeVar("T")
# Rows read and checked at once: a dry run takes large chunks; an import small ones,
# so that checking a chunk never holds up the answers arriving meanwhile for long.
DRY_CHUNK = 32_768
SEND_CHUNK = 4_096
# Answers an import files in its report at once (the report's code stays warm; more
# held back the answers arriving meanwhile).
FILE_BATCH = 8


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


def key_of(options: Options, table: Table, column_map: ColumnMap, snapshot: Snapshot) -> str:
    """The import's key (see `import_key`): the file's content as the snapshot read it, and the sheet, store and options it is sent with."""
    return keyed(snapshot.content, identity(options, table, column_map))


def find(options: Options, rows: int) -> Found:
    """The table of the input an import of `options` reads, with its header and rows (`rows` at a time)."""
    return find_header(open_tables(options.input, options.sheet, options.encoding), options.overrides, rows, options.table)


def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    found = find(options, SEND_CHUNK)
    return import_key(options.input, identity(options, found.table, found.column_map))


def refuse_uncalculated(table: Table, column_map: ColumnMap) -> None:
    """Stop before anything is sent when a column the import reads holds formulas that no spreadsheet program has
    calculated (a workbook written by a script): the file has no values for them, and the store would get blanks."""
    if table.kind != "workbook":
        return
    from .read.formulas import uncalculated_formulas

    left = table.area.left if table.area is not None else 0
    found = {
        column - left: in_table[0]
        for column, cells in uncalculated_formulas(table.path, table.name).items()
        if (in_table := [cell for cell in cells if _read_cell(table, column, cell)])
    }
    if not found:
        return
    by_header = map_columns(column_map.header)  # a column its stand-in values left out (a name formula read as 0) counts too
    read = sorted({*column_map.fields.values(), *column_map.phones, *column_map.emails, *by_header.fields.values(), *by_header.phones} & found.keys())
    if read:
        columns = ", ".join(f"{column_map.header[i]!r} (cell {found[i]})" for i in read)
        raise InputError(
            f"{table.path}: sheet {table.name!r}, column {columns} holds formulas no spreadsheet program has calculated, "
            "so the file has no values for them; open the file in Excel or LibreOffice, save it, and import again"
        )


def _read_cell(table: Table, column: int, cell: str) -> bool:
    """Whether a sheet's cell (`C2`, in `column` from 0) is in the rows of the table an import reads, its totals row left out."""
    row, area = int(cell.lstrip(string.ascii_letters)), table.area
    return row != table.totals_row and (area is None or (area.top < row <= area.bottom and area.left <= column <= area.right))


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


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
    checked: Snapshot | None = None,
) -> RunResult:
    """Import (or, with `dry_run`, only check) every row of the input file.

    `agreed`: the import's key (see `import_key`) when the merchant saw the file checked
    and agreed to send it (confirm.py); a file that no longer has that key has changed
    since, and the run stops before anything is sent. `checked`: the snapshot that check
    took, so the import does not read the file again to check it (see snapshot.py).
    """
    found = find(options, DRY_CHUNK if options.dry_run else SEND_CHUNK)
    table, column_map = found.table, found.column_map
    say(f"Reading {source(options, table)}")
    for note in found.notes:
        say(f"Note: {note}")
    say("Columns: " + column_map.described())
    refuse_uncalculated(table, column_map)
    if not options.dry_run and not token:
        raise TokenError("no token: set SALESIVE_TOKEN or pass --token-file (or rehearse with --sandbox)")
    if options.dry_run and options.check_existing and not token:
        raise TokenError("--check-existing reads the store, so it needs a token: set SALESIVE_TOKEN or pass --token-file")
    snapshot = None if options.dry_run else checked_once(options, table, checked)
    key = "" if snapshot is None else key_of(options, table, column_map, snapshot)
    if agreed is not None and key != agreed:
        raise changed_since_checked(options)
    existing = Existing(options.on_existing == "update", options.blank_clears, options.check_existing)
    if options.dry_run and options.check_existing:
        assert token is not None
        existing.known = run_async(read_store_emails(options, token, credentials))
    report = Report.create(
        options.reports_dir,
        column_map.header,
        {
            "input": options.input_name or str(options.input),
            "dry_run": options.dry_run,
            "version": __version__,
            "columns": column_map.columns,
            "unused_columns": list(column_map.unused),
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
        options.progress, table.estimate_rows(snapshot), "checking" if options.dry_run else "importing",
        None if options.quiet else say, options.log_interval, report.counts,
    )
    checker = Checker(phone_region=options.phone_region, blank_active=column_map.blank_active)
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

    chunks = screened(found.frames, column_map, checker, Deduper(), line_width(found))
    changes: list[FileChanged] = []
    stopped: Stop | None = None
    unwritten: ReportError | None = None
    journal: Journal | None = None
    finished = False  # every row has its answer and the report holds them all: the journal has done its job
    try:
        try:
            if options.dry_run:
                for chunk in chunks:
                    file_checked(chunk, with_stored(chunk, existing.known))
            else:
                assert token is not None
                journal = Journal(options.reports_dir / ".state", key, options.restart)
                if journal.set_aside is not None:
                    say(f"Note: {journal.set_aside.told()}")
                    report.info["notes"] = [*found.notes, journal.set_aside.told()]
                store = StoreLedger(options.reports_dir / ".state", options.base_url, existing, not options.ignore_ledger, say)
                existing.ready = store.ready

                def file_sent(filed: list[Filed], outcome: Outcome) -> None:
                    for row, *_ in filed:
                        store.learn(row, outcome)
                    file_rows(filed, outcome)

                file_row = HeldRows(file_sent)
                stream = store.sending(pending_rows(settled_by_ledger(until_changed(chunks, changes), store, journal), file_row))
                try:
                    if journal.resumed:
                        say(f"Resuming an earlier run of this import: {journal.settled_earlier} rows already settled (--restart starts over)")
                    stopped = run_async(send_rows(stream, options, token, journal, file_row, existing, credentials, report.load_writer, store))
                    if changes and stopped is None:
                        stopped = pending_stop(ExitCode.NOT_STARTED, str(changes[0]), "the file changed")
                    file_row.flush()
                    unwritten = file_row.unwritten
                finally:
                    store.close()
                if store.settling:
                    say(f"Store ledger: {store.settled:,} rows settled without a request, {store.put:,} sent as one PUT each")
                report.info["ledger"] = store.described()
        except ReportError as exc:
            unwritten = exc
        finally:
            progress.close()
        exit_code = stopped.code if stopped is not None else decide_exit_code(report)
        report.info["passed_over"] = {"count": len(found.passed_over), "rows": found.passed_over}
        if found.passed_over:
            say(f"Passed over lines that are not customers (titles, totals, page lines, copies of the header): {passed_over(found.passed_over)}")
        if credentials is not None and credentials.saved_beside:
            say(f"Note: {credentials.saved_beside}")
            report.info["notes"] = [*report.info["notes"], credentials.saved_beside]
        if unwritten is None:
            try:
                summary = report.finish(exit_code)
            except ReportError as exc:
                unwritten = exc
        if unwritten is not None:
            summary = report.salvage(ExitCode.REPORT_UNWRITTEN)
            say(f"Stopped: {unwritten}. " + rebuilt_by_running_again(journal))
            return RunResult(report.folder, summary)
        finished = stopped is None
    finally:
        if journal is not None:
            journal.close(finished)
    if stopped is not None:
        say(f"Stopped: {stopped.message}")
    say(describe(summary))
    return RunResult(report.folder, summary)


def checked_once(options: Options, table: Table, checked: Snapshot | None) -> Snapshot:
    """The import's one checking pass (or the one a preview made, when the file is as it was then); from here on
    every pass of the table is compared with it, block by block, and a change stops the import (FileChanged)."""
    if checked is not None and not checked.unchanged(options.input):
        raise changed_since_checked(options)
    snapshot = checked or table.snapshot()
    table.watch.expect(snapshot)
    if not snapshot.unchanged(options.input):
        raise changed(options.input)
    return snapshot


def changed_since_checked(options: Options) -> InputError:
    """The file is not the one the merchant saw checked and agreed to send (confirm.py)."""
    return InputError(f"{options.input_name or options.input} changed after it was checked; nothing was sent (run the command again to check it as it is now)")


def until_changed(chunks: Iterator[Screened], changes: list[FileChanged]) -> Iterator[Screened]:
    """The chunks, until the file no longer reads as the snapshot: the change is kept in `changes` and no later row is sent."""
    try:
        yield from chunks
    except FileChanged as exc:
        changes.append(exc)


def rebuilt_by_running_again(journal: Journal | None) -> str:
    """What a merchant does when the report could not be written: the same command writes it, from the journal when rows were sent."""
    if journal is None:
        return "Nothing was sent; run the same command to write the report again."
    return (
        f"Nothing more was sent. Every answer the store gave is kept in {journal.path}; "
        "run the same command to write the complete report from it (no row is sent twice)."
    )


class HeldRows:
    """An import's rows on their way to the report, filed FILE_BATCH at a time.

    One at a time, as each answer came, the report's code and data were cold every
    time; a few at a time they stay warm. `flush` files the rest when the sending is over.
    """

    def __init__(self, file_rows: Callable[[list[Filed], Outcome], None]) -> None:
        self._file_rows = file_rows
        self._held: list[tuple[Filed, Outcome]] = []
        self.unwritten: ReportError | None = None  # the report could not take a row: the sender stops, the journal keeps the rest

    def __call__(self, row: int, cells: list[str], outcome: Outcome, warnings: str = "", sent: Sent = NOT_SENT) -> None:
        self._held.append(((row, cells, warnings, sent), outcome))
        if len(self._held) >= FILE_BATCH:
            self.flush()

    def flush(self) -> None:
        """File the rows held; the first ReportError stops the sender (raised once), after it rows are only counted by the journal."""
        held, self._held = self._held, []
        if self.unwritten is not None:
            return
        try:
            for filed, outcome in held:
                self._file_rows([filed], outcome)
        except ReportError as exc:
            self.unwritten = exc
            raise


async def send_rows(
    stream: Iterator[Pending],
    options: Options,
    token: str,
    journal: Journal,
    file_row: FileRow,
    existing: Existing,
    credentials: Credentials | None,
    meanwhile: Callable[[], object],
    store: StoreLedger,
) -> Stop | None:
    async with _client(options, token, credentials) as client:
        sender = Sender(client, journal, file_row, options.concurrency, existing)
        try:
            stopped = await sender.run(stream, meanwhile)
        except UnreachableError as exc:  # before the first row went out (the token check, the lookups of a resume)
            sender.stop(pending_stop(ExitCode.UNREACHABLE, str(exc), "the store could not be reached"))
            sender._take(stream)  # files every row: pending, or what an earlier run of this import settled
            return sender.stopped
        if stopped is None:
            await store.name_store(client)
        return stopped


async def read_store_emails(
    options: Options, token: str, credentials: Credentials | None
) -> dict[str, str]:
    """For a dry run with --check-existing: the store's emails, read-only."""
    async with _client(options, token, credentials) as client:
        await client.check_token()
        return await client.store_emails()


def _client(options: Options, token: str, credentials: Credentials | None) -> StoreClient:
    from .send.client import StoreClient  # the HTTP client loads only when the store is used: a dry run starts sooner

    return StoreClient(options.base_url, token, options.concurrency, options.retry, options.max_rps, credentials=credentials)


def settled_by_ledger(chunks: Iterator[Screened], store: StoreLedger, journal: Journal) -> Iterator[Screened]:
    """Settle the rows whose address the store's ledger knows, before the sender: a duplicate or
    an unchanged customer costs no request, a changed one a PUT to the id it names (see `StoreLedger.decide`).

    A row an earlier run of this import sent is left to the journal, whose answer for it stands.
    """
    for chunk in chunks:
        if store.settling:
            passed = chunk.passed
            if journal.resumed:
                passed = passed[[journal.previous(row) is None for row in passed.tolist()]]
            keys = chunk.sent.loc[passed, "key"]
            found = store.find(keys.tolist())
            known = keys.index[keys.isin(list(found))] if found else passed[:0]
            for row, values in zip(known.tolist(), chunk.sent.loc[known, list(PENDING_COLUMNS)].itertuples(index=False, name=None)):
                checked = chunk.checked.get(row) or Checked.plain(*values)
                decided = store.decide(found[checked.key], checked)
                if isinstance(decided, Outcome):
                    chunk.settled[row] = decided
                else:
                    store.existing.known[checked.key] = decided
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
    valid = ~sent.index.isin(list(settled)) if settled else None  # every row, as in most chunks of a clean list: no copy
    passed = sent if valid is None else sent[valid]
    if len(passed):
        shown = passed[["name", "email", "phone", "warnings"]].assign(active=passed["active"].map(ACTIVE_SHOWN))
        frames.append((int(passed.index[0]), chunk.cells if valid is None else chunk.cells[valid], shown, VALID))
    for _, cells, shown, outcome in sorted(frames, key=lambda frame: frame[0]):
        yield cells, shown, outcome


def pending_rows(chunks: Iterator[Screened], file_row: FileRow) -> Iterator[Pending]:
    """Yield the rows to send, their bodies encoded once; file the others as they are met."""
    for chunk in chunks:
        sent, settled, checked = chunk.sent, chunk.settled, chunk.checked
        for row, cells, values in zip(sent.index.tolist(), chunk.cells.itertuples(index=False, name=None), sent[list(PENDING_COLUMNS)].itertuples(index=False, name=None)):
            outcome = settled.get(row)
            if outcome is not None:
                file_row(row, list(cells), outcome, checked[row].warnings if row in checked else "", NOT_SENT)
                continue
            found = checked.get(row) or Checked.plain(*values)
            yield Pending(row, list(cells), found, json.dumps(found.body, ensure_ascii=False))

