"""One pass over a workbook sheet's XML for all that the reader learns from it besides its values.

The sheet's XML is the largest part of an .xlsx workbook: tens of megabytes for a long list,
inflated from the archive to be read. Three readers need it: the number formats of its cells
(styles.py), its layout (hidden columns and rows, merged cells, filter, tables: structure.py)
and whether it may hold formulas (formulas.py). Here it is inflated once and each chunk handed
to each of them in turn; the reader of the sheet (sheet.py) keeps what the pass found for the
other two.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from .cell_formats import CellFormats
from .structure import Layout, LayoutScan
from .styles import _chunks, _every_cell, _style_codes, _styles_part, _StyledCells, damaged_if_failing, opened_workbook, sheet_part


@dataclass(frozen=True)
class SheetXml:
    """What one pass over an .xlsx sheet's XML finds besides its values: the number formats of its cells, its
    layout (structure.py) and whether it may hold a formula (its XML has `f>`, which every formula element holds).
    Of another workbook, the formats alone (legacy.py), the rest None: its own readers look."""

    formats: CellFormats
    layout: Layout | None = None
    formulas: bool | None = None


def sheet_xml(path: Path, sheet_name: str) -> SheetXml:
    """The number format of each numeric cell of the sheet that does not read as General, with what else the same
    pass over the sheet's XML finds (`SheetXml`): the sheet's XML, the largest part of a workbook, is inflated once
    for all three (twice where every cell must be counted, see `_one_pass`).

    Keys are (row, column), both counted from 0 at A1, which is how pandas positions
    the frame of the sheet (see the module's docstring). Left out: cells under
    General, under the text format `@` (a number there reads as General too) and
    under date or time formats (calamine returns those as datetimes).

    openpyxl reads the workbook's styles; when none of them formats numbers, no cell is
    looked at. Otherwise the sheet's XML is streamed from the archive in bounded memory
    and only the cells whose style formats numbers are kept. .xls and .ods files,
    recognised by their content, are read through their own format records and number
    styles (legacy.py); .xlsb ones give {}.
    """
    from .legacy import legacy_formats

    path = Path(path)
    with damaged_if_failing(path, f"the number formats of sheet {sheet_name!r}"):
        legacy = legacy_formats(path, sheet_name)
        if legacy is not None:
            return SheetXml(CellFormats(legacy.items()))
        if not zipfile.is_zipfile(path):
            return SheetXml(CellFormats())
        with path.open("rb") as f:
            return _workbook_xml(f, sheet_name, path)


def _workbook_xml(f: IO[bytes], sheet_name: str, path: Path) -> SheetXml:
    with opened_workbook(f) as reader:
        if reader is None:
            return SheetXml(CellFormats())  # an OpenDocument or binary (.xlsb) workbook
        part = sheet_part(reader, sheet_name)
        if part is None:
            raise InputError(f"{path}: no sheet {sheet_name!r}")
        codes = _style_codes(reader.archive, _styles_part(reader.parser.rels.values()))
        if part not in reader.valid_files and not codes:  # with formats to read, a sheet the archive lacks is a damaged workbook
            return SheetXml(CellFormats())
        return _one_pass(reader.archive, part, codes)


def _one_pass(archive: zipfile.ZipFile, part: str, codes: dict[int, str]) -> SheetXml:
    """The sheet's XML read once, each chunk by every reader of it: the cells whose style is in `codes`, with that
    style's format; the layout; whether a formula may be there.

    Cells name their place (`r="D2"`) in every file Excel and the common libraries
    write; a sheet where a styled cell does not, or where the default style 0 itself
    formats numbers (so cells without a style attribute count), is read again
    counting every row and cell.
    """
    layout: LayoutScan | None = LayoutScan()
    styled = _StyledCells(codes) if codes and 0 not in codes else None
    formulas = False
    with archive.open(part) as stream:
        for data in _chunks(stream):
            if layout is not None:
                try:
                    layout.feed(data)
                except ValueError:  # a layout that cannot be read: structure.py reads it again and says so in its words
                    layout = None
            formulas = formulas or b"f>" in data  # a chunk is cut before a tag, so never inside `f>`
            if styled is not None:
                styled.feed(data)
    if styled is not None and styled.found is not None:
        formats = styled.found
    elif codes:
        with archive.open(part) as stream:
            formats = _every_cell(stream, codes)
    else:
        formats = CellFormats()
    return SheetXml(formats, layout.found() if layout is not None else None, formulas)
