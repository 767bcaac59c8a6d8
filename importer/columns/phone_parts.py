"""A phone as a row's columns give it, and the rules that say what a phone cell holds.

A merchant may keep a phone's country or area code in a column of its own (`code_column`), or
under one `Phone` header merged over the code and the number (`merged_codes`): `with_country_code`
and `with_area_code` put it before each number written without it. The rules below are read
by the column map, which prefers the phone column holding a number, by the column-wise screen
and by the row check, so the three cannot disagree on what a cell holds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from .words import _TAG, AREA_CODE, CALLING_CODE, fold, words

if TYPE_CHECKING:
    import pandas as pd


# A digit besides 0: a phone cell without one holds no number but a placeholder (`N/A`, `-`, `TBC`, `0`).
NUMBER_DIGIT = "[1-9]"
_NUMBER_DIGIT = re.compile(NUMBER_DIGIT)
# A cell that reads as a decimal number, as a program writes a number it held as a float: its
# whole part, and its fraction after one `.` or `,`. The row check reads it with Python's engine,
# the screen with Arrow's, and only on cells of ASCII digits (see _PLAIN_PHONE in check/phones.py),
# where the two read `\d` alike.
DECIMAL = r"([^.,]*\d)[.,](\d+)"
_DECIMAL = re.compile(DECIMAL)
_NUMBER = r"\D*(?:\d\D*){6,}"  # a phone number, as against a code: six digits or more
_INTERNATIONAL_CODE = r"\s*(?:\+|00)\s*[1-9]\d{0,2}\s*"  # a country's calling code, written so that it cannot be an area code
# The whole part of a number with a fraction that was never a phone (`12.5`, `+3,25`): digits alone.
_WHOLE_PART = re.compile(r"\+?\d+")
# The digits a fraction has at most in a number that was never a phone: a price or a measure.
_FRACTION_DIGITS = 2


def holds_number(text: str) -> bool:
    """Whether `text` has a digit besides 0 (see NUMBER_DIGIT), in whatever script it is written."""
    if not text.isascii():
        text = "".join(str(unicodedata.digit(c, 0)) if c.isdecimal() else c for c in text)
    return _NUMBER_DIGIT.search(text) is not None


def decimal_reading(cell: str) -> tuple[str, bool] | None:
    """What a cell that reads as a decimal number (see DECIMAL) holds: the whole part of a whole number written
    with a decimal point (`447700900123.0`), or "" for a number with a fraction, never a phone (`12.5`); and
    whether it was the whole number. None for a cell that is neither."""
    found = _DECIMAL.fullmatch(cell)
    if found is None:
        return None
    whole, fraction = found.groups()
    if not fraction.strip("0"):
        return whole, True
    if len(fraction) <= _FRACTION_DIGITS and _WHOLE_PART.fullmatch(whole):
        return "", False
    return None


def international(digits: str) -> str | None:
    """The number `digits` are as an international number that lost its `+` (`447700900123`), when that is a valid one."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if phonenumbers.is_valid_number(parsed) else None


def with_country_code(phone: pd.Series, codes: pd.Series) -> pd.Series:
    """Each phone written without its country code (no `+` or `00`, six digits or more) after the row's code from
    the column of them: `+234` and `0803 123 4567` give `+234 (0)803 123 4567`, a trunk 0 kept as `(0)` as an
    international number writes it. Another trunk prefix is left out (Russia's 8, North America's 1, Hungary's 06),
    and where a leading 0 is part of the number it stays (Italy: `+39 06 1234 5678`). Digits that begin with the
    code and are a valid number as they are, but not after it (`234 803 123 4567`), had the code already: they
    only get their `+`."""
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
            trunk = _trunk(digits)
            if trunk == "0" and cell.startswith("0"):
                joined[row] = f"+{digits} (0){cell[1:]}"
            else:
                joined[row] = f"+{digits} " + (cell[len(trunk) :].lstrip(" -") if trunk and cell.startswith(trunk) else cell)
    return joined


