"""Sheets read as the merchant sees them: hidden columns, merged headers, several tables, filters, lines that are not customers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from ..conftest import customers, import_file


def stored(server) -> dict[str, tuple[str, str | None]]:
    return {email: (c["name"], c.get("phone")) for email, c in customers(server).items()}


def test_hidden_columns_feed_no_field_a_visible_one_can(cli, sandbox, tmp_path: Path) -> None:
    """Excel hides old columns: the old `Email` and landline `Phone` must lose to the visible ones."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Email Address", "Phone", "Mobile"])
    sheet.append(["Ada Obi", "ada@old.example", "ada@new.example", "012345678", "+2348031234567"])
    sheet.append(["Bola Ade", "bola@old.example", "bola@new.example", "012345679", "+2348031234568"])
    sheet.column_dimensions["B"].hidden = True
    sheet.column_dimensions["D"].hidden = True
    book.save(tmp_path / "kept.xlsx")
    result = import_file(cli, sandbox, tmp_path / "kept.xlsx")
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ada@new.example": ("Ada Obi", "+2348031234567"), "bola@new.example": ("Bola Ade", "+2348031234568")}
    assert "'Email' is hidden" in result.err and "'Phone' is hidden" in result.err
    assert result.summary["columns"]["email"] == "Email Address"


def test_a_field_only_a_hidden_column_feeds_is_left_out_unless_mapped(cli, make_sandbox, tmp_path: Path) -> None:
    path = tmp_path / "landlines.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    for r, row in enumerate([["Name", "Email", "Phone"], ["Ada Obi", "ada@example.com", "+2348031234567"]]):
        sheet.write_row(r, 0, row)
    sheet.set_column("C:C", None, None, {"hidden": True})
    book.close()
    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 0, result.err
    assert stored(server) == {"ada@example.com": ("Ada Obi", None)}
    assert "--map phone='Phone'" in result.err
    server = make_sandbox()
    mapped = import_file(cli, server, path, "--map", "phone=Phone")
    assert mapped.code == 0, mapped.err
    assert stored(server) == {"ada@example.com": ("Ada Obi", "+2348031234567")}


