"""Sheets of the workbooks Excel and LibreOffice wrote before .xlsx (.xls, .ods) read as the merchant sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import import_file
from .test_sheets import stored


# A sheet as test_sheets.py makes them in .xlsx, saved as .xls (xlwt) and .ods (odfpy): an old `Email` column hidden
# beside the visible one, `Name` merged over `First | Last`, and a row a filter hides.
LAYOUT = [["Name", None, "Email", "Email Address", "Phone"],
          ["Ngozi", "Okafor", "ngozi@old.example", "ngozi@example.com", "+2348031234567"],
          ["Bola", "Ade", "bola@old.example", "bola@example.com", "+2348031234568"]]


def xls_layout(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Kunden")
    for r, row in enumerate(LAYOUT):
        for c, value in enumerate(row):
            if value is not None and not (r == 0 and c == 0):
                sheet.write(r, c, value)
    sheet.write_merge(0, 0, 0, 1, "Name")
    sheet.col(2).hidden = True
    sheet.row(2).hidden = True
    book.save(str(path))
    return path


def ods_layout(path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document, table = OpenDocumentSpreadsheet(), Table(name="Kunden")
    narrow = Style(name="co1", family="table-column")
    narrow.addElement(TableColumnProperties(columnwidth="2cm"))
    document.automaticstyles.addElement(narrow)
    for column in range(5):
        table.addElement(TableColumn(stylename=narrow, visibility="collapse" if column == 2 else "visible"))
    for r, values in enumerate(LAYOUT):
        row = TableRow(visibility="filter") if r == 2 else TableRow()
        for c, value in enumerate(values):
            if r == 0 and c == 1:
                row.addElement(CoveredTableCell())
                continue
            cell = TableCell(valuetype="string", numbercolumnsspanned=2) if (r, c) == (0, 0) else TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


@pytest.mark.parametrize("made", [xls_layout, ods_layout], ids=["xls", "ods"])
def test_an_xls_or_ods_sheet_reads_as_shown_hidden_columns_merged_headers_and_hidden_rows(cli, sandbox, tmp_path: Path, made) -> None:
    path = made(tmp_path / ("kunden.xls" if made is xls_layout else "kunden.ods"))
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ngozi@example.com": ("Ngozi Okafor", "+2348031234567"), "bola@example.com": ("Bola Ade", "+2348031234568")}
    assert "'Email' is hidden" in result.err and "1 row the sheet hides is read like the others" in result.err


def test_an_apostrophe_a_workbook_shows_is_kept_and_one_a_report_escaped_with_is_not(cli, sandbox, tmp_path: Path) -> None:
    """Excel keeps its "keep as text" mark as a cell's style, so an apostrophe in a workbook's text is one the merchant
    sees (Dutch `'t Hooft`); a report's CSV opened and saved as a workbook keeps its escape (`'+234...`)."""
    import openpyxl
    import xlwt

    rows = [["Name", "Email", "Phone"], ["Gerard 't Hooft", "gerard@example.nl", "'+31612345678"], ["'s-Gravesande Anke", "anke@example.nl", "'0612345679"]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "namen.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("Namen")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value.replace("example.nl", "example.be"))
    old.save(str(tmp_path / "namen.xls"))
    for name in ("namen.xlsx", "namen.xls"):
        result = import_file(cli, sandbox, tmp_path / name)
        assert result.code == 0, result.err
    assert stored(sandbox) == {
        f"gerard@example.{tld}": ("Gerard 't Hooft", "+31612345678") for tld in ("nl", "be")
    } | {f"anke@example.{tld}": ("'s-Gravesande Anke", "0612345679") for tld in ("nl", "be")}  # a text mark typed into a phone is no digit
