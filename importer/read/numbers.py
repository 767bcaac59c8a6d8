"""A number as the text Excel shows under its number format, every digit exact.

A merchant reads a workbook through its number formats: `8031234567` under
`00000000000` is the phone `08031234567`, `447700900123` under `+0` is
`+447700900123`. calamine, pandas' Excel engine, returns the bare number, so the
reader renders each cell whose format changes how a number reads (see styles.py)
with `shown`, as Excel does but with every digit exact: no exponent, no trailing
`.0`, no digit lost to a narrow column.

The format code is read into its sections in number_formats.py; here a number is
shown through the section picked. Dates are not rendered here: calamine already returns datetimes for cells under a
date or time format, and `shown` answers None for such a format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from numbers import Integral
from typing import TYPE_CHECKING, Any

from .number_formats import GENERAL, Section, format_layout

if TYPE_CHECKING:
    from .cell_formats import CellFormats

_WIDE = Context(prec=1000)  # room for every digit of any double, scaled and rounded
_PAD = {"0": "0", "#": "", "?": " "}  # what a digit placeholder shows where the number has no digit


def shown(value: float | int, code: str) -> str | None:
    """The text Excel displays for the number `value` under the number format `code`.

    Digits are exact: a whole number shows all its digits, never an exponent or `.0`,
    even past the 15 significant digits after which Excel would show zeros (the file
    holds them). A fraction is read to Excel's 15 significant digits, so 0.1 + 0.2 is
    0.3, and rounded half away from zero. Formats that cannot be rendered digit for
    digit (fractions, scientific notation) give the General rendering instead. None
    for a date or time format (the caller keeps calamine's datetime) and for a value
    that is not a finite number. A boolean reads TRUE or FALSE whatever the format.

    Sections follow Excel: one section shows a negative number with a minus in front,
    a negative section shows only the signs it writes. With conditions (`[<=9999999]`)
    the first section whose condition holds is taken, otherwise the section after
    them; a minus goes in front of a negative number unless the section's condition
    admits only negatives.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    number = _exact(value)
    if code == GENERAL:
        return None if number is None else _general(number)
    if type(number) is int and number > 0 and (framed := framed_digits(code)) is not None:
        return framed(number)
    layout = format_layout(code or GENERAL)
    if number is None or layout is None:
        return None
    section, minus = layout.pick(number)
    if section is None or not section.exact:
        return _general(number)
    text = _render(section, abs(number))
    return "-" + text if minus else text


@lru_cache(maxsize=512)
def framed_digits(code: str) -> Callable[[int], str] | None:
    """How a positive whole number shows under `code` when that is its digits, padded to the placeholders and
    framed by literal text (`+0`, `00000000000`, `"Tel. "0`): the same text as the placeholder walk of `_render`,
    made in one expression, since a column of phones is often a whole column under one such format. None for
    any other format: conditions, several digit groups, a decimal point, grouping or scaling."""
    layout = format_layout(code)
    if layout is None:
        return None
    section = layout.sections[0]
    kinds = "".join("i" if kind == "int" else "l" if kind == "lit" else "x" for kind, _ in section.tokens)
    if any(s.condition for s in layout.sections[:2]) or not section.exact or section.scale or section.grouping or re.fullmatch("l*i+l*", kinds) is None:
        return None
    before = "".join(value for _, value in section.tokens[: kinds.index("i")])
    after = "".join(value for _, value in section.tokens[kinds.rindex("i") + 1 :])
    places = section.int_places
    pads = ["".join(_PAD[place] for place in places[:spare]) for spare in range(len(places))]  # placeholders a shorter number leaves empty

    def framed(number: int) -> str:
        digits = str(number)
        spare = len(places) - len(digits)
        return before + (pads[spare] if spare > 0 else "") + digits + after

    return framed


def _exact(value: float | int) -> int | float | None:
    """The value as Python holds it exactly: an int when it is a whole number (numpy scalars too)."""
    if type(value) is int or isinstance(value, Integral):
        return int(value)
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _excel_decimal(number: float) -> Decimal:
    """A fractional double as Excel reads it: its 15 significant digits (0.1 + 0.2 is 0.3)."""
    return Decimal(format(number, ".15g"))


def _general(number: int | float) -> str:
    """Excel's General format with every digit: 1e-05 reads 0.00001, 2348012345678 stays whole."""
    if isinstance(number, int):
        return str(number)
    return format(_excel_decimal(number), "f")


def _render(section: Section, magnitude: int | float) -> str:
    """The section's text for a non-negative number."""
    int_places, frac_places = section.int_places, section.frac_places
    whole, fraction = _digits(magnitude, section.scale, len(frac_places))
    whole_parts = _fill_whole(int_places, whole)
    ints = iter(_group(whole_parts) if section.grouping else whole_parts)
    fracs = iter(_fill_fraction(frac_places, fraction))
    out: list[str] = []
    for kind, value in section.tokens:
        if kind == "lit":
            out.append(value)
        elif kind == "int":
            out.append(next(ints))
        elif kind == "frac":
            out.append(next(fracs))
        elif kind == "point":
            out.append("." if int_places else whole + ".")  # `.00` still shows the whole part
        else:
            out.append(_general(magnitude))
    return "".join(out)


def _digits(magnitude: int | float, scale: int, decimals: int) -> tuple[str, str]:
    """The whole and fraction digits of the scaled magnitude, rounded half away from zero
    to `decimals` places as Excel does; no whole digits when the whole part is 0."""
    if isinstance(magnitude, int) and scale == 0 and decimals == 0:
        whole, fraction = str(magnitude), ""
    else:
        number = Decimal(magnitude) if isinstance(magnitude, int) else _excel_decimal(magnitude)
        rounded = number.scaleb(scale, _WIDE).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, _WIDE)
        whole, _, fraction = format(rounded, "f").partition(".")
    return ("" if whole == "0" else whole), fraction


