"""The column map: which column feeds which customer field, from a header row and the merchant's overrides.

`map_columns` picks, per field, the best-ranked header (a spelling of `layouts.py`
before a header read by its words) and `--map FIELD=HEADER` overrides it; the
`ColumnMap` then builds each field's values from a table's columns, joining a
name in parts and a phone split into country, area and number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..read.cells import among, arrow_text, flags
from .owners import Guard, customer, guards, not_theirs
from .layouts import CONSENT_HEADERS, FALSE_WORDS, MISSING_VALUES, OFF_STATES, ON_STATES, TRUE_WORDS, WORDS
from .phone_parts import NUMBER_DIGIT, with_area_code, with_country_code
from .row_notes import Marked, email_notes, joined_notes, missing_notes, phone_notes
from .name_columns import joined_parts, name_columns, name_halves, numbered_people
from .words import _REPORT_PREFIX, CHECKED, _plain, EAST_ASIAN, FIELDS, MISSING_READ, REPORT_TAIL, WORD_RANK, fold, meaning

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


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
    # A field whose header is merged over several columns with nothing written under it (name, phone): those
    # columns, in order. A name is their cells joined as they show; a phone's are judged by values.merged_codes.
    merged: dict[str, tuple[int, ...]] = dataclasses.field(default_factory=dict)
    code_owners: dict[int, int] = dataclasses.field(default_factory=dict)  # a code column -> the one phone column it is for

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

    def fields_of(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
        """The fields the row check reads (an unmapped one blank): phone the first of its columns that
        holds a number, else the first filled in (a placeholder such as `N/A` in the main phone gives way
        to a mobile); email the first filled-in of its columns (a program's mark for a missing value, R's `NA`, is none); a blank name built from its parts, in the
        order people write them. Beside them, a warning for each row whose cells were read other than as they show
        (see row_notes.py), from what building the fields found; None when no row has one."""
        import numpy as np
        import pandas as pd
        import pyarrow.compute as pc

        blank = pd.Series("", index=frame.index, dtype=frame.dtypes.iloc[0] if frame.shape[1] else "string[pyarrow]")

        def column(index: int) -> pd.Series:
            return frame[index] if index < frame.shape[1] else blank

        def first_filled(indexes: tuple[int, ...]) -> pd.Series:
            found = blank
            for index in reversed(indexes):
                cells = column(index)
                kept = holding(cells)
                found = cells if kept.all() else cells.where(kept, found)
            return found

        values = {field: column(index) for field, index in self.fields.items()}
        if "name" in self.merged:
            values["name"] = joined_parts([column(i) for i in self.merged["name"]])
        marked: list[Marked] = []
        for field_name in MISSING_READ:
            if field_name in values:
                text = pc.utf8_trim_whitespace(arrow_text(values[field_name]))
                missing = among(text, MISSING_VALUES)
                if missing.any():
                    values[field_name] = values[field_name].mask(missing, "")
                own = self.fields[field_name]
                if field_name in self.merged:  # the warning names the merged header's own cell
                    text = pc.utf8_trim_whitespace(arrow_text(column(own)))
                    missing = among(text, MISSING_VALUES)
                if missing.any():
                    marked.append(Marked(field_name, own, text, missing))
        if "inactive" in values:
            values["active"] = switched_off(values.get("active", blank), values.pop("inactive"))
        phone, numbered, origin = blank, np.zeros(len(frame), dtype=bool), pd.Series(-1, index=frame.index)
        passed = self._phones_passed_over(frame)
        for index in reversed(self.phones):
            cells = column(index)
            if index in passed:  # another person's phone, or a fax, in these rows
                cells = cells.mask(np.isin(np.arange(len(cells)), list(passed[index])), "")
            text = arrow_text(cells)
            number = flags(pc.match_substring_regex(text, NUMBER_DIGIT))
            taken = number | (flags(pc.not_equal(pc.utf8_trim_whitespace(text), "")) & ~numbered)
            phone = cells if taken.all() else cells.where(taken, phone)
            if self.code_owners:
                origin = origin.mask(taken, index)
            numbered |= number
        if self.phone_area is not None:
            phone = with_area_code(phone, self._codes(column(self.phone_area), self.phone_area, origin))
        values["phone"] = phone if self.phone_country is None else with_country_code(phone, self._codes(column(self.phone_country), self.phone_country, origin))
        values["email"] = first_filled(self.emails or ((self.fields["email"],) if "email" in self.fields else ()))
        if any(part in self.fields for part in ("prefix", "title", "middle_name", "second_last_name", "suffix")):
            values["first_name"], values["last_name"] = name_halves(values, blank)
        if "first_name" in self.fields and "last_name" in self.fields:  # the row check joins the halves in the order given
            given, family = values["first_name"], values["last_name"]
            if self.family_first:
                first = np.ones(len(family), dtype=bool)
            else:  # only where both halves hold a letter past ASCII can both be East Asian
                first = ~(given.str.isascii() | family.str.isascii()).to_numpy(dtype=bool, na_value=True)
                if first.any():
                    first[first] = (family[first].str.contains(EAST_ASIAN) & given[first].str.contains(EAST_ASIAN)).to_numpy(dtype=bool, na_value=False)
            if first.any():
                values["first_name"], values["last_name"] = family.where(first, given), given.where(first, family)
        notes = joined_notes([*missing_notes(frame, self.header, marked), email_notes(frame, self.header, self.emails), phone_notes(frame, self.header, passed)])
        return pd.DataFrame({f: values.get(f, blank) for f in CHECKED}, index=frame.index), notes

    def _codes(self, codes: pd.Series, index: int, origin: pd.Series) -> pd.Series:
        """A column of codes as they apply to each row's phone: blank where the phone sent is not the one it is for."""
        owner = self.code_owners.get(index)
        return codes if owner is None else codes.where(origin.eq(owner).to_numpy(), "")

    @cached_property
    def guards(self) -> tuple[Guard, ...]:
        """The phone columns whose cell is not the customer's phone in every row (see owners.py)."""
        return guards(self.header, self.fields, self.phones)

    def _phones_passed_over(self, frame: pd.DataFrame) -> dict[int, dict[int, str]]:
        """For each guarded phone column, the rows (by position) whose cell is not the customer's phone, and why."""
        if not self.guards or not len(frame):
            return {}
        own = customer(frame, self.fields)
        return {guard.phone: rows for guard in self.guards if (rows := not_theirs(guard, frame, own))}


