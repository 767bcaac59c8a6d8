"""One pass over a long sheet's XML finds what each of its readers would find reading it alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table as TableObject

from importer.errors import InputError
from importer.read.formulas import uncalculated_formulas
from importer.read.structure import sheet_structure
from importer.read.sheet_xml import sheet_xml

ROWS = 12_000  # megabytes of XML: every reader meets chunk boundaries


def long_sheet(path: Path, formulas: bool) -> Path:
    """A list as a merchant keeps one: a hidden column, hidden and merged rows far down, a filter, phones under +0,
    and (with `formulas`) a column of formulas written by a script, without values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["Name", "Email", "Phone", "Old", "Total"])
    for i in range(ROWS):
        sheet.append([f"Ada {i}", f"ada{i}@example.com", 2348000000000 + i, "x", f"=C{i + 2}*2" if formulas else i])
        sheet.cell(i + 2, 3).number_format = "+0"
    sheet.column_dimensions["D"].hidden = True
    for row in (7, ROWS - 5):
        sheet.row_dimensions[row].hidden = True
    sheet.merge_cells(f"A{ROWS - 100}:B{ROWS - 100}")
    sheet.auto_filter.ref = f"A1:E{ROWS + 1}"
    book.create_sheet("Notes").add_table(TableObject(displayName="Notes", ref="A1:A2"))
    book["Notes"].append(["Note"])
    book["Notes"].append(["hello"])
    book.save(path)
    return path


def test_one_pass_finds_the_layout_formulas_and_formats_each_reader_finds_alone(tmp_path: Path) -> None:
    for formulas in (True, False):
        path = long_sheet(tmp_path / f"customers-{formulas}.xlsx", formulas)
        found = sheet_xml(path, "Customers")
        alone = sheet_structure(path, "Customers")
        assert sheet_structure(path, "Customers", found.layout) == alone
        assert alone.hidden_columns == {3} and alone.hidden_rows == {7, ROWS - 5} and len(alone.merges) == 1
        assert alone.filter is not None and alone.filter.bottom == ROWS + 1
        assert found.formulas is formulas
        cells = uncalculated_formulas(path, "Customers")
        assert uncalculated_formulas(path, "Customers", found.formulas) == cells
        assert (cells[4][:2] == ["E2", "E3"] and len(cells[4]) == ROWS) if formulas else cells == {}
        assert len(found.formats) == ROWS and found.formats[ROWS, 2] == "+0"
        notes = sheet_xml(path, "Notes")
        assert sheet_structure(path, "Notes", notes.layout) == sheet_structure(path, "Notes")
        assert [t.name for t in sheet_structure(path, "Notes").tables] == ["Notes"] and notes.formulas is False


def edited(path: Path, part: str, new_name: str | None = None, old: bytes = b"", new: bytes = b"") -> Path:
    """The workbook with one part renamed or its XML changed, as a damaged or hand-made file has it."""
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                assert not old or old in data
                target.writestr(new_name or part, data.replace(old, new) if old else data)
            else:
                target.writestr(info, data)
    return out


def small_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["Name", "Email", "Phone", "Old"])
    sheet.append(["Ada", "ada@example.com", 2348000000000, "x"])
    sheet.cell(2, 3).number_format = "+0"
    sheet.column_dimensions["D"].hidden = True
    book.save(path)
    return path


def test_a_sheet_whose_formats_cannot_be_found_stops_rather_than_read_its_numbers_bare(tmp_path: Path) -> None:
    """The sheet's part under a name that differs in case from the one the workbook gives: calamine finds it, the
    formats' reader does not, and a phone must not be read as a bare number."""
    path = edited(small_sheet(tmp_path / "customers.xlsx"), "xl/worksheets/sheet1.xml", new_name="xl/worksheets/Sheet1.xml")
    with pytest.raises(InputError, match="number formats of sheet 'Customers' cannot be read"):
        sheet_xml(path, "Customers")


def test_a_layout_that_cannot_be_read_is_named_as_such_and_the_formats_are_still_read(tmp_path: Path) -> None:
    path = edited(small_sheet(tmp_path / "customers.xlsx"), "xl/worksheets/sheet1.xml", old=b'min="4"', new=b'min="D"')
    found = sheet_xml(path, "Customers")
    assert found.layout is None and found.formats == {(1, 2): "+0"}
    with pytest.raises(InputError, match="the layout of sheet 'Customers' cannot be read"):
        sheet_structure(path, "Customers", found.layout)
