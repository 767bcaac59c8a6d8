"""One pass over a long sheet's XML finds what each of its readers would find reading it alone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.table import Table as TableObject

from importer.read.formulas import uncalculated_formulas
from importer.read.structure import sheet_structure
from importer.read.styles import sheet_xml

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