def holding(cells: pd.Series) -> np.ndarray:
    """Which cells hold a value: more than spaces, and no program's mark for a missing one (R's `NA`, `N/A`)."""
    import pyarrow.compute as pc

    text = pc.utf8_trim_whitespace(arrow_text(cells))
    return flags(pc.not_equal(text, "")) & ~among(text, MISSING_VALUES)


def switched_off(active: pd.Series, inactive: pd.Series) -> pd.Series:
    """The active cells as a column of the account's opposite state (`Blocked`, `Archived`, `IsDeleted`) leaves them:
    not active where it says yes or names an off state (`Blocked`, `Gesperrt`), as they were where it says no,
    nothing or an on state (`Active`, `Enabled`), and its own cell where it says neither, so that the row check
    sets the row aside rather than guess. Each distinct cell is judged once."""
    said = inactive.str.strip().str.casefold()
    verdicts = {cell: _switched(cell) for cell in said.unique().tolist()}
    off = said.isin([cell for cell, verdict in verdicts.items() if verdict is True]).to_numpy(dtype=bool, na_value=False)
    told = off | said.isin([cell for cell, verdict in verdicts.items() if verdict is False]).to_numpy(dtype=bool, na_value=False)
    return active.mask(off, "false").where(told, inactive)


OFF_HEADERS = frozenset(WORDS["inactive"])  # `Archived`, `Deleted` in a cell name the state too


def _switched(word: str) -> bool | None:
    """Whether a cell of a column of switched-off accounts says the account is off; None: it says neither."""
    if word in OFF_STATES or _plain(word) in OFF_HEADERS:
        return True
    if word == "" or word in ON_STATES:
        return False
    if word in TRUE_WORDS:
        return True
    return False if word in FALSE_WORDS else None


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
    others = numbered_people(header)
    return {field: [index for _, index in sorted(ranked) if index not in others] for field, ranked in found.items()}


def _mapping(header: list[str], candidates: dict[str, list[int]], overrides: Mapping[str, str | None]) -> ColumnMap:
    fields = {field: indexes[0] for field, indexes in candidates.items() if indexes}
    name_columns(header, fields, overrides)
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
    end = len(header)
    while end and not header[end - 1].strip():
        end -= 1
    return list(header[:end])
