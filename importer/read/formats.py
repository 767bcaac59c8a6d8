"""Numeric workbook cells as the text Excel shows, and which cells of a sheet need it.

A merchant reads a workbook through its number formats: `8031234567` under
`00000000000` is the phone `08031234567`, `447700900123` under `+0` is
`+447700900123`. calamine, pandas' Excel engine, returns the bare number, so the
reader asks `sheet_formats` which cells of a sheet carry a format that changes how
a number reads, and renders each of them with `shown`, as Excel does but with every
digit exact: no exponent, no trailing `.0`, no digit lost to a narrow column.

Dates are not rendered here: calamine already returns datetimes for cells under a
date or time format, and `shown` answers None for such a format.

Positions line up without an offset. `pd.read_excel(path, sheet_name=...,
engine="calamine", header=None)` lays the sheet out from A1: row 0 of the frame is
sheet row 1 and column 0 is column A even when the first used cell is C3, because
pandas asks calamine for the sheet with its empty leading rows and columns kept. So
the frame's position (i, j) is the key (i, j) of `sheet_formats`, as long as the frame
is read without `skiprows`, `usecols`, `header` or `index_col`, which shift it.
python-calamine's own `to_python()` starts at the first used cell instead; add its
sheet's `start` to positions taken from it.
"""

from __future__ import annotations

import math
import operator
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from numbers import Integral
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from openpyxl.packaging.relationship import Relationship
    from openpyxl.reader.excel import ExcelReader

GENERAL = "General"

# -- rendering ----------------------------------------------------------------
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


# -- which cells carry a format -----------------------------------------------
_CHUNK = 1 << 20
_NUMERIC_TYPES = (b"", b"n")  # a cell's `t`: absent or "n" for numbers
_UNUSUAL = re.compile(rb"""\ss\s*=\s*'|\ss\s+=|\ss=\s|[\t\r\n]s\s*=""")  # style attributes the common pattern would miss
_CELL_OR_ROW = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\s([rst])\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]+)")

Hit = tuple[bytes, bytes, bytes, bytes]
"""A styled cell as found in the sheet's XML: column letters, row number, style index, type."""


