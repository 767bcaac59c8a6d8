"""The number formats of the workbooks Excel and LibreOffice wrote before .xlsx: .xls and .ods.

A merchant reads these files through their number formats as much as an .xlsx one:
`8007973434` under `00000000000` is the phone `08007973434`. calamine returns the bare
number, so these readers give what formats.sheet_formats gives for an .xlsx: the format
code of each numeric cell whose format changes how it reads, keyed (row, column) from 0
at A1, for `formats.shown` to render.

An .xls keeps its formats in FORMAT and XF records, which xlrd reads. An .ods keeps
number styles (`number:number-style`: digits, grouping, decimals, literal text) that
a cell reaches through its cell style (its own, or its row's or column's default);
each is translated to the Excel format code that shows a number the same way, and
content.xml is streamed so that only the styles and the numeric cells' places are kept.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import NamedTuple
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, iterparse

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class NumberStyle(NamedTuple):
    """An ODS number style: its own format code, and the styles it maps values to, as (condition, style name)."""

    own: str
    maps: tuple[tuple[str, str], ...]


_NUMBER_STYLES = {f"{{{_NUMBER}}}{kind}" for kind in ("number-style", "percentage-style", "currency-style")}


def legacy_formats(path: Path, sheet_name: str) -> dict[tuple[int, int], str] | None:
    """The number format codes of a sheet of an .xls or .ods workbook; None for any other file."""
    with path.open("rb") as f:
        head = f.read(len(_OLE))
    if head == _OLE:
        return _xls_formats(path, sheet_name)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in archive.namelist() and archive.read("mimetype").strip() == _ODS:
                return _ods_formats(archive, sheet_name)
    return None


# -- .xls ---------------------------------------------------------------------
def _xls_formats(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Every numeric cell of the sheet whose XF record's format changes how a number reads."""
    import xlrd  # only .xls files need it

    from .formats import reads_other_than_general

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        sheet = book.sheet_by_name(sheet_name)
        codes: dict[int, str | None] = {}
        found: dict[tuple[int, int], str] = {}
        for row in range(sheet.nrows):
            for column, kind in enumerate(sheet.row_types(row)):
                if kind != xlrd.XL_CELL_NUMBER:
                    continue
                xf = sheet.cell_xf_index(row, column)
                if xf not in codes:
                    fmt = book.format_map.get(book.xf_list[xf].format_key)
                    codes[xf] = fmt.format_str if fmt is not None and reads_other_than_general(fmt.format_str) else None
                if (code := codes[xf]) is not None:
                    found[row, column] = code
        return found
    finally:
        book.release_resources()


# -- .ods ---------------------------------------------------------------------
def _ods_formats(archive: zipfile.ZipFile, sheet_name: str) -> dict[tuple[int, int], str]:
    """Every float cell of the sheet whose cell style's number style changes how a number reads.

    Number and cell styles live in styles.xml (named styles) and content.xml (automatic
    ones, read before the tables); the table is streamed, a repeated row or cell counted
    rather than expanded unless it holds a number.
    """
    numbers: dict[str, NumberStyle] = {}
    cells: dict[str, tuple[str | None, str | None]] = {}  # cell style: (its number style, its parent)
    if "styles.xml" in archive.namelist():
        with archive.open("styles.xml") as stream:
            for element in _styles(stream):
                _keep_style(element, numbers, cells)
    with archive.open("content.xml") as stream:
        return _table_formats(stream, sheet_name, numbers, cells)


def _styles(stream: IO[bytes]) -> Iterator[Element]:
    """The number and cell styles of a styles part, each once it is whole."""
    for _, element in iterparse(stream, events=("end",)):
        if element.tag in _NUMBER_STYLES or element.tag == f"{{{_STYLE}}}style":
            yield element
            element.clear()


def _keep_style(element: Element, numbers: dict[str, NumberStyle], cells: dict[str, tuple[str | None, str | None]]) -> None:
    """Remember a number style as its format code, or a cell style as the number style it shows numbers with."""
    name = element.get(f"{{{_STYLE}}}name", "")
    if element.tag in _NUMBER_STYLES:
        numbers[name] = number_style_code(element)
    elif element.get(f"{{{_STYLE}}}family") == "table-cell":
        cells[name] = (element.get(f"{{{_STYLE}}}data-style-name"), element.get(f"{{{_STYLE}}}parent-style-name"))


