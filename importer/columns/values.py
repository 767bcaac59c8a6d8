"""Columns judged by their values, not only their headers.

A `User ID` of another system's numbers is not a Salesive user, and a `Name`
column of order numbers is not a name; a column without a known header that holds
addresses, phones or names feeds that field, a name's parts are read (family name
first where the names say so), and a phone's country and area codes kept in
columns of their own are joined. Each such choice is said in a note, never silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..errors import InputError
from .column_map import ColumnMap, _candidates
from .name_columns import _bare
from .phone_parts import code_column, merged_codes
from .layouts import HONORIFICS, MISSING_VALUES, NEWSLETTER_STATES, OBJECT_ID, PHONE_AREA_HEADERS, PHONE_COUNTRY_HEADERS, STATUS_HEADERS
from .words import (
    _FAMILY_FIRST,
    _TAG,
    ADDRESS,
    AREA_CODE,
    CALLING_CODE,
    CODE,
    DATE,
    JUDGED_ROWS,
    NAME_PARTS,
    ORDER_NUMBER,
    PERSON,
    PHONE,
    TWO_WORDS,
    fold,
    parse_active,
    silent,
    someone_elses,
    ticks_only,
    words,
)

if TYPE_CHECKING:
    import pandas as pd


class OthersAddresses(InputError):
    """A table's only addresses are under a header that may name someone else's (a sales rep's): no list of customers unless said so."""

    def __init__(self, header: str) -> None:
        self.header = header
        super().__init__(f"no column is headed as the customers' email, and the addresses in {header!r} may be someone else's (a sales rep's, "
                         f"an account owner's): if they are the customers' own, choose that column with --map email={header!r}")


def _judged_by_values(
    column_map: ColumnMap, data: pd.DataFrame, overrides: Mapping[str, str | None], sheet: bool = True
) -> tuple[ColumnMap, list[str]]:
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
    if "inactive" in fields:
        notes.append(f"column {header[fields['inactive']]!r} says whose account is switched off: a yes there is sent as not active")
    elif not {"active", "inactive"} & (set(fields) | set(overrides)):
        _undecided_state(header, flags)
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
    titles = [
        i for i, h in enumerate(header)
        if i not in fields.values() and any(_TAG.get(t) == "prefix" for t in words(h)) and (filled := values(i)) and all(fold(v) in HONORIFICS for v in filled)
    ]
    for part in ("prefix", "title") if any(p in fields for p in ("first_name", "last_name")) else ():  # German Anrede, then Titel
        if titles and part not in fields and part not in overrides:
            fields[part] = titles.pop(0)
            notes.append(f"column {header[fields[part]]!r} holds titles such as Mr and Dr: read as {'the' if part == 'prefix' else 'a second'} prefix of the name")
    notes += _parts_read(header, fields)
    looks = _looks(data, 0, len(header))
    freed = _names_not_phones(header, fields, phones, looks, overrides, data)
    notes += [f"column {header[i]!r} is headed as a phone but holds names: left out of the phone" for i in freed]
    notes += _found_by_values(header, fields, phones, emails, looks, overrides, data, freed)
    country, area = merged_codes(column_map.merged.get("phone", ()), fields, phones, data)
    used = {*fields.values(), *phones, *emails, *column_map.merged.get("name", ())}
    _half_a_name(header, fields, looks, used, overrides)
    used.update(i for i in (country, area) if i is not None)
    codes, owners = {"country": country, "area": area}, {}
    for kind, headers, pattern, example in (
        ("country", PHONE_COUNTRY_HEADERS, CALLING_CODE, "('+234' and '0803 123 4567' as '+234 (0)803 123 4567')"),
        ("area", PHONE_AREA_HEADERS, AREA_CODE, "('030' and '1234567' as '030 1234567')"),
    ):
        if codes[kind] is None and (found := code_column(header, phones if "phone" in fields else [], looks, used, data, headers, pattern)):
            codes[kind], owner = found
            if owner is not None:
                owners[found[0]] = owner
        if (index := codes[kind]) is not None:
            used.add(index)
            whose = f"the {kind} codes of the phones in {header[owners[index]]!r}" if index in owners else f"the phones' {kind} codes"
            notes.append(f"column {header[index]!r} holds {whose}: a phone written without one is sent after it {example}")
    country, area = codes["country"], codes["area"]
    notes += _also_fitting(header, fields, looks, used)
    unheaded = _looks(data, len(header), data.shape[1]) if sheet else {}  # a sheet's columns past the last header (a CSV's cells there are a line split wrongly)
    unused = tuple(
        {"header": (header[i] if i < len(header) else "") or f"(column {i + 1}, no header)", "looks_like": kind}
        for i, kind in (looks | unheaded).items() if i not in used
    )
    family_first = _family_first(header, fields)
    if family_first:
        notes.append(f"the name is sent family name first ({header[fields['last_name']]!r}, then {header[fields['first_name']]!r}), as its language writes names")
    mapped = ColumnMap(header, fields, tuple(phones) if "phone" in fields else (), tuple(emails) if "email" in fields else (), unused, blank_active, family_first, country, area, column_map.merged, owners)
    if (line := mapped.described_unused()) is not None:
        notes.append(line)
    return mapped, notes


def _undecided_state(header: list[str], flags: Callable[[int], list[str]]) -> None:
    """Stop before sending (InputError) at a column of yes and no headed `Disabled` (`Disabled (Y/N)`), an account switched off or a
    person's disability (in a club's list): it decides who is created active, so the merchant says which."""
    for index, said in enumerate(header):
        if re.fullmatch(r"disabled(?:yn|yesno)?", fold(said)) and (filled := flags(index)) and all(parse_active(v) is not None for v in filled):
            raise InputError(
                f"column {said!r} holds yes and no, and may say whose account is switched off or something else (a disability): "
                f"--map inactive={said!r} creates a yes there not active; --map inactive= imports without it"
            )


def _is_status(header: str) -> bool:
    """Whether a header is a bare state ("Status", "Kundenstatus"): its values decide whether it is the active flag."""
    return fold(header) in STATUS_HEADERS or any(_TAG.get(t) == "status" for t in words(header))


def _parts_read(header: list[str], fields: dict[str, int]) -> list[str]:
    """Say where a bare name word was read as one part of the name (see `name_columns._bare_name_as_part`)."""
    notes = []
    for part, other, said in (("first_name", "last_name", "given"), ("last_name", "first_name", "family")):
        index = fields.get(part)
        if index is not None and _bare(header[index]) and other in fields:
            notes.append(f"column {header[index]!r} read as the {said} name, beside {header[fields[other]]!r}")
    return notes


def _looks(data: pd.DataFrame, first: int, stop: int) -> dict[int, str]:
    """What each column from `first` up to `stop` holding data looks like, by the share of its filled cells of each
    shape: addresses, phones, names (letters, starting with a capital or an uncased script), or other. Each shape is
    matched once over the filled cells of all those columns: lines far longer than their header cost no pass a column."""
    part = data.iloc[:, first : min(stop, data.shape[1])]
    if not part.shape[1] or not len(part):
        return {}
    cells = part.stack().str.strip()  # by (row, column)
    cells = cells[cells.ne("").to_numpy(dtype=bool, na_value=False)]
    columns = cells.index.get_level_values(-1)
    counts = cells.groupby(columns).size()

    def share(pattern: str) -> dict[int, float]:
        return (cells.str.fullmatch(pattern).fillna(False).astype(bool).groupby(columns).sum() / counts).to_dict()

    address, phone, date, person, code = (share(p) for p in (ADDRESS, PHONE, DATE, PERSON, CODE))
    kinds: dict[int, str] = {}
    for index in counts.index.tolist():
        if address[index] >= 0.5:
            kinds[index] = "addresses"
        elif phone[index] >= 0.8 and date[index] < 0.5:
            kinds[index] = "phones"
        elif person[index] >= 0.8 and code[index] < 0.5:
            kinds[index] = "names"
        else:
            kinds[index] = "other"
    return kinds


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
        if holding and someone_elses(header[holding[0]]):  # "Sales Rep Email", "Contact Owner Email"
            raise OthersAddresses(header[holding[0]])
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
        holding = [i for i, k in looks.items() if k == kind and i not in used and (silent(header[i]) or i in freed) and (field_name != "name" or _whole_names(data[i]))]
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
    any header, given name too (see `ColumnMap.fields_of`)."""
    if "first_name" not in fields or "last_name" not in fields or "name" in fields:
        return False
    return any(word in _FAMILY_FIRST for word in words(header[fields["last_name"]]))


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
