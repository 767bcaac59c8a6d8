"""The rows an import feeds the sender, and the answers it hands back to the report.

Checked chunks come in; the rows the store's ledger or the local checks settled are
filed at once, and the others go out one by one, each with its body encoded once.
The answers go to the report a few at a time, and a file that changes while it is
read ends the feed, so no row of the changed file is sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ..check.rules import Checked
from ..check.screen import PENDING_COLUMNS, Screened
from ..errors import ReportError
from ..outcomes import NOT_SENT, Filed, Outcome, Sent
from ..read.cells import rows_of
from ..read.snapshot import FileChanged
from .journal import Journal
from .store_ledger import StoreLedger
from .sender import FileRow, Pending

# Answers an import files in its report at once (the report's code stays warm; more
# held back the answers arriving meanwhile).
FILE_BATCH = 8


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


def until_changed(chunks: Iterator[Screened], changes: list[FileChanged]) -> Iterator[Screened]:
    """The chunks, until the file no longer reads as the snapshot: the change is kept in `changes` and no later row is sent."""
    try:
        yield from chunks
    except FileChanged as exc:
        changes.append(exc)


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
            for row, values in zip(known.tolist(), rows_of(chunk.sent.loc[known, list(PENDING_COLUMNS)])):
                checked = chunk.checked.get(row) or Checked.plain(*values)
                decided = store.decide(found[checked.key], checked)
                if isinstance(decided, Outcome):
                    chunk.settled[row] = decided
                else:
                    store.existing.known[checked.key] = decided
        yield chunk


def pending_rows(chunks: Iterator[Screened], file_row: FileRow) -> Iterator[Pending]:
    """Yield the rows to send, their bodies encoded once; file the others as they are met."""
    for chunk in chunks:
        sent, settled, checked = chunk.sent, chunk.settled, chunk.checked
        for row, cells, values in zip(sent.index.tolist(), rows_of(chunk.cells), rows_of(sent[list(PENDING_COLUMNS)])):
            outcome = settled.get(row)
            if outcome is not None:
                file_row(row, list(cells), outcome, checked[row].warnings if row in checked else "", NOT_SENT)
                continue
            found = checked.get(row) or Checked.plain(*values)
            yield Pending(row, list(cells), found, json.dumps(found.body, ensure_ascii=False))