@cache
def _trunk(code: str) -> str | None:
    """The prefix a number of calling code `code` is dialled with at home (`0`; Russia's `8`), None where a leading 0
    is part of the number (Italy); `0` for a code of no country (`800`), as before."""
    import phonenumbers

    regions = phonenumbers.region_codes_for_country_code(int(code))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(regions[0]) if regions else None
    return metadata.national_prefix if metadata is not None else "0"


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


def code_column(header: list[str], phones: list[int], looks: dict[int, str], used: set[int], data: pd.DataFrame, headers: frozenset[str], pattern: str) -> tuple[int, int | None] | None:
    """The column feeding nothing that holds a part of the phones (country or area codes): headed so (`Country Code`,
    `Ländervorwahl`, `Area Code`), most filled cells such a code (`+234`, `44`; `212`, `030`); with the phone
    column it belongs to when its header names one (`Mobile Country Code`, `Work Area Code`: None for every
    phone). A code of a column that is not sent (`Fax Country Code`) is none of the phones'."""
    if not phones:
        return None
    for index in looks:
        if index in used:
            continue
        owner = _code_owner(header, phones, index, headers)
        if owner is not False and mostly(data[index], pattern):
            return index, owner
    return None


def _code_owner(header: list[str], phones: list[int], index: int, headers: frozenset[str]) -> int | None | bool:
    """Whose codes a column's header says it holds: a phone column's (its words beside the code's name, `Mobile
    Country Code`, `Country Code (Work)`, naming that column's kind; the one phone column when no column is of that
    kind), every phone's (None), or no phone's or no code's (False: `Fax Country Code`)."""
    tokens = words(header[index])
    for cut in range(1, len(tokens)):
        for code, named in (("".join(tokens[cut:]), tokens[:cut]), ("".join(tokens[:cut]), tokens[cut:])):
            if code not in headers:
                continue
            kinds = {_TAG.get(t) or t for t in named} - {"phone"}
            if not kinds:
                return None
            owner = next((i for i in phones if kinds & {_TAG.get(t) or t for t in words(header[i])}), None)
            if owner is not None:
                return owner
            return phones[0] if len(phones) == 1 and kinds <= _PHONE_KINDS else False
    return None if fold(header[index]) in headers else False


_PHONE_KINDS = frozenset({"mobile", "work", "home"})  # the kinds of phone a code column may name (a fax is none)


def merged_codes(span: tuple[int, ...], fields: dict[str, int], phones: list[int], data: pd.DataFrame) -> tuple[int | None, int | None]:
    """Under a phone header merged over several columns (`span`, see `ColumnMap.merged`): the phone is the first
    column that holds numbers, and the one or two columns before it its codes, as their values show them: a code
    written with `+` or `00` is a country's, a shorter run of digits an area's (`44` is sent as written, never given
    a `+`). Columns after the number (an extension) feed nothing, and are listed so. Returns the codes' columns."""
    if not span or "phone" not in fields:
        return None, None
    numbers = [i for i in span if data[i].str.strip().ne("").any() and mostly(data[i], _NUMBER)]
    number = numbers[0] if numbers else span[0]
    fields["phone"] = phones[0] = number
    codes = list(span[: span.index(number)][-2:])
    country = codes.pop(0) if codes and mostly(data[codes[0]], _INTERNATIONAL_CODE) else None
    area = codes[-1] if codes and mostly(data[codes[-1]], AREA_CODE) else None
    return country, area


def mostly(cells: pd.Series, pattern: str) -> bool:
    """Whether four in five of the filled `cells` or more fit `pattern` (so does a column with none filled)."""
    filled = cells.str.strip()
    filled = filled[filled.ne("")]
    return float(filled.str.fullmatch(pattern).fillna(False).sum()) >= 0.8 * len(filled)

