"""report.xlsx: a sheet per category, filled as rows arrive, and the saving of the workbook.

openpyxl writes each sheet's header and settings; the rows after it are written as
the sheet's own XML (see `Sheet`) and put in place when the book is saved, since an
object for every cell would cost far more than the CSV beside it. A sheet shows at
most a category's first rows: its CSV has them all.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import ReportError
from ..outcomes import Category
from ..read.cells import text_offsets

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_WIDTH = 60
# A workbook sheet holds at most this many rows of a category: past it a workbook
# takes minutes to write and is unusable in a spreadsheet program; the CSV has them all.
SHEET_ROW_LIMIT = 10_000
# Rows that need nothing more (created, updated, skipped, unchanged, valid) get a shorter sheet:
# a sample to look at, so that the workbook's cost does not grow with a long import.
DONE_SHEET_ROW_LIMIT = 1_000
# How hard the workbook is compressed: the first level, since most of its time went to compressing
# rows that a spreadsheet program opens just as well from a slightly larger file.
BOOK_COMPRESSION = 1
DONE = frozenset({Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.UNCHANGED, Category.VALID})
# Control characters a workbook cannot hold (the CSV keeps them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_row_limit(category: Category) -> int:
    """How many of a category's rows its workbook sheet shows (its CSV has them all)."""
    return DONE_SHEET_ROW_LIMIT if category in DONE else SHEET_ROW_LIMIT


