"""Before a run from a terminal creates customers: show what will be sent, and ask.

An app cannot delete customers, so a wrong mapping (a company column taken as the
name, the wrong sheet, a phone column of truncated numbers) would leave thousands
of wrong customers for the merchant to fix by hand in the store. So a run in a
terminal first reads and checks the whole file with the dry run's checks, shows the
store, the columns, the first rows as they will be sent and what it expects to do,
and asks. Scheduled runs have no terminal and are never asked; `--yes` skips it.

The check keeps only counts and the first rows, never the file. The file is found
and mapped exactly as the import that follows finds and maps it, so the columns
shown are the ones it sends. The preview keeps the import's key (the file's content
and how it is read, see `journal.import_key`) and the snapshot the check read
(snapshot.py): that import reads the file as that snapshot, without checking it
again, and stops before sending if it is no longer the one the merchant agreed to.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TextIO

from .check.rules import ACTIVE_SHOWN
from .check.screen import Screened
from .check.uncalculated import refuse_uncalculated
from .options import Options
from .outcomes import Category
from .read.cells import rows_of
from .read.snapshot import Snapshot
from .report.progress import make_progress
from .send.journal import EarlierAnswers
from .table import DRY_CHUNK, checked_chunks, find, key_of, source

if TYPE_CHECKING:
    import pandas as pd

SHOWN_ROWS = 5  # rows shown as they will be sent
YES = frozenset({"y", "yes"})
SENT_FIELDS = ("name", "email", "phone", "active")


@dataclass
class Preview:
    """What a run would do: where it sends, how it reads the file, its first rows as sent, and its counts."""

    store: str
    file: str
    columns: str
    key: str  # the import's key: the file's content and how it is read and sent
    may_update: bool  # --on-existing update: a customer the store has is updated, not created
    notes: list[str] = field(default_factory=list)
    first: list[tuple[str, ...]] = field(default_factory=list)  # row number, then SENT_FIELDS as the report writes them
    counts: Counter[Category] = field(default_factory=Counter)  # VALID: passed every local check
    settled_earlier: int = 0  # rows an earlier run of this import has the store's final answer for
    snapshot: Snapshot | None = None  # the file as this check read it: the import that follows reads it as that

    @property
    def to_create(self) -> int:
        return self.counts[Category.VALID] - self.settled_earlier

    def add(self, chunk: Screened, earlier: EarlierAnswers | None) -> None:
        """Count one checked chunk, and keep its rows to send while fewer than SHOWN_ROWS are kept."""
        for outcome in chunk.settled.values():
            self.counts[outcome.category] += 1
        sent, rows = chunk.sent, chunk.passed
        self.counts[Category.VALID] += len(rows)
        done = earlier.among(rows.tolist()) if earlier is not None else set()
        self.settled_earlier += len(done)
        if len(self.first) < SHOWN_ROWS:
            wanted = [r for r in rows[: SHOWN_ROWS + len(done)].tolist() if r not in done][: SHOWN_ROWS - len(self.first)]
            self.first.extend(shown(sent, wanted))

    def lines(self) -> list[str]:
        """The preview as the merchant reads it, before the question."""
        lines = [f"Store: {self.store}", f"File: {self.file}", *(f"Note: {note}" for note in self.notes), f"Columns: {self.columns}"]
        if self.first:
            lines.append(f"The first {len(self.first)} rows as they will be sent:")
            lines.extend("  " + line for line in aligned([("row", *SENT_FIELDS), *self.first]))
        lines += [
            "Expected:",
            f"  {several(self.to_create, 'customer')} to create",
            f"  {several(self.counts[Category.INVALID], 'row')} invalid (not sent; the report lists what to fix)",
            f"  {several(self.counts[Category.IN_FILE_DUPLICATE], 'in-file duplicate')} (not sent: an earlier row has the same email)",
            f"  {several(self.settled_earlier, 'row')} settled by an earlier run of this import (not sent again)",
        ]
        if self.may_update:
            lines.append("  with --on-existing update, customers the store already has (same email) are updated from their rows")
        return lines

    def question(self) -> str:
        return f"Create {several(self.to_create, 'customer')} in this store? [y/N] "


def several(count: int, thing: str) -> str:
    """`1 row`, `2 rows`."""
    return f"{count} {thing}{'' if count == 1 else 's'}"


def shown(sent: pd.DataFrame, rows: list[int]) -> list[tuple[str, ...]]:
    """Rows of a chunk's `sent` columns as the report writes them (`Checked.sent`): a blank phone empty, active as true/false."""
    return [
        (str(row), str(name), str(email), str(phone or ""), ACTIVE_SHOWN[bool(active)])
        for row, (name, email, phone, active) in zip(rows, rows_of(sent.loc[rows, list(SENT_FIELDS)]))
    ]


