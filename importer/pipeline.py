"""One import, start to finish: read, map, check, dedupe, send, report.

Rows stream through generator stages; each row ends in exactly one category of
the report. The CLI calls `run_import`; tests and scripts can too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check.uncalculated import refuse_uncalculated
from .errors import ExitCode, InputError, ReportError, TokenError
from .options import Options
from .read.sheet import Table
from .read.snapshot import Snapshot, changed
from .report.filing import Filing
from .report.progress import make_progress
from .report.summary import decide_exit_code, describe, passed_over
from .report.writer import Report
from .send.credentials import Credentials
from .delivery import deliver, stored_emails
from .send.journal import INCOMPLETE, Journal
from .send.sender import Existing, Stop
from .table import DRY_CHUNK, SEND_CHUNK, checked_chunks, find, key_of, run_facts, source


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
    found = find(options, DRY_CHUNK if options.dry_run else SEND_CHUNK, sends=not options.dry_run)
    table, column_map = found.table, found.column_map
    say(f"Reading {source(options, table)}")
    for note in found.notes:
        say(f"Note: {note}")
    say("Columns: " + column_map.described())
    refuse_uncalculated(table, column_map)
    refuse_without_token(options, token)
    if options.dry_run:
        table.watch.release()
    snapshot = None if options.dry_run else checked_once(options, table, checked)
    key = "" if snapshot is None else key_of(options, table, column_map, snapshot)
    if agreed is not None and key != agreed:
        raise changed_since_checked(options)
    existing = Existing(options.on_existing == "update", options.blank_clears, options.check_existing)
    if options.dry_run and options.check_existing:
        assert token is not None
        existing.known = stored_emails(options, token, credentials)
    report = Report.create(options.reports_dir, column_map.header, run_facts(options, found))
    progress = make_progress(
        options.progress, table.estimate_rows(snapshot), "checking" if options.dry_run else "importing",
        None if options.quiet else say, options.log_interval, report.counts,
    )
    filing = Filing(report, progress.advance, say if options.verbose else None)
    chunks = checked_chunks(options, found)
    end = Ending()
    try:
        try:
            if options.dry_run:
                filing.dry_run(chunks, existing.known)
            else:
                assert token is not None
                end.journal = open_journal(options, key, report, say)
                delivered = deliver(chunks, end.journal, options, token, existing, credentials, filing.rows, report.load_writer, say)
                end.stopped, end.unwritten = delivered.stopped, delivered.unwritten
                report.info["ledger"] = delivered.ledger
        except ReportError as exc:
            end.unwritten = exc
        finally:
            progress.close()
        summary = end.summary(report, found.passed_over, credentials, say)
    finally:
        end.close()
    end.tell(summary, say)
    return RunResult(report.folder, summary)


def refuse_without_token(options: Options, token: str | None) -> None:
    """Stop before the file is read through when the run needs the store and has no token to reach it with."""
    if not options.dry_run and not token:
        raise TokenError("no token: set SALESIVE_TOKEN or pass --token-file (or rehearse with --sandbox)")
    if options.dry_run and options.check_existing and not token:
        raise TokenError("--check-existing reads the store, so it needs a token: set SALESIVE_TOKEN or pass --token-file")


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


def open_journal(options: Options, key: str, report: Report, say: Callable[[str], None]) -> Journal:
    """The journal of the import named `key`; the merchant and the report's notes are told when an earlier one was set aside."""
    journal = Journal(options.reports_dir / ".state", key, options.restart)
    told = journal.set_aside.told() if journal.set_aside is not None else INCOMPLETE if journal.incomplete else None
    if told is not None:
        say(f"Note: {told}")
        report.info["notes"] = [*report.info["notes"], told]
    return journal


@dataclass
class Ending:
    """How an import's rows ended, for the end of the run: the journal an import keeps (a dry run keeps none),
    why the run stopped before its last row, and why the report could not be written."""

    journal: Journal | None = None
    stopped: Stop | None = None
    unwritten: ReportError | None = None
    finished: bool = False  # every row has its answer and the report holds them all: the journal has done its job
    unconfirmed: int = 0  # of the pending rows, those sent without a proven answer

    def summary(self, report: Report, passed: list[int], credentials: Credentials | None, say: Callable[[str], None]) -> dict[str, Any]:
        """Finish the report with the run's last facts (the lines `passed` over, a renewed token's note) and give its summary;
        when the report cannot be written, what of it could be saved, and the merchant is told how to have it written."""
        exit_code = self.stopped.code if self.stopped is not None else decide_exit_code(report)
        self.unconfirmed = report.unconfirmed
        report.info["passed_over"] = {"count": len(passed), "rows": passed}
        if passed:
            say(f"Passed over lines that are not customers (titles, totals, page lines, copies of the header): {passed_over(passed)}")
        if credentials is not None and credentials.saved_beside:
            say(f"Note: {credentials.saved_beside}")
            report.info["notes"] = [*report.info["notes"], credentials.saved_beside]
        if self.unwritten is None:
            try:
                summary = report.finish(exit_code)
            except ReportError as exc:
                self.unwritten = exc
        if self.unwritten is not None:
            salvaged = report.salvage(ExitCode.REPORT_UNWRITTEN)
            say(f"Stopped: {self.unwritten}. " + rebuilt_by_running_again(self.journal))
            return salvaged
        self.finished = self.stopped is None
        return summary

    def close(self) -> None:
        """Close the journal: kept when rows are left to send or to file again, gone when the import is finished."""
        if self.journal is not None:
            self.journal.close(self.finished)

    def tell(self, summary: dict[str, Any], say: Callable[[str], None]) -> None:
        """The run's last lines, once its report is written: why it stopped early, if it did, and the summary line."""
        if self.unwritten is not None:
            return
        if self.stopped is not None:
            say(f"Stopped: {self.stopped.message}")
        say(describe(summary, self.unconfirmed))


def rebuilt_by_running_again(journal: Journal | None) -> str:
    """What a merchant does when the report could not be written: the same command writes it, from the journal when rows were sent."""
    if journal is None:
        return "Nothing was sent; run the same command to write the report again."
    return (
        f"Nothing more was sent. Every answer the store gave is kept in {journal.path}; "
        "run the same command to write the complete report from it (no row is sent twice)."
    )
