"""Rows on their way into the report: filed under their outcome, counted by the progress, told with --verbose.

An import files the store's answers as they come, a few rows at a time; a dry run files
each checked chunk at once, a frame per category, under the outcome sending would give
each row short of the store's answer. Both end in the same report files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..check.rules import ACTIVE_SHOWN
from ..check.screen import Screened
from ..outcomes import VALID, Category, Filed, Outcome, already_in_store
from .writer import Report

if TYPE_CHECKING:
    import pandas as pd


class Filing:
    """Files an import's rows in its `report`, moves the progress on by them, and with `say` (--verbose) tells each one."""

    def __init__(self, report: Report, advance: Callable[[int], None], say: Callable[[str], None] | None) -> None:
        self._add, self._add_frame, self._advance, self._say = report.add, report.add_frame, advance, say

    def rows(self, filed: list[Filed], outcome: Outcome) -> None:
        """File rows that share one outcome (the store's answers, or rows settled before sending)."""
        self._add(filed, outcome)
        self._advance(len(filed))
        if self._say is not None:
            for row, *_ in filed:
                self._say(told(row, outcome))

    def dry_run(self, chunks: Iterator[Screened], known: dict[str, str]) -> None:
        """A dry run: file every row of every chunk under the outcome sending would give it, short of the store's answer
        (`known`: the store's emails, read with --check-existing, whose rows sending would report as already in the store)."""
        for chunk in chunks:
            settled = with_stored(chunk, known)
            for cells, shown, outcome in by_category(chunk, settled):
                self._add_frame(cells, shown, outcome, int(shown["warnings"].ne("").sum()))
                self._advance(len(cells))
            if self._say is not None:
                for row in chunk.sent.index.tolist():
                    self._say(told(row, settled.get(row, VALID)))


def told(row: int, outcome: Outcome) -> str:
    """The --verbose line of one row: its number and its outcome."""
    return f"row {row}: {outcome.category.value} ({outcome.code}) {outcome.message}"


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