def _table_formats(
    stream: IO[bytes], sheet_name: str, numbers: dict[str, NumberStyle], cells: dict[str, tuple[str | None, str | None]]
) -> dict[tuple[int, int], str]:
    from .formats import reads_other_than_general

    def code_of(style: str | None) -> str | None:
        seen = set()
        while style is not None and style not in seen:  # a cell style without a number style takes its parent's
            seen.add(style)
            data, parent = cells.get(style, (None, None))
            if data is not None:
                code = _code(data, numbers)
                return code if code is not None and reads_other_than_general(code) else None
            style = parent
        return None

    found: dict[tuple[int, int], str] = {}
    column_styles: list[tuple[int, str | None]] = []  # (last column, default cell style) of each run of columns
    in_sheet = False
    row = column = 0
    row_style: str | None = None
    in_row: list[tuple[int, str]] = []  # the current row's formatted cells, for a row repeated
    t = f"{{{_TABLE}}}"
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{t}table":
                in_sheet = element.get(f"{t}name") == sheet_name
            elif in_sheet and tag == f"{t}table-row":
                column, row_style, in_row = 0, element.get(f"{t}default-cell-style-name"), []
            continue
        if tag in _NUMBER_STYLES or tag == f"{{{_STYLE}}}style":
            _keep_style(element, numbers, cells)
        elif not in_sheet:
            if tag == f"{t}table-row":
                element.clear()
        elif tag == f"{t}table-column":
            last = (column_styles[-1][0] if column_styles else -1) + int(element.get(f"{t}number-columns-repeated", "1"))
            column_styles.append((last, element.get(f"{t}default-cell-style-name")))
        elif tag in (f"{t}table-cell", f"{t}covered-table-cell"):
            repeat = int(element.get(f"{t}number-columns-repeated", "1"))
            if element.get(f"{{{_OFFICE}}}value-type") in ("float", "percentage", "currency"):
                style = element.get(f"{t}style-name") or row_style or _column_style(column_styles, column)
                if (code := code_of(style)) is not None:
                    in_row.extend((c, code) for c in range(column, column + repeat))
            column += repeat
            element.clear()
        elif tag == f"{t}table-row":
            for r in range(row, row + int(element.get(f"{t}number-rows-repeated", "1")) if in_row else row):
                found.update(((r, c), code) for c, code in in_row)
            row += int(element.get(f"{t}number-rows-repeated", "1"))
            element.clear()
        elif tag == f"{t}table":
            break
    return found


def _column_style(runs: list[tuple[int, str | None]], column: int) -> str | None:
    """The default cell style of a column, from the runs of columns."""
    return next((style for last, style in runs if column <= last), None)


def number_style_code(element: Element) -> NumberStyle:
    """An ODS number style as the Excel format code that shows a number the same way: its literal texts quoted,
    its digits as placeholders (`number:min-integer-digits` zeros, grouping, decimals), and the styles it maps
    other values to (`value()>=0`), named for `_code` to resolve once every style is known."""
    n = f"{{{_NUMBER}}}"
    parts: list[str] = []
    for child in element:
        if child.tag == f"{n}number":
            parts.append(_digit_code(child))
        elif child.tag in (f"{n}text", f"{n}currency-symbol"):
            parts.append(_quoted(child.text or ""))
        elif child.tag in (f"{n}scientific-number", f"{n}fraction"):
            return NumberStyle("General", ())  # shown as General, as formats.shown shows these
    maps = tuple(
        (m.get(f"{{{_STYLE}}}condition", "").replace("value()", "").replace(" ", ""), m.get(f"{{{_STYLE}}}apply-style-name", ""))
        for m in element.findall(f"{{{_STYLE}}}map")
    )
    return NumberStyle("".join(parts) or "General", maps)


def _code(name: str, numbers: dict[str, NumberStyle]) -> str | None:
    """The whole format code of a number style, as Excel's sections: LibreOffice's style for the negatives that
    maps `>=0` to another is Excel's `positive;negative`, `>0` and `<0` its `positive;negative;zero`."""
    style = numbers.get(name)
    if style is None:
        return None
    mapped = {condition: numbers[other].own for condition, other in style.maps if other in numbers}
    if set(mapped) == {">=0"}:
        return f"{mapped['>=0']};{style.own}"
    if set(mapped) == {">0", "<0"}:
        return f"{mapped['>0']};{mapped['<0']};{style.own}"
    return ";".join([*(f"[{condition}]{code}" for condition, code in mapped.items()), style.own])


def _digit_code(number: Element) -> str:
    """The placeholders of a `number:number` element: zeros for the digits always shown, commas when grouped,
    and the texts embedded among the digits."""
    n = f"{{{_NUMBER}}}"
    least = int(number.get(f"{n}min-integer-digits", "1"))
    places = int(number.get(f"{n}decimal-places", "0"))
    shown_places = int(number.get(f"{n}min-decimal-places", str(places)))
    whole = "0" * least or "#"
    if number.get(f"{n}grouping") == "true":
        digits = whole.rjust(4, "#")
        groups = [digits[max(i - 3, 0) : i] for i in range(len(digits), 0, -3)]
        whole = ",".join(reversed(groups))
    embedded = sorted(((int(e.get(f"{n}position", "0")), e.text or "") for e in number.iter(f"{n}embedded-text")), reverse=True)
    for position, text in embedded:  # text among the digits (`000-0000`), placed by digits counted from the right
        cut = max(len(whole) - position, 0)
        whole = whole[:cut] + _quoted(text) + whole[cut:]
    fraction = "." + "0" * shown_places + "#" * (places - shown_places) if places else ""
    return whole + fraction


def _quoted(text: str) -> str:
    """Literal text in a format code: in quotes, or each character escaped where the text holds a quote."""
    return f'"{text}"' if '"' not in text else "".join(f"\\{c}" for c in text)
