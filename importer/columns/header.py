"""Find the header row: over a file's sheets and tables, the one that holds the customers.

Reads a table's first rows once, finds in each part its header and judges its
columns by their values, then chooses the table (or the one `--table` names) and
gives it with its column map, its notes and the rest of its rows as frames.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from ..read.sheet import Table
from .column_map import ColumnMap, holding
from .blocks import _parts
from .tables import _best_header, _customers_only, _filled_down, _folded, _head, _merged_down, _shifted, _shifted_merges, _titles
from .values import OthersAddresses, _judged_by_values
from .words import ENOUGH_CUSTOMERS, HEADER_SEARCH_ROWS, JUDGED_ROWS, ticks_only

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Found:
    """The table an import reads, its column map, its data rows as frames, and what the merchant should be told about the choice.

    `passed_over` fills as the frames are read: the rows that are not customers (a copy of the
    header, a title, a total, a page line, a table's totals row), which no category counts.
    """

    table: Table
    column_map: ColumnMap
    frames: Iterator[pd.DataFrame]
    notes: list[str] = field(default_factory=list)
    customers: int = 0  # rows of the judged ones with an address in the email column
    hidden_rows: int = 0  # data rows the sheet hides (a filter's, or by hand), read all the same
    width: int = 0  # cells in the header line, with the columns an earlier report added
    passed_over: list[int] = field(default_factory=list)


def find_header(
    tables: list[Table], overrides: Mapping[str, str | None] | None = None, rows: int = 65_536, choice: str | None = None
) -> Found:
    """The first table with a header that maps an email and rows that hold addresses, read `rows` at a time.

    The header is the row among the first non-blank ones that maps the most fields,
    so title lines above it are passed over; a header cell merged over several columns
    takes the names written under it. Hidden columns feed no field a visible one can.
    A sheet is judged by how many rows hold an address: one without (instructions
    quoting an example, lookups) is passed over, and when several hold customers the
    notes name them. A sheet holding several tables of customers is not guessed at:
    `choice` (`--table`) names one, or the import stops and lists them.
    """
    first_seen: list[str] | None = None
    found: list[Found] = []
    unreadable: InputError | None = None
    others: OthersAddresses | None = None
    for table in tables:
        try:
            candidates = _read_parts(table, overrides or {}, rows)
        except InputError as exc:  # a CSV split on the wrong delimiter can read as broken: try the next one
            unreadable = unreadable or exc
            continue
        for candidate, seen, doubt in candidates:
            first_seen, others = first_seen or seen, others or doubt
            if candidate is not None:
                found.append(candidate)
        if table.kind == "csv" and any(c for c, _, _ in candidates):  # the likeliest delimiter under which a header is found
            break
    if choice is not None:
        found = _chosen_table(found, choice, tables[0].path)
    if found:
        chosen = _best_sheet(found)
        if others is not None:
            chosen.notes.append(f"a table with {others.header!r} passed over: its addresses may be someone else's (--table and --map email= read it)")
        return chosen
    if others is not None:
        raise others
    if unreadable is not None:
        raise unreadable
    if first_seen is None:
        raise InputError(f"{tables[0].path}: the file has no rows")
    headers = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(f"{tables[0].path}: no email column found (headers seen: {headers}); name it with --map email=HEADER")


def _read_parts(table: Table, overrides: Mapping[str, str | None], rows: int) -> list[tuple[Found | None, list[str] | None, OthersAddresses | None]]:
    """Each table of a sheet (or the CSV) with its header found, or None where none maps an email; with the first line seen,
    and why a table whose addresses may be someone else's was not taken."""

    structure = table.structure()
    results: list[tuple[Found | None, list[str] | None, OthersAddresses | None]] = []
    for part in _parts(table, structure, overrides):
        frames = part.frames(rows)
        first = _leading(frames, HEADER_SEARCH_ROWS + JUDGED_ROWS)
        if first is None:
            continue
        head = _head(first)
        seen = head[0][1] if head else None
        merges = _shifted_merges(structure.merges, part)
        choice = _best_header(head, overrides, _shifted(structure.hidden_columns, part), merges)
        if choice is None:
            results.append((None, seen, None))
            continue
        position, column_map, notes = choice
        down = _merged_down(merges, head[position][0])
        filled = _filled_down(itertools.chain([first.iloc[position + 1 :]], frames), down)
        if down:
            notes = [*notes, f"{len(down)} {'cell is' if len(down) == 1 else 'cells are'} merged down over several rows: read in every row {'it covers' if len(down) == 1 else 'they cover'}"]
        data = next(filled)
        try:
            column_map, judged = _judged_by_values(column_map, data, overrides, sheet=table.kind != "csv")
        except OthersAddresses as exc:
            results.append((None, seen, exc))
            continue
        column_map, judged = _ticks_further_down(part, column_map, data, rows, judged)
        if "email" not in column_map.fields:  # neither a header nor the values name the addresses
            results.append((None, seen, None))
            continue
        email = data[column_map.fields["email"]].iloc[:JUDGED_ROWS] if len(data) else None
        customers = int(email.str.contains("@", regex=False).sum()) if email is not None else 0
        data_top = int(data.index[0]) if len(data) else 0
        hidden_rows = sum(1 for r in structure.hidden_rows if data_top and data_top <= r <= (part.area.bottom if part.area else r))
        width = max(len(column_map.header), len(_folded([str(c) for c in first.iloc[position].tolist()])))
        candidate = Found(part, column_map, iter(()), [*part.notes, *notes, *judged], customers, hidden_rows, width)
        titles = frozenset(_titles(head[:position])) - {()}
        candidate.frames = _customers_only(itertools.chain([data], filled), column_map, part.totals_row, candidate.passed_over, titles)
        if hidden_rows:
            why = "a filter hides" if structure.filter is not None else "the sheet hides"
            candidate.notes.append(f"{hidden_rows} {'row' if hidden_rows == 1 else 'rows'} {why} {'is' if hidden_rows == 1 else 'are'} read like the others")
        results.append((candidate, seen, None))
    return results


def _ticks_further_down(part: Table, column_map: ColumnMap, data: pd.DataFrame, rows: int, notes: list[str]) -> tuple[ColumnMap, list[str]]:
    """An active column blank in every judged row is judged on the rest of the file instead: when what it holds
    further down is only ticks, a blank there is the unticked box in every row, the first ones too, rather than
    a reading that changes past the rows judged. Only such a column costs this second read."""
    active = column_map.fields.get("active")
    if active is None or not column_map.blank_active or len(data) < JUDGED_ROWS:
        return column_map, notes
    judged = data.iloc[:JUDGED_ROWS]
    if active < judged.shape[1] and bool(holding(judged[active]).any()):
        return column_map, notes
    last, first = int(judged.index[-1]), None
    for frame in part.frames(rows):
        if active >= frame.shape[1]:
            continue
        cells = frame[active][frame.index > last]
        filled = cells.str.strip()[holding(cells)]
        if not len(filled):
            continue
        if ticks_only(filled.tolist()) is None:
            return column_map, notes
        first = first or (int(filled.index[0]), filled.iloc[0])
    if first is None:
        return column_map, notes
    row, tick = first
    header = column_map.header[active]
    said = f"column {header!r} is blank in the first {JUDGED_ROWS:,} rows and holds only ticks further down ({tick!r}, first in row {row}): a blank there reads as not active"
    return replace(column_map, blank_active=False), [*notes, said]


def _leading(frames: Iterator[pd.DataFrame], rows: int) -> pd.DataFrame | None:
    """The first `rows` rows of a table or more, whole frames joined, whatever size its frames are read in
    (so the header and columns are judged on the same rows); None when it has none."""
    import pandas as pd

    held: list[pd.DataFrame] = []
    count = 0
    for frame in frames:
        held.append(frame)
        count += len(frame)
        if count >= rows:
            break
    if not held:
        return None
    return pd.concat(held) if len(held) > 1 else held[0]


def _best_sheet(found: list[Found]) -> Found:
    """Of the tables with a header, the first of the first sheet that holds customers.

    A sheet holds customers when a table of it has at least a few rows with an address (or
    as many as the best one has). A sheet before it with fewer (a short list, or instructions
    quoting an example) stops the import, as do several tables with addresses on that sheet:
    which one is meant is the merchant's to say.
    """
    best = max(f.customers for f in found)
    with_customers = [f for f in found if f.customers and f.customers >= min(ENOUGH_CUSTOMERS, best)]
    if not with_customers:
        return found[0]
    chosen = with_customers[0]
    if few := [f for f in found[: found.index(chosen)] if f.customers and f.table.name != chosen.table.name]:
        raise InputError(
            f"{chosen.table.path}: sheet {_counted(few[0])} comes before {_counted(chosen)}, and may be a short list of customers "
            f"as well as an example: choose the sheet to import with --sheet NAME"
        )
    same_sheet = [f for f in found if f.customers and f.table.name == chosen.table.name and f.table.kind == chosen.table.kind]
    if len(same_sheet) > 1:
        listed = "; ".join(f"{i} {f.table.label} ({', '.join(h for h in f.column_map.header if h.strip())})" for i, f in enumerate(same_sheet, 1))
        where = f"sheet {chosen.table.name!r}" if chosen.table.kind == "workbook" else chosen.table.name
        raise InputError(f"{chosen.table.path}: {where} holds {len(same_sheet)} tables of customers: {listed}; choose one with --table NAME_OR_NUMBER")
    sheets = list(dict.fromkeys(f.table.name for f in found if f.customers))
    if len(sheets) > 1:
        names = ", ".join(map(repr, sheets))
        chosen.notes.append(f"sheets with customers: {names}; reading {chosen.table.name!r} (choose another with --sheet)")
    passed = list(dict.fromkeys(f.table.name for f in found if f.table.kind == "workbook" and f.table.name not in sheets))
    if passed:
        chosen.notes.append(f"passed over sheets without email addresses: {', '.join(map(repr, passed))}")
    return chosen


def _counted(found: Found) -> str:
    """A sheet's name and its rows with an address, as a message names them."""
    return f"{found.table.name!r} ({found.customers} {'row' if found.customers == 1 else 'rows'} with an address)"


def _chosen_table(found: list[Found], choice: str, path: object) -> list[Found]:
    """The tables `--table` names: an Excel table by name (any case), or a table by its number in the list of the sheet's tables of customers."""
    named = [f for f in found if f.table.table_name and f.table.table_name.casefold() == choice.casefold()]
    if named:
        return named[:1]
    if choice.isdigit():
        sheet = next((f.table.name for f in found if f.customers), None)
        on_sheet = [f for f in found if f.table.name == sheet and f.customers]
        if 1 <= int(choice) <= len(on_sheet):
            return [on_sheet[int(choice) - 1]]
    tables = ", ".join(f"{i} {f.table.label or f.table.name}" for i, f in enumerate(found, 1)) or "none"
    raise UsageError(f"--table {choice!r}: no such table in {path} (the tables are: {tables})")
