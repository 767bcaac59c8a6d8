"""Find the header row and decide which column feeds which customer field.

Headers are compared after folding case, accents, spaces and punctuation, against
the spellings that the platforms merchants leave actually export (Shopify,
WooCommerce, Mailchimp, HubSpot, Klaviyo, Square, Wix, BigCommerce, Salesforce),
so "E-mail", "Email Address" and "EMAIL" all feed `email`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .errors import InputError, UsageError
from .sheet import Row, Table

FIELDS = ("name", "first_name", "last_name", "email", "phone", "active", "user")
HEADER_SEARCH_ROWS = 20

# Preferred spellings first: the first alias present in a file wins, so a main
# phone column is taken before an address phone.
ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "emailaddress", "mail", "emailid", "useremail", "customeremail", "contactemail",
        "primaryemail", "email1", "billingemail", "courriel", "correo", "correoelectronico",
    ),
    "name": (
        "name", "fullname", "customername", "contactname", "clientname", "displayname",
        "customer", "nombre", "nomcomplet",
    ),
    "first_name": ("firstname", "givenname", "first", "forename", "billingfirstname", "prenom", "vorname"),
    "last_name": ("lastname", "familyname", "surname", "last", "billinglastname", "nachname", "apellido"),
    "phone": (
        "phone", "phonenumber", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cellphone",
        "cell", "telephone", "tel", "phone1", "smsphonenumber", "contactphone", "billingphone",
        "defaultaddressphone", "shippingphone", "addressphone", "telefono", "telefon",
    ),
    "active": ("active", "status", "isactive", "enabled", "customerstatus", "accountstatus"),
    "user": ("user", "userid", "linkeduser", "platformuserid"),
}
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
    """Which column index feeds each field, and the original columns kept for the report."""

    header: list[str]
    fields: dict[str, int]

    @property
    def columns(self) -> dict[str, str]:
        """Field -> header, as shown to the merchant and stored in summary.json."""
        return {field: self.header[i] for field, i in sorted(self.fields.items(), key=lambda kv: kv[1])}

    def values(self, cells: list[str]) -> dict[str, str]:
        """The mapped fields' cells of one row (a missing cell reads as blank)."""
        width = len(cells)
        if width == len(self.header):  # the usual row: no index can be out of range
            return {field: cells[i] for field, i in self.fields.items()}
        return {field: cells[i] if i < width else "" for field, i in self.fields.items()}

    def by_field(self, rows: list[list[str]]) -> dict[str, Sequence[str]] | None:
        """The mapped fields' cells of several rows, column by column; None when a row is not as wide as the header."""
        width = len(self.header)
        if set(map(len, rows)) - {width}:
            return None
        columns = list(zip(*rows)) or [()] * width
        return {field: columns[i] for field, i in self.fields.items()}

    def original(self, cells: list[str]) -> list[str]:
        """The row's cells under the original header: padded or cut to its width."""
        width = len(self.header)
        if len(cells) == width:
            return cells
        return cells[:width] if len(cells) > width else cells + [""] * (width - len(cells))


def map_columns(header: list[str], overrides: Mapping[str, str] | None = None) -> ColumnMap:
    """Map a header row; `overrides` (`--map FIELD=HEADER`) win over recognition."""
    header = _original_width(header)
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(header):
        hit = _LOOKUP.get(fold(cell))
        if hit is not None:
            field, rank = hit
            if field not in best or rank < best[field][0]:
                best[field] = (rank, index)
    fields = {field: index for field, (_, index) in best.items()}
    for field, wanted in (overrides or {}).items():
        index = _find(header, wanted)
        fields = {f: i for f, i in fields.items() if i != index}
        fields[field] = index
    return ColumnMap(header, fields)


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """`--map FIELD=HEADER` options as a dict, checked against the known fields."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        field = field.strip()
        if not sep or not header.strip():
            raise UsageError(f"--map {pair!r}: write it as FIELD=HEADER, e.g. --map email='E-mail Address'")
        if field not in FIELDS:
            raise UsageError(f"--map {pair!r}: unknown field {field!r}; the fields are {' '.join(FIELDS)}")
        overrides[field] = header.strip()
    return overrides


def find_header(tables: list[Table], overrides: Mapping[str, str] | None = None) -> tuple[Table, ColumnMap, Iterator[Row]]:
    """The first table with a header that maps an email, its map, and its data rows.

    The header is the row among the first non-blank ones that maps the most fields,
    so title lines above it are passed over.
    """
    first_seen: list[str] | None = None
    for table in tables:
        rows = table.rows()
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        if first_seen is None and head:
            first_seen = head[0][1]
        choice = _best_header(head, overrides)
        if choice is None:
            continue
        position, column_map = choice
        return table, column_map, itertools.chain(head[position + 1 :], rows)
    if first_seen is None:
        raise InputError(f"{tables[0].path}: the file has no rows")
    found = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(
        f"{tables[0].path}: no email column found (headers seen: {found}); name it with --map email=HEADER"
    )


def _best_header(head: list[Row], overrides: Mapping[str, str] | None) -> tuple[int, ColumnMap] | None:
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
