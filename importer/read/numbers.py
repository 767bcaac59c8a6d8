"""A number as the text Excel shows under its number format, every digit exact.

A merchant reads a workbook through its number formats: `8031234567` under
`00000000000` is the phone `08031234567`, `447700900123` under `+0` is
`+447700900123`. calamine, pandas' Excel engine, returns the bare number, so the
reader renders each cell whose format changes how a number reads (see styles.py)
with `shown`, as Excel does but with every digit exact: no exponent, no trailing
`.0`, no digit lost to a narrow column.

Dates are not rendered here: calamine already returns datetimes for cells under a
date or time format, and `shown` answers None for such a format.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from numbers import Integral

GENERAL = "General"

_WIDE = Context(prec=1000)  # room for every digit of any double, scaled and rounded
_PAD = {"0": "0", "#": "", "?": " "}  # what a digit placeholder shows where the number has no digit
_CONDITION = re.compile(r"(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")
_DIGIT = "0#?"
_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq, "<>": operator.ne}

Token = tuple[str, str]
"""A piece of a format section: ("lit", text), ("int" | "frac", placeholder), ("point", "."), ("general", "")."""


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
    layout = _layout(code or GENERAL)
    if number is None or layout is None:
        return None
    section, minus = layout.pick(number)
    if section is None or not section.exact:
        return _general(number)
    text = _render(section, abs(number))
    return "-" + text if minus else text


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


@dataclass(frozen=True)
class _Condition:
    """A section's `[<=9999999]`-style test on the value."""

    op: str
    limit: float

    def holds(self, number: int | float) -> bool:
        return _COMPARISONS[self.op](number, self.limit)

    def for_negatives(self) -> bool:
        """Whether only negative numbers (and zero) can meet it: such a section writes its own sign."""
        return self.op in ("<", "<=") and self.limit <= 0 or self.op == "=" and self.limit < 0


@dataclass(frozen=True)
class _Section:
    """One `;`-separated section of a format code, ready to render a number's magnitude."""

    tokens: tuple[Token, ...]
    condition: _Condition | None = None
    grouping: bool = False  # a `,` between integer placeholders: thousands separators
    scale: int = 0  # the number is shown times 10**scale (+2 per `%`, -3 per trailing `,`)
    exact: bool = True  # False for fractions and scientific notation, shown as General instead
    text: bool = False  # holds `@`: the section for text cells
    int_places: str = ""  # the integer part's placeholders, in order
    frac_places: str = ""  # the fraction's placeholders, in order


@dataclass(frozen=True)
class _Layout:
    """A whole format code: its number sections and the rule that picks one for a value."""

    sections: tuple[_Section, ...]

    def pick(self, number: int | float) -> tuple[_Section | None, bool]:
        """The section that shows `number`, and whether a minus sign goes in front of it."""
        first, *rest = self.sections
        if first.condition or (rest and rest[0].condition):
            return self._pick_by_condition(number)
        if number < 0 and rest:
            return rest[0], False  # a negative section shows only the signs it writes itself
        if number == 0 and len(rest) > 1:
            return rest[1], False
        return first, number < 0

    def _pick_by_condition(self, number: int | float) -> tuple[_Section | None, bool]:
        for section in self.sections[:2]:
            if section.condition and section.condition.holds(number):
                return section, number < 0 and not section.condition.for_negatives()
        both = all(s.condition for s in self.sections[:2]) and len(self.sections) > 1
        fallback = 2 if both else 1
        if fallback >= len(self.sections):
            return None, False
        return self.sections[fallback], number < 0


@lru_cache(maxsize=512)
def _layout(code: str) -> _Layout | None:
    """The parsed format code, or None for a date or time format."""
    from openpyxl.styles.numbers import is_date_format  # openpyxl loads only when a workbook is read

    if is_date_format(code):
        return None
    sections = [_section(text) for text in _split_sections(code)[:4]]
    if len(sections) == 4 or (len(sections) > 1 and sections[-1].text):
        sections = sections[:-1]  # the text section
    elif len(sections) == 1 and sections[0].text:
        sections = [_section(GENERAL)]  # a text format (`@`) shows a number as General
    return _Layout(tuple(sections))


def _split_sections(code: str) -> list[str]:
    """The code cut at each `;` that is not quoted, escaped or inside brackets."""
    sections: list[str] = []
    start, i, quoted = 0, 0, False
    while i < len(code):
        char = code[i]
        if char == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif char in "\\_*":
            i += 1
        elif char == "[":
            end = code.find("]", i)
            i = len(code) if end < 0 else end
        elif char == ";":
            sections.append(code[start:i])
            start = i + 1
        i += 1
    sections.append(code[start:])
    return sections


