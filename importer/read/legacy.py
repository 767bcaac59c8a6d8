"""The number formats and the layout of the workbooks Excel and LibreOffice wrote before .xlsx: .xls and .ods.

A merchant reads these files through their number formats as much as an .xlsx one:
`8007973434` under `00000000000` is the phone `08007973434`. calamine returns the bare
number, so these readers give what sheet_xml.sheet_xml gives for an .xlsx: the format
code of each numeric cell whose format changes how it reads, keyed (row, column) from 0
at A1, for `numbers.shown` to render.

An .xls keeps its formats in FORMAT and XF records, which xlrd reads; an .ods its number
styles (opendocument.py). Their layout is read as structure.py reads an .xlsx sheet's:
the hidden columns and rows and the merged cells, from an .xls sheet's records (xlrd)
and from the tags of an .ods table (opendocument.py).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .opendocument import ods_formats, table_layout
from .structure import Area, Structure

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def _legacy_kind(path: Path) -> str | None:
    """"xls" or "ods" for a workbook of those kinds, recognised by its content; None for any other file."""
    with path.open("rb") as f:
        head = f.read(len(_OLE))
    if head == _OLE:
        return "xls"
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in archive.namelist() and archive.read("mimetype").strip() == _ODS:
                return "ods"
    return None


def legacy_formats(path: Path, sheet_name: str) -> dict[tuple[int, int], str] | None:
    """The number format codes of a sheet of an .xls or .ods workbook; None for any other file."""
    kind = _legacy_kind(path)
    if kind == "xls":
        return _xls_formats(path, sheet_name)
    if kind == "ods":
        with zipfile.ZipFile(path) as archive:
            return ods_formats(archive, sheet_name)
    return None


def legacy_structure(path: Path, sheet_name: str) -> Structure | None:
    """How a sheet of an .xls or .ods workbook is laid out (hidden columns and rows, merged cells), as
    structure.py reads an .xlsx one; None for any other file."""
    kind = _legacy_kind(path)
    if kind == "xls":
        return _xls_structure(path, sheet_name)
    if kind == "ods":
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            return table_layout(stream, sheet_name)
    return None


# -- .xls ---------------------------------------------------------------------
def _xls_formats(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Every numeric cell of the sheet whose XF record's format changes how a number reads."""
    import xlrd  # only .xls files need it

    from .styles import reads_other_than_general

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


def _xls_structure(path: Path, sheet_name: str) -> Structure:
    """The hidden columns and rows and the merged cells of an .xls sheet, from its COLINFO, ROW and MERGEDCELLS records."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        sheet = book.sheet_by_name(sheet_name)
        return Structure(
            frozenset(column for column, info in sheet.colinfo_map.items() if info.hidden),
            frozenset(row + 1 for row, info in sheet.rowinfo_map.items() if info.hidden),
            tuple(Area(top + 1, left, bottom, right - 1) for top, bottom, left, right in sheet.merged_cells),
        )
    finally:
        book.release_resources()