def side_by_side(path: Path) -> None:
    """Retail in A:C, wholesale in E:G, a blank column between, as a shop keeps two lists on one sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Lists"
    sheet.append(["Name", "Email", "Phone", None, "Contact Name", "Email", "Phone"])
    sheet.append(["Ada Obi", "ada@example.com", None, None, "Kemi Bello", "kemi@wholesale.example", "+2348030000001"])
    sheet.append(["Bola Ade", "bola@example.com", "+2348031234568", None, "Tunde Eze", "tunde@wholesale.example", "+2348030000002"])
    sheet.append(["Chi Nwa", "chi@example.com", None])
    book.save(path)


def test_two_lists_side_by_side_stop_and_are_named(cli, sandbox, tmp_path: Path) -> None:
    side_by_side(tmp_path / "lists.xlsx")
    result = import_file(cli, sandbox, tmp_path / "lists.xlsx")
    assert result.code == 2
    assert "2 tables of customers" in result.err and "A1:C4" in result.err and "E1:G3" in result.err and "--table" in result.err
    assert customers(sandbox) == {}


def test_table_chooses_one_list_and_cells_never_mix(cli, make_sandbox, tmp_path: Path) -> None:
    side_by_side(tmp_path / "lists.xlsx")
    server = make_sandbox()
    retail = import_file(cli, server, tmp_path / "lists.xlsx", "--table", "1")
    assert retail.code == 0, retail.err
    assert stored(server) == {"ada@example.com": ("Ada Obi", None), "bola@example.com": ("Bola Ade", "+2348031234568"), "chi@example.com": ("Chi Nwa", None)}
    assert "table A1:C4" in retail.err
    server = make_sandbox()
    wholesale = import_file(cli, server, tmp_path / "lists.xlsx", "--table", "2")
    assert wholesale.code == 0, wholesale.err
    assert stored(server) == {"kemi@wholesale.example": ("Kemi Bello", "+2348030000001"), "tunde@wholesale.example": ("Tunde Eze", "+2348030000002")}
    assert [r["row"] for r in wholesale.rows("created.csv")] == ["2", "3"]


def test_blank_rows_and_a_new_header_start_another_table(cli, sandbox, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["Name", "Email"], ["Ada Obi", "ada@example.com"], ["Bola Ade", "bola@example.com"], ["Chi Nwa", "chi@example.com"], [],
                ["Contact Name", "E-mail", "Phone"], ["Kemi Bello", "kemi@example.com", "+2348030000001"]]:
        sheet.append(row)
    book.save(tmp_path / "stacked.xlsx")
    result = import_file(cli, sandbox, tmp_path / "stacked.xlsx")
    assert result.code == 2 and "A1:C4" in result.err and "A6:C7" in result.err
    chosen = import_file(cli, sandbox, tmp_path / "stacked.xlsx", "--table", "2")
    assert chosen.code == 0, chosen.err
    assert stored(sandbox) == {"kemi@example.com": ("Kemi Bello", "+2348030000001")}


def test_a_list_under_a_title_of_its_own_below_blank_rows_is_another_table_even_with_the_same_header(cli, make_sandbox, tmp_path: Path) -> None:
    header = ["Name", "Email", "Phone"]
    current = [["Ada Obi", "ada@example.com", "+2348030000001"], ["Bola Ade", "bola@example.com", "+2348030000002"]]
    former = [["Kemi Bello", "kemi@example.com", "+2348030000003"]]
    book = openpyxl.Workbook()
    for row in [header, *current, [], [], ["Former customers (do not import)"], header, *former]:
        book.active.append(row)
    book.save(tmp_path / "titled.xlsx")
    server = make_sandbox()
    result = import_file(cli, server, tmp_path / "titled.xlsx")
    assert result.code == 2 and "2 tables of customers" in result.err and "A1:C3" in result.err and "A6:C8" in result.err
    assert customers(server) == {}
    chosen = import_file(cli, server, tmp_path / "titled.xlsx", "--table", "1")
    assert chosen.code == 0, chosen.err
    assert stored(server) == {"ada@example.com": ("Ada Obi", "+2348030000001"), "bola@example.com": ("Bola Ade", "+2348030000002")}


def test_the_top_of_each_printed_page_repeated_in_the_list_keeps_it_one_table(cli, sandbox, tmp_path: Path) -> None:
    """A list laid out for printing repeats its title and header on every page, after a blank line or two."""
    header = ["Name", "Email"]
    book = openpyxl.Workbook()
    for row in [["Customers of Ada's Shop, page 1"], header, ["Ada Obi", "ada@example.com"], [], ["Customers of Ada's Shop, page 2"], header,
                ["Bola Ade", "bola@example.com"], [], [], header, ["Chi Nwa", "chi@example.com"]]:
        book.active.append(row)
    book.save(tmp_path / "pages.xlsx")
    result = import_file(cli, sandbox, tmp_path / "pages.xlsx")
    assert result.code == 0, result.err
    assert set(stored(sandbox)) == {"ada@example.com", "bola@example.com", "chi@example.com"}


def test_an_excel_table_with_a_totals_row_beside_notes(cli, sandbox, tmp_path: Path) -> None:
    """One table object: read by its range; its totals row and the notes beside it are no customers."""
    path = tmp_path / "table.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.write("E1", "Fill one row per customer")
    sheet.add_table("A1:C4", {
        "name": "Shop", "total_row": True,
        "columns": [{"header": "Name", "total_string": "Total"}, {"header": "Email", "total_function": "count"}, {"header": "Phone"}],
        "data": [["Ada Obi", "ada@example.com", "+2348031234567"], ["Bola Ade", "bola@example.com", ""]],
    })
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ada@example.com": ("Ada Obi", "+2348031234567"), "bola@example.com": ("Bola Ade", None)}
    assert result.summary["passed_over"] == {"count": 1, "rows": [4]}
    assert result.summary["rows"] == 2 and result.rows("invalid.csv") == []
    assert "table 'Shop' (A1:C4)" in result.err


def test_a_table_the_workbook_names_but_does_not_hold_is_read_as_plain_cells(cli, sandbox, tmp_path: Path) -> None:
    """A damaged workbook whose sheet names a table without the part that holds it: the cells are read, no traceback."""
    whole = tmp_path / "whole.xlsx"
    book = xlsxwriter.Workbook(str(whole))
    book.add_worksheet("Customers").add_table("A1:B3", {
        "name": "Shop", "columns": [{"header": "Name"}, {"header": "Email"}],
        "data": [["Ada Obi", "ada@example.com"], ["Bola Ade", "bola@example.com"]],
    })
    book.close()
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/_rels/sheet1.xml.rels":
                data = data.replace(b'Id="rId1"', b'Id="rId9"')  # the sheet's tablePart still names rId1
            damaged.writestr(item, data)
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {"ada@example.com": "Ada Obi", "bola@example.com": "Bola Ade"}


def test_rows_a_filter_hides_are_imported_and_counted(cli, sandbox, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email"])
    for i in range(4):
        sheet.append([f"Customer {i}", f"c{i}@example.com"])
    sheet.auto_filter.ref = "A1:B5"
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[4].hidden = True
    book.save(tmp_path / "filtered.xlsx")
    result = import_file(cli, sandbox, tmp_path / "filtered.xlsx")
    assert result.code == 0, result.err
    assert sorted(customers(sandbox)) == [f"c{i}@example.com" for i in range(4)]
    assert result.summary["hidden_rows"] == 2
    assert "2 rows a filter hides are read like the others" in result.err


def test_a_lone_name_or_phone_in_its_column_is_a_customer_without_an_address_not_a_title(cli, sandbox, tmp_path: Path) -> None:
    """A line whose only cell is a name in the name column or a phone in the phone column is a customer whose address is
    missing: set aside to be fixed (exit 1), never passed over as a title or a total would be."""
    lines = ["Name,Email,Phone", "Ada Obi,ada@example.com,+2348031111111", "Ngozi Okafor,,", ",,+2348032222222", ",,0803 333 3333",
             "Bo Eze,bo@example.com,", ",,2", ",,01/03/2024", "Total customers: 2"]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(cli, sandbox, path)
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["ada@example.com", "bo@example.com"]
    assert [(r["row"], r["reason_code"]) for r in result.rows("invalid.csv")] == [("3", "email-missing"), ("4", "email-missing"), ("5", "email-missing")]
    assert result.summary["passed_over"] == {"count": 3, "rows": [7, 8, 9]}  # a number, a date and a total: no phones


def test_titles_totals_page_lines_and_repeated_headers_are_passed_over(cli, sandbox, tmp_path: Path) -> None:
    """A printed list: a title, the header again on every page, page numbers, a total and a footer."""
    lines = [
        "Customer list - March", "", "Name,Email,Phone", "Ada Obi,ada@example.com,+2348031234567", "Bola Ade,bola@example.com,",
        "Page 1 of 2", "Name,Email,Phone", "Chi Nwa,chi@example.com,+2348031234569", "Page 2 of 2", "Total customers: 3",
        "Generated by ShopDesk 4.2",
    ]
    path = tmp_path / "printed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ada@example.com": ("Ada Obi", "+2348031234567"), "bola@example.com": ("Bola Ade", None), "chi@example.com": ("Chi Nwa", "+2348031234569")}
    assert result.summary["passed_over"] == {"count": 5, "rows": [6, 7, 9, 10, 11]}
    assert result.summary["rows"] == 3 and result.rows("invalid.csv") == []


@pytest.mark.parametrize(
    ("first", "rows"),
    [
        ("Instructions", [["How to fill in this list"], ["Column", "Example"], ["Name", "Jane Doe"], ["Email", "jane@example.com"], ["Name", "Email"], ["Jane Doe", "jane@example.com"]]),
        ("Customers", [["Name", "Email"], ["Ada Obi", "ada@example.com"], ["Bo Eze", "bo@example.com"]]),  # a short list before the shop's staff
    ],
)
def test_a_sheet_with_fewer_addresses_before_a_longer_list_stops_until_the_merchant_names_the_sheet(
    cli, sandbox, tmp_path: Path, first: str, rows: list[list[str]]
) -> None:
    """An instructions sheet quoting an example and a short list of customers before a longer list (the staff, the
    suppliers) look alike: neither the example nor the staff may become customers unasked."""
    book = openpyxl.Workbook()
    first_sheet = book.active
    first_sheet.title = first
    for row in rows:
        first_sheet.append(row)
    sheet = book.create_sheet("Other")
    sheet.append(["Name", "Email"])
    for i in range(5):
        sheet.append([f"Person {i}", f"p{i}@example.com"])
    book.save(tmp_path / "book.xlsx")
    refused = import_file(cli, sandbox, tmp_path / "book.xlsx")
    assert refused.code == 2 and f"sheet '{first}' (" in refused.err and "'Other' (5 rows with an address)" in refused.err and "--sheet NAME" in refused.err
    assert customers(sandbox) == {} and sandbox.store.stats.requests == 0
    chosen = import_file(cli, sandbox, tmp_path / "book.xlsx", "--sheet", "Other")
    assert chosen.code == 0, chosen.err
    assert sorted(customers(sandbox)) == [f"p{i}@example.com" for i in range(5)]
    assert chosen.summary["sheet"] == "Other"


def test_a_line_with_more_cells_than_the_header_is_invalid_and_kept_whole(cli, sandbox, tmp_path: Path) -> None:
    """An unquoted comma inside a name, near the top and deep in the file: never shifted, never cut, never sent."""
    lines = ["Email,Name,Phone", "ada@example.com,Ada Obi,+2348031234567", "ngozi@example.com,Okafor, Ngozi,+2348031234568"]
    lines += [f"c{i}@example.com,Customer {i},+23480300{i:05d}" for i in range(60)]
    lines += ["emeka@example.com,Eze, Emeka, Jr,+2348031234569"]
    path = tmp_path / "commas.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = cli("validate", path)
    assert checked.code == 1
    assert [(r["row"], r["Email"], r["Name"], r["Phone"], r["reason_code"]) for r in checked.rows("invalid.csv")] == [
        ("3", "ngozi@example.com", "Okafor", " Ngozi", "row-too-long"),
        ("64", "emeka@example.com", "Eze", " Emeka", "row-too-long"),
    ]
    reasons = [r["reason"] for r in checked.rows("invalid.csv")]
    assert "4 cells and the header 3" in reasons[0] and "a comma that is not in quotes" in reasons[0]
    assert reasons[0].endswith("(cells past the header: +2348031234568)")
    assert reasons[1].endswith("(cells past the header:  Jr | +2348031234569)")
    result = import_file(cli, sandbox, path)
    assert result.code == 1
    assert "ngozi@example.com" not in customers(sandbox) and "emeka@example.com" not in customers(sandbox)
    assert customers(sandbox)["ada@example.com"]["phone"] == "+2348031234567" and len(customers(sandbox)) == 61


def test_a_line_running_thousands_of_cells_past_the_header_is_one_invalid_row_not_thousands_of_columns(cli, tmp_path: Path) -> None:
    """A damaged line (a delimiter repeated thousands of times) is that row, set aside; its cells are no columns of the
    file, so neither the first lines nor summary.json list them as columns that feed nothing, and the other rows pass."""
    lines = ["Name,Email", "Ada Obi,ada@example.com," + "x," * 5_000, "Bo Eze,bo@example.com"]
    path = tmp_path / "damaged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = cli("validate", path)
    assert checked.code == 1 and checked.summary["unused_columns"] == [] and "feed no field" not in checked.err
    assert [(r["row"], r["reason_code"]) for r in checked.rows("invalid.csv")] == [("2", "row-too-long")]
    assert [r["sent_email"] for r in checked.rows("valid.csv")] == ["bo@example.com"]


def test_a_numbers_file_is_asked_for_as_csv_or_excel(cli, tmp_path: Path) -> None:
    """Numbers saves a zip of .iwa parts (or a package folder); neither is read, both say how to export."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "Customers.numbers", "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x01")
        archive.writestr("Metadata/Properties.plist", b"<plist/>")
    (tmp_path / "Renamed.xlsx").write_bytes((tmp_path / "Customers.numbers").read_bytes())
    (tmp_path / "Package.numbers").mkdir()
    for name in ("Customers.numbers", "Renamed.xlsx", "Package.numbers"):
        result = cli("validate", tmp_path / name)
        assert result.code == 2
        assert "an Apple Numbers file: in Numbers choose File > Export To > CSV (or Excel)" in result.err
        assert len(result.err.strip().splitlines()) == 1 and "Error" not in result.err


