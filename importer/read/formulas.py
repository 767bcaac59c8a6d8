"""The formulas of a sheet whose value no spreadsheet program saved, so that no customer is sent a blank or a stand-in 0.

A workbook written by a script holds its formulas' text but not their values, so
the reader would give a blank or a stand-in 0 for such a cell; the import stops on
them and names the cells.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from .styles import _ATTRIBUTE, _CHUNK, _NUMERIC_TYPES, _REFERENCE, _column, opened_workbook, sheet_part

_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s>])([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_SAVED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>\s*([^<\s][^<]*)</|<(?:[\w.-]+:)?is>()")
# An empty value element (`<v/>`, `<v></v>`): under a text formula that a spreadsheet program saved, the empty
# text it calculated; where the workbook asks to be calculated on opening (a script's), no value.
_EMPTY_TEXT = re.compile(rb"<(?:[\w.-]+:)?v\s*(?:/>|></(?:[\w.-]+:)?v>)")
_CALCULATE_ON_LOAD = re.compile(rb"""<(?:[\w.-]+:)?calcPr\b[^>]*\sfullCalcOnLoad\s*=\s*["'](?:1|true)["']""")


def uncalculated_formulas(path: Path, sheet_name: str, may_hold: bool | None = None) -> dict[int, list[str]]:
    """The columns (from 0 at A) of the sheet holding a formula whose value no spreadsheet program saved, each with those cells (`C2`).

    A workbook written by a script (openpyxl, xlsxwriter) holds its formulas' text
    but no values, or a stand-in 0 under `fullCalcOnLoad`, which asks the program
    that opens it to calculate everything; Excel and LibreOffice save the values and
    drop that flag. A sheet without formulas costs one search for `f>`. An
    OpenDocument sheet written by a script holds a formula with no value type
    (see `_ods_formula_cells`); other workbooks give {}.

    `may_hold`: of an .xlsx sheet, whether a pass over its XML found `f>` already (sheet_xml.py).
    """
    path = Path(path)
    if may_hold is False or not zipfile.is_zipfile(path):
        return {}
    if _is_opendocument(path):
        return _ods_formula_cells(path, sheet_name)
    try:
        with path.open("rb") as f, opened_workbook(f) as reader:
            part = sheet_part(reader, sheet_name) if reader is not None else None
            if reader is None or part is None:
                return {}
            archive = reader.archive
            if may_hold is None:
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
                if element.get(_ODS_TABLE + "formula") is not None and not _ods_value_saved(element):
                    found.setdefault(column, []).append(f"{letters(column)}{row + 1}")
                column += int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
    return found


def _ods_value_saved(cell: Element) -> bool:
    """Whether a formula cell holds the value a program calculated: its type, and the value that type keeps (a
    text's `office:string-value` or its paragraph, which LibreOffice writes even for empty text; a number's
    `office:value`). A script may write the type alone."""
    kind = cell.get(_ODS_OFFICE + "value-type")
    if kind is None:
        return False
    if kind == "string":
        return cell.get(_ODS_OFFICE + "string-value") is not None or len(cell) > 0
    return any(cell.get(_ODS_OFFICE + attribute) is not None for attribute in ("value", "date-value", "time-value", "boolean-value"))


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
        if not stand_ins and attributes.get(b"t") == b"str" and _EMPTY_TEXT.search(body):
            continue  # the empty text Excel saves for `=IF(A2="","",A2)`: a value, and a blank cell to see
        place = _REFERENCE.fullmatch(attributes.get(b"r", b""))
        if place is not None:
            found.setdefault(_column(place[1]), []).append(place[0].decode())
