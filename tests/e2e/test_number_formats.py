"""Workbook cells imported as the merchant sees them through their number formats and styles."""

from __future__ import annotations

from pathlib import Path

import xlwt

from ..conftest import customers, import_file


PHONES = [  # (email, number in the cell, the cell's format as Excel writes it, the phone the merchant sees)
    ("ada@example.com", 8007973434, "00000000000", "08007973434"),
    ("bo@example.com", 2349048292279, '"+"0', "+2349048292279"),
    ("cy@example.com", 4155550100, "(000) 000-0000", "(415) 555-0100"),
    ("di@example.com", 2348012345678, "General", "2348012345678"),
]


def test_xls_cells_read_through_their_number_formats(cli, sandbox, tmp_path: Path) -> None:
    """An .xls as Excel 97-2003 saves it: each cell's XF record points at a FORMAT record (xlwt writes both)."""
    path = tmp_path / "old.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    for c, header in enumerate(["Name", "Email", "Phone", "Spent"]):
        sheet.write(0, c, header)
    for r, (email, number, code, _) in enumerate(PHONES, start=1):
        sheet.write(r, 0, email.split("@")[0].title())
        sheet.write(r, 1, email)
        sheet.write(r, 2, number, xlwt.easyxf(num_format_str=code))
        sheet.write(r, 3, 1234.5, xlwt.easyxf(num_format_str="#,##0.00"))
    book.save(str(path))
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {email: seen for email, _, _, seen in PHONES}
    assert {r["Spent"] for r in result.rows("created.csv")} == {"1,234.50"}


def ods_workbook(path: Path, columns: list[str], rows: list[list[object]], styles: dict[str, object], column_styles: dict[int, str]) -> None:
    """An .ods as LibreOffice saves it: number styles and the cell styles that use them among the automatic styles,
    a whole column formatted through its default cell style, a cell's own style, repeated rows and columns."""
    from odf.number import EmbeddedText, Number, NumberStyle, Text as Literal
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Map, Style
    from odf.table import Table as Sheet, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, parts in styles.items():
        number_style = NumberStyle(name=f"N{name}")
        for part in parts:
            if isinstance(part, str) and part.startswith("map:"):
                number_style.addElement(Map(condition=part.split(":", 2)[1], applystylename=part.split(":", 2)[2]))
            elif isinstance(part, str):
                literal = Literal()
                literal.addText(part)
                number_style.addElement(literal)
            else:
                number = Number(**{k: v for k, v in part.items() if k != "embedded"})
                for position, text in part.get("embedded", {}).items():
                    embedded = EmbeddedText(position=str(position))
                    embedded.addText(text)
                    number.addElement(embedded)
                number_style.addElement(number)
        doc.automaticstyles.addElement(number_style)
        doc.automaticstyles.addElement(Style(name=name, family="table-cell", datastylename=f"N{name}"))
    sheet = Sheet(name="Customers")
    for c in range(len(columns)):
        sheet.addElement(TableColumn(defaultcellstylename=column_styles[c]) if c in column_styles else TableColumn())
    sheet.addElement(TableColumn(numbercolumnsrepeated="1020"))
    for r, row in enumerate([columns, *rows]):
        line = TableRow()
        for value in row:
            style = None
            if isinstance(value, tuple):
                value, style = value
            if isinstance(value, str):
                cell = TableCell(valuetype="string")
            else:
                cell = TableCell(valuetype="float", value=str(value), **({"stylename": style} if style else {}))
            cell.addElement(P(text=str(value)))
            line.addElement(cell)
        line.addElement(TableCell(numbercolumnsrepeated="1020"))
        sheet.addElement(line)
    sheet.addElement(TableRow(numberrowsrepeated="1048000"))
    doc.spreadsheet.addElement(sheet)
    doc.save(str(path))


def test_ods_cells_read_through_their_number_styles(cli, sandbox, tmp_path: Path) -> None:
    """LibreOffice's number styles: `number:min-integer-digits` zeros, a `number:text` "+", grouping and decimals,
    a style for negative numbers mapped from the positive one; by a column's default style or a cell's own."""
    path = tmp_path / "libre.ods"
    styles = {
        "zeros": [{"decimalplaces": "0", "minintegerdigits": "11"}],
        "plus": ["+", {"decimalplaces": "0", "minintegerdigits": "1"}],
        "us": ["(", {"decimalplaces": "0", "minintegerdigits": "10", "embedded": {4: "-", 7: ") "}}],
        "general": [{"minintegerdigits": "1"}],
        "money": ["-", {"minintegerdigits": "1", "decimalplaces": "2", "grouping": "true"}],
        "moneyP0": [{"minintegerdigits": "1", "decimalplaces": "2", "grouping": "true"}],
    }
    styles["money"].append("map:value()>=0:NmoneyP0")
    rows = [
        ["Ada", "ada@example.com", 8007973434, 1234.5],
        ["Bo", "bo@example.com", (2349048292279, "plus"), -98765.4],
        ["Cy", "cy@example.com", (6505550100, "us"), 0.5],
        ["Di", "di@example.com", 8031234567, 1000000],
        ["Ed", "ed@example.com", (2348012345678, "general"), 12.5],  # a cell's own style wins over its column's
    ]
    ods_workbook(path, ["Name", "Email", "Phone", "Spent"], rows, styles, {2: "zeros", 3: "money"})
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {
        "ada@example.com": "08007973434", "bo@example.com": "+2349048292279", "cy@example.com": "(650) 555-0100", "di@example.com": "08031234567",
        "ed@example.com": "2348012345678",
    }
    assert {r["Email"]: r["Spent"] for r in result.rows("created.csv")} == {  # a leading minus is kept from running as a formula
        "ada@example.com": "1,234.50", "bo@example.com": "'-98,765.40", "cy@example.com": "0.50", "di@example.com": "1,000,000.00", "ed@example.com": "12.50",
    }
