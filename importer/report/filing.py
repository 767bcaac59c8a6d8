"""Rows on their way into the report: filed under their outcome, counted by the progress, told with --verbose.

An import files the store's answers as they come, a few rows at a time; a dry run files
each checked chunk at once, a frame per category, under the outcome sending would give
each row short of the store's answer. Both end in the same report files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..check.rules import ACTIVE_SHOWN
from ..check.screen import Screened
from ..outcomes import VALID, Category, Filed, Outcome, already_in_store
from ..read.cells import text_column
from .csv_files import repeated
from .writer import Frame, Report


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
            for frame in by_category(chunk, settled):
                self._add_frame(frame)
                self._advance(len(frame.rows))
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


def by_category(chunk: Screened, settled: dict[int, Outcome]) -> Iterator[Frame]:
    """A dry run's chunk as frames to file, one a category, in input order within each: the `settled` rows with
    their own outcomes (nothing sent), and the rest as valid (what would be sent).

    The categories come in the order of their first row, as the report's sheets come in the order
    categories first occur. The chunk's columns are taken as Arrow text once and each category's rows
    picked from them by position, so a list with rows set aside costs a few Arrow takes per chunk more than a clean one.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sent, cells = chunk.sent, chunk.cells
    columns = [text_column(cells.iloc[:, i]) for i in range(cells.shape[1])]
    shown = {c: text_column(sent[c]) for c in ("name", "email", "phone", "warnings")}
    shown["active"] = pc.if_else(pa.array(sent["active"].to_numpy(dtype=bool)), ACTIVE_SHOWN[True], ACTIVE_SHOWN[False])
    numbers = sent.index.to_numpy(dtype=np.int64)
    if not settled:  # as in most chunks of a clean list: every row, no copy
        yield Frame(numbers, columns, shown, VALID)
        return
    rows = sorted(settled)
    at = sent.index.get_indexer(rows)
    picks: dict[Category, list[int]] = {}
    for i, row in enumerate(rows):
        picks.setdefault(settled[row].category, []).append(i)
    frames = []
    for category, chosen in picks.items():
        outcomes = [settled[rows[i]] for i in chosen]
        taken = pa.array(at[chosen])
        blank = repeated("", len(chosen))
        own = {
            "name": blank, "email": blank, "phone": blank, "active": blank, "warnings": shown["warnings"].take(taken),
            "reason": text_column([o.message for o in outcomes]), "reason_code": text_column([o.code for o in outcomes]),
            "customer_id": text_column([o.customer_id or "" for o in outcomes]),
        }
        frames.append(Frame(numbers[at[chosen]], [c.take(taken) for c in columns], own, Outcome(category)))
    keep = np.ones(len(numbers), dtype=bool)
    keep[at] = False
    if keep.any():
        mask = pa.array(keep)
        frames.append(Frame(numbers[keep], [c.filter(mask) for c in columns], {k: v.filter(mask) for k, v in shown.items()}, VALID))
    yield from sorted(frames, key=lambda frame: int(frame.rows[0]))
