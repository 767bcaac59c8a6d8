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
from ..errors import ReportError
from ..outcomes import VALID, Category, Filed, Outcome, already_in_store
from ..read.cells import text_column
from .csv_files import repeated
from .writer import Frame, Report

if TYPE_CHECKING:
    import pyarrow as pa

# A dry run's frames of one category are filed once they hold this many rows together (see `Gathered`).
GATHER_ROWS = 8192


class Filing:
    """Files an import's rows in its `report`, moves the progress on by them, and with `say` (--verbose) tells each one."""

    def __init__(self, report: Report, advance: Callable[[int], None], say: Callable[[str], None] | None) -> None:
        self._add, self._add_frame, self._count_frame, self._advance, self._say = report.add, report.add_frame, report.count_frame, advance, say

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
        gathered = Gathered(self._add_frame)
        try:
            for chunk in chunks:
                settled = with_stored(chunk, known)
                for frame in by_category(chunk, settled):
                    self._count_frame(frame)
                    gathered.add(frame)
                    self._advance(len(frame.rows))
                if self._say is not None:
                    for row in chunk.sent.index.tolist():
                        self._say(told(row, settled.get(row, VALID)))
        except ReportError:
            raise
        except Exception:  # the rows read before the error stay in the report, as each chunk's did; the error is the one told
            try:
                gathered.flush()
            except ReportError:
                pass
            raise
        gathered.flush()


class Gathered:
    """A dry run's small frames of a category held until they make GATHER_ROWS rows, then filed as one.

    A list with a few rows set aside in every chunk gives each chunk a small frame per such category;
    filed one by one, each would cost its CSV and its sheet a pass per column of their own. A category's
    first frame is filed at once, so the report's sheets still come in the order the categories first occur;
    within a category the rows keep their input order, so the report's files are the same either way.
    """

    def __init__(self, add_frame: Callable[[Frame], None]) -> None:
        self._add_frame = add_frame
        self._held: dict[Category, list[Frame]] = {}
        self._rows: dict[Category, int] = {}  # the rows held, by category

    def add(self, frame: Frame) -> None:
        if not len(frame.rows):
            return
        category = frame.outcome.category
        held = self._held.get(category)
        if held is None:
            self._held[category], self._rows[category] = [], 0
            self._add_frame(frame)
            return
        held.append(frame)
        self._rows[category] += len(frame.rows)
        if self._rows[category] >= GATHER_ROWS:
            self._file(category)

    def flush(self) -> None:
        """File every frame still held."""
        for category in list(self._held):
            self._file(category)

    def _file(self, category: Category) -> None:
        held, self._held[category], self._rows[category] = self._held[category], [], 0
        if held:
            self._add_frame(joined_frames(held))


def joined_frames(frames: list[Frame]) -> Frame:
    """Frames of one category as one, their rows in the order given."""
    import numpy as np

    if len(frames) == 1:
        return frames[0]
    first = frames[0]
    return Frame(
        np.concatenate([f.rows for f in frames]),
        [_concatenated([f.cells[i] for f in frames]) for i in range(len(first.cells))],
        {name: _concatenated([f.sent[name] for f in frames]) for name in first.sent},
        first.outcome,
    )


def _concatenated(arrays: list[pa.Array]) -> pa.Array:
    import pyarrow as pa

    kind = arrays[0].type
    return pa.concat_arrays([a if a.type == kind else a.cast(kind) for a in arrays])


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
