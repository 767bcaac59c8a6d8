"""Screening: each chunk of rows checked locally, before anything is sent.

A chunk's plain rows are checked column by column and the rest row by row (`Checker`); rows a
CSV line split wrongly are invalid whatever their cells say; repeats of an earlier row are
settled by the `Deduper`. What is left passes on to the sender, a dry run's filing or the
store's ledger, so the same rows are settled the same way on every path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..columns.column_map import ColumnMap
from ..columns.header import Found
from ..outcomes import Category, Outcome
from ..read.ahead import read_ahead
from ..read.cells import arrow_text, flags, rows_of
from .dedupe import Deduper
from .checker import Checker
from .rules import Checked

if TYPE_CHECKING:
    import pandas as pd

# A screened chunk's columns a row to send is made of (see `Checked.plain`).
PENDING_COLUMNS = ("name", "email", "phone", "active", "user", "key", "warnings", "active_given")


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

    The next chunk is read and checked column by column while this one is finished (`read_ahead`).

    `line_width`: of a CSV, the cells of its header line; a line with more was cut in the wrong
    places, and is invalid whatever its cells say.
    """
    for settled, cells, fields, notes, sent in read_ahead(_columnwise(frames, column_map, checker, line_width)):
        checked: dict[int, Checked] = {}
        plain = sent["plain"].to_numpy()
        rest = fields.iloc[0:0] if plain.all() else fields[~plain]  # a clean chunk has none
        names = list(rest.columns)
        for row, line in zip(rest.index.tolist(), rows_of(rest)):
            if row in settled:
                continue
            result = checker.check(dict(zip(names, line)))
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
        if notes is not None:
            warned(sent, checked, notes)
        chunk = Screened(cells, sent, settled, checked)
        settled.update(deduper.check_many(sent["key"] if not settled else sent.loc[chunk.passed, "key"]))
        yield chunk


def _columnwise(
    frames: Iterator[pd.DataFrame], column_map: ColumnMap, checker: Checker, line_width: int
) -> Iterator[tuple[dict[int, Outcome], pd.DataFrame, pd.DataFrame, pd.Series | None, pd.DataFrame]]:
    """Each chunk's column-wise checks, which need nothing of the chunks before it (run ahead, see ahead.py): the rows
    too long to read, the original cells, the cells by field, the rows' warnings on how their cells were read, and
    `Checker.screen`'s verdicts."""
    for frame in frames:
        settled: dict[int, Outcome] = too_long(frame, line_width) if line_width else {}
        cells = column_map.original(frame)
        fields, notes = column_map.fields_of(cells)
        yield settled, cells, fields, notes, checker.screen(fields)


def warned(sent: pd.DataFrame, checked: dict[int, Checked], notes: pd.Series) -> None:
    """Add a warning to the rows that have one in `notes`, before the row check's own."""
    rows = notes.index[notes.ne("").to_numpy(dtype=bool)].tolist()
    for row in rows:
        joined = "; ".join(w for w in (notes.at[row], sent.at[row, "warnings"]) if w)
        sent.at[row, "warnings"] = joined
        if row in checked:
            checked[row].warnings = joined


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
    import numpy as np
    import pyarrow.compute as pc

    extra = frame.iloc[:, width:]
    filled = np.zeros(len(frame), dtype=bool)
    for column in extra.columns:  # with Arrow's kernels straight: a line far past the header makes thousands of columns
        text = arrow_text(extra[column])
        if pc.max(pc.binary_length(text)).as_py():  # a column blank in every row of the chunk (most are) costs no more
            filled |= flags(pc.not_equal(pc.utf8_trim_whitespace(text), ""))
    if not filled.any():
        return {}
    outcomes: dict[int, Outcome] = {}
    for row, cells in zip(extra.index[filled].tolist(), rows_of(extra[filled])):
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