def test_a_code_page_that_reads_two_ways_stops_and_asks(cli, make_sandbox, tmp_path: Path) -> None:
    """ISO-8859-15 and cp1252 (ISO-8859-2 and cp1250) share most letters and differ on a few: the file cannot say which
    was meant, so the merchant does; a name that holds one of the symbols (O´Brien) is as much in doubt."""
    for encoding, delimiter, names, shown in (
        ("iso8859-15", ",", ["José Álvarez", "Šárka Žižková", "Œdipe Roi"], "'¦árka ´i¸ková' in cp1252 or 'Šárka Žižková' in iso8859-15"),
        ("iso8859-2", ";", ["Zażółć Gęślą", "Jiří Dvořák"], "'Zażółć Gę¶l±' in cp1250 or 'Zażółć Gęślą' in iso8859-2"),
        ("cp1252", ",", ["Hélène Dupré", "Mary O´Brien"], "'Mary O´Brien' in cp1252 or 'Mary OŽBrien' in iso8859-15"),
    ):
        path = tmp_path / f"{encoding}.csv"
        lines = [f"Name{delimiter}Email"] + [f"{name}{delimiter}c{i}@example.com" for i, name in enumerate(names)]
        path.write_bytes("\r\n".join(lines).encode(encoding))
        server = make_sandbox()
        stopped = import_file(cli, server, path)
        assert stopped.code == 2 and customers(server) == {}
        assert shown in stopped.err and "--encoding" in stopped.err and len(stopped.err.strip().splitlines()) == 1
        checked = cli("validate", path)
        assert checked.code == 2 and shown in checked.err
        named = import_file(cli, server, path, "--encoding", encoding)
        assert named.code == 0, named.err
        assert {c["name"] for c in customers(server).values()} == set(names)
        assert named.summary["encoding"] == encoding


