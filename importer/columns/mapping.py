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

from ..errors import InputError, UsageError
from .layouts import (
    ALIASES,
    BARE_NAMES,
    CONSENT_HEADERS,
    FAMILY_FIRST,
    HONORIFICS,
    MISSING_VALUES,
    NEWSLETTER_STATES,
    NUMBER_WORDS,
    OBJECT_ID,
    OTHER_WORDS,
    PHONE_AREA_HEADERS,
    PHONE_COUNTRY_HEADERS,
    PHRASES,
    STATUS_HEADERS,
    TITLE_HEADERS,
    WORDS,
    parse_active,
    ticks_only,
)
from ..read.cells import not_blank
from ..read.sheet import Table
from ..read.structure import Area, Structure

if TYPE_CHECKING:
    import pandas as pd

# The fields a column can feed (`--map FIELD=HEADER`), and those the row check reads:
# a name in parts reaches it already built (see ColumnMap.field_frame).
FIELDS = ("name", "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "phone", "active", "user")
CHECKED = ("name", "first_name", "last_name", "email", "phone", "active", "user")
# In the order people write them; a second family name (Spanish "Segundo apellido",
# Mexican "Apellido materno") follows the first.
NAME_PARTS = ("prefix", "first_name", "middle_name", "last_name", "second_last_name", "suffix")
# Fields in which a program's mark for a missing value (`layouts.MISSING_VALUES`) is read as blank.
MISSING_READ = ("name", *NAME_PARTS, "active")
WORD_RANK = 100_000  # a header read by its words ranks after every spelling of layouts.py
HEADER_SEARCH_ROWS = 20
ENOUGH_CUSTOMERS = 3  # rows with an address that make a list of customers rather than an example
JUDGED_ROWS = 1_000  # data rows a column's values are judged on (fewer than the smallest chunk holds)
ORDER_NUMBER = re.compile(r"#?\d+")
# The columns a report adds after the original ones, each possibly written
# `import_<name>` (see report.own_columns): a fixed report file re-imported as it
# is reads the merchant's columns only, never the report's `status`.
REPORT_TAIL = ("row", "status", "reason", "sentname", "sentemail", "sentphone", "sentactive")
_REPORT_PREFIX = re.compile(r"^(?:import)*")
# What a column's values look like, judged on its filled cells (Arrow's regex engine).
ADDRESS = r"\s*(?:[^<>@]*<)?(?:mailto:)?[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+>?\s*[;,]?\s*"
# A phone: an international or trunk prefix, or digits in groups; a bare run of digits is as often an id.
PHONE = r"\s*(?:(?:\+|00)[\s(]*\d[\d\s().\-/]{5,20}\d|\(?0[\d\s().\-/]{6,20}\d|\(?\d{2,5}\)?[\s.\-/]\d[\d\s.\-/]{4,18}\d)\s*"
DATE = r"\s*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}(?:[ T].*)?"
PERSON = r"\s*[^\p{Ll}\P{L}][\p{L}\p{M}'’.\-]*(?:\s+[\p{L}\p{M}'’.\-]+){0,4}\s*"
CODE = r"[\p{Lu}\d\s'.\-]+"  # upper-case codes (NGN, LA, VIP): not names
TWO_WORDS = r"\s*\S+\s+\S.*"  # a whole name, not one part of it
CALLING_CODE = r"\s*(?:\+|00)?\s*[1-9]\d{0,2}\s*"  # a country's calling code, as a column of them writes it
AREA_CODE = r"\s*\(?\d{1,5}\)?\s*"  # an area code, as a column of them writes it
EAST_ASIAN = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"  # kana, Han and Hangul: names written family name first


def _plain(text: str) -> str:
    """Text without accents (Й and ı too), in one case: how a header's words and the vocabulary are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("ı", "i")
# A person's name as written in a cell: up to five words of letters joined by spaces, hyphens or apostrophes.
PERSON_NAME = re.compile(r"[^\W\d_]+(?:(?:\.?\s|[-'’])[^\W\d_]+){0,4}\.?")


def fold(header: str) -> str:
    """Compare headers without case, accents, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", _plain(header))


_LOOKUP = {alias: (field, rank) for field, aliases in ALIASES.items() for rank, alias in enumerate(aliases)}
_TAG = {_plain(word): tag for tag, words in WORDS.items() for word in words}
_OTHER = frozenset(map(_plain, OTHER_WORDS))
_PHRASES = {(_plain(a), _plain(b)): meant for (a, b), meant in PHRASES.items()}
_KNOWN = frozenset(_TAG) | _OTHER
_BARE = frozenset(map(fold, BARE_NAMES))
_NUMBER = frozenset(map(_plain, NUMBER_WORDS))
_FAMILY_FIRST = frozenset(map(_plain, FAMILY_FIRST))
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MERGE_TAG = re.compile(r"^\s*(?:\*\||\{\{|\[\[?|%)\s*(.*?)\s*(?:\|\*|\}\}|\]\]?|%)\s*$")


def words(header: str) -> list[str]:
    """A header as the words it is made of: merge-tag marks, case, accents and punctuation
    gone, camelCase and letters-digits split, `#`/`No.`/`Nr` as `number`, "e-mail" and
    "e-post" one word, and a compound of two known words ("Handynummer") split in two."""
    text = _MERGE_TAG.sub(r"\1", header).replace("#", " number ").replace("№", " number ")
    tokens = re.findall(r"[^\W\d_]+|\d+", _plain(_CAMEL.sub(" ", text)))
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] == "e" and token.startswith(("mail", "post", "mel")):
            joined[-1] = "e" + token
        else:
            joined.append(token)
    split: list[str] = []
    for token in joined:
        split.extend("number" if part in _NUMBER else part for part in _compound(token))
    read: list[str] = []
    for token in split:
        if read and (read[-1], token) in _PHRASES:
            read[-1] = _PHRASES[(read[-1], token)]
        else:
            read.append(token)
    return read