def sheet_formats(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """The number format of each numeric cell of the sheet that does not read as General.

    Keys are (row, column), both counted from 0 at A1, which is how pandas positions
    the frame of the sheet (see the module's docstring). Left out: cells under
    General, under the text format `@` (a number there reads as General too) and
    under date or time formats (calamine returns those as datetimes).

    openpyxl reads the workbook's styles; when none of them formats numbers, the
    answer is {} without reading the sheet. Otherwise the sheet's XML is streamed
    from the archive in bounded memory and only the cells whose style formats
    numbers are kept. .xls and .ods files, recognised by their content, are read
    through their own format records and number styles (legacy.py); .xlsb ones give {}.
    """
    from .legacy import legacy_formats

    path = Path(path)
    try:
        legacy = legacy_formats(path, sheet_name)
        if legacy is not None:
            return legacy
        if not zipfile.is_zipfile(path):
            return {}
        with path.open("rb") as f:
            return _workbook_formats(f, sheet_name, path)
    except InputError:
        raise
    except Exception:  # zipfile, zlib and openpyxl raise several unrelated types for damaged files
        raise InputError(f"{path}: the number formats of sheet {sheet_name!r} cannot be read; the workbook may be damaged") from None


def _workbook_formats(f: IO[bytes], sheet_name: str, path: Path) -> dict[tuple[int, int], str]:
    with opened_workbook(f) as reader:
        if reader is None:
            return {}  # an OpenDocument or binary (.xlsb) workbook
        part = sheet_part(reader, sheet_name)
        if part is None:
            raise InputError(f"{path}: no sheet {sheet_name!r}")
        codes = _style_codes(reader.archive, _styles_part(reader.parser.rels.values()))
        if not codes:
            return {}
        return _cell_formats(reader.archive, part, codes)


@contextmanager
def opened_workbook(f: IO[bytes]) -> Iterator[ExcelReader | None]:
    """openpyxl's reader of an .xlsx/.xlsm archive, its manifest and workbook read; None for an OpenDocument or .xlsb one."""
    from openpyxl.reader.excel import ExcelReader  # openpyxl loads only when a workbook is read

    with warnings.catch_warnings():  # openpyxl's remarks on odd files are not for the merchant
        warnings.simplefilter("ignore")
        reader = ExcelReader(f, read_only=True)
        with reader.archive:
            names = set(reader.valid_files)
            if "[Content_Types].xml" not in names or "xl/workbook.bin" in names:
                yield None
                return
            reader.read_manifest()
            reader.read_workbook()
            yield reader


def sheet_part(reader: ExcelReader, sheet_name: str) -> str | None:
    """Where in the archive the sheet's XML is, as the workbook's relationships name it."""
    return next((rel.target for sheet, rel in reader.parser.find_sheets() if sheet.name == sheet_name), None)


def _styles_part(relationships: Iterable[Relationship]) -> str:
    """Where the workbook keeps its styles, as its relationships name it."""
    from openpyxl.xml.constants import ARC_STYLE

    return next((rel.target for rel in relationships if rel.Type.endswith("/styles")), ARC_STYLE)


def _style_codes(archive: zipfile.ZipFile, part: str) -> dict[int, str]:
    """The cell styles (indexes into cellXfs) whose number format changes how a number reads.

    A built-in format id openpyxl does not know (Excel's East Asian locale formats)
    counts as General.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    if part not in archive.namelist():
        return {}
    stylesheet = Stylesheet.from_tree(fromstring(archive.read(part)))
    custom = stylesheet.custom_formats
    codes: dict[int, str] = {}
    for index, xf in enumerate(stylesheet.cellXfs.xf):
        code = custom.get(xf.numFmtId) or BUILTIN_FORMATS.get(xf.numFmtId, GENERAL)
        if reads_other_than_general(code):
            codes[index] = code
    return codes


def reads_other_than_general(code: str) -> bool:
    """Whether a number format changes how a number reads: not General, not text (`@`), not a date or time."""
    return code.strip().lower() not in ("general", "@") and _layout(code) is not None


def _cell_formats(archive: zipfile.ZipFile, part: str, codes: dict[int, str]) -> dict[tuple[int, int], str]:
    """Every numeric cell of the sheet whose style is in `codes`, with that style's format.

    Cells name their place (`r="D2"`) in every file Excel and the common libraries
    write; a sheet where a styled cell does not, or where the default style 0 itself
    formats numbers (so cells without a style attribute count), is read again
    counting every row and cell.
    """
    if 0 not in codes:
        with archive.open(part) as stream:
            found = _styled_cells(stream, codes)
        if found is not None:
            return found
    with archive.open(part) as stream:
        return _every_cell(stream, codes)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in pieces of about a megabyte, each cut before a `<` so no tag is split."""
    carry = b""
    while block := stream.read(_CHUNK):
        data = carry + block
        cut = data.rfind(b"<")
        if cut <= 0:
            carry = data
            continue
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def _styled_cells(stream: IO[bytes], codes: dict[int, str]) -> dict[tuple[int, int], str] | None:
    """The styled numeric cells, or None when one of them does not name its place.

    Each chunk is matched, in C, with one pattern for the layout every common writer
    uses (`<c r="D2" s="3" t="n">`); counting the styles' attributes in it proves no
    styled cell was missed. A chunk laid out otherwise (another attribute order, a
    namespace prefix, styled rows) is read tag by tag, and so is a whole sheet whose
    first chunk shows attributes quoted or spaced unusually (a writer lays out every
    tag of a file alike).
    """
    styles = b"|".join(str(index).encode() for index in codes)
    common = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + styles + rb')"(?: t="(\w*)")?')
    attribute = re.compile(rb' s="(?:' + styles + rb')"')
    any_attribute = re.compile(rb"""\ss\s*=\s*["'](?:""" + styles + rb""")["']""")
    cell = re.compile(
        rb"<(?:[\w.-]+:)?c(?=\s)"
        rb"""(?=[^>]*?\ss\s*=\s*["'](""" + styles + rb""")["'])"""
        rb"""(?:(?=[^>]*?\sr\s*=\s*["']([A-Za-z]{1,3})([0-9]+)["']))?"""
        rb"""(?:(?=[^>]*?\st\s*=\s*["'](\w*)["']))?"""
    )
    by_style = {str(index).encode(): code for index, code in codes.items()}
    columns = _Columns()
    found: dict[tuple[int, int], str] = {}
    unusual = None
    for data in _chunks(stream):
        if unusual is None:
            unusual = _UNUSUAL.search(data) is not None
        hits: list[Hit] | None = None if unusual else common.findall(data)
        if hits is None or len(hits) != len(attribute.findall(data)):
            hits = _tag_by_tag(data, any_attribute, cell)
            if hits is None:
                return None
        for letters, digits, style, kind in hits:
            if kind in _NUMERIC_TYPES:
                found[int(digits) - 1, columns[letters]] = by_style[style]
    return found


