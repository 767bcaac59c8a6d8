"""Find the header row and decide which column feeds which customer field.

Headers are compared after folding case, accents, spaces and punctuation, against
the spellings that the platforms merchants leave actually export (`layouts.py`),
so "E-mail", "Email Address" and "EMAIL" all feed `email`. The values have a say
too: a `User ID` of another system's numbers is not a Salesive user, and a `Name`
column of order numbers is not a name. Each such choice is said, never silent.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .errors import InputError, UsageError
from .layouts import ALIASES, CONSENT_HEADERS, STATUS_HEADERS, parse_active
from .sheet import Table, not_blank
from .structure import Area, Structure

if TYPE_CHECKING:
    import pandas as pd

FIELDS = ("name", "first_name", "last_name", "email", "phone", "active", "user")
HEADER_SEARCH_ROWS = 20
ENOUGH_CUSTOMERS = 3  # rows with an address that make a list of customers rather than an example
JUDGED_ROWS = 1_000  # data rows a column's values are judged on (fewer than the smallest chunk holds)
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
ORDER_NUMBER = re.compile(r"#?\d+")
# A person's name as written in a cell: up to five words of letters joined by spaces, hyphens or apostrophes.
PERSON_NAME = re.compile(r"[^\W\d_]+(?:(?:\.?\s|[-'’])[^\W\d_]+){0,4}\.?")
# Columns a report adds after the original ones; a fixed report file re-imported
# as it is must not have its old `status` read as the `active` flag.
REPORT_COLUMNS = ("row", "status", "reason")


def fold(header: str) -> str:
    """Compare headers without case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", header)
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()


_LOOKUP = {alias: (field, rank) for field, aliases in ALIASES.items() for rank, alias in enumerate(aliases)}