def _compound(token: str) -> list[str]:
    """A word, or the two known words it is written as one of ("telefonnummer": telefon, nummer)."""
    if token in _KNOWN or len(token) < 5:
        return [token]
    for cut in range(2, len(token) - 1):
        if token[:cut] in _KNOWN and token[cut:] in _KNOWN:
            return [token[:cut], token[cut:]]
    return [token]


def meaning(header: str) -> tuple[str, int] | None:
    """The field a header names and its rank among that field's columns (lower is preferred), or None when it is silent.

    A spelling of layouts.py first; else the header's words: every one of them known
    (a word not known, or one that names something else, leaves the header silent).
    """
    folded = fold(header)
    hit = _LOOKUP.get(folded)
    if hit is not None:
        return hit
    tokens = words(header)
    if not tokens or any(t in _OTHER for t in tokens) or any(t not in _TAG for t in tokens) or folded in TITLE_HEADERS:
        return None  # a bare "Title" may be a job's: its values decide (see _title_as_prefix)
    tags = {_TAG[t] for t in tokens} - {"neutral"}
    if tags == {"person"}:  # "Kunde", "Cliente": the customer's name; "Customer No." is an id
        return None if "number" in tokens else ("name", WORD_RANK + 2)
    tags.discard("person")
    qualified = tags & {"secondary", "home", "work", "billing"}
    found = _field_of(tags, qualified)
    return None if found is None else (found[0], WORD_RANK + found[1])


_GROUPS = ({"email"}, {"phone", "mobile"}, {"given", "family", "middle", "prefix", "suffix", "full", "name"}, {"active", "status", "account"})


def _field_of(tags: set[str], qualified: set[str]) -> tuple[str, int] | None:
    """The field and rank a header's kinds of words point to; None when they point to two ("Last Active")."""
    if sum(1 for group in _GROUPS if tags & group) > 1:
        return None
    if "email" in tags:
        return "email", 1 if qualified else 0
    if tags & {"phone", "mobile"}:
        if not qualified and "address" not in tags:
            return "phone", 1 if "mobile" in tags else 0
        return "phone", 3 if qualified <= {"billing"} else 2
    if "full" in tags or {"given", "family"} <= tags:
        return "name", 0
    if "middle" in tags or ("secondary" in tags and tags & {"given", "name"}):
        return "middle_name", 0
    if "family" in tags and qualified == {"secondary"}:
        return "second_last_name", 0
    for tag, field_name in (("given", "first_name"), ("family", "last_name"), ("prefix", "prefix"), ("suffix", "suffix")):
        if tag in tags:
            return field_name, 1 if qualified else 0
    if "name" in tags and tags <= {"name", "billing"}:
        return "name", 1 if qualified else 0
    if "active" in tags and tags <= {"active", "account", "status"}:
        return "active", 0
    if "status" in tags and tags <= {"status", "account"}:
        return "active", 1
    return None


