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
from .layouts import (
    ALIASES,
    BARE_NAMES,
    CONSENT_HEADERS,
    HONORIFICS,
    NEWSLETTER_STATES,
    NUMBER_WORDS,
    OTHER_WORDS,
    PHRASES,
    STATUS_HEADERS,
    TITLE_HEADERS,
    WORDS,
    parse_active,
    ticks_only,
)
from .sheet import Table

if TYPE_CHECKING:
    import pandas as pd

# The fields a column can feed (`--map FIELD=HEADER`), and those the row check reads:
# a name in parts reaches it already built (see ColumnMap.field_frame).
FIELDS = ("name", "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "phone", "active", "user")
CHECKED = ("name", "first_name", "last_name", "email", "phone", "active", "user")
# In the order people write them; a second family name (Spanish "Segundo apellido",
# Mexican "Apellido materno") follows the first.
NAME_PARTS = ("prefix", "first_name", "middle_name", "last_name", "second_last_name", "suffix")
WORD_RANK = 100_000  # a header read by its words ranks after every spelling of layouts.py
HEADER_SEARCH_ROWS = 20
JUDGED_ROWS = 1_000  # data rows a column's values are judged on (fewer than the smallest chunk holds)
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
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


def _plain(text: str) -> str:
    """Text without accents (Й and ı too), in one case: how a header's words and the vocabulary are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("ı", "i")


def fold(header: str) -> str:
    """Compare headers without case, accents, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", _plain(header))


_LOOKUP = {alias: (field, rank) for field, aliases in ALIASES.items() for rank, alias in enumerate(aliases)}
_TAG = {_plain(word): tag for tag, words in WORDS.items() for word in words}
_OTHER = frozenset(map(_plain, OTHER_WORDS))
_PHRASES = {(_plain(a), _plain(b)): meant for (a, b), meant in PHRASES.items()}
_KNOWN = frozenset(_TAG) | _OTHER
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
        split.extend("number" if part in NUMBER_WORDS else part for part in _compound(token))
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

    @property
    def columns(self) -> dict[str, str]:
        """Field -> header, as shown to the merchant and stored in summary.json (phone: the preferred column)."""
        return {field: self.header[i] for field, i in sorted(self.fields.items(), key=lambda kv: kv[1])}

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
        phone, numbered = blank, blank.eq("x")
        for index in reversed(self.phones):
            cells = column(index)
            number = cells.str.contains("[1-9]")
            phone = cells.where(number | (cells.str.strip().ne("") & ~numbered), phone)
            numbered |= number
        values["phone"] = phone
        values["email"] = first_filled(self.emails or ((self.fields["email"],) if "email" in self.fields else ()))
        if any(part in self.fields for part in ("prefix", "middle_name", "second_last_name", "suffix")):
            values["first_name"], values["last_name"] = self._name_halves(values, blank)
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
    if name is None or "name" in overrides or fold(header[name]) not in BARE_NAMES:
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
        has_addresses = "email" in column_map.fields and bool(data[column_map.fields["email"]].str.contains("@", regex=False).any()) if len(data) else False
        (found if has_addresses else without_addresses).append(candidate)
        if table.kind == "csv" and "email" in column_map.fields:  # the likeliest delimiter under which a header is found
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
    headed = [f for f in without_addresses if "email" in f.column_map.fields]
    if headed:
        return headed[0]
    if unreadable is not None:
        raise unreadable
    if first_seen is None:
        raise InputError(f"{tables[0].path}: the file has no rows")
    seen = ", ".join(repr(h) for h in first_seen if h.strip()) or "none"
    raise InputError(f"{tables[0].path}: no email column found (headers seen: {seen}); name it with --map email=HEADER")


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

    user = fields.get("user")
    if user is not None and "user" not in overrides:
        filled = values(user)
        if filled and not all(OBJECT_ID.fullmatch(v) for v in filled):
            del fields["user"]
            notes.append(f"column {header[user]!r} left out: its values are not Salesive user ids (24 hexadecimal characters)")
    active = fields.get("active")
    if active is not None and "active" not in overrides:
        filled = values(active)
        states = sorted({v for v in filled if fold(v) in NEWSLETTER_STATES})
        if _is_status(header[active]) and filled and 2 * sum(parse_active(v) is None for v in filled) >= len(filled):  # mostly other words: a state, not a flag
            del fields["active"]
            notes.append(f"column {header[active]!r} left out: its values ({filled[0]!r}, ...) are not an active/inactive flag")
        elif states:
            del fields["active"]
            notes.append(f"column {header[active]!r} left out: its values ({', '.join(map(repr, states[:3]))}) are newsletter states, which never decide whether a customer is active")
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
    if "prefix" not in fields and "prefix" not in overrides:
        titles = [
            i for i, h in enumerate(header)
            if i not in fields.values() and any(_TAG.get(t) == "prefix" for t in words(h)) and (filled := values(i)) and all(fold(v) in HONORIFICS for v in filled)
        ]
        if titles and any(part in fields for part in ("first_name", "last_name")):
            fields["prefix"] = titles[0]
            notes.append(f"column {header[titles[0]]!r} holds titles such as Mr and Dr: read as the name's prefix")
    notes += _parts_read(header, fields)
    looks = _looks(data, header)
    notes += _found_by_values(header, fields, phones, emails, looks, overrides, data)
    used = {*fields.values(), *phones, *emails}
    notes += _also_fitting(header, fields, looks, used)
    unused = tuple({"header": header[i] or f"(column {i + 1}, no header)", "looks_like": kind} for i, kind in looks.items() if i not in used)
    mapped = ColumnMap(header, fields, tuple(phones) if "phone" in fields else (), tuple(emails) if "email" in fields else (), unused, blank_active)
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
        if index is not None and fold(header[index]) in BARE_NAMES and other in fields:
            notes.append(f"column {header[index]!r} read as the {said} name, beside {header[fields[other]]!r}")
    return notes


def _looks(data: pd.DataFrame, header: list[str]) -> dict[int, str]:
    """What each column holding data looks like, by the share of its filled cells of each shape:
    addresses, phones, names (letters, starting with a capital or an uncased script), or other."""
    kinds: dict[int, str] = {}
    for index in range(min(data.shape[1], len(header))):
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
    data: pd.DataFrame,
) -> list[str]:
    """Where the headers leave the email without addresses, or the phone or name empty for every
    row, the one column whose values are those feeds it, with a note; several stop the run."""
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
        holding = [i for i, k in looks.items() if k == kind and i not in used and _silent(header[i]) and (field_name != "name" or _whole_names(data[i]))]
        if len(holding) > 1:
            raise InputError(
                f"no column is headed as the {field_name}, and several look like {kind}: "
                + ", ".join(repr(header[i]) for i in holding) + f"; choose one with --map {field_name}=HEADER (or --map {field_name}= for none)"
            )
        if holding:
            headed = _columns_of(field_name, fields, phones)
            _take(fields, phones, emails, field_name, holding[0])
            if field_name == "phone":
                phones.extend(headed)  # empty in the rows read, perhaps not further on
            said = f"{', '.join(repr(header[i]) for i in headed)}, headed as the {field_name}, is empty in the first rows" if headed else f"no column is headed as the {field_name}"
            notes.append(f"column {header[holding[0]]!r} holds {kind} and {said}: read as the {field_name}")
    return notes


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


def _best_header(head: list[tuple[int, list[str]]], overrides: Mapping[str, str | None] | None) -> tuple[int, ColumnMap] | None:
    best: tuple[int, ColumnMap] | None = None
    best_score = 0
    for position, (_, cells) in enumerate(head):
        try:
            column_map = map_columns(cells, overrides)
        except UsageError:
            continue  # an override naming a header this row lacks: not the header row
        if "email" not in column_map.fields and any("@" in c for c in cells):
            continue  # a row of addresses is data, not the header
        score = len(column_map.fields) + (WORD_RANK if "email" in column_map.fields else 0)
        if score > best_score or (best is None and any(c.strip() for c in cells)):
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