def _tag_by_tag(data: bytes, attribute: re.Pattern[bytes], cell: re.Pattern[bytes]) -> list[Hit] | None:
    """The styled cells of a chunk, found from each style attribute back to its tag; None if one has no `r`."""
    hits: list[Hit] = []
    for match in attribute.finditer(data):
        tag = cell.match(data, data.rfind(b"<", 0, match.start()))
        if tag is None:
            continue  # the style of a row, not of a cell
        style, letters, digits, kind = tag.groups(default=b"")
        if not letters:
            return None
        hits.append((letters, digits, style, kind))
    return hits


def _every_cell(stream: IO[bytes], codes: dict[int, str]) -> dict[tuple[int, int], str]:
    """The styled numeric cells, every row and cell counted so that those without `r` get their place."""
    found: dict[tuple[int, int], str] = {}
    row = col = -1
    for data in _chunks(stream):
        for match in _CELL_OR_ROW.finditer(data):
            attributes = dict(_ATTRIBUTE.findall(match[2]))
            reference = attributes.get(b"r")
            if match[1] == b"row":
                row = int(reference) - 1 if reference else row + 1
                col = -1
                continue
            place = _REFERENCE.fullmatch(reference) if reference else None
            if place:
                row, col = int(place[2]) - 1, _column(place[1])
            else:
                col += 1
            style = int(attributes.get(b"s") or 0)
            if style in codes and attributes.get(b"t", b"") in _NUMERIC_TYPES:
                found[row, col] = codes[style]
    return found


