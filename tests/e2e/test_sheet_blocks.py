"""The cells a sheet shows around its lists: Excel table objects with rows or columns typed beside them, and
columns set apart from the list by a blank spacer column. Nothing the merchant sees beside a list is lost."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter

from ..conftest import customers, import_file

PEOPLE = [
    ["Ngozi Okafor", "ngozi@example.com", "+2348031234567"],
    ["Bola Ade", "bola@example.com", "+2348031234568"],
    ["Chi Eze", "chi@example.com", "+2348031234569"],
]


def held(server) -> dict[str, tuple[str, str | None, bool]]:
    return {email: (c["name"], c.get("phone"), c["active"]) for email, c in customers(server).items()}


def test_rows_typed_under_a_table_object_are_its_rows(cli, sandbox, tmp_path: Path) -> None:
    path = tmp_path / "typed-below.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.add_table("A1:C4", {"name": "Customers", "data": PEOPLE, "columns": [{"header": h} for h in ("Name", "Email", "Phone")]})
    sheet.write_row(4, 0, ["Dayo Obi", "dayo@example.com", "+2348031234570"])
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert sorted(customers(sandbox)) == ["bola@example.com", "chi@example.com", "dayo@example.com", "ngozi@example.com"]
    assert "table 'Customers' (A1:C5)" in result.err


def test_a_column_typed_beside_a_table_object_feeds_its_rows(cli, sandbox, tmp_path: Path) -> None:
    path = tmp_path / "typed-beside.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.add_table("A1:B4", {"name": "Customers", "data": [p[:2] for p in PEOPLE], "columns": [{"header": "Name"}, {"header": "Email"}]})
    sheet.write_column(0, 2, ["Phone", *(p[2] for p in PEOPLE)])
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert held(sandbox) == {email: (name, phone, True) for name, email, phone in PEOPLE}


def test_a_list_beside_a_lookup_table_object_is_read(cli, sandbox, tmp_path: Path) -> None:
    path = tmp_path / "lookup.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["Name", "Email", "Phone"])
    for r, person in enumerate(PEOPLE, 1):
        sheet.write_row(r, 0, person)
    sheet.add_table("G1:H3", {"name": "Regions", "data": [["North", "Lagos"], ["South", "Port Harcourt"]], "columns": [{"header": "Region"}, {"header": "Office"}]})
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert held(sandbox) == {email: (name, phone, True) for name, email, phone in PEOPLE}


def test_a_column_set_apart_by_a_blank_spacer_column_is_the_lists(cli, sandbox, tmp_path: Path) -> None:
    """`Active | (blank) | Name | Email | Phone`: the Active column on the left still says whose account is off."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Active", None, "Name", "Email", "Phone"])
    for person, active in zip(PEOPLE, ["No", "Yes", "No"]):
        sheet.append([active, None, *person])
    sheet.column_dimensions["B"].width = 2
    book.save(tmp_path / "spacer.xlsx")
    result = import_file(cli, sandbox, tmp_path / "spacer.xlsx")
    assert result.code == 0, result.err
    assert held(sandbox) == {email: (name, phone, active) for (name, email, phone), active in zip(PEOPLE, [False, True, False])}


def test_a_list_stacked_right_under_the_customers_is_not_theirs(cli, sandbox, tmp_path: Path) -> None:
    """No blank row between the customers and the next list. The same header under a title of its own (former customers):
    the run stops and names both, as it does when a blank row parts them, and --table chooses. The shop's staff, under a
    header that says whose addresses they are: passed over with a note, and the customers imported."""
    former = [["Former customers (closed)"], ["Name", "Email", "Phone"], ["Tunde Bello", "tunde@example.com", "+2348031234569"]]
    staff = [["Staff member", "Staff email", "Extension"], ["Jane Smith", "jane@ourshop.example", "101"]]
    for kind, below in {"former": former, "staff": staff}.items():
        book = openpyxl.Workbook()
        for row in [["Name", "Email", "Phone"], *PEOPLE[:2], *below]:
            book.active.append(row)
        book.save(tmp_path / f"{kind}.xlsx")
    stopped = import_file(cli, sandbox, tmp_path / "former.xlsx")
    assert stopped.code == 2 and "2 tables of customers" in stopped.err and "A1:C3" in stopped.err and "--table" in stopped.err
    assert customers(sandbox) == {}
    chosen = import_file(cli, sandbox, tmp_path / "former.xlsx", "--table", "1")
    assert chosen.code == 0, chosen.err
    assert held(sandbox) == {email: (name, phone, True) for name, email, phone in PEOPLE[:2]}
    beside_staff = cli("validate", tmp_path / "staff.xlsx")
    assert beside_staff.code == 0 and [r["sent_email"] for r in beside_staff.rows("valid.csv")] == [email for _, email, _ in PEOPLE[:2]]
    assert "a table with 'Staff email' passed over: its addresses may be someone else's" in beside_staff.err