def aligned(table: list[tuple[str, ...]]) -> list[str]:
    """A small table in columns as wide as their widest cell."""
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in table]


def preview(options: Options) -> Preview:
    """Read and check the whole file as the import will, keeping the counts and its first rows to send."""
    found = find(options, DRY_CHUNK, sends=False)
    table, column_map = found.table, found.column_map
    refuse_uncalculated(table, column_map)
    snapshot = table.snapshot(parse=False)  # the bytes: the rows are parsed below, each block compared with it
    table.watch.expect(snapshot)
    key = key_of(options, table, column_map, snapshot)
    result = Preview(options.base_url, source(options, table), column_map.described(), key, options.on_existing == "update", list(found.notes))
    earlier = None if options.restart else EarlierAnswers(options.reports_dir / ".state", key)
    progress = make_progress(options.progress, table.estimate_rows(snapshot), "checking", None, options.log_interval, result.counts)
    try:
        for chunk in checked_chunks(options, found):
            result.add(chunk, earlier)
            progress.advance(len(chunk.sent))
    finally:
        progress.close()
        if earlier is not None:
            earlier.close()
    if earlier is not None and earlier.unreadable:
        result.notes.append(f"the record of an earlier run ({earlier.path}) cannot be read ({earlier.unreadable}); its rows are counted as to create")
    result.snapshot = replace(snapshot, rows=sum(result.counts.values()))
    return result


def in_terminal(answers: TextIO | None, terminal: TextIO | None) -> bool:
    """Whether a person can be asked: the answer comes from a terminal and the question goes to one."""
    return answers is not None and terminal is not None and answers.isatty() and terminal.isatty()


def ask(question: str, answers: TextIO, terminal: TextIO) -> bool:
    """Whether the answer is yes (`y` or `yes`, any case); anything else, the end of input or Ctrl-C is no."""
    try:
        terminal.write(question)
        terminal.flush()
        until_typed(answers)
        answer = answers.readline()
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):  # Ctrl-C or Ctrl-D left the cursor after the question
        terminal.write("\n")
    return answer.strip().lower() in YES


def until_typed(answers: TextIO, every: float = 0.2) -> None:
    """Wait until the answer can be read, coming back to Python every `every` seconds (macOS, Linux).

    Ctrl-C reaches the process, not always the thread that waits: the threads the
    reading libraries start may take it, and a read the main thread is blocked in
    would then never end. Between waits Python sees the Ctrl-C and raises
    KeyboardInterrupt. Windows stops a console read on Ctrl-C itself.
    """
    if os.name == "nt":
        return
    import select

    while not select.select([answers], [], [], every)[0]:
        pass


def confirm(options: Options, answers: TextIO, terminal: TextIO) -> Preview | None:
    """Show what the run would do and ask: what was checked when the merchant agreed; None when not (and they are told nothing was sent)."""
    checked = preview(options)
    for line in checked.lines():
        print(line, file=terminal)
    if ask(checked.question(), answers, terminal):
        return checked
    print("Nothing was sent (answer y to send, or pass --yes).", file=terminal, flush=True)
    return None
