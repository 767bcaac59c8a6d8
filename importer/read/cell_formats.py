"""The number formats of a sheet's numeric cells, kept per column as runs of rows under one format.

A workbook's formatted numbers come in columns under one format: phones under `+0`, postcodes under
`00000`, ids under `0`. Kept cell by cell, each cell cost a key of its own, held while calamine's cells
of the same sheet are (the pass over the sheet's XML runs beside calamine's read, see sheet.py); as
runs, such a column is one entry however long it is. Positions are (row, column), both counted from 0
at A1, as pandas lays the sheet out (see styles.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from typing import Any


class CellFormats(Mapping[tuple[int, int], str]):
    """Cells' number formats by (row, column), added in the order a sheet's XML gives them (rows going down).

    Each column keeps runs `[first row, last row, format]` in row order. A cell added above a row its column
    already has (a file written in another order) turns each column into a plain dict by row from then on, so
    every cell still reads its own format.
    """

    def __init__(self, cells: Iterable[tuple[tuple[int, int], str]] = ()) -> None:
        self._runs: dict[int, list[list[Any]]] = {}  # [first, last, code]: a run is extended in place
        self._cells: dict[int, dict[int, str]] | None = None  # by column, every cell by row, once one came out of order
        for (row, column), code in cells:
            self.add(row, column, code)

    def add(self, row: int, column: int, code: str) -> None:
        """The format of one more cell."""
        if self._cells is not None:
            self._cells.setdefault(column, {})[row] = code
            return
        runs = self._runs.get(column)
        if runs is None:
            self._runs[column] = [[row, row, code]]
            return
        last = runs[-1]
        if row == last[1] + 1 and code == last[2]:
            last[1] = row
        elif row > last[1]:
            runs.append([row, row, code])
        else:
            self._cells = {col: {row: code for first, last, code in runs for row in range(first, last + 1)} for col, runs in self._runs.items()}
            self._runs = {}
            self._cells[column][row] = code

    def runs(self, column: int) -> list[tuple[int, int, str]]:
        """A column's runs of rows under one format, in row order: (first row, last row, format)."""
        if self._cells is None:
            return [(first, last, code) for first, last, code in self._runs.get(column, ())]
        found: list[tuple[int, int, str]] = []
        for row, code in sorted(self._cells.get(column, {}).items()):
            if found and found[-1][1] == row - 1 and found[-1][2] == code:
                found[-1] = (found[-1][0], row, code)
            else:
                found.append((row, row, code))
        return found

    def __getitem__(self, place: tuple[int, int]) -> str:
        row, column = place
        if self._cells is not None:
            return self._cells[column][row]
        runs = self._runs.get(column, ())
        at = bisect_right(runs, row, key=lambda run: run[0]) - 1
        if at >= 0 and runs[at][1] >= row:
            return str(runs[at][2])
        raise KeyError(place)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        if self._cells is not None:
            yield from ((row, column) for column, rows in self._cells.items() for row in rows)
            return
        for column, runs in self._runs.items():
            for first, last, _ in runs:
                for row in range(first, last + 1):
                    yield row, column

    def __len__(self) -> int:
        if self._cells is not None:
            return sum(map(len, self._cells.values()))
        return sum(last - first + 1 for runs in self._runs.values() for first, last, _ in runs)
