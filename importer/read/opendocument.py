"""The OpenDocument spreadsheet (.ods) as a merchant sees it: its number styles and its table's layout.

An .ods keeps number styles (`number:number-style`: digits, grouping, decimals, literal
text) that a cell reaches through its cell style (its own, or its row's or column's
default); each is translated to the Excel format code that shows a number the same way
(`numbers.shown` renders it), and the table in content.xml is scanned tag by tag, keeping
only the numeric cells' places. The same scan reads the table's layout: the hidden
columns and rows (`table:visibility`) and the cells spanning columns or rows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, NamedTuple
from xml.etree.ElementTree import Element, iterparse
from xml.sax.saxutils import unescape

from .structure import Area, Structure

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"  # LibreOffice's own attributes


class NumberStyle(NamedTuple):
    """An ODS number style: its own format code, and the styles it maps values to, as (condition, style name)."""

    own: str
    maps: tuple[tuple[str, str], ...]


_NUMERIC = (b"float", b"percentage", b"currency")  # the value types a number style shows
_HIDDEN = (b"collapse", b"filter")  # a column or row hidden by hand, or by a filter
_SHEET_ROWS, _SHEET_COLUMNS = 65_536, 256  # the size of an old sheet: a hidden run longer than it is the sheet's empty rest
_ENTITIES = {"&quot;": '"', "&apos;": "'"}
_NUMBER_STYLES = {f"{{{_NUMBER}}}{kind}" for kind in ("number-style", "percentage-style", "currency-style")}


def ods_formats(archive: zipfile.ZipFile, sheet_name: str) -> dict[tuple[int, int], str]:
    """Every number cell of the sheet whose cell style's number style changes how a number reads.

    The styles are parsed as XML: the named ones of styles.xml and the automatic ones at the
    head of content.xml. The table, which can be long, is scanned tag by tag in C (as
    styles.py scans an .xlsx sheet), a repeated row or cell counted rather than expanded
    unless it holds a number.
    """
    numbers: dict[str, NumberStyle] = {}
    cells: dict[str, tuple[str | None, str | None]] = {}  # cell style: (its number style, its parent)
    for part in ("styles.xml", "content.xml"):
        if part in archive.namelist():
            with archive.open(part) as stream:
                for element in _styles(stream):
                    _keep_style(element, numbers, cells)
    with archive.open("content.xml") as stream:
        return _table_formats(stream, sheet_name, _cell_codes(numbers, cells))


def _styles(stream: IO[bytes]) -> Iterator[Element]:
    """The number and cell styles of a part, each once it is whole, up to the document's body."""
    for event, element in iterparse(stream, events=("start", "end")):
        if event == "start":
            if element.tag == f"{{{_OFFICE}}}body":
                return
        elif element.tag in _NUMBER_STYLES or element.tag == f"{{{_STYLE}}}style":
            yield element
            element.clear()


def _keep_style(element: Element, numbers: dict[str, NumberStyle], cells: dict[str, tuple[str | None, str | None]]) -> None:
    """Remember a number style as its format code, or a cell style as the number style it shows numbers with."""
    name = element.get(f"{{{_STYLE}}}name", "")
    if element.tag in _NUMBER_STYLES:
        numbers[name] = number_style_code(element)
    elif element.get(f"{{{_STYLE}}}family") == "table-cell":
        cells[name] = (element.get(f"{{{_STYLE}}}data-style-name"), element.get(f"{{{_STYLE}}}parent-style-name"))


def _cell_codes(numbers: dict[str, NumberStyle], cells: dict[str, tuple[str | None, str | None]]) -> dict[str, str]:
    """The format code of each cell style whose number style changes how a number reads (a cell style without
    a number style takes its parent's)."""
    from .styles import reads_other_than_general

    codes = {}
    for name in cells:
        style: str | None = name
        seen = set()
        while style is not None and style not in seen:
            seen.add(style)
            data, parent = cells.get(style, (None, None))
            if data is not None:
                code = _code(data, numbers)
                if code is not None and reads_other_than_general(code):
                    codes[name] = code
                break
            style = parent
    return codes


def _table_formats(stream: IO[bytes], sheet_name: str, codes: dict[str, str]) -> dict[tuple[int, int], str]:
    """The formatted number cells of one table of content.xml, by its tags: a cell takes its own style, else its
    row's default, else its column's."""

    found: dict[tuple[int, int], str] = {}
    if not codes:
        return found
    column_styles: list[tuple[int, str | None]] = []  # (last column, default cell style) of each run of columns
    row = column = row_repeat = 0
    row_style: str | None = None
    in_row: list[tuple[int, str]] = []  # the current row's formatted cells, for a row repeated
    for closing, tag, text, read in _sheet_tags(stream, sheet_name):
        if tag in (b"table-cell", b"covered-table-cell"):
            if closing:
                continue
            if b"float" not in text and b"percentage" not in text and b"currency" not in text and b"repeated" not in text:
                column += 1
                continue
            attributes = read(text)
            repeat = int(attributes.get(b"number-columns-repeated", 1))
            if attributes.get(b"value-type") in _NUMERIC:
                style = attributes.get(b"style-name", b"").decode() or row_style or _column_style(column_styles, column)
                if style in codes:
                    in_row.extend((c, codes[style]) for c in range(column, column + repeat))
            column += repeat
        elif tag == b"table-row":
            if not closing:
                attributes = read(text)
                row_repeat = int(attributes.get(b"number-rows-repeated", 1))
                row_style = attributes.get(b"default-cell-style-name", b"").decode() or None
                column, in_row = 0, []
            if closing or text.endswith(b"/"):
                for r in range(row, row + row_repeat) if in_row else ():
                    found.update(((r, c), code) for c, code in in_row)
                row += row_repeat
        elif not closing:  # a column
            attributes = read(text)
            last = (column_styles[-1][0] if column_styles else -1) + int(attributes.get(b"number-columns-repeated", 1))
            column_styles.append((last, attributes.get(b"default-cell-style-name", b"").decode() or None))
    return found


