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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import InputError, UsageError
from .layouts import ALIASES, CONSENT_HEADERS, STATUS_HEADERS, parse_active, ticks_only
from .sheet import Table

if TYPE_CHECKING:
    import pandas as pd

FIELDS = ("name", "first_name", "last_name", "email", "phone", "active", "user")
HEADER_SEARCH_ROWS = 20
JUDGED_ROWS = 1_000  # data rows a column's values are judged on (fewer than the smallest chunk holds)
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
ORDER_NUMBER = re.compile(r"#?\d+")
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
    blank_active: bool = True  # False when the active column holds only ticks, so a blank there is the no

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
        """The mapped fields of each row (an unmapped field is blank); phone is the first phone column that holds a
        number, else the first filled in (a placeholder such as `N/A` in the main phone gives way to a mobile)."""
        import pandas as pd

        blank = pd.Series("", index=frame.index, dtype=frame.dtypes.iloc[0] if frame.shape[1] else "string[pyarrow]")
        values = {field: frame[index] if index < frame.shape[1] else blank for field, index in self.fields.items() if field != "phone"}
        phone, numbered = blank, blank.eq("x")
        for index in reversed(self.phones):
            cells = frame[index] if index < frame.shape[1] else blank
            number = cells.str.contains("[1-9]")
            phone = cells.where(number | (cells.str.strip().ne("") & ~numbered), phone)
            numbered |= number
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
    """The table an import reads, its column map, its data rows as frames, and what the merchant should be told about the choice."""

    table: Table
    column_map: ColumnMap
    frames: Iterator[pd.DataFrame]
    notes: list[str] = field(default_factory=list)


def find_header(tables: list[Table], overrides: Mapping[str, str | None] | None = None, rows: int = 65_536) -> Found:
    """The first table with a header that maps an email and rows that hold addresses, read `rows` at a time.

    The header is the row among the first non-blank ones that maps the most fields,
    so title lines above it are passed over. Of a workbook's sheets, one without
    addresses (instructions, lookups) is passed over, and when several hold
    customers the notes name them.
    """
    import pandas as pd

    first_seen: list[str] | None = None
    found: list[Found] = []
    without_addresses: list[Found] = []
    unreadable: InputError | None = None
    for table in tables:
        frames = table.frames(rows)
        try:
            first = next(frames, None)
        except InputError as exc:  # a CSV split on the wrong delimiter can read as broken: try the next one
            unreadable = unreadable or exc
            continue
        if first is None:
            continue
        head = [(row, [str(c) for c in cells]) for row, cells in zip(first.index[:HEADER_SEARCH_ROWS], first.iloc[:HEADER_SEARCH_ROWS].itertuples(index=False))]
        if first_seen is None and head:
            first_seen = head[0][1]
        choice = _best_header(head, overrides)
        if choice is None:
            continue
        position, column_map = choice
        data = first.iloc[position + 1 :]
        while len(data) < JUDGED_ROWS and (more := next(frames, None)) is not None:  # blank lines left the first frame short
            data = pd.concat([data, more])
        column_map, notes = _judged_by_values(column_map, data, overrides or {})
        candidate = Found(table, column_map, itertools.chain([data], frames), [*table.notes, *notes])
        has_addresses = data[column_map.fields["email"]].str.contains("@", regex=False).any() if len(data) else False
        (found if has_addresses else without_addresses).append(candidate)
        if table.kind == "csv":  # the likeliest delimiter under which a header is found
            break
    if found:
        chosen = found[0]
        if len(found) > 1:
            names = ", ".join(repr(f.table.name) for f in found)
            chosen.notes.append(f"sheets with customers: {names}; reading {chosen.table.name!r} (choose another with --sheet)")
        passed = [f.table.name for f in without_addresses if f.table.kind == "workbook"]
        if passed:
            chosen.notes.append(f"passed over sheets without email addresses: {', '.join(map(repr, passed))}")
        return chosen
    if without_addresses:
        return without_addresses[0]
    if unreadable is not None:
        raise unreadable
    if first_seen is None:
        raise InputError(f"{tables[0].path}: the file has no rows")
    seen = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(f"{tables[0].path}: no email column found (headers seen: {seen}); name it with --map email=HEADER")


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
    blank_active = True
    if "active" in fields and (tick := ticks_only(values(fields["active"]))) is not None:
        blank_active = False
        notes.append(f"column {header[fields['active']]!r} holds ticks ({tick!r}) and no word for no: a blank there reads as not active")
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
    return ColumnMap(header, fields, column_map.phones, blank_active), notes


def _best_header(head: list[tuple[int, list[str]]], overrides: Mapping[str, str | None] | None) -> tuple[int, ColumnMap] | None:
    best: tuple[int, ColumnMap] | None = None
    best_score = 0
    for position, (_, cells) in enumerate(head):
        try:
            column_map = map_columns(cells, overrides)
        except UsageError:
            continue  # an override naming a header this row lacks: not the header row
        if "email" not in column_map.fields:
            continue
        score = len(column_map.fields)
        if score > best_score:
            best, best_score = (position, column_map), score
    if best is None and overrides:
        # Say which override could not be found in the likeliest header row.
        for _, cells in head[:1]:
            map_columns(cells, overrides)
    return best


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
