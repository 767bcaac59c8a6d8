"""How a workbook sheet is laid out for the merchant: hidden columns and rows, merged cells, tables and filters.

A merchant reads a sheet as Excel shows it. A hidden column is an old list they
no longer look at; a `Name` merged over two columns names both; an Excel table
object is one list, whatever sits beside it; rows a filter hides are still rows of
the list. `sheet_structure` reads all of this from an .xlsx sheet once: the part
outside the cells (`<cols>`, `<mergeCells>`, `<autoFilter>`, `<tableParts>`) and,
among the rows, only the tags that say `hidden`, found in C by the same chunked
reading `styles.py` uses, and in the same pass over the sheet's XML that reads its
number formats (sheet_xml.py). .xls and .ods sheets are read through their own records
and tags (legacy.py); an .xlsb one gives an empty structure.

Rows are numbered as a spreadsheet shows them (from 1), columns from 0 (A is 0),
which is how the sheet's frames are indexed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .styles import _chunks, _column, damaged_if_failing, opened_workbook, sheet_part

_COL = re.compile(rb"<(?:[\w.-]+:)?col\s([^>]*)>")
_HIDDEN_ROW = re.compile(rb"""<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*["'](\d+)["'][^>]*?\bhidden\s*=\s*["'](?:1|true)["']|<(?:[\w.-]+:)?row\s[^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*?\br\s*=\s*["'](\d+)["']""")
_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)["']""")
_FILTER = re.compile(rb"""<(?:[\w.-]+:)?autoFilter\s[^>]*?\bref\s*=\s*["']([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)["']""")
_TABLE_PART = re.compile(rb"""<(?:[\w.-]+:)?tablePart\s[^>]*?\bid\s*=\s*["']([^"']+)["']""")
_ATTRIBUTE = re.compile(rb"""\b(min|max|hidden)\s*=\s*["']([^"']*)["']""")
_CELL = re.compile(r"([A-Za-z]+)(\d+)")


@dataclass(frozen=True)
class Area:
    """A rectangle of cells: rows as a spreadsheet numbers them (from 1), columns from 0; both ends included."""

    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def parse(cls, ref: str) -> Area:
        """`B2:D9` (or one cell, `B2`) as an area."""
        first, _, last = ref.partition(":")
        a, b = _CELL.fullmatch(first), _CELL.fullmatch(last or first)
        if a is None or b is None:
            raise ValueError(ref)
        return cls(int(a[2]), _column(a[1].encode()), int(b[2]), _column(b[1].encode()))

    def __str__(self) -> str:
        return f"{letters(self.left)}{self.top}:{letters(self.right)}{self.bottom}"


def letters(column: int) -> str:
    """A column's letters from its index (0 is A, 26 is AA)."""
    name = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


@dataclass(frozen=True)
class SheetTable:
    """An Excel table object: its name, its cells, and how many header and totals rows it has."""

    name: str
    area: Area
    header_rows: int = 1
    totals_rows: int = 0


@dataclass(frozen=True)
class Structure:
    """What of a sheet's layout changes how its cells read (empty for a sheet that has none of it)."""

    hidden_columns: frozenset[int] = frozenset()
    hidden_rows: frozenset[int] = frozenset()
    merges: tuple[Area, ...] = ()
    tables: tuple[SheetTable, ...] = ()
    filter: Area | None = None


def sheet_structure(path: Path, sheet_name: str, layout: Layout | None = None) -> Structure:
    """The structure of one sheet of an .xlsx/.xlsm workbook, or of an .xls or .ods one (legacy.py); an empty one for an .xlsb.

    `layout`: of an .xlsx sheet, what a pass over its XML found already (sheet_xml.py), so it is not read again.
    """
    from .legacy import legacy_structure

    with damaged_if_failing(path, f"the layout of sheet {sheet_name!r}"):
        legacy = legacy_structure(path, sheet_name)
        if legacy is not None:
            return legacy
        if not zipfile.is_zipfile(path):
            return Structure()
        with path.open("rb") as f:
            return _read(f, sheet_name, layout)


def _read(f: IO[bytes], sheet_name: str, layout: Layout | None) -> Structure:
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.worksheet.table import Table as TableObject
    from openpyxl.xml.functions import fromstring

    with opened_workbook(f) as reader:
        part = sheet_part(reader, sheet_name) if reader is not None else None
        if reader is None or part is None or part not in reader.valid_files:
            return Structure()
        archive = reader.archive
        if layout is None:
            scan = LayoutScan()
            with archive.open(part) as stream:
                for data in _chunks(stream):
                    scan.feed(data)
            layout = scan.found()
        hidden_columns, hidden_rows, merges, filter_area, table_ids = layout
        tables: list[SheetTable] = []
        rels_path = get_rels_path(part)
        rels = get_dependents(archive, rels_path) if table_ids and rels_path in reader.valid_files else ()
        targets = {rel.Id: rel.target.lstrip("/") for rel in rels}  # a damaged file may name a table it does not hold
        for rid in table_ids:
            target = targets.get(rid, "")
            if target in reader.valid_files:
                found = TableObject.from_tree(fromstring(archive.read(target)))
                header_rows = found.headerRowCount if found.headerRowCount is not None else 1
                tables.append(SheetTable(found.displayName or found.name or "", Area.parse(found.ref), header_rows, found.totalsRowCount or 0))
    return Structure(hidden_columns, hidden_rows, merges, tuple(tables), filter_area)


Layout = tuple[frozenset[int], frozenset[int], tuple[Area, ...], Area | None, tuple[str, ...]]
"""What a sheet's XML says of its layout: hidden columns, hidden rows, merged areas, the sheet's filter and its table parts."""


class LayoutScan:
    """A sheet's layout, read from its XML chunk by chunk (each cut before a tag, see styles._chunks), in one pass
    that other readers of the same XML may share.

    The cells themselves are not looked at: a chunk without the word `hidden` is passed over by one
    search in C, and the parts after the cells are short.
    """

    def __init__(self) -> None:
        self._hidden_columns: set[int] = set()
        self._hidden_rows: set[int] = set()
        self._merges: list[Area] = []
        self._filter: Area | None = None
        self._table_ids: list[str] = []
        self._in_cells = False

    def feed(self, data: bytes) -> None:
        """Read the next chunk of the sheet's XML."""
        if not self._in_cells:
            head, found, _ = data.partition(b"sheetData")
            for match in _COL.finditer(head):
                attributes = dict(_ATTRIBUTE.findall(match[1]))
                if attributes.get(b"hidden") in (b"1", b"true") and b"min" in attributes:
                    low = int(attributes[b"min"])
                    self._hidden_columns.update(range(low - 1, int(attributes.get(b"max", low))))
            self._in_cells = bool(found)
        if b"hidden" in data:
            self._hidden_rows.update(int(a or b) for a, b in _HIDDEN_ROW.findall(data))
        if b"mergeCell" in data:
            self._merges.extend(Area.parse(ref.decode()) for ref in _MERGE.findall(data))
        if b"autoFilter" in data and self._filter is None:
            found_filter = _FILTER.search(data)
            self._filter = Area.parse(found_filter[1].decode()) if found_filter else None
        if b"tablePart" in data:
            self._table_ids.extend(rid.decode() for rid in _TABLE_PART.findall(data))

    def found(self) -> Layout:
        """The layout of the chunks read."""
        return frozenset(self._hidden_columns), frozenset(self._hidden_rows), tuple(self._merges), self._filter, tuple(self._table_ids)