def _fill_whole(places: str, digits: str) -> list[str]:
    """What each integer placeholder shows, digits aligned right; the first takes any extra digits."""
    spare = len(digits) - len(places)
    shown_places: list[str] = []
    for k, place in enumerate(places):
        i = k + spare
        if i < 0:
            shown_places.append(_PAD[place])
        else:
            shown_places.append(digits[: i + 1] if k == 0 else digits[i])
    return shown_places


def _group(parts: list[str]) -> list[str]:
    """Thousands separators between the digits the placeholders show, counted from the right."""
    seen = 0
    grouped: list[str] = []
    for part in reversed(parts):
        chars: list[str] = []
        for char in reversed(part):
            if char.isdigit():
                if seen and seen % 3 == 0:
                    chars.append(",")
                seen += 1
            chars.append(char)
        grouped.append("".join(reversed(chars)))
    return grouped[::-1]


def _fill_fraction(places: str, digits: str) -> list[str]:
    """What each fraction placeholder shows; trailing zeros vanish under `#` and become spaces under `?`."""
    shown_places = list(digits)
    for i in range(len(places) - 1, -1, -1):
        if shown_places[i] != "0" or places[i] == "0":
            break
        shown_places[i] = _PAD[places[i]]
    return shown_places


def column_text(values: list[Any], column: int, formats: CellFormats) -> list[str | None]:
    """A sheet's column as text (`cell_text` of each cell), in place. A whole number above zero under a format that
    frames its digits (`+0`, `00000000000`), or under none, is written straight: a column of phones, postcodes or
    ids is often a whole column of them. The column's formats are taken run by run as its rows go down."""
    runs = formats.runs(column)
    at, count = 0, len(runs)
    for row, value in enumerate(values):
        if type(value) is str:
            continue
        while at < count and runs[at][1] < row:
            at += 1
        code = runs[at][2] if at < count and runs[at][0] <= row else None
        if type(value) is int and value > 0:
            if code is None:
                values[row] = str(value)
                continue
            framed = framed_digits(code)
            if framed is not None:
                values[row] = framed(value)
                continue
        values[row] = cell_text(value, code)
    return values


def cell_text(value: Any, number_format: str | None) -> str | None:
    """A workbook cell as the text a person sees: numbers under their number format, digits exact; dates ISO 8601;
    None for a number that is none (not finite)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = shown(value, number_format or "General")
        return text if text is not None else shown(value, "General")
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)