class Sheet:
    """One category's sheet, filled as rows arrive: bold header, filters, frozen top row.

    openpyxl's write-only sheet takes the header row and the sheet's settings; the rows
    after it are written as the sheet's XML, to a temporary file of their own, and put in
    place when the workbook is saved (`save_book`): openpyxl builds an object for every cell
    it writes, which made a sheet of problem rows the slowest part of a dry run. The columns
    are sized from the header and the first row, since a written row cannot be revisited.
    Every cell is written as text (an inline string), so a cell reading "=HYPERLINK(...)" stays text.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, limit: int = SHEET_ROW_LIMIT) -> None:
        self._sheet = sheet
        self._limit = limit
        self._written = 0
        self._width = 0
        self._letters: list[str] = []
        self._rows: IO[bytes] | None = None  # the rows after the header, as the XML of the sheet's rows
        sheet.freeze_panes = "A2"

    @property
    def room(self) -> int:
        """How many more rows the sheet shows (the header row counts; the category's CSV takes them all)."""
        return max(self._limit + 1 - self._written, 0)

    @property
    def full(self) -> bool:
        """Whether the sheet shows no more rows (the category's CSV still takes them)."""
        return self.room == 0

    def size(self, rows: Sequence[Sequence[str | int]]) -> None:
        """Set the column widths from these first rows (before any is written)."""
        from openpyxl.utils import get_column_letter

        for col in range(max(map(len, rows), default=0)):
            width = max((len(str(row[col])) for row in rows if col < len(row)), default=0)
            self._sheet.column_dimensions[get_column_letter(col + 1)].width = min(MAX_WIDTH, max(width, 8) + 2)

    def add(self, values: Sequence[str | int]) -> None:
        self.add_rows([values])

    def add_rows(self, lines: Sequence[Sequence[str | int]]) -> None:
        """Add rows in order, as many as the sheet has room for."""
        lines = lines[: self.room]
        if not lines:
            return
        if self._written == 0:
            self._add_header(lines[0])
            lines = lines[1:]
            if not lines:
                return
        width = max(map(len, lines))
        letters, first = self._columns(width), self._written + 1
        self._write("".join(
            f'<row r="{number}">' + "".join(map(_cell_xml, letters, [str(number)] * len(values), values)) + "</row>"
            for number, values in enumerate(lines, first)
        ).encode("utf-8"), width, len(lines))

    def add_columns(self, columns: Sequence[pa.Array]) -> None:
        """Add rows given as columns of Arrow text, as many as the sheet has room for: the same XML `add_rows` writes, made column by column."""
        count = min(len(columns[0]), self.room) if columns else 0
        if self._written == 0 or count <= 1:
            self.add_rows(list(zip(*(c.slice(0, count).to_pylist() for c in columns))))
            return
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        numbers = pc.cast(pa.array(np.arange(self._written + 1, self._written + 1 + count)), pa.string())
        pieces: list[str | pa.Array] = ['<row r="', numbers, '">']
        for letter, column in zip(self._columns(len(columns)), columns):
            text = column.slice(0, count).fill_null("").cast(pa.string())  # one text type for the joins (a sheet's rows are far below its limit)
            empty = pc.equal(pc.binary_length(text), 0)
            blank: list[str | pa.Array] = [f'<c r="{letter}', numbers, '"/>']
            if pc.all(empty).as_py():  # a column with no text, or text in every cell, needs no choice per cell
                pieces += blank
                continue
            filled = [f'<c r="{letter}', numbers, f'"{_TEXT_CELL}', _xml_text_column(text), "</t></is></c>"]
            if pc.any(empty).as_py():
                pieces.append(pc.if_else(empty, pc.binary_join_element_wise(*blank, ""), pc.binary_join_element_wise(*filled, "")))
            else:
                pieces += filled
        rows = pc.binary_join_element_wise(*_merged([*pieces, "</row>"]), "")
        self._write(joined(rows), len(columns), count)

    def _columns(self, width: int) -> list[str]:
        """The letters of the sheet's first `width` columns."""
        from openpyxl.utils import get_column_letter

        self._letters += [get_column_letter(col + 1) for col in range(len(self._letters), width)]
        return self._letters[:width]

    def _write(self, xml: bytes, width: int, count: int) -> None:
        """Keep `count` rows after the header, as the XML of the sheet's rows."""
        if self._rows is None:
            import tempfile

            self._rows = tempfile.TemporaryFile()
        self._rows.write(xml)
        self._width = max(self._width, width)
        self._written += count

    def _add_header(self, values: Sequence[str | int]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        bold = Font(bold=True)
        cells: list[Any] = []
        for value in values:
            cell = WriteOnlyCell(self._sheet, value=_sheet_value(value))
            cell.font = bold
            cells.append(cell)
        self._sheet.append(cells)
        self._width = max(self._width, len(values))
        self._written += 1

    def close(self) -> None:
        from openpyxl.utils import get_column_letter

        self._sheet.auto_filter.ref = f"A1:{get_column_letter(max(self._width, 1))}{max(min(self._written, self._limit + 1), 1)}"

    @property
    def part(self) -> str:
        """The sheet's file in the workbook's archive (known once openpyxl has saved the workbook)."""
        return str(self._sheet.path).lstrip("/")

    def drop(self) -> None:
        """Let go of the rows written after the header (the workbook is given up, or saved)."""
        rows, self._rows = self._rows, None
        if rows is not None:
            try:
                rows.close()
            except OSError:  # what it still held could not be written: it is not wanted
                pass

    def put_rows(self, part: bytes, out: IO[bytes]) -> None:
        """Write the sheet's XML as openpyxl wrote it (`part`: the header row alone) to `out`, the later rows in place."""
        if self._rows is None:
            out.write(part)
            return
        head, end, tail = part.partition(b"</sheetData>")
        if not end:
            raise ReportError("the workbook's sheet has no rows to add to")
        out.write(head)
        self._rows.seek(0)
        shutil.copyfileobj(self._rows, out)
        out.write(end + tail)


def save_book(book: Workbook, sheets: Sequence[Sheet], path: Path) -> None:
    """Save the workbook to `path`: openpyxl writes it with each sheet's header row, and each sheet's later rows are put in place."""
    import zipfile

    written = io.BytesIO()
    book.save(written)
    by_part = {sheet.part: sheet for sheet in sheets}
    with zipfile.ZipFile(written) as source, path.open("wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=BOOK_COMPRESSION) as target:
        for info in source.infolist():
            sheet = by_part.get(info.filename)
            if sheet is None:
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as part:
                sheet.put_rows(source.read(info), part)


# A text cell after its reference: an inline string, whose spaces a spreadsheet program keeps.
_TEXT_CELL = ' t="inlineStr"><is><t xml:space="preserve">'
# What a cell's text becomes in the sheet's XML (control characters a workbook cannot hold are dropped first).
_XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _cell_xml(column: str, row: str, value: str | int) -> str:
    """One cell of a sheet's row in the sheet's XML: text as an inline string (never a formula), a number as a number, no text as an empty cell."""
    if not isinstance(value, str):
        return f'<c r="{column}{row}" t="n"><v>{value}</v></c>'
    if not value:
        return f'<c r="{column}{row}"/>'  # a cell with nothing in it, as openpyxl writes one
    text = ILLEGAL_CHARACTERS.sub("", value)
    for character, escaped in _XML_ESCAPES:
        text = text.replace(character, escaped)
    return f'<c r="{column}{row}"{_TEXT_CELL}{text}</t></is></c>'


def joined(text: pa.Array) -> bytes:
    """The UTF-8 of a column's texts one after the other (none of them null), as Arrow holds them."""
    return _utf8(text).tobytes()


def _utf8(text: pa.Array) -> np.ndarray:
    """The bytes of a column's texts one after the other, seen where Arrow holds them (not copied)."""
    import numpy as np

    data = text.buffers()[2]
    if not len(text) or data is None:
        return np.zeros(0, dtype=np.uint8)
    bounds = text_offsets(text)
    return np.frombuffer(data, dtype=np.uint8)[bounds[0] : bounds[-1]]


def _merged(pieces: list[str | pa.Array]) -> list[str | pa.Array]:
    """Pieces of a join with each run of texts written once (`"/>` and `<c r="B` as `"/><c r="B`): fewer pieces, one pass."""
    merged: list[str | pa.Array] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


# The bytes of the control characters a workbook cannot hold: ASCII, so in UTF-8 such a byte is always the character.
_ILLEGAL_BYTES = [byte for byte in range(0x20) if ILLEGAL_CHARACTERS.match(chr(byte))]


def _xml_text_column(text: pa.Array) -> pa.Array:
    """A column of cells' text as `_cell_xml` writes each: only the changes its bytes call for are made."""
    import numpy as np
    import pyarrow.compute as pc

    found = np.bincount(_utf8(text), minlength=256)
    if found[_ILLEGAL_BYTES].any():
        text = pc.replace_substring_regex(text, ILLEGAL_CHARACTERS.pattern, "")
    for character, escaped in _XML_ESCAPES:
        if found[ord(character)]:
            text = pc.replace_substring(text, character, escaped)
    return text


def _sheet_value(value: str | int) -> str | int:
    return ILLEGAL_CHARACTERS.sub("", value) if isinstance(value, str) else value
