"""A sheet's blocks of cells: the tables it holds, where each begins and ends.

A sheet may hold several lists: Excel table objects, blocks of cells set apart by a wholly
blank column, or lists stacked one under another with or without blank rows between. The
cells around a table object, and a column set apart by a spacer column, belong to the list
they touch, as the sheet shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..read.cells import not_blank
from ..read.sheet import Table
from ..read.structure import Area, Structure
from .tables import _email_header, _folded, _head, _titles
from .words import _TAG, HEADER_SEARCH_ROWS, words

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def _parts(table: Table, structure: Structure, overrides: Mapping[str, str | None]) -> list[Table]:
    """The tables a sheet holds: its Excel table objects, and its blocks of cells outside them split by a wholly
    blank column or by blank rows followed by a new header; a CSV is one table. A block that touches a table
    object (rows typed under it, a column typed beside it) is part of that table, as the sheet shows them."""
    if table.kind != "workbook":
        return [table]
    objects = [replace(table, area=t.area, table_name=t.name, totals_row=t.area.bottom if t.totals_rows else 0) for t in structure.tables]
    grid = table.grid()
    if objects:
        grid = grid.copy()
        for part in objects:
            assert part.area is not None
            grid.loc[part.area.top : part.area.bottom, part.area.left : part.area.right] = ""
        grid = grid[not_blank(grid)]
    if not len(grid) or grid.shape[1] < 2:
        return objects or [table]
    parts: list[Table] = []
    for left, right in _column_blocks(grid, overrides):
        block = grid.loc[:, left:right]
        for top, bottom in _row_blocks(block, overrides):
            area = Area(top, left, bottom, right)
            touched = next((i for i, part in enumerate(objects) if part.area and _touching(part.area, area)), None)
            if touched is not None and _email_header(_head(block.loc[top:bottom].set_axis(range(block.shape[1]), axis=1)), overrides):
                touched = None  # a list of its own, header and all, beside the table object: another table
            if touched is None:
                parts.append(replace(table, area=area))
            else:
                objects[touched] = replace(objects[touched], area=_around(objects[touched].area, area))
    if objects:
        return objects + parts
    return [table] if len(parts) == 1 else parts


def _touching(table: Area, block: Area) -> bool:
    """Whether a block of cells lies right under a table object's columns or right beside its rows (a block with an
    email header of its own is another list all the same: see `_parts`)."""
    rows = block.top <= table.bottom and block.bottom >= table.top
    columns = block.left <= table.right and block.right >= table.left
    return (columns and block.top == table.bottom + 1) or (rows and (block.left == table.right + 1 or block.right == table.left - 1))


def _around(first: Area | None, second: Area) -> Area:
    """The smallest area holding both."""
    assert first is not None
    return Area(min(first.top, second.top), min(first.left, second.left), max(first.bottom, second.bottom), max(first.right, second.right))


def _column_blocks(grid: pd.DataFrame, overrides: Mapping[str, str | None]) -> list[tuple[int, int]]:
    """Runs of columns between wholly blank ones; a run without an email header joins the one before it, or the
    first ones the one after them when their lines are the list's (notes or a spare column beside a list, on either
    side, are part of that list; a legend beside its top is not)."""
    blank = [bool(grid[c].str.strip().eq("").all()) for c in grid.columns]
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for column, empty in enumerate([*blank, True]):
        if not empty and start is None:
            start = column
        elif empty and start is not None:
            runs.append((start, column - 1))
            start = None
    blocks: list[tuple[int, int]] = []
    headed, lines = True, (0, 0)  # whether the last block has an email header; its first and last line
    for left, right in runs:
        block = grid.loc[:, left:right]
        block = block[not_blank(block)]
        has_header = _email_header(_head(block.set_axis(range(block.shape[1]), axis=1)), overrides) is not None
        spans = (int(block.index[0]), int(block.index[-1])) if len(block) else (0, 0)
        # Columns before the list join it only when they line up with its rows (an Active column set apart by a
        # spacer), not a legend or a box of notes beside its top.
        if blocks and (not has_header or (not headed and lines == spans)):
            blocks[-1] = (blocks[-1][0], right)
            headed = headed or has_header
        else:
            blocks.append((left, right))
            headed = has_header
        lines = spans
    return blocks


def _row_blocks(block: pd.DataFrame, overrides: Mapping[str, str | None]) -> list[tuple[int, int]]:
    """The rows of a column block, split where blank rows are followed by a header: one other than the one above,
    or the same one under a title line of its own ("Former customers"). The top of a printed page repeats the
    header alone, or under the title above the first one.

    Only the first lines after blank ones that hold no address are looked at one by one.
    """
    import numpy as np

    block = block[not_blank(block)].set_axis(range(block.shape[1]), axis=1)
    if not len(block):
        return []
    rows = block.index.to_numpy()
    after_gap = np.flatnonzero(np.diff(rows) > 1) + 1
    top = _head(block.iloc[: after_gap[0] if len(after_gap) else len(rows)])
    first = _email_header(top, overrides)
    current = _folded(top[first[0]][1]) if first is not None else None
    title = _titles(top[: first[0]]) if first is not None else ()
    opening = ~_addresses(block.iloc[after_gap])  # a gap whose first line holds an address goes on with the same table
    openings = sorted({*after_gap[opening].tolist(), *_unspaced_headers(block, after_gap)})
    gap_ends = [*after_gap.tolist(), len(rows)]
    starts = [0]
    for position in openings:
        end = next(g for g in gap_ends if g > position)
        head = _head(_before_addresses(block.iloc[position : min(end, position + HEADER_SEARCH_ROWS)]))
        found = _email_header(head, overrides) if head else None
        if found is not None and current is not None and not _heads_addresses(block, position + found[0], found[1].emails or (found[1].fields["email"],)):
            found = None  # a customer whose name reads as a header word (Emel, Mel) heads no column of addresses
        if found is None:
            other = _another_list(head) if current is not None else None
            if other is not None and _heads_addresses(block, position + other, _email_words(head[other][1])):
                starts.append(position)  # a list of others' addresses (staff, suppliers) stacked under the customers ends them
                current, title = _folded(head[other][1]), _titles(head[:other])
            continue
        folded, titled = _folded(head[found[0]][1]), _titles(head[: found[0]])
        if folded == current and titled in ((), title):  # the header again, alone or under the same title: a page's top
            continue
        if current is not None:  # a header under the title lines of the first table is that table's own
            starts.append(position)
        current, title = folded, titled
    ends = [*starts[1:], len(rows)]
    return [(int(rows[a]), int(rows[b - 1])) for a, b in zip(starts, ends)]


def _unspaced_headers(block: pd.DataFrame, after_gap: np.ndarray) -> list[int]:
    """Lines with no blank one before them that may start another table: two filled cells or more, none holding an
    address or a digit, one naming an email column (as headers are), with a lone title line right above taken with
    them. Each is then judged as a line after blank ones is: a list stacked right under another is no part of it.
    Only the lines without an address are looked at further."""
    import numpy as np

    lines = np.flatnonzero(~_addresses(block))
    lines = lines[lines > 0]
    if not len(lines):
        return []
    count = np.zeros(len(lines), dtype=np.int64)
    digits = np.zeros(len(lines), dtype=bool)
    for column in block.columns:
        cells = block[column].iloc[lines].str.strip()
        count += cells.ne("").to_numpy(dtype=bool, na_value=False)
        digits |= cells.str.contains(r"[0-9]").to_numpy(dtype=bool, na_value=False)
    lone = set(lines[(count == 1) & ~digits].tolist())
    gaps = set(after_gap.tolist())
    headers = [
        int(i) for i in lines[(count >= 2) & ~digits]
        if i not in gaps and (named := _email_words([str(c) for c in block.iloc[i].tolist()])) and _heads_addresses(block, int(i), named)
    ]
    return [i - 1 if i - 1 in lone and i - 1 > 0 and i - 1 not in gaps else i for i in headers]


def _another_list(head: list[tuple[int, list[str]]]) -> int | None:
    """Which of the lines is the header of a list of addresses that are no customers' (`Staff member | Staff email`):
    one naming an email column among two filled cells or more; None when none does."""
    for position, (_, cells) in enumerate(head):
        if sum(1 for c in cells if c.strip()) >= 2 and _email_words(cells):
            return position
    return None


def _email_words(cells: list[str]) -> set[int]:
    """The cells of a line that name an email column by one of their words."""
    return {i for i, c in enumerate(cells) if any(_TAG.get(t) == "email" for t in words(c))}


def _heads_addresses(block: pd.DataFrame, line: int, columns: Iterable[int]) -> bool:
    """Whether the first line after `line` that holds an address holds it in one of `columns`: a header inside a list
    heads a column of addresses, a customer named Emel or Mel in a name column heads none."""
    below = block.iloc[line + 1 : line + 1 + HEADER_SEARCH_ROWS]
    found = _addresses(below)
    if not found.any():
        return False
    first = below.iloc[int(found.argmax())].tolist()
    return any(c < len(first) and "@" in str(first[c]) for c in columns)


def _addresses(lines: pd.DataFrame) -> np.ndarray:
    """Which lines hold an address in some cell."""
    import numpy as np

    found = np.zeros(len(lines), dtype=bool)
    for column in lines.columns:
        found |= lines[column].str.contains("@", regex=False).to_numpy(dtype=bool, na_value=False)
    return found


def _before_addresses(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines before the first one holding an address: where a table's title and header can be."""
    found = _addresses(lines)
    return lines.iloc[: int(found.argmax()) if found.any() else len(lines)]
