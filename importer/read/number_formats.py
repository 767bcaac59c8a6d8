"""A number format code as Excel reads it: its sections, each ready to show a number's digits.

A code holds up to four `;`-separated sections (positive, negative, zero, text), each
perhaps with a condition (`[<=9999999]`) that picks it; within a section, digit
placeholders (`0`, `#`, `?`), a decimal point, thousands separators, scaling commas and
percent signs, and literal text. numbers.py renders a number through the section picked.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache

GENERAL = "General"

_CONDITION = re.compile(r"(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")
_DIGIT = "0#?"
_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq, "<>": operator.ne}

Token = tuple[str, str]
"""A piece of a format section: ("lit", text), ("int" | "frac", placeholder), ("point", "."), ("general", "")."""


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
class Section:
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
class Layout:
    """A whole format code: its number sections and the rule that picks one for a value."""

    sections: tuple[Section, ...]

    def pick(self, number: int | float) -> tuple[Section | None, bool]:
        """The section that shows `number`, and whether a minus sign goes in front of it."""
        first, *rest = self.sections
        if first.condition or (rest and rest[0].condition):
            return self._pick_by_condition(number)
        if number < 0 and rest:
            return rest[0], False  # a negative section shows only the signs it writes itself
        if number == 0 and len(rest) > 1:
            return rest[1], False
        return first, number < 0

    def _pick_by_condition(self, number: int | float) -> tuple[Section | None, bool]:
        for section in self.sections[:2]:
            if section.condition and section.condition.holds(number):
                return section, number < 0 and not section.condition.for_negatives()
        both = all(s.condition for s in self.sections[:2]) and len(self.sections) > 1
        fallback = 2 if both else 1
        if fallback >= len(self.sections):
            return None, False
        return self.sections[fallback], number < 0


@lru_cache(maxsize=512)
def format_layout(code: str) -> Layout | None:
    """The parsed format code, or None for a date or time format."""
    from openpyxl.styles.numbers import is_date_format  # openpyxl loads only when a workbook is read

    if is_date_format(code):
        return None
    sections = [_section(text) for text in _split_sections(code)[:4]]
    if len(sections) == 4 or (len(sections) > 1 and sections[-1].text):
        sections = sections[:-1]  # the text section
    elif len(sections) == 1 and sections[0].text:
        sections = [_section(GENERAL)]  # a text format (`@`) shows a number as General
    return Layout(tuple(sections))


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


def _section(text: str) -> Section:
    """Classify a section's tokens: integer or fraction placeholder, separator or scaling comma, literal."""
    raw, condition = _lex(text)
    kinds = [kind for kind, _ in raw]
    if "exp" in kinds or _is_fraction(raw):
        return Section((), condition, exact=False, text="@" in kinds)
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
    return Section(tuple(tokens), condition, grouping, scale, exact, "@" in kinds, int_places, frac_places)


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