def table_layout(stream: IO[bytes], sheet_name: str) -> Structure:
    """The hidden columns and rows (`table:visibility` collapsed or filtered) and the merged cells (a cell spanning
    columns or rows) of one table of content.xml. A hidden run repeated past an old sheet's size is the empty
    rest of the sheet hidden for looks, and is not listed."""
    hidden_columns: set[int] = set()
    hidden_rows: set[int] = set()
    merges: list[Area] = []
    row, column, columns, row_repeat = 1, 0, 0, 1
    for closing, tag, text, read in _sheet_tags(stream, sheet_name):
        if tag == b"table-row":
            if not closing:
                attributes = read(text)
                row_repeat, column = int(attributes.get(b"number-rows-repeated", 1)), 0
                if attributes.get(b"visibility") in _HIDDEN and row_repeat <= _SHEET_ROWS:
                    hidden_rows.update(range(row, row + row_repeat))
            if closing or text.endswith(b"/"):
                row += row_repeat
        elif closing:
            continue
        elif tag == b"table-column":
            attributes = read(text)
            repeat = int(attributes.get(b"number-columns-repeated", 1))
            if attributes.get(b"visibility") in _HIDDEN and repeat <= _SHEET_COLUMNS:
                hidden_columns.update(range(columns, columns + repeat))
            columns += repeat
        elif b"spanned" not in text and b"repeated" not in text:
            column += 1
        else:
            attributes = read(text)
            across, down = int(attributes.get(b"number-columns-spanned", 1)), int(attributes.get(b"number-rows-spanned", 1))
            if across > 1 or down > 1:
                merges.append(Area(row, column, row + down - 1, column + across - 1))
            column += int(attributes.get(b"number-columns-repeated", 1))
    return Structure(frozenset(hidden_columns), frozenset(hidden_rows), tuple(merges))


def _sheet_tags(stream: IO[bytes], sheet_name: str) -> Iterator[tuple[bool, bytes, bytes, Callable[[bytes], dict[bytes, bytes]]]]:
    """The row, cell and column tags of one table of content.xml, found in C chunk by chunk: each as (closing, name,
    the text of its attributes, and what reads them into a dict). A cell's closing tag and the attributes of a
    cell that does not matter to the caller can be passed over unread."""
    from .styles import _chunks

    in_sheet = False
    tags: re.Pattern[bytes] | None = None
    attribute: re.Pattern[bytes] | None = None
    for data in _chunks(stream):
        if tags is None or attribute is None:
            table, office = _prefix(data, _TABLE), _prefix(data, _OFFICE)
            tags = re.compile(rb"<(/?)" + table + rb":(table-row|table-cell|covered-table-cell|table-column|table)(?=[\s/>])([^>]*)>")
            attribute = re.compile(rb"\s(?:" + table + rb"|" + office + rb"):([\w-]+)\s*=\s*[\"']([^\"']*)[\"']")
        read = _reader(attribute)
        for closing, tag, text in tags.findall(data):
            if tag == b"table":
                if closing and in_sheet:
                    return
                if not closing:
                    in_sheet = unescape(read(text).get(b"name", b"").decode(), _ENTITIES) == sheet_name
            elif in_sheet:
                yield bool(closing), tag, text, read


def _reader(attribute: re.Pattern[bytes]) -> Callable[[bytes], dict[bytes, bytes]]:
    def read(text: bytes) -> dict[bytes, bytes]:
        return dict(attribute.findall(text))

    return read


def _prefix(data: bytes, namespace: str) -> bytes:
    """The prefix a document gives a namespace (`table`, `office` in every common writer's files)."""
    declared = re.search(rb"xmlns:([\w.-]+)\s*=\s*[\"']" + re.escape(namespace.encode()) + rb"[\"']", data)
    return re.escape(declared[1]) if declared else namespace.rsplit(":", 2)[-2].encode()


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
            return NumberStyle("General", ())  # shown as General, as numbers.shown shows these
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
    grouped = number.get(f"{n}grouping") == "true"
    if number.get(f"{n}decimal-places") is None and least <= 1 and not grouped and number.find(f"{n}embedded-text") is None:
        return "General"  # no decimal places named: as many as the number has (LibreOffice's General, `N0`)
    places = int(number.get(f"{n}decimal-places", "0"))
    shown_places = int(number.get(f"{n}min-decimal-places") or number.get(f"{{{_LOEXT}}}min-decimal-places") or places)
    whole = "0" * least or "#"
    if grouped:
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
