"""Merged cells read as the merchant sees them: a header written once over the columns of one value, a cell
written once beside several customers."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ..conftest import customers, import_file
from .test_sheets import stored


def test_a_header_merged_over_the_names_under_it_feeds_both(cli, sandbox, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", None, "Email", "Phone"])
    sheet.append(["First", "Last", None, None])
    sheet.append(["Ngozi", "Okafor", "ngozi@example.com", "+2348031234567"])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:C2")
    sheet.merge_cells("D1:D2")
    book.save(tmp_path / "merged.xlsx")
    result = import_file(cli, sandbox, tmp_path / "merged.xlsx")
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ngozi@example.com": ("Ngozi Okafor", "+2348031234567")}
    assert result.rows("created.csv")[0]["row"] == "3"


def test_a_name_merged_over_columns_of_data_reads_as_it_shows(cli, make_sandbox, tmp_path: Path) -> None:
    """`Name` written once over the parts of the name, in any number of columns and any script: the name is the
    parts as the merchant reads them across, in their order (山田 太郎 stays family name first)."""
    cases = {
        "two": (["Name", None], [["Ngozi", "Okafor"], ["Ada", ""]], ["Ngozi Okafor", "Ada"]),
        "three": (["Name", None, None], [["Ana", "María", "Ruiz"], ["Luis", "", "Pérez"]], ["Ana María Ruiz", "Luis Pérez"]),
        "japanese": (["氏名", None], [["山田", "太郎"], ["佐藤", "花子"]], ["山田 太郎", "佐藤 花子"]),
        "last columns": (["Email", "Name", None], [["Ngozi", "Okafor"], ["Bola", "Ade"]], ["Ngozi Okafor", "Bola Ade"]),
    }
    for kind, (header, names, expected) in cases.items():
        book = openpyxl.Workbook()
        sheet = book.active
        email_first = header[0] == "Email"
        sheet.append(header if email_first else [*header, "Email"])
        for i, parts in enumerate(names):
            sheet.append([f"c{i}@example.com", *parts] if email_first else [*parts, f"c{i}@example.com"])
        first = 2 if email_first else 1
        sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(names[0]) - 1)
        book.save(tmp_path / f"{kind}.xlsx")
        server = make_sandbox()
        result = import_file(cli, server, tmp_path / f"{kind}.xlsx")
        assert result.code == 0, (kind, result.err)
        assert [stored(server)[f"c{i}@example.com"][0] for i in range(len(names))] == expected, kind
        assert not result.summary["unused_columns"], kind


def merged_phone(path: Path, parts: list[list[str | None]]) -> None:
    """`Phone` written once over the columns a form kept its parts in, as a hand-kept sheet merges a header."""
    book = openpyxl.Workbook()
    sheet = book.active
    width = len(parts[0])
    sheet.append(["Name", "Email", "Phone", *[None] * (width - 1)])
    for i, row in enumerate(parts):
        sheet.append([f"Customer {'ABC'[i]}", f"c{i}@example.com", *row])
    sheet.merge_cells(start_row=1, start_column=3, end_row=1, end_column=2 + width)
    book.save(path)


def test_a_phone_merged_over_its_parts_is_sent_whole(cli, make_sandbox, tmp_path: Path) -> None:
    """Whatever the parts (a country code with its +, an area code, both, or a number and its extension),
    the phone sent is the one the merchant reads across the merged columns, never its first part alone."""
    cases = {
        "country": ([["+234", "8031234567"], ["+44", "07700 900123"]], ["+234 8031234567", "+44 (0)7700 900123"]),
        "area": ([["030", "1234567"], ["089", "7654321"]], ["030 1234567", "089 7654321"]),
        "bare digits": ([["44", "7700900123"], ["234", "8031234567"]], ["44 7700900123", "234 8031234567"]),
        "three parts": ([["+49", "030", "1234567"], ["+49", "089", "7654321"]], ["+49 (0)30 1234567", "+49 (0)89 7654321"]),
        "number and extension": ([["0803 123 4567", "12"], ["0803 123 4568", ""]], ["0803 123 4567", "0803 123 4568"]),
        "four parts": ([["+1", "212", "5550142", "12"], ["+1", "646", "5550199", ""]], ["+1 212 5550142", "+1 646 5550199"]),
    }
    for kind, (parts, phones) in cases.items():
        path = tmp_path / f"{kind}.xlsx"
        merged_phone(path, parts)
        server = make_sandbox()
        result = import_file(cli, server, path)
        assert result.code == 0, (kind, result.err)
        assert [stored(server)[f"c{i}@example.com"][1] for i in range(len(parts))] == phones, kind


def test_a_cell_merged_down_over_several_customers_is_each_ones(cli, make_sandbox, tmp_path: Path) -> None:
    """A family's name, phone and `Active: No` written once beside its three members, in a workbook or an
    OpenDocument sheet: each member gets them, as the merchant reads the sheet; the rows after keep their own."""
    rows = [
        ["First Name", "Last Name", "Email", "Phone", "Active"],
        ["Ngozi", "Okafor", "ngozi@example.com", "+2348031234567", "No"],
        ["Emeka", None, "emeka@example.com", None, None],
        ["Ada", None, "ada@example.com", None, None],
        ["Bola", "Ade", "bola@example.com", "+2348031234568", "Yes"],
    ]
    family = ("Okafor", "+2348031234567", False)
    expected = {
        "ngozi@example.com": ("Ngozi Okafor", *family[1:]), "emeka@example.com": ("Emeka Okafor", *family[1:]),
        "ada@example.com": ("Ada Okafor", *family[1:]), "bola@example.com": ("Bola Ade", "+2348031234568", True),
    }
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for column in "BDE":
        book.active.merge_cells(f"{column}2:{column}4")
    book.save(tmp_path / "family.xlsx")
    ods_merged_down(tmp_path / "family.ods", rows, spans={(1, 1): 3, (1, 3): 3, (1, 4): 3})
    for name in ("family.xlsx", "family.ods"):
        server = make_sandbox()
        result = import_file(cli, server, tmp_path / name)
        assert result.code == 0, (name, result.err)
        held = {email: (c["name"], c.get("phone"), c["active"]) for email, c in customers(server).items()}
        assert held == expected, name
        assert "3 cells are merged down over several rows" in result.err, name


def ods_merged_down(path: Path, rows: list[list[str | None]], spans: dict[tuple[int, int], int]) -> None:
    """An .ods of `rows` as LibreOffice saves merged cells: the first cell spanning its rows (`spans`: row and
    column of the first cell, rows spanned), the cells under it covered."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document, table = OpenDocumentSpreadsheet(), Table(name="Customers")
    covered = {(r + k, c) for (r, c), down in spans.items() for k in range(1, down)}
    for r, values in enumerate(rows):
        line = TableRow()
        for c, value in enumerate(values):
            if (r, c) in covered:
                line.addElement(CoveredTableCell())
                continue
            cell = TableCell(valuetype="string", numberrowsspanned=spans[(r, c)]) if (r, c) in spans else TableCell(valuetype="string")
            cell.addElement(P(text=value or ""))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