def test_a_file_its_code_pages_agree_on_or_only_one_reads_does_not_stop(cli, sandbox, tmp_path: Path) -> None:
    """The same letters in both (Czech in ISO-8859-2 is cp1250's), a byte that is a control in ISO (Œ, € in cp1252),
    a symbol only one reading makes letters of in one language, or code pages that differ in every letter."""
    for encoding, names, read_as in (
        ("iso8859-2", ["Jiří Dvořák", "Łukasz Żółć"], "cp1250"),
        ("cp1252", ["Œdipe Roi", "Hélène ½ Dupré", "Šárka Žižková"], "cp1252"),
        ("cp1254", ["Şükrü Yılmaz", "Gülşen Doğan"], "cp1254"),
        ("koi8-r", ["Иван Петрович Иванов", "Ольга Смирнова"], "koi8-r"),
        ("iso8859-5", ["Иван Петрович Иванов", "Ольга Смирнова"], "iso8859-5"),
        ("cp1251", ["Иван Петрович Иванов", "Ольга Смирнова"], "cp1251"),
        ("mac-roman", ["Hélène Dupré", "François Müller"], "mac-roman"),
        ("mac_roman", ["Jürgen Müller", "Uwe Müller"], "mac-roman"),  # cp1252 reads "MŸller", a capital inside a word
    ):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes("\r\n".join(["Name,Email"] + [f"{n},{encoding}{i}@example.com" for i, n in enumerate(names)]).encode(encoding))
        result = import_file(cli, sandbox, path)
        assert result.code == 0, (encoding, result.err)
        assert result.summary["encoding"] == read_as
        assert {email: c["name"] for email, c in customers(sandbox).items() if email.startswith(encoding)} == {
            f"{encoding}{i}@example.com": n for i, n in enumerate(names)
        }


def test_a_letter_deep_in_a_file_is_weighed_where_it_is(cli, tmp_path: Path) -> None:
    """The first lines read one way in both code pages; a name past the first megabyte does not."""
    path = tmp_path / "long.csv"
    first = "Name,Email\r\n" + "".join(f"Hélène Dupré,h{i}@example.fr\r\n" for i in range(40_000))
    path.write_bytes((first + "Šárka Žižková,s@example.cz\r\n").encode("iso8859-15"))
    result = cli("validate", path)
    assert result.code == 2 and "'Šárka Žižková' in iso8859-15" in result.err
    assert cli("validate", path, "--encoding", "iso8859-15").code == 0