def test_lines_of_totals_are_passed_over_and_customers_named_so_are_not(cli, sandbox, tmp_path: Path) -> None:
    """Excel's Data > Subtotal writes `Lagos Count` and a count under each group, and `Grand Count` at the end: no
    customers, passed over as such. A customer whose name holds such a word (`Count Dracula`), or is one (`Suma`, beside a
    phone, which is no amount), is still one."""
    book = openpyxl.Workbook()
    for row in [
        ["City", "Name", "Email", "Phone"],
        ["Lagos", "Ngozi Okafor", "ngozi@example.com", "+2348031234567"],
        ["Lagos", "Count Dracula", "", "+2348031234568"],
        ["Lagos", "Suma", "", "0803 123 4567"],
        ["Lagos Count", None, 2, None],
        ["Abuja", "Chi Eze", "chi@example.com", "+2348031234569"],
        ["Abuja Count", None, 1, None],
        [None, "Grand Total", None, 3],
    ]:
        book.active.append(row)
    book.save(tmp_path / "subtotals.xlsx")
    result = import_file(cli, sandbox, tmp_path / "subtotals.xlsx")
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["chi@example.com", "ngozi@example.com"]
    assert result.summary["passed_over"] == {"count": 3, "rows": [5, 7, 8]}
    assert [r["Name"] for r in result.rows("invalid.csv")] == ["Count Dracula", "Suma"]


def test_a_list_of_its_own_right_beside_a_table_object_is_another_table(cli, sandbox, tmp_path: Path) -> None:
    path = tmp_path / "beside.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.add_table("A1:C3", {"name": "Retail", "data": PEOPLE[:2], "columns": [{"header": h} for h in ("Name", "Email", "Phone")]})
    for r, row in enumerate([["Contact Name", "Email", "Phone"], ["Kemi Bello", "kemi@wholesale.example", "+2348030000001"]]):
        sheet.write_row(r, 3, row)
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 2 and "2 tables of customers" in result.err and "Retail" in result.err, result.err
    assert customers(sandbox) == {}


def test_a_legend_beside_the_top_of_a_list_feeds_nothing(cli, sandbox, tmp_path: Path) -> None:
    """`Status | Meaning` (Active, Inactive, Blocked) left of the list, a blank column between: a legend, not the
    customers' states, since its lines are not the list's."""
    book = openpyxl.Workbook()
    legend = [["Status", "Meaning"], ["Active", "buys"], ["Inactive", "left"], ["Blocked", "fraud"]]
    people = [["Name", "Email", "Phone"], *PEOPLE, ["Dan Eze", "dan@example.com", ""], ["Eve Eze", "eve@example.com", ""]]
    for i, row in enumerate(people):
        book.active.append([*(legend[i] if i < len(legend) else [None, None]), None, *row])
    book.save(tmp_path / "legend.xlsx")
    result = import_file(cli, sandbox, tmp_path / "legend.xlsx")
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {row[1]: True for row in people[1:]}


def test_customers_named_like_a_header_word_stay_customers(cli, sandbox, tmp_path: Path) -> None:
    """Emel (Turkish) and Mel are names and also words for email: a line of them without an address in the list
    heads no column of addresses, so it starts no table, and its customers are set aside as missing an address."""
    book = openpyxl.Workbook()
    for row in [["Name", "Email", "Phone", "City"], ["Ada Obi", "ada@example.com", "", "Lagos"], ["Emel Yılmaz", "", "", "Istanbul"],
                ["Deniz Kaya", "deniz@example.com", "", "Izmir"], ["Mel Brooks", "", "", "London"], ["Ece Arslan", "ece@example.com", "", "Ankara"]]:
        book.active.append(row)
    book.save(tmp_path / "names.xlsx")
    result = import_file(cli, sandbox, tmp_path / "names.xlsx")
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["ada@example.com", "deniz@example.com", "ece@example.com"]
    assert [r["Name"] for r in result.rows("invalid.csv")] == ["Emel Yılmaz", "Mel Brooks"]