@dataclass(frozen=True)
class ColumnMap:
    """Which column feeds each field (phones: every recognised phone column, preferred first), and the header kept for the report."""

    header: list[str]
    fields: dict[str, int]
    phones: tuple[int, ...] = ()

    @property
    def columns(self) -> dict[str, str]:
        """Field -> header, as shown to the merchant and stored in summary.json (phone: the preferred column)."""
        return {field: self.header[i] for field, i in sorted(self.fields.items(), key=lambda kv: kv[1])}

    def described(self) -> str:
        """The mapping in one line, every phone column in the order they are tried."""
        parts = []
        for name, header in self.columns.items():
            if name == "phone" and len(self.phones) > 1:
                header = ", then ".join(repr(self.header[i]) for i in self.phones)
                parts.append(f"phone <- {header}")
            else:
                parts.append(f"{name} <- {header!r}")
        return ", ".join(parts)

    def original(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows' cells under the original header: cut or padded to its width."""
        width = len(self.header)
        if frame.shape[1] > width:
            frame = frame.iloc[:, :width]
        for column in range(frame.shape[1], width):
            frame[column] = ""
        return frame

    def field_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The mapped fields of each row (an unmapped field is blank); phone is the first filled-in phone column."""
        import pandas as pd

        blank = pd.Series("", index=frame.index, dtype=frame.dtypes.iloc[0] if frame.shape[1] else "string[pyarrow]")
        values = {field: frame[index] if index < frame.shape[1] else blank for field, index in self.fields.items() if field != "phone"}
        phone = blank
        for index in reversed(self.phones):
            cells = frame[index] if index < frame.shape[1] else blank
            phone = cells.where(cells.str.strip().ne(""), phone)
        values["phone"] = phone
        return pd.DataFrame({f: values.get(f, blank) for f in FIELDS}, index=frame.index)


def map_columns(header: list[str], overrides: Mapping[str, str | None] | None = None) -> ColumnMap:
    """Map a header row; `overrides` (`--map FIELD=HEADER`, None to leave a field out) win over recognition."""
    return _mapping(_original_width(header), _candidates(_original_width(header)), overrides or {})


def _candidates(header: list[str]) -> dict[str, list[int]]:
    """Every column each field could take, best first."""
    found: dict[str, list[tuple[int, int]]] = {}
    met: set[str] = set()
    for index, cell in enumerate(header):
        folded = fold(cell)
        hit = _LOOKUP.get(folded)
        if hit is not None and not (hit[0] == "active" and folded in CONSENT_HEADERS):
            # A header met again (HubSpot's associated company after the contact) ranks after every first one.
            found.setdefault(hit[0], []).append((hit[1] + (len(_LOOKUP) if folded in met else 0), index))
        met.add(folded)
    return {field: [index for _, index in sorted(ranked)] for field, ranked in found.items()}


def _mapping(header: list[str], candidates: dict[str, list[int]], overrides: Mapping[str, str | None]) -> ColumnMap:
    fields = {field: indexes[0] for field, indexes in candidates.items() if indexes}
    phones = list(candidates.get("phone", []))
    for name, wanted in overrides.items():
        if wanted is None:
            fields.pop(name, None)
            if name == "phone":
                phones = []
            continue
        index = _find(header, wanted)
        fields = {f: i for f, i in fields.items() if i != index}
        phones = [i for i in phones if i != index]
        fields[name] = index
        if name == "phone":
            phones = [index]
    return ColumnMap(header, fields, tuple(phones) if "phone" in fields else ())


def parse_overrides(pairs: Iterable[str]) -> dict[str, str | None]:
    """`--map FIELD=HEADER` options as a dict, checked against the known fields; `--map FIELD=` leaves the field unmapped (None)."""
    overrides: dict[str, str | None] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        field = field.strip()
        if not sep:
            raise UsageError(f"--map {pair!r}: write it as FIELD=HEADER, e.g. --map email='E-mail Address' (or FIELD= to leave it out)")
        if field not in FIELDS:
            raise UsageError(f"--map {pair!r}: unknown field {field!r}; the fields are {' '.join(FIELDS)}")
        overrides[field] = header.strip() or None
    if overrides.get("email", "") is None:
        raise UsageError("--map email=: every customer needs an email; name its column instead")
    return overrides


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
    for table in tables:
        try:
            candidates = _read_parts(table, overrides or {}, rows)
        except InputError as exc:  # a CSV split on the wrong delimiter can read as broken: try the next one
            unreadable = unreadable or exc
            continue
        for candidate, seen in candidates:
            first_seen = first_seen or seen
            if candidate is not None:
                found.append(candidate)
        if table.kind == "csv" and any(c for c, _ in candidates):  # the likeliest delimiter under which a header is found
            break
    if choice is not None:
        found = _chosen_table(found, choice, tables[0].path)
    if found:
        return _best_sheet(found)
    if unreadable is not None:
        raise unreadable
    if first_seen is None:
        raise InputError(f"{tables[0].path}: the file has no rows")
    seen = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(f"{tables[0].path}: no email column found (headers seen: {seen}); name it with --map email=HEADER")


def _read_parts(table: Table, overrides: Mapping[str, str | None], rows: int) -> list[tuple[Found | None, list[str] | None]]:
    """Each table of a sheet (or the CSV) with its header found, or None where none maps an email; with the first line seen."""
    import pandas as pd

    structure = table.structure()
    results: list[tuple[Found | None, list[str] | None]] = []
    for part in _parts(table, structure, overrides):
        frames = part.frames(rows)
        first = next(frames, None)
        if first is None:
            continue
        head = _head(first)
        seen = head[0][1] if head else None
        choice = _best_header(head, overrides, _shifted(structure.hidden_columns, part), _shifted_merges(structure.merges, part))
        if choice is None:
            results.append((None, seen))
            continue
        position, column_map, notes = choice
        data = first.iloc[position + 1 :]
        while len(data) < JUDGED_ROWS and (more := next(frames, None)) is not None:  # blank lines left the first frame short
            data = pd.concat([data, more])
        column_map, judged = _judged_by_values(column_map, data, overrides)
        email = data[column_map.fields["email"]].iloc[:JUDGED_ROWS] if len(data) else None
        customers = int(email.str.contains("@", regex=False).sum()) if email is not None else 0
        data_top = int(data.index[0]) if len(data) else 0
        hidden_rows = sum(1 for r in structure.hidden_rows if data_top and data_top <= r <= (part.area.bottom if part.area else r))
        width = max(len(column_map.header), len(_folded([str(c) for c in first.iloc[position].tolist()])))
        candidate = Found(part, column_map, iter(()), [*part.notes, *notes, *judged], customers, hidden_rows, width)
        candidate.frames = _customers_only(itertools.chain([data], frames), column_map, part.totals_row, candidate.passed_over)
        if hidden_rows:
            why = "a filter hides" if structure.filter is not None else "the sheet hides"
            candidate.notes.append(f"{hidden_rows} {'row' if hidden_rows == 1 else 'rows'} {why} {'is' if hidden_rows == 1 else 'are'} read like the others")
        results.append((candidate, seen))
    return results


def _head(first: pd.DataFrame) -> list[tuple[int, list[str]]]:
    """The first rows of a table, where its header is looked for: (row number, cells)."""
    return [(row, [str(c) for c in cells]) for row, cells in zip(first.index[:HEADER_SEARCH_ROWS], first.iloc[:HEADER_SEARCH_ROWS].itertuples(index=False))]


def _best_sheet(found: list[Found]) -> Found:
    """Of the tables with a header, the first of the first sheet that holds customers.

    A sheet holds customers when a table of it has at least a few rows with an address (or
    as many as the best one has), so a sheet of instructions quoting an example address
    loses to the list. Several tables with addresses on that sheet stop the import: which
    one is meant is the merchant's to say.
    """
    best = max(f.customers for f in found)
    with_customers = [f for f in found if f.customers and f.customers >= min(ENOUGH_CUSTOMERS, best)]
    if not with_customers:
        return found[0]
    chosen = with_customers[0]
    same_sheet = [f for f in found if f.customers and f.table.name == chosen.table.name and f.table.kind == chosen.table.kind]
    if len(same_sheet) > 1:
        listed = "; ".join(f"{i} {f.table.label} ({', '.join(h for h in f.column_map.header if h.strip())})" for i, f in enumerate(same_sheet, 1))
        where = f"sheet {chosen.table.name!r}" if chosen.table.kind == "workbook" else chosen.table.name
        raise InputError(f"{chosen.table.path}: {where} holds {len(same_sheet)} tables of customers: {listed}; choose one with --table NAME_OR_NUMBER")
    sheets = list(dict.fromkeys(f.table.name for f in with_customers))
    if len(sheets) > 1:
        names = ", ".join(map(repr, sheets))
        chosen.notes.append(f"sheets with customers: {names}; reading {chosen.table.name!r} (choose another with --sheet)")
    passed = list(dict.fromkeys(f.table.name for f in found if f.table.kind == "workbook" and f.table.name not in sheets))
    if passed:
        chosen.notes.append(f"passed over sheets without email addresses: {', '.join(map(repr, passed))}")
    return chosen


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


def _parts(table: Table, structure: Structure, overrides: Mapping[str, str | None]) -> list[Table]:
    """The tables a sheet holds: its Excel table objects, else its blocks of cells split by a wholly blank
    column or by blank rows followed by a new header; a CSV is one table."""
    if table.kind != "workbook":
        return [table]
    if structure.tables:
        return [
            replace(table, area=t.area, table_name=t.name, totals_row=t.area.bottom if t.totals_rows else 0)
            for t in structure.tables
        ]
    grid = table.grid()
    if not len(grid) or grid.shape[1] < 2:
        return [table]
    parts: list[Table] = []
    for left, right in _column_blocks(grid, overrides):
        block = grid.loc[:, left:right]
        for top, bottom in _row_blocks(block, overrides):
            parts.append(replace(table, area=Area(top, left, bottom, right)))
    return [table] if len(parts) == 1 else parts


def _column_blocks(grid: pd.DataFrame, overrides: Mapping[str, str | None]) -> list[tuple[int, int]]:
    """Runs of columns between wholly blank ones; a run without an email header joins the one before it
    (notes or a spare column beside a list are part of that list)."""
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
    for left, right in runs:
        block = grid.loc[:, left:right]
        block = block[not_blank(block)]
        if blocks and _best_header(_head(block.set_axis(range(block.shape[1]), axis=1)), overrides) is None:
            blocks[-1] = (blocks[-1][0], right)
        else:
            blocks.append((left, right))
    return blocks


def _row_blocks(block: pd.DataFrame, overrides: Mapping[str, str | None]) -> list[tuple[int, int]]:
    """The rows of a column block, split where blank rows are followed by a header other than the one above.

    Only the rows right after blank ones, and of those only the ones without an address, are looked at one by one.
    """
    import numpy as np

    block = block[not_blank(block)].set_axis(range(block.shape[1]), axis=1)
    if not len(block):
        return []
    rows = block.index.to_numpy()
    after_gap = np.flatnonzero(np.diff(rows) > 1) + 1
    first = _best_header(_head(block.iloc[: after_gap[0] if len(after_gap) else len(rows)]), overrides)
    current = _folded(block.iloc[first[0]].tolist()) if first is not None else None
    lines = block.iloc[after_gap]
    addresses = np.zeros(len(lines), dtype=bool)
    for column in lines.columns:
        addresses |= lines[column].str.contains("@", regex=False).to_numpy(dtype=bool, na_value=False)
    starts = [0]
    for position, cells in zip(after_gap[~addresses].tolist(), lines[~addresses].itertuples(index=False, name=None)):
        folded = _folded(list(cells))
        if folded == current or _best_header([(int(rows[position]), list(cells))], overrides) is None:
            continue
        if current is not None:  # a header under the title lines of the first table is that table's own
            starts.append(position)
        current = folded
    ends = [*starts[1:], len(rows)]
    return [(int(rows[a]), int(rows[b - 1])) for a, b in zip(starts, ends)]


def _folded(cells: list[str]) -> tuple[str, ...]:
    """A row's cells compared as headers are, without trailing blanks."""
    folded = [fold(str(c)) for c in cells]
    while folded and not folded[-1]:
        folded.pop()
    return tuple(folded)


def _shifted(columns: frozenset[int], part: Table) -> frozenset[int]:
    """Sheet column indexes as indexes into a table that starts at a later column."""
    left = part.area.left if part.area else 0
    return frozenset(c - left for c in columns if c >= left)


def _shifted_merges(merges: tuple[Area, ...], part: Table) -> tuple[Area, ...]:
    """The merged areas of a table's columns, columns counted from the table's first."""
    left = part.area.left if part.area else 0
    return tuple(Area(m.top, m.left - left, m.bottom, m.right - left) for m in merges if m.left >= left)


def _customers_only(frames: Iterable[pd.DataFrame], column_map: ColumnMap, totals_row: int, passed: list[int]) -> Iterator[pd.DataFrame]:
    """The frames without the lines that are not customers, whose row numbers go to `passed`.

    Not customers: a copy of the header (printed pages repeat it), a line with one filled cell
    and no address (a title, a total, `Page 2 of 3`, `Generated by ...`), a table's totals row.
    A lone cell that reads as a person's name in a name column is a customer without an
    address, which the checks report. Only the rows whose email cell holds no `@` are looked
    at cell by cell.
    """
    email = column_map.fields["email"]
    header = [h.strip().casefold() for h in column_map.header]
    names = {column_map.fields[f] for f in ("name", "first_name", "last_name") if f in column_map.fields}
    for frame in frames:
        if email >= frame.shape[1]:
            yield frame
            continue
        doubt = ~frame[email].str.contains("@", regex=False).to_numpy(dtype=bool, na_value=False)
        out = [row for row, cells in zip(frame.index[doubt].tolist(), frame[doubt].itertuples(index=False, name=None))
               if row == totals_row or _not_a_customer(list(cells), header, names)] if doubt.any() else []
        if out:
            passed.extend(out)
            frame = frame.drop(index=out)
        if len(frame):
            yield frame


def _not_a_customer(cells: list[str], header: list[str], names: set[int]) -> bool:
    """Whether a line without an address is a copy of the header or a lone title, total or page line."""
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    if [c.strip().casefold() for c in cells[: len(header)]] == header and len(filled) <= len(header):
        return True
    if len(filled) != 1 or len(header) < 2:
        return False
    column, text = filled[0]
    return "@" not in text and not (column in names and PERSON_NAME.fullmatch(text))


def _judged_by_values(column_map: ColumnMap, data: pd.DataFrame, overrides: Mapping[str, str | None]) -> tuple[ColumnMap, list[str]]:
    """Leave out a recognised column whose first values show it is not what its header suggests.

    Judged on the first JUDGED_ROWS rows only, whatever the size of the chunk they came in,
    so that a dry run and an import of the same file always choose the same columns.
    """
    data = data.iloc[:JUDGED_ROWS]
    notes: list[str] = []
    fields = dict(column_map.fields)
    header = column_map.header

    def values(index: int) -> list[str]:
        cells = data[index].str.strip() if index < data.shape[1] else data.iloc[:0, 0]
        return [c for c in cells.tolist() if c]

    user = fields.get("user")
    if user is not None and "user" not in overrides:
        filled = values(user)
        if filled and not all(OBJECT_ID.fullmatch(v) for v in filled):
            del fields["user"]
            notes.append(f"column {header[user]!r} left out: its values are not Salesive user ids (24 hexadecimal characters)")
    active = fields.get("active")
    if active is not None and "active" not in overrides and fold(header[active]) in STATUS_HEADERS:
        filled = values(active)
        if filled and 2 * sum(parse_active(v) is None for v in filled) >= len(filled):  # mostly other words: a state, not a flag
            del fields["active"]
            notes.append(f"column {header[active]!r} left out: its values ({filled[0]!r}, ...) are not an active/inactive flag")
    name = fields.get("name")
    if name is not None and "name" not in overrides:
        filled = values(name)
        if filled and all(ORDER_NUMBER.fullmatch(v) for v in filled):
            others = [i for i in _candidates(header).get("name", []) if i != name]
            if others:
                fields["name"] = others[0]
            else:
                del fields["name"]
            notes.append(f"column {header[name]!r} left out of the name: it holds order numbers")
    return ColumnMap(header, fields, column_map.phones), notes


def _best_header(
    head: list[tuple[int, list[str]]],
    overrides: Mapping[str, str | None] | None,
    hidden: frozenset[int] = frozenset(),
    merges: tuple[Area, ...] = (),
) -> tuple[int, ColumnMap, list[str]] | None:
    """The header among the first rows: the one that maps an email and the most fields; its position, map and notes.

    A row with cells merged across columns is also tried with the row under it: the names
    written under a merged cell are its columns' headers (`Name` over `First | Last`).
    """
    best: tuple[int, ColumnMap, list[str]] | None = None
    best_score = 0
    for position, cells, names_under in _header_rows(head, merges):
        try:
            column_map = map_columns(cells, overrides)
        except UsageError:
            continue  # an override naming a header this row lacks: not the header row
        column_map, notes = _visible(column_map, hidden, overrides or {})
        if not names_under:
            column_map = _merged_name(column_map, merges, head[position][0], overrides or {})
        if "email" not in column_map.fields:
            continue
        score = len(column_map.fields)
        if score > best_score:
            best, best_score = (position, column_map, notes), score
    if best is None and overrides:
        # Say which override could not be found in the likeliest header row.
        for _, cells in head[:1]:
            map_columns(cells, overrides)
    return best


def _header_rows(head: list[tuple[int, list[str]]], merges: tuple[Area, ...]) -> Iterator[tuple[int, list[str], bool]]:
    """Each row that may be the header, as (position of its last row, cells, whether names under merged cells were taken)."""
    for position, (row, cells) in enumerate(head):
        spanning = [m for m in merges if m.top == row and m.right > m.left]
        if spanning and position + 1 < len(head) and head[position + 1][0] == row + 1:
            under = head[position + 1][1]
            joined = list(cells) + [""] * max(0, len(under) - len(cells))
            for column, cell in enumerate(under):
                merged = any(m.left <= column <= m.right for m in spanning)
                if cell.strip() and (merged or not joined[column].strip()):
                    joined[column] = cell
            yield position + 1, joined, True
        yield position, cells, False


def _merged_name(column_map: ColumnMap, merges: tuple[Area, ...], row: int, overrides: Mapping[str, str | None]) -> ColumnMap:
    """A name header merged over two columns with nothing written under it: the first and last name, in that order."""
    name = column_map.fields.get("name")
    if name is None or "name" in overrides or {"first_name", "last_name"} & set(column_map.fields):
        return column_map
    area = next((m for m in merges if m.top <= row <= m.bottom and m.left == name and m.right == name + 1), None)
    if area is None:
        return column_map
    fields = {f: i for f, i in column_map.fields.items() if f != "name"}
    return ColumnMap(column_map.header, {**fields, "first_name": name, "last_name": name + 1}, column_map.phones)


def _visible(column_map: ColumnMap, hidden: frozenset[int], overrides: Mapping[str, str | None]) -> tuple[ColumnMap, list[str]]:
    """The map with hidden columns feeding no field a visible column can feed; a field only a hidden column could
    feed is left out, with a note. `--map` may still name a hidden column."""
    if not hidden or not (set(column_map.fields.values()) | set(column_map.phones)) & hidden:
        return column_map, []
    header = column_map.header
    candidates = _candidates(header)
    fields = dict(column_map.fields)
    notes: list[str] = []
    phones = column_map.phones if "phone" in overrides else tuple(i for i in column_map.phones if i not in hidden)
    for name, index in column_map.fields.items():
        if index not in hidden or name in overrides:
            continue
        taken = set(fields.values())
        others = [i for i in candidates.get(name, []) if i not in hidden and i not in taken]
        if name == "phone":
            others = list(phones)
        if others:
            fields[name] = others[0]
            notes.append(f"column {header[index]!r} is hidden: {name} comes from the visible {header[others[0]]!r}")
        else:
            del fields[name]
            notes.append(f"column {header[index]!r} is hidden, so it feeds no {name} (--map {name}={header[index]!r} takes it all the same)")
    return ColumnMap(header, fields, phones if "phone" in fields else ()), notes


def _find(header: list[str], wanted: str) -> int:
    if wanted in header:
        return header.index(wanted)
    folded = [fold(h) for h in header]
    if fold(wanted) in folded:
        return folded.index(fold(wanted))
    found = ", ".join(repr(h) for h in header if h.strip())
    raise UsageError(f"--map: no column {wanted!r} in the file (headers: {found})")


def _original_width(header: list[str]) -> list[str]:
    """Drop trailing unnamed columns and the columns an earlier report appended."""
    folded = [fold(h) for h in header]
    for i in range(len(folded) - len(REPORT_COLUMNS) + 1):
        if tuple(folded[i : i + len(REPORT_COLUMNS)]) == REPORT_COLUMNS:
            header = header[:i]
            break
    while header and not header[-1].strip():
        header = header[:-1]
    return list(header)