def _column(letters: bytes) -> int:
    """A column's letters as its index from 0 (A is 0, AA is 26)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index - 1


class _Columns(dict[bytes, int]):
    """Column letters to indexes, each worked out the first time it is seen."""

    def __missing__(self, letters: bytes) -> int:
        self[letters] = index = _column(letters)
        return index


# -- formulas without saved values ---------------------------------------------
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s>])([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_SAVED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>\s*([^<\s][^<]*)</|<(?:[\w.-]+:)?is>()")
_CALCULATE_ON_LOAD = re.compile(rb"""<(?:[\w.-]+:)?calcPr\b[^>]*\sfullCalcOnLoad\s*=\s*["'](?:1|true)["']""")


def uncalculated_formulas(path: Path, sheet_name: str) -> dict[int, list[str]]:
    """The columns (from 0 at A) of the sheet holding a formula whose value no spreadsheet program saved, each with those cells (`C2`).

    A workbook written by a script (openpyxl, xlsxwriter) holds its formulas' text
    but no values, or a stand-in 0 under `fullCalcOnLoad`, which asks the program
    that opens it to calculate everything; Excel and LibreOffice save the values and
    drop that flag. A sheet without formulas costs one search for `f>`. An
    OpenDocument sheet written by a script holds a formula with no value type
    (see `_ods_formula_cells`); other workbooks give {}.
    """
    path = Path(path)
    if not zipfile.is_zipfile(path):
        return {}
    if _is_opendocument(path):
        return _ods_formula_cells(path, sheet_name)
    try:
        with path.open("rb") as f, opened_workbook(f) as reader:
            part = sheet_part(reader, sheet_name) if reader is not None else None
            if reader is None or part is None:
                return {}
            archive = reader.archive
            with archive.open(part) as stream:
                if not _may_hold_formulas(stream):
                    return {}
            stand_ins = _CALCULATE_ON_LOAD.search(archive.read(reader.parser.workbook_part_name)) is not None
            with archive.open(part) as stream:
                return _formula_cells(stream, stand_ins)
    except Exception:  # zipfile, zlib and openpyxl raise several unrelated types for damaged files
        return {}  # the reader, which reads the same file, says what is wrong with it


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _is_opendocument(path: Path) -> bool:
    """Whether a zip archive is an OpenDocument file (its first member, `mimetype`, says so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def _ods_formula_cells(path: Path, sheet_name: str) -> dict[int, list[str]]:
    """The formula cells of an OpenDocument sheet with no value saved: LibreOffice writes a value type and the
    value beside every formula it calculated, a script (odfpy, ezodf) may write the formula alone, which
    calamine reads as a blank cell."""
    from xml.etree.ElementTree import iterparse

    from .structure import letters

    found: dict[int, list[str]] = {}
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        if not _may_hold_formulas_ods(archive):
            return {}
        inside, row, column = False, 0, 0
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == _ODS_TABLE + "table":
                if event == "start":
                    inside = element.get(_ODS_TABLE + "name") == sheet_name
                elif inside:
                    break
            elif not inside or event != "end":
                continue
            elif tag == _ODS_TABLE + "table-row":
                row += int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
                column = 0
                element.clear()
            elif tag in (_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"):
                if element.get(_ODS_TABLE + "formula") is not None and element.get(_ODS_OFFICE + "value-type") is None:
                    found.setdefault(column, []).append(f"{letters(column)}{row + 1}")
                column += int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
    return found


def _may_hold_formulas_ods(archive: zipfile.ZipFile) -> bool:
    """Whether the document's content has a formula at all: one plain search per block."""
    with archive.open("content.xml") as stream:
        last = b""
        while block := stream.read(_CHUNK):
            if b"formula=" in last + block:
                return True
            last = block[-16:]
    return False


def _may_hold_formulas(stream: IO[bytes]) -> bool:
    """Whether the sheet's XML has `f>`, which every formula element holds (`</f>`, `<f>`): one plain search per
    block, so a sheet without formulas costs little more than inflating it."""
    last = b""
    while block := stream.read(_CHUNK):
        if b"f>" in last + block[:1] or b"f>" in block:
            return True
        last = block[-1:]
    return False


def _formula_cells(stream: IO[bytes], stand_ins: bool) -> dict[int, list[str]]:
    """Each column's formula cells without a saved value; with `stand_ins`, a numeric 0 is no value either
    (what xlsxwriter writes for a formula it was given no result for).

    A block whose formulas, counted in the layout every common writer uses (`<f>`,
    `<f t="shared" .../>`, each followed by its `<v>`), all have a value is passed
    at the speed of a byte count; any other block is read cell by cell.
    """
    valued = re.compile(rb"(?:</f>|<f [^>]*/>)<v>" + (rb"(?!0</v>)" if stand_ins else b"") + rb"[^<]")
    found: dict[int, list[str]] = {}
    carry = b""
    while block := stream.read(_CHUNK):
        data = carry + block
        cut = data.rfind(b"row>") + 4 if b"row>" in data else 0  # after a row's tag no cell is cut in two
        formulas = data.count(b"<f>", 0, cut) + data.count(b"<f ", 0, cut)
        if formulas != len(valued.findall(data, 0, cut)) or (not formulas and data.find(b"f>", 0, cut) >= 0):
            _add_formula_cells(data[:cut], stand_ins, found)  # a formula without a value, or laid out otherwise (`<x:f>`)
        carry = data[cut:]
    return found


def _add_formula_cells(data: bytes, stand_ins: bool, found: dict[int, list[str]]) -> None:
    """The formula cells of a run of whole cells without a saved value, into `found` (by column)."""
    for cell in _CELL.finditer(data):
        body = cell[2] or b""
        if not _FORMULA.search(body):
            continue
        attributes = dict(_ATTRIBUTE.findall(cell[1]))
        value = _SAVED_VALUE.search(body)
        if value is not None and not (stand_ins and value[1] == b"0" and attributes.get(b"t", b"") in _NUMERIC_TYPES):
            continue
        place = _REFERENCE.fullmatch(attributes.get(b"r", b""))
        if place is not None:
            found.setdefault(_column(place[1]), []).append(place[0].decode())