@dataclass(frozen=True)
class ColumnMap:
    """Which column feeds each field (phones: every recognised phone column, preferred first), and the header kept for the report."""

    header: list[str]
    fields: dict[str, int]
    phones: tuple[int, ...] = ()
    emails: tuple[int, ...] = ()  # every email column, main first: a row whose main address is blank takes the next
    unused: tuple[dict[str, str], ...] = ()  # columns holding data that feed no field: header and what the values look like
    blank_active: bool = True  # False when the active column holds only ticks, so a blank there is the no
    family_first: bool = False  # the name is written family name first (Japanese, Chinese, Korean, Hungarian)
    phone_country: int | None = None  # a column of the phones' country codes, put before a phone written without one
    phone_area: int | None = None  # a column of the phones' area codes, put before a phone written without one

    @property
    def columns(self) -> dict[str, str]:
        """Field -> header, as shown to the merchant and stored in summary.json (phone: the preferred column; the
        phones' country codes, when a column of them is joined, as `phone_country_code`)."""
        found = {field: self.header[i] for field, i in sorted(self.fields.items(), key=lambda kv: kv[1])}
        if self.phone_country is not None:
            found["phone_country_code"] = self.header[self.phone_country]
        if self.phone_area is not None:
            found["phone_area_code"] = self.header[self.phone_area]
        return found

    def described(self) -> str:
        """The mapping in one line, every phone and email column in the order they are tried."""
        parts = []
        for name, header in self.columns.items():
            tried = {"phone": self.phones, "email": self.emails}.get(name, ())
            if len(tried) > 1:
                parts.append(f"{name} <- " + ", then ".join(repr(self.header[i]) for i in tried))
            else:
                parts.append(f"{name} <- {header!r}")
        return ", ".join(parts)

    def described_unused(self) -> str | None:
        """The columns holding data that feed no field, in one line (None when there are none)."""
        if not self.unused:
            return None
        listed = ", ".join(f"{u['header']!r} ({u['looks_like']})" for u in self.unused)
        return f"columns with data that feed no field (not sent): {listed}; name one with --map FIELD=HEADER to use it"

    def original(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows' cells under the original header: cut or padded to its width."""
        width = len(self.header)
        if frame.shape[1] > width:
            frame = frame.iloc[:, :width]
        for column in range(frame.shape[1], width):
            frame[column] = ""
        return frame

    def field_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The fields the row check reads (an unmapped one blank): phone the first of its columns that
        holds a number, else the first filled in (a placeholder such as `N/A` in the main phone gives way
        to a mobile); email the first filled-in of its columns; a blank name built from its parts, in the
        order people write them."""
        import numpy as np
        import pandas as pd

        blank = pd.Series("", index=frame.index, dtype=frame.dtypes.iloc[0] if frame.shape[1] else "string[pyarrow]")

        def column(index: int) -> pd.Series:
            return frame[index] if index < frame.shape[1] else blank

        def first_filled(indexes: tuple[int, ...]) -> pd.Series:
            found = blank
            for index in reversed(indexes):
                cells = column(index)
                found = cells.where(cells.str.strip().ne(""), found)
            return found

        values = {field: column(index) for field, index in self.fields.items()}
        for field_name in MISSING_READ:
            if field_name in values:
                values[field_name] = values[field_name].mask(values[field_name].str.strip().isin(MISSING_VALUES), "")
        phone, numbered = blank, blank.eq("x")
        for index in reversed(self.phones):
            cells = column(index)
            number = cells.str.contains("[1-9]")
            phone = cells.where(number | (cells.str.strip().ne("") & ~numbered), phone)
            numbered |= number
        if self.phone_area is not None:
            phone = with_area_code(phone, column(self.phone_area))
        values["phone"] = phone if self.phone_country is None else with_country_code(phone, column(self.phone_country))
        values["email"] = first_filled(self.emails or ((self.fields["email"],) if "email" in self.fields else ()))
        if any(part in self.fields for part in ("prefix", "middle_name", "second_last_name", "suffix")):
            values["first_name"], values["last_name"] = self._name_halves(values, blank)
        if "first_name" in self.fields and "last_name" in self.fields:  # the row check joins the halves in the order given
            given, family = values["first_name"], values["last_name"]
            first = np.ones(len(family), dtype=bool) if self.family_first else (
                family.str.contains(EAST_ASIAN) & given.str.contains(EAST_ASIAN)
            ).to_numpy(dtype=bool, na_value=False)
            if first.any():
                values["first_name"], values["last_name"] = family.where(first, given), given.where(first, family)
        return pd.DataFrame({f: values.get(f, blank) for f in CHECKED}, index=frame.index)

    @staticmethod
    def _name_halves(values: dict[str, pd.Series], blank: pd.Series) -> tuple[pd.Series, pd.Series]:
        """The name's parts in the two halves the row check joins: prefix, given and middle names;
        family name and suffix. Blank parts are left out, and a prefix or suffix alone is no name."""
        def joined(parts: list[str]) -> pd.Series:
            out = blank
            for part in parts:
                cells = values.get(part, blank).str.strip()
                out = out.where(cells.eq(""), (out + " " + cells).str.strip())
            return out

        core = joined(["first_name", "middle_name", "last_name", "second_last_name"]).ne("")
        return joined(["prefix", "first_name", "middle_name"]).where(core, blank), joined(["last_name", "second_last_name", "suffix"]).where(core, blank)

    def fallback_notes(self, frame: pd.DataFrame) -> pd.Series | None:
        """For each row whose main email is blank and that took another email column, or whose name or active
        cell held a program's mark for a missing value (read as blank, see `field_frame`), a warning saying so;
        None when no row has one."""
        notes = [n for n in (self._missing_notes(frame), self._email_notes(frame)) if n is not None]
        if len(notes) < 2:
            return notes[0] if notes else None
        return notes[0].str.cat(notes[1], sep="; ").str.strip("; ")

    def _missing_notes(self, frame: pd.DataFrame) -> pd.Series | None:
        """A warning for each name or active cell read as blank because it held a program's mark for a missing value."""
        import pandas as pd

        found = None
        for field_name in MISSING_READ:
            index = self.fields.get(field_name)
            if index is None or index >= frame.shape[1] or not len(frame):
                continue
            cells = frame[index].str.strip()
            missing = cells.isin(MISSING_VALUES)
            if not bool(missing.any()):
                continue
            said = "active" if field_name == "active" else "name"
            note = pd.Series("", index=frame.index, dtype=cells.dtype)
            note[missing] = [f"{said}: {cell!r} in {self.header[index]!r} read as blank (how programs write a missing value)" for cell in cells[missing].tolist()]
            found = note if found is None else found.str.cat(note, sep="; ").str.strip("; ")
        return found

    def _email_notes(self, frame: pd.DataFrame) -> pd.Series | None:
        """For each row whose main email is blank and that took another email column, a warning saying so; None when no row did."""
        if len(self.emails) < 2 or not len(frame):
            return None
        filled = [frame[i].str.strip().ne("") if i < frame.shape[1] else None for i in self.emails]
        main = filled[0]
        if main is None or bool(main.all()):
            return None
        notes = frame[self.emails[0]].str.slice(0, 0)
        for index, cells in reversed(list(zip(self.emails[1:], filled[1:]))):
            if cells is not None:
                note = f"email: {self.header[self.emails[0]]!r} is blank; took {self.header[index]!r}"
                notes = notes.mask(cells, note)
        notes = notes.where(~main, "")
        return notes if bool(notes.ne("").any()) else None


def map_columns(header: list[str], overrides: Mapping[str, str | None] | None = None) -> ColumnMap:
    """Map a header row; `overrides` (`--map FIELD=HEADER`, None to leave a field out) win over recognition."""
    return _mapping(_original_width(header), _candidates(_original_width(header)), overrides or {})


def _candidates(header: list[str]) -> dict[str, list[int]]:
    """Every column each field could take, best first (see `meaning`)."""
    found: dict[str, list[tuple[int, int]]] = {}
    met: set[str] = set()
    for index, cell in enumerate(header):
        folded = fold(cell)
        hit = meaning(cell) if folded not in CONSENT_HEADERS else None
        if hit is not None:
            # A header met again (HubSpot's associated company after the contact) ranks after every first one.
            found.setdefault(hit[0], []).append((hit[1] + (2 * WORD_RANK if folded in met else 0), index))
        met.add(folded)
    return {field: [index for _, index in sorted(ranked)] for field, ranked in found.items()}


def _mapping(header: list[str], candidates: dict[str, list[int]], overrides: Mapping[str, str | None]) -> ColumnMap:
    fields = {field: indexes[0] for field, indexes in candidates.items() if indexes}
    _bare_name_as_part(header, fields, overrides)
    phones = list(candidates.get("phone", []))
    emails = list(candidates.get("email", []))
    for name, wanted in overrides.items():
        if wanted is None:
            fields.pop(name, None)
            if name == "phone":
                phones = []
            continue
        index = _find(header, wanted)
        fields = {f: i for f, i in fields.items() if i != index}
        phones = [i for i in phones if i != index]
        emails = [i for i in emails if i != index]
        fields[name] = index
        if name == "phone":
            phones = [index]
        if name == "email":
            emails = [index]
    return ColumnMap(header, fields, tuple(phones) if "phone" in fields else (), tuple(emails) if "email" in fields else ())


def _bare_name_as_part(header: list[str], fields: dict[str, int], overrides: Mapping[str, str | None]) -> None:
    """A bare name word beside a family-name column and no given one is the given name
    (Spanish "Nombre, Apellidos", Italian "Nome, Cognome"), and the reverse (German
    "Name, Vorname"): the whole name only when it stands alone or beside both."""
    name = fields.get("name")
    if name is None or "name" in overrides or fold(header[name]) not in _BARE:
        return
    has_first, has_last = "first_name" in fields, "last_name" in fields
    if has_last and not has_first and "first_name" not in overrides:
        fields["first_name"] = fields.pop("name")
    elif has_first and not has_last and "last_name" not in overrides:
        fields["last_name"] = fields.pop("name")


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
    headers = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(f"{tables[0].path}: no email column found (headers seen: {headers}); name it with --map email=HEADER")


def _read_parts(table: Table, overrides: Mapping[str, str | None], rows: int) -> list[tuple[Found | None, list[str] | None]]:
    """Each table of a sheet (or the CSV) with its header found, or None where none maps an email; with the first line seen."""

    structure = table.structure()
    results: list[tuple[Found | None, list[str] | None]] = []
    for part in _parts(table, structure, overrides):
        frames = part.frames(rows)
        first = _leading(frames, HEADER_SEARCH_ROWS + JUDGED_ROWS)
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
        column_map, judged = _judged_by_values(column_map, data, overrides)
        column_map, judged = _ticks_further_down(part, column_map, data, rows, judged)
        if "email" not in column_map.fields:  # neither a header nor the values name the addresses
            results.append((None, seen))
            continue
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


def _ticks_further_down(part: Table, column_map: ColumnMap, data: pd.DataFrame, rows: int, notes: list[str]) -> tuple[ColumnMap, list[str]]:
    """An active column blank in every judged row is judged on the rest of the file instead: when what it holds
    further down is only ticks, a blank there is the unticked box in every row, the first ones too, rather than
    a reading that changes past the rows judged. Only such a column costs this second read."""
    active = column_map.fields.get("active")
    if active is None or not column_map.blank_active or len(data) < JUDGED_ROWS:
        return column_map, notes
    judged = data.iloc[:JUDGED_ROWS]
    if active < judged.shape[1] and bool((judged[active].str.strip().ne("") & ~judged[active].str.strip().isin(MISSING_VALUES)).any()):
        return column_map, notes
    last, first = int(judged.index[-1]), None
    for frame in part.frames(rows):
        if active >= frame.shape[1]:
            continue
        cells = frame[active][frame.index > last].str.strip()
        filled = cells[cells.ne("") & ~cells.isin(MISSING_VALUES)]
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
        if blocks and _email_header(_head(block.set_axis(range(block.shape[1]), axis=1)), overrides) is None:
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
    first = _email_header(_head(block.iloc[: after_gap[0] if len(after_gap) else len(rows)]), overrides)
    current = _folded(block.iloc[first[0]].tolist()) if first is not None else None
    lines = block.iloc[after_gap]
    addresses = np.zeros(len(lines), dtype=bool)
    for column in lines.columns:
        addresses |= lines[column].str.contains("@", regex=False).to_numpy(dtype=bool, na_value=False)
    starts = [0]
    for position, cells in zip(after_gap[~addresses].tolist(), lines[~addresses].itertuples(index=False, name=None)):
        folded = _folded(list(cells))
        if folded == current or _email_header([(int(rows[position]), list(cells))], overrides) is None:
            continue
        if current is not None:  # a header under the title lines of the first table is that table's own
            starts.append(position)
        current = folded
    ends = [*starts[1:], len(rows)]
    return [(int(rows[a]), int(rows[b - 1])) for a, b in zip(starts, ends)]


def _email_header(head: list[tuple[int, list[str]]], overrides: Mapping[str, str | None]) -> tuple[int, ColumnMap, list[str]] | None:
    """The best header among `head` when it names an email column: what starts a table of customers."""
    choice = _best_header(head, overrides)
    return choice if choice is not None and "email" in choice[1].fields else None


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
    """Settle the mapping by the columns' first values: leave out a column whose values are not what
    its header says, find the addresses (and, for an empty field, the phones or names) a silent header
    holds, and list every column with data that feeds nothing. Each choice is a note.

    Judged on the first JUDGED_ROWS rows only, whatever the size of the chunk they came in,
    so that a dry run and an import of the same file always choose the same columns.
    """
    data = data.iloc[:JUDGED_ROWS]
    notes: list[str] = []
    fields = dict(column_map.fields)
    header = column_map.header
    phones, emails = list(column_map.phones), list(column_map.emails)

    def values(index: int) -> list[str]:
        cells = data[index].str.strip() if index < data.shape[1] else data.iloc[:0, 0]
        return [c for c in cells.tolist() if c]

    def flags(index: int) -> list[str]:
        """An active column's filled cells, a program's mark for a missing value left out as the blank it is read as."""
        return [c for c in values(index) if c not in MISSING_VALUES]

    user = fields.get("user")
    if user is not None and "user" not in overrides:
        filled = values(user)
        if filled and not all(OBJECT_ID.fullmatch(v) for v in filled):
            del fields["user"]
            notes.append(f"column {header[user]!r} left out: its values are not Salesive user ids (24 hexadecimal characters)")
    active = fields.get("active")
    if active is not None and "active" not in overrides:
        filled = flags(active)
        states = sorted({v for v in filled if fold(v) in NEWSLETTER_STATES})
        if _is_status(header[active]) and filled and 2 * sum(parse_active(v) is None for v in filled) >= len(filled):  # mostly other words: a state, not a flag
            del fields["active"]
            notes.append(f"column {header[active]!r} left out: its values ({filled[0]!r}, ...) are not an active/inactive flag")
        elif states:
            del fields["active"]
            notes.append(f"column {header[active]!r} left out: its values ({', '.join(map(repr, states[:3]))}) are newsletter states, which never decide whether a customer is active")
    blank_active = True
    if "active" in fields and (tick := ticks_only(flags(fields["active"]))) is not None:
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
    if "prefix" not in fields and "prefix" not in overrides:
        titles = [
            i for i, h in enumerate(header)
            if i not in fields.values() and any(_TAG.get(t) == "prefix" for t in words(h)) and (filled := values(i)) and all(fold(v) in HONORIFICS for v in filled)
        ]
        if titles and any(part in fields for part in ("first_name", "last_name")):
            fields["prefix"] = titles[0]
            notes.append(f"column {header[titles[0]]!r} holds titles such as Mr and Dr: read as the name's prefix")
    notes += _parts_read(header, fields)
    looks = _looks(data, len(header))
    freed = _names_not_phones(header, fields, phones, looks, overrides, data)
    notes += [f"column {header[i]!r} is headed as a phone but holds names: left out of the phone" for i in freed]
    notes += _found_by_values(header, fields, phones, emails, looks, overrides, data, freed)
    used = {*fields.values(), *phones, *emails}
    _half_a_name(header, fields, looks, used, overrides)
    country = _phone_parts(header, fields, looks, used, data, PHONE_COUNTRY_HEADERS, CALLING_CODE)
    if country is not None:
        used.add(country)
        notes.append(f"column {header[country]!r} holds the phones' country codes: a phone written without one is sent after it ('+234' and '0803 123 4567' as '+234 (0)803 123 4567')")
    area = _phone_parts(header, fields, looks, used, data, PHONE_AREA_HEADERS, AREA_CODE)
    if area is not None:
        used.add(area)
        notes.append(f"column {header[area]!r} holds the phones' area codes: a phone written without one is sent after it ('030' and '1234567' as '030 1234567')")
    notes += _also_fitting(header, fields, looks, used)
    unheaded = {i: kind for i, kind in _looks(data, data.shape[1]).items() if i >= len(header)}  # filled past the last header
    unused = tuple(
        {"header": (header[i] if i < len(header) else "") or f"(column {i + 1}, no header)", "looks_like": kind}
        for i, kind in (looks | unheaded).items() if i not in used
    )
    family_first = _family_first(header, fields)
    if family_first:
        notes.append(f"the name is sent family name first ({header[fields['last_name']]!r}, then {header[fields['first_name']]!r}), as its language writes names")
    mapped = ColumnMap(header, fields, tuple(phones) if "phone" in fields else (), tuple(emails) if "email" in fields else (), unused, blank_active, family_first, country, area)
    if (line := mapped.described_unused()) is not None:
        notes.append(line)
    return mapped, notes


def _is_status(header: str) -> bool:
    """Whether a header is a bare state ("Status", "Kundenstatus"): its values decide whether it is the active flag."""
    return fold(header) in STATUS_HEADERS or any(_TAG.get(t) == "status" for t in words(header))


def _parts_read(header: list[str], fields: dict[str, int]) -> list[str]:
    """Say where a bare name word was read as one part of the name (see `_bare_name_as_part`)."""
    notes = []
    for part, other, said in (("first_name", "last_name", "given"), ("last_name", "first_name", "family")):
        index = fields.get(part)
        if index is not None and fold(header[index]) in _BARE and other in fields:
            notes.append(f"column {header[index]!r} read as the {said} name, beside {header[fields[other]]!r}")
    return notes


def _looks(data: pd.DataFrame, width: int) -> dict[int, str]:
    """What each of the first `width` columns holding data looks like, by the share of its filled cells of
    each shape: addresses, phones, names (letters, starting with a capital or an uncased script), or other."""
    kinds: dict[int, str] = {}
    for index in range(min(data.shape[1], width)):
        cells = data[index].str.strip()
        cells = cells[cells.ne("")]
        count = len(cells)
        if not count:
            continue

        def share(pattern: str, cells: pd.Series = cells, count: int = count) -> float:
            return float(cells.str.fullmatch(pattern).fillna(False).sum()) / count

        if share(ADDRESS) >= 0.5:
            kinds[index] = "addresses"
        elif share(PHONE) >= 0.8 and share(DATE) < 0.5:
            kinds[index] = "phones"
        elif share(PERSON) >= 0.8 and share(CODE) < 0.5:
            kinds[index] = "names"
        else:
            kinds[index] = "other"
    return kinds


def _silent(header: str) -> bool:
    """Whether a header names nothing the tool knows (no word of a field or of the customer, only
    qualifiers such as "Work" or "Nr"): its values may then say what it is."""
    tokens = words(header)
    said = {_TAG.get(t) for t in tokens} & {tag for group in _GROUPS for tag in group} | ({"person"} & {_TAG.get(t) for t in tokens})
    return meaning(header) is None and not any(t in _OTHER for t in tokens) and not said


def _found_by_values(
    header: list[str], fields: dict[str, int], phones: list[int], emails: list[int], looks: dict[int, str], overrides: Mapping[str, str | None],
    data: pd.DataFrame, freed: list[int],
) -> list[str]:
    """Where the headers leave the email without addresses, or the phone or name empty for every
    row, the one column whose values are those feeds it, with a note; several stop the run. A column
    `freed` from a field its values belie counts as silent."""
    notes: list[str] = []
    if "email" not in overrides and not any(looks.get(i) == "addresses" for i in emails):
        holding = [i for i, kind in looks.items() if kind == "addresses"]
        if len(holding) > 1:
            raise InputError(
                "several columns hold email addresses and none is headed as the email: "
                + ", ".join(repr(header[i]) for i in holding) + "; choose one with --map email=HEADER"
            )
        if holding:
            index = holding[0]
            said = f" ({header[fields['email']]!r}, headed as the email, holds none)" if "email" in fields else ""
            _take(fields, phones, emails, "email", index)
            notes.append(f"column {header[index]!r} holds the email addresses: read as the email{said}")
    used = {*fields.values(), *phones, *emails}
    for field_name, kind in (("phone", "phones"), ("name", "names")):
        if field_name in overrides or any(looks.get(i) for i in _columns_of(field_name, fields, phones)):
            continue
        if field_name == "name" and any(looks.get(fields[p]) for p in NAME_PARTS if p in fields):
            continue
        holding = [i for i, k in looks.items() if k == kind and i not in used and (_silent(header[i]) or i in freed) and (field_name != "name" or _whole_names(data[i]))]
        if len(holding) > 1:
            raise InputError(
                f"no column is headed as the {field_name}, and several look like {kind}: "
                + ", ".join(repr(header[i]) for i in holding) + f"; choose one with --map {field_name}=HEADER (or --map {field_name}= for none)"
            )
        if holding:
            headed = _columns_of(field_name, fields, phones)
            named = headed if field_name == "phone" else [fields[p] for p in ("name", *NAME_PARTS) if p in fields]
            _take(fields, phones, emails, field_name, holding[0])
            if field_name == "phone":
                phones.extend(headed)  # empty in the rows read, perhaps not further on
            empty = "is empty" if len(named) == 1 else "are empty"
            said = f"{', '.join(repr(header[i]) for i in named)}, headed as the {field_name}, {empty} in the first rows" if named else f"no column is headed as the {field_name}"
            notes.append(f"column {header[holding[0]]!r} holds {kind} and {said}: read as the {field_name}")
    return notes


def _names_not_phones(
    header: list[str], fields: dict[str, int], phones: list[int], looks: dict[int, str], overrides: Mapping[str, str | None], data: pd.DataFrame
) -> list[int]:
    """Take out of the phone the columns headed as a phone whose values are people's whole names, all different
    (a placeholder such as "Not given" repeats): the values win, so no name is sent as a phone."""
    if "phone" in overrides:
        return []
    freed = []
    for index in list(phones):
        cells = data[index].str.strip() if index < data.shape[1] else None
        filled = cells[cells.ne("")] if cells is not None else None
        if looks.get(index) == "names" and filled is not None and _whole_names(filled) and 2 * filled.nunique() > len(filled):
            phones.remove(index)
            freed.append(index)
    if fields.get("phone") in freed:
        del fields["phone"]
        if phones:
            fields["phone"] = phones[0]
    return freed


def _half_a_name(header: list[str], fields: dict[str, int], looks: dict[int, str], used: set[int], overrides: Mapping[str, str | None]) -> None:
    """Stop when the name would be one half only (a family name without a given one, or the reverse) while
    columns feeding nothing hold names: the other half may be among them, and a name sent cut in half stays
    so. `--map` names the other half, or (`--map first_name=`) says there is none."""
    halves = [part for part in ("first_name", "last_name") if part in fields]
    if "name" in fields or len(halves) != 1:
        return
    missing = "last_name" if halves == ["first_name"] else "first_name"
    spare = [i for i, kind in looks.items() if kind == "names" and i not in used]
    if missing in overrides or not spare:
        return
    had, lacks = ("given", "family") if missing == "last_name" else ("family", "given")
    raise InputError(
        f"the name has a {had} name column ({header[fields[halves[0]]]!r}) and no {lacks} name, and "
        + ", ".join(repr(header[i] or f"column {i + 1}") for i in spare)
        + f" {'holds' if len(spare) == 1 else 'hold'} names feeding nothing: say which is the {lacks} name with --map {missing}=HEADER, "
        f"or send the {had} name alone with --map {missing}="
    )


def _family_first(header: list[str], fields: dict[str, int]) -> bool:
    """Whether every name of given and family parts is written family name first: its family column is headed in
    a language that writes names so (姓, 성, Vezetéknév). A name in Han, kana or Hangul script is written so under
    any header, given name too (see `ColumnMap.field_frame`)."""
    if "first_name" not in fields or "last_name" not in fields or "name" in fields:
        return False
    return any(word in _FAMILY_FIRST for word in words(header[fields["last_name"]]))


def with_country_code(phone: pd.Series, codes: pd.Series) -> pd.Series:
    """Each phone written without its country code (no `+` or `00`, six digits or more) after the row's code from
    the column of them: `+234` and `0803 123 4567` give `+234 (0)803 123 4567`, a trunk 0 kept as `(0)` as an
    international number writes it. Digits that begin with the code and are a valid number as they are, but not
    after it (`234 803 123 4567`), had the code already: they only get their `+`."""
    from ..check.phones import international

    number = phone.str.strip()
    code = codes.str.replace(r"\D", "", regex=True)
    candidates = (
        codes.str.fullmatch(CALLING_CODE) & number.str.count(r"\d").ge(6) & ~number.str.match(r"(?:\+|00)")
    ).to_numpy(dtype=bool, na_value=False)
    if not candidates.any():
        return phone
    rows = phone.index[candidates]
    joined = phone.copy()
    for row, cell, digits in zip(rows, number[rows].tolist(), code[rows].tolist()):
        written = "".join(c for c in cell if c.isdigit())
        if written.startswith(digits) and international(written) and not international(digits + written):
            joined[row] = "+" + cell  # the code is written already, without its +
        else:
            joined[row] = f"+{digits} " + (f"(0){cell[1:]}" if cell.startswith("0") else cell)
    return joined


def with_area_code(phone: pd.Series, codes: pd.Series) -> pd.Series:
    """Each phone written without its area code (no `+` or `00`, its digits not already beginning with the code,
    with or without a trunk 0) after the row's code from the column of them: `030` and `1234567` give `030 1234567`."""
    number = phone.str.strip()
    code = codes.str.strip().str.strip("()")
    digits = number.str.replace(r"\D", "", regex=True)
    bare = code.str.lstrip("0")
    candidates = (codes.str.fullmatch(AREA_CODE) & digits.str.len().ge(4) & ~number.str.match(r"(?:\+|00)")).to_numpy(dtype=bool, na_value=False)
    rows = [
        row for row, written, own in zip(phone.index[candidates], digits[candidates].tolist(), bare[candidates].tolist())
        if not written.lstrip("0").startswith(own)
    ]
    if not rows:
        return phone
    joined = phone.copy()
    joined[rows] = code[rows] + " " + number[rows]
    return joined


def _phone_parts(header: list[str], fields: dict[str, int], looks: dict[int, str], used: set[int], data: pd.DataFrame, headers: frozenset[str], pattern: str) -> int | None:
    """The column feeding nothing that holds a part of the phones (country or area codes): headed so (`Country Code`,
    `Ländervorwahl`, `Area Code`), most filled cells such a code (`+234`, `44`; `212`, `030`)."""
    if "phone" not in fields:
        return None
    for index in looks:
        if index in used or fold(header[index]) not in headers:
            continue
        cells = data[index].str.strip()
        filled = cells[cells.ne("")]
        if float(filled.str.fullmatch(pattern).fillna(False).sum()) >= 0.8 * len(filled):
            return index
    return None


def _whole_names(cells: pd.Series) -> bool:
    """Whether most filled cells hold two words or more: a whole name, not one part of it (or a city)."""
    filled = cells[cells.str.strip().ne("")]
    return bool(len(filled)) and float(filled.str.fullmatch(TWO_WORDS).fillna(False).sum()) >= len(filled) / 2


def _columns_of(field_name: str, fields: dict[str, int], phones: list[int]) -> list[int]:
    if field_name == "phone":
        return list(phones)
    return [fields[field_name]] if field_name in fields else []


def _take(fields: dict[str, int], phones: list[int], emails: list[int], field_name: str, index: int) -> None:
    """Make `index` the one column of a field, taking it from any other field."""
    for other in [f for f, i in fields.items() if i == index]:
        del fields[other]
    for listed, listed_field in ((phones, "phone"), (emails, "email")):
        if index in listed:
            listed.remove(index)
            if listed:  # the field's next column leads now
                fields[listed_field] = listed[0]
    fields[field_name] = index
    if field_name == "phone":
        phones[:] = [index]
    if field_name == "email":
        emails[:] = [index]


def _also_fitting(header: list[str], fields: dict[str, int], looks: dict[int, str], used: set[int]) -> list[str]:
    """Name the columns with data that fit a field as well as the one taken (they feed nothing)."""
    notes = []
    for field_name, indexes in _candidates(header).items():
        if field_name in ("phone", "email") or field_name not in fields:
            continue
        spare = [i for i in indexes if i not in used and i in looks]
        if spare:
            others = ", ".join(repr(header[i]) for i in spare)
            notes.append(f"{others} also fit {field_name}; {header[fields[field_name]]!r} was taken (choose with --map {field_name}=HEADER)")
    return notes


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
        if "email" not in column_map.fields and any("@" in c for c in cells):
            continue  # a row of addresses is data, not the header
        score = len(column_map.fields) + (WORD_RANK if "email" in column_map.fields else 0)
        if score > best_score or (best is None and any(c.strip() for c in cells)):
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
    return replace(column_map, fields={**fields, "first_name": name, "last_name": name + 1})


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
    emails = column_map.emails if "email" in overrides else tuple(i for i in column_map.emails if i not in hidden)
    for name, index in column_map.fields.items():
        if index not in hidden or name in overrides:
            continue
        taken = set(fields.values())
        others = [i for i in candidates.get(name, []) if i not in hidden and i not in taken]
        if name in ("phone", "email"):
            others = list(phones if name == "phone" else emails)
        if others:
            fields[name] = others[0]
            notes.append(f"column {header[index]!r} is hidden: {name} comes from the visible {header[others[0]]!r}")
        else:
            del fields[name]
            notes.append(f"column {header[index]!r} is hidden, so it feeds no {name} (--map {name}={header[index]!r} takes it all the same)")
    return replace(column_map, fields=fields, phones=phones if "phone" in fields else (), emails=emails if "email" in fields else ()), notes


def _find(header: list[str], wanted: str) -> int:
    if wanted in header:
        return header.index(wanted)
    folded = [fold(h) for h in header]
    if fold(wanted) in folded:
        return folded.index(fold(wanted))
    found = ", ".join(repr(h) for h in header if h.strip())
    raise UsageError(f"--map: no column {wanted!r} in the file (headers: {found})")


def _original_width(header: list[str]) -> list[str]:
    """Drop trailing unnamed columns and the columns an earlier report appended (`row`, `status`,
    `reason`, `sent_*`, each perhaps written `import_...`): the merchant's own columns stay."""
    folded = [_REPORT_PREFIX.sub("", fold(h)) for h in header]
    width = len(REPORT_TAIL)
    for i in range(len(folded) - width + 1):
        if tuple(folded[i : i + width]) == REPORT_TAIL:
            header = header[:i]
            break
    while header and not header[-1].strip():
        header = header[:-1]
    return list(header)