def _lex(text: str) -> tuple[list[Token], _Condition | None]:
    """A section as raw tokens (kind, text), and its condition if it has one.

    Kinds: "lit" (shown as is), "digit" (`0`, `#`, `?`), ".", ",", "%", "@",
    "general", "exp" (scientific notation) and "/" (a fraction or a literal slash).
    """
    tokens: list[Token] = []
    condition = None
    i = 0
    while i < len(text):
        char, step = text[i], 1
        if char in '"[':
            close = text.find('"' if char == '"' else "]", i + 1)
            close = len(text) if close < 0 else close
            inner, step = text[i + 1 : close], close + 1 - i
            if char == '"':
                tokens.append(("lit", inner))
            elif inner.startswith("$"):
                tokens.append(("lit", inner[1:].split("-")[0]))  # [$€-407]: the currency symbol shows
            elif match := _CONDITION.fullmatch(inner):
                condition = _Condition(match[1], float(match[2]))
            # other brackets (colours, locales, numeral systems) change no digit
        elif char in "\\_*":
            step = 2
            if char != "*":  # `*x` fills the column with x: nothing to show in a value
                tokens.append(("lit", text[i + 1 : i + 2] if char == "\\" else " "))  # `_x`: x's width, a space
        elif text[i : i + 7].lower() == "general":
            tokens.append(("general", ""))
            step = 7
        elif char in "Ee" and text[i + 1 : i + 2] in ("+", "-"):
            tokens.append(("exp", char))
            step = 2
        elif char in _DIGIT:
            tokens.append(("digit", char))
        elif char in ".,%@/":
            tokens.append((char, char))
        else:
            tokens.append(("lit", char))
        i += step
    return tokens, condition


def _section(text: str) -> _Section:
    """Classify a section's tokens: integer or fraction placeholder, separator or scaling comma, literal."""
    raw, condition = _lex(text)
    kinds = [kind for kind, _ in raw]
    if "exp" in kinds or _is_fraction(raw):
        return _Section((), condition, exact=False, text="@" in kinds)
    point = kinds.index(".") if "." in kinds else len(raw)
    tokens: list[Token] = []
    grouping, scale = False, 0
    for i, (kind, value) in enumerate(raw):
        if kind == "digit":
            tokens.append(("int" if i < point else "frac", value))
        elif kind == ".":
            tokens.append(("point", ".") if i == point else ("lit", "."))
        elif kind == "%":
            tokens.append(("lit", "%"))
            scale += 2
        elif kind == ",":
            role = _comma_role(kinds, i, point)
            grouping = grouping or role == "group"
            scale -= 3 if role == "scale" else 0
            if role == "lit":
                tokens.append(("lit", ","))
        elif kind in ("@", "general"):
            tokens.append(("general", ""))
        else:
            tokens.append(("lit", value))
    exact = not ("general" in kinds and "digit" in kinds)
    int_places = "".join(value for kind, value in tokens if kind == "int")
    frac_places = "".join(value for kind, value in tokens if kind == "frac")
    return _Section(tuple(tokens), condition, grouping, scale, exact, "@" in kinds, int_places, frac_places)


def _comma_role(kinds: list[str], i: int, point: int) -> str:
    """A comma right after a digit placeholder separates thousands if more integer digits follow,
    and otherwise divides by a thousand (`0,` and `0.0,,"M"`); anywhere else it is shown."""
    before = i - 1
    while before >= 0 and kinds[before] == ",":
        before -= 1
    if before < 0 or kinds[before] != "digit":
        return "lit"
    after = i + 1
    while after < len(kinds) and kinds[after] == ",":
        after += 1
    if after < point and after < len(kinds) and kinds[after] == "digit":
        return "group"
    return "scale"


def _is_fraction(raw: list[Token]) -> bool:
    """Whether a `/` sits between digit placeholders (`# ?/?`, `0/4`), which makes the section a fraction."""
    meaningful = [(kind, value) for kind, value in raw if not (kind == "lit" and value.isspace())]
    for i, (kind, _) in enumerate(meaningful):
        if kind != "/" or i == 0 or i + 1 == len(meaningful):
            continue
        after_kind, after_value = meaningful[i + 1]
        if meaningful[i - 1][0] == "digit" and (after_kind == "digit" or after_value.isdigit()):
            return True
    return False


def _render(section: _Section, magnitude: int | float) -> str:
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
