"""One cell's text as the value the merchant meant: ticks, Excel's own TRUE and FALSE and account states,
names, addresses as pasted, formulas without values."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from ..conftest import customers, import_file, write_csv


# -- active ---------------------------------------------------------------------
@pytest.mark.parametrize("tick", ["x", "X", "✓", "✔", "☑", "yes", "1", "Ja"])
def test_a_column_of_ticks_reads_a_blank_as_not_active(cli, sandbox, tmp_path: Path, tick: str) -> None:
    rows = [["Name", "Email", "Active"], ["Ada", "ada@example.com", tick], ["Bo", "bo@example.com", ""], ["Cy", "cy@example.com", tick]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "ticks.csv", rows))
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"ada@example.com": True, "bo@example.com": False, "cy@example.com": True}
    assert f"column 'Active' holds ticks ({tick!r}) and no word for no: a blank there reads as not active" in result.summary["notes"]


def test_a_column_of_yes_and_no_still_reads_a_blank_as_active(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Active"], ["Ada", "ada@example.com", "x"], ["Bo", "bo@example.com", ""], ["Cy", "cy@example.com", "no"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "yesno.csv", rows))
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"ada@example.com": True, "bo@example.com": True, "cy@example.com": False}
    assert not any("ticks" in note for note in result.summary["notes"])


EXCEL_BOOLEANS = {
    "sv": ("SANT", "FALSKT"), "de": ("WAHR", "FALSCH"), "fr": ("VRAI", "FAUX"), "es": ("VERDADERO", "FALSO"),
    "it": ("VERO", "FALSO"), "nl": ("WAAR", "ONWAAR"), "pl": ("PRAWDA", "FAŁSZ"), "pt": ("VERDADEIRO", "FALSO"),
    "ru": ("ИСТИНА", "ЛОЖЬ"), "da": ("SAND", "FALSK"), "nb": ("SANN", "USANN"), "fi": ("TOSI", "EPÄTOSI"),
    "cs": ("PRAVDA", "NEPRAVDA"), "hu": ("IGAZ", "HAMIS"), "tr": ("DOĞRU", "YANLIŞ"), "yes-no-sv": ("ja", "nej"),
    "yes-no-pl": ("tak", "nie"), "yes-no-fi": ("kyllä", "ei"), "yes-no-tr": ("Evet", "Hayır"), "yes-no-ru": ("да", "нет"),
}


@pytest.mark.parametrize("language", list(EXCEL_BOOLEANS))
def test_excel_true_and_false_in_its_languages(cli, sandbox, tmp_path: Path, language: str) -> None:
    yes, no = EXCEL_BOOLEANS[language]
    rows = [["Name", "Email", "Active"], ["Ada", "ada@example.com", yes], ["Bo", "bo@example.com", no], ["Cy", "cy@example.com", ""]]
    path = write_csv(tmp_path / "excel.csv", rows, ";", "utf-8-sig")  # Excel's "CSV UTF-8" on a European machine
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"ada@example.com": True, "bo@example.com": False, "cy@example.com": True}


def test_swedish_excel_csv_in_its_code_page(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Namn", "Email", "Aktiv"], ["Åsa Öberg", "asa@example.se", "SANT"], ["Björn Ek", "bjorn@example.se", "FALSKT"]]
    path = write_csv(tmp_path / "kunder.csv", rows, ";", "cp1252")
    result = import_file(cli, sandbox, path, "--map", "name=Namn", "--map", "active=Aktiv")
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"asa@example.se": True, "bjorn@example.se": False}


def test_an_unreadable_active_value_says_which_words_it_reads(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Active"], ["Ada", "ada@example.com", "maybe"], ["Bo", "bo@example.com", "yes"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "maybe.csv", rows))
    assert result.code == 1
    invalid = result.rows("invalid.csv")
    assert [r["reason_code"] for r in invalid] == ["active-invalid"]
    assert invalid[0]["reason"].startswith("active: 'maybe' is not a word read as yes or no; it reads yes/no, true/false")
    assert "WAHR/FALSCH" in invalid[0]["reason"] and "ada@example.com" not in customers(sandbox)


# -- emails ---------------------------------------------------------------------
def test_addresses_as_pasted(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email"],
        ["Ada", "ada\u200b@example.com"],
        ["Bo", "\ufeffbo@example.com"],
        ["Cy", "cy@exam\u00adple.com"],
        ["Di", "\u200edi@example.com\u200f"],
        ["Ed", "ed@example.com;"],
        ["Fay", "fay@example.com ,"],
        ["", '"Gil Obi" <gil@example.com>'],
        ["", "Hal Ng <hal@example.com>;"],
        ["Ivy", "ivy\u00a0@example.com"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "pasted.csv", rows))
    assert result.code == 0, result.err
    store = customers(sandbox)
    assert {e: c["name"] for e, c in store.items()} == {
        "ada@example.com": "Ada", "bo@example.com": "Bo", "cy@example.com": "Cy", "di@example.com": "Di", "ed@example.com": "Ed",
        "fay@example.com": "Fay", "gil@example.com": "Gil Obi", "hal@example.com": "Hal Ng", "ivy@example.com": "Ivy",
    }
    warned = {r["sent_email"]: r["warnings"] for r in result.rows("created.csv")}
    assert warned["ada@example.com"] == "email: invisible characters removed (ZERO WIDTH SPACE)"
    assert warned["cy@example.com"] == "email: invisible characters removed (SOFT HYPHEN)"
    assert warned["di@example.com"] == "email: invisible characters removed (LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK)"
    assert warned["ed@example.com"] == "" and warned["fay@example.com"] == ""
    assert warned["gil@example.com"] == "name: taken from the email cell '\"Gil Obi\" <gil@example.com>'"


def test_a_phone_shown_with_thousands_separators_is_one_number(cli, sandbox, tmp_path: Path) -> None:
    """A phone column formatted as `#,##0` shows 46,701,234,567: the number, not a list of four."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Phone"])
    sheet.append(["Elsa Berg", "elsa@example.se", 46701234567])
    sheet.append(["Nils Ek", "nils@example.se", "+46,701,234,568"])
    sheet["C2"].number_format = "#,##0"
    book.save(tmp_path / "grouped.xlsx")
    result = import_file(cli, sandbox, tmp_path / "grouped.xlsx")
    assert result.code == 0, result.err
    assert {email: c["phone"] for email, c in customers(sandbox).items()} == {"elsa@example.se": "46701234567", "nils@example.se": "+46701234568"}
    assert result.rows("created.csv")[0]["warnings"] == "phone: '46,701,234,567' read as '46701234567' (a number shown with thousands separators)"


def test_two_addresses_are_still_refused(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email"], ["Ada", "ada@example.com; bo@example.com;"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "two.csv", rows))
    assert [r["reason_code"] for r in result.rows("invalid.csv")] == ["email-several"]


def test_a_programs_mark_for_a_missing_address_is_a_missing_address(cli, sandbox, tmp_path: Path) -> None:
    """R's write.csv writes NA where an address is missing, other programs NULL or N/A: the row is set aside as
    missing its address (not as one without an @), and a second address column fills in where it has one."""
    rows = [["Name", "Email", "Email 2"], ["Ada", "NA", "ada@example.com"], ["Bo", "NULL", "NA"], ["Cy", "cy@example.com", "NA"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "r.csv", rows))
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["ada@example.com", "cy@example.com"]
    assert [(r["Name"], r["reason_code"]) for r in result.rows("invalid.csv")] == [("Bo", "email-missing")]


# -- formulas ---------------------------------------------------------------------
def openpyxl_book(path: Path, phone: str = '="+234"&"8031234567"') -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["Name", "Email", "Phone", "Notes"])
    sheet.append(["Ada Obi", "ada@example.com", phone, "=LEN(A2)"])
    sheet.append(["Bo Li", "bo@example.com", "+2348031234568", "=LEN(A3)"])
    book.save(path)
    return path


def calculated(path: Path, values: dict[str, str]) -> Path:
    """The workbook as a spreadsheet program saves it: each formula with its value (empty text as Excel writes it, `<v/>`), and no request to calculate on opening."""
    out = path.with_name("saved-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb'\sfullCalcOnLoad="1"', b"", data)
            if item.filename.startswith("xl/worksheets/"):
                for ref, value in values.items():
                    data = re.sub(rb'<c r="' + ref.encode() + rb'"([^>]*)><f>(.*?)</f><v\s*/>', b'<c r="' + ref.encode() + rb'"\1 t="str"><f>\2</f>' + (b"<v>" + value.encode() + b"</v>" if value else b"<v/>"), data)
            target.writestr(item, data)
    return out


def test_formulas_without_saved_values_stop_before_sending(cli, sandbox, tmp_path: Path) -> None:
    path = openpyxl_book(tmp_path / "script.xlsx")
    result = import_file(cli, sandbox, path)
    assert result.code == 2 and not sandbox.store.customers
    assert "column 'Phone' (cell C2) holds formulas no spreadsheet program has calculated" in result.err
    assert "open the file in Excel or LibreOffice, save it, and import again" in result.err
    assert cli("validate", path).code == 2


def test_xlsxwriter_formulas_without_results_stop_too(cli, sandbox, tmp_path: Path) -> None:
    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Name", "Email", "Phone"])
    sheet.write_formula(1, 0, '="Ada"&" "&"Obi"')
    sheet.write_string(1, 1, "ada@example.com")
    sheet.write_string(1, 2, "+2348031234567")
    book.close()
    result = import_file(cli, sandbox, path)
    assert result.code == 2 and "column 'Name' (cell A2)" in result.err and not sandbox.store.customers


def test_formulas_with_saved_values_and_in_unread_columns_read_as_today(cli, sandbox, tmp_path: Path) -> None:
    path = calculated(openpyxl_book(tmp_path / "script.xlsx"), {"C2": "+2348031234567", "D2": "7", "D3": "5"})
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert customers(sandbox)["ada@example.com"]["phone"] == "+2348031234567"
    only_notes = calculated(openpyxl_book(tmp_path / "notes.xlsx", "+2348031234569"), {})  # the Notes formulas are not read
    assert import_file(cli, sandbox, only_notes).code == 0


def test_a_formula_whose_saved_value_is_empty_text_reads_as_a_blank_cell(cli, sandbox, tmp_path: Path) -> None:
    path = calculated(openpyxl_book(tmp_path / "script.xlsx", '=IF(B2="","",B2)'), {"C2": "", "D2": "7", "D3": "5"})
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert customers(sandbox)["ada@example.com"]["phone"] is None and customers(sandbox)["bo@example.com"]["phone"] == "+2348031234568"
    unsaved = openpyxl_book(tmp_path / "unsaved.xlsx", '=IF(B2="","",B2)')  # the same formula as the script wrote it
    assert cli("validate", unsaved).code == 2


def test_a_formula_without_a_value_deep_in_a_long_sheet_is_found(cli, tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["First Name", "Last Name", "Email", "Phone"])
    for row in range(1, 30_001):
        sheet.write_row(row, 0, ["Ada", f"P{row}", f"p{row}@example.com"])
        sheet.write_formula(row, 3, f'="+2348"&TEXT({row},"000000000")', None, f"+2348{row:09d}")
    sheet.write_formula(30_000, 3, '="+2348"&"031234567"')  # no result given: xlsxwriter writes a stand-in 0
    book.close()
    result = cli("validate", path)
    assert result.code == 2 and "column 'Phone' (cell D30001)" in result.err


def test_an_update_sends_the_unticked_box(cli, sandbox, tmp_path: Path) -> None:
    first = [["Name", "Email", "Active"], ["Ada", "ada@example.com", "✓"], ["Bo", "bo@example.com", "✓"]]
    assert import_file(cli, sandbox, write_csv(tmp_path / "first.csv", first)).code == 0
    later = [["Name", "Email", "Active"], ["Ada", "ada@example.com", ""], ["Bo", "bo@example.com", "✓"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "later.csv", later), "--on-existing", "update")
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"ada@example.com": False, "bo@example.com": True}


ACCOUNT_STATES = {
    "de": ("Status", "aktiv", "inaktiv"), "fr": ("Statut", "Actif", "Inactif"), "es": ("Estado", "Activo", "Inactivo"),
    "it": ("Stato", "attivo", "inattivo"), "nl": ("Status", "Actief", "Inactief"), "pl": ("Status", "aktywny", "nieaktywny"),
    "ru": ("Статус", "активен", "заблокирован"), "tr": ("Durum", "Aktif", "Pasif"), "cs": ("Stav", "aktivní", "neaktivní"),
    "sv": ("Kundstatus", "Aktiv", "Inaktiv"),
}


@pytest.mark.parametrize("language", list(ACCOUNT_STATES))
def test_an_account_state_in_the_merchants_language_decides_active(cli, make_sandbox, tmp_path: Path, language: str) -> None:
    header, yes, no = ACCOUNT_STATES[language]
    rows = [["Name", "Email", header], ["Ada Obi", "ada@example.com", yes], ["Bo Li", "bo@example.com", no], ["Cy Ek", "cy@example.com", yes.upper()]]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "states.csv", rows, ";", "utf-8-sig"))
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(server).items()} == {"ada@example.com": True, "bo@example.com": False, "cy@example.com": True}
    assert result.summary["columns"]["active"] == header


def test_ticks_only_past_the_judged_rows_read_every_blank_as_not_active(cli, make_sandbox, tmp_path: Path) -> None:
    """The first 1,000 rows say nothing; the ticks further down decide for every row, the first ones too."""
    ticked = {1_010, 1_020}
    rows = [["Name", "Email", "Aktiv"]] + [[f"N {i}", f"n{i}@example.com", "✓" if i in ticked else ""] for i in range(1_030)]
    path = write_csv(tmp_path / "late-ticks.csv", rows)
    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 0, result.err
    stored = {e: c["active"] for e, c in customers(server).items()}
    assert stored == {f"n{i}@example.com": i in ticked for i in range(1_030)}
    assert "column 'Aktiv' is blank in the first 1,000 rows and holds only ticks further down ('✓', first in row 1012): a blank there reads as not active" in result.summary["notes"]
    said_no = write_csv(tmp_path / "late-words.csv", rows[:-1] + [["N x", "nx@example.com", "nein"]])
    assert {r["sent_active"] for r in cli("validate", said_no).rows("valid.csv") if r["Aktiv"] == ""} == {"true"}


def test_empty_name_headers_give_way_to_a_column_of_whole_names(cli, make_sandbox, tmp_path: Path) -> None:
    rows = [["Vorname", "Nachname", "E-Mail", "Wer"], ["", "", "ada@example.com", "Ada Obi"], ["", "", "bo@example.com", "Bo Li"]]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "who.csv", rows, ";"))
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(server).items()} == {"ada@example.com": "Ada Obi", "bo@example.com": "Bo Li"}
    assert "column 'Wer' holds names and 'Vorname', 'Nachname', headed as the name, are empty in the first rows: read as the name" in result.summary["notes"]
    assert result.summary["columns"]["name"] == "Wer"


def test_an_opendocument_formula_without_a_value_stops_before_sending(cli, sandbox, tmp_path: Path) -> None:
    """A sheet written by odfpy: the formula alone, which calamine reads as a blank cell."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def text(value: str) -> TableCell:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    def book(path: Path, phone: TableCell) -> Path:
        document, table = OpenDocumentSpreadsheet(), Table(name="Kunden")
        for cells in ([text("Name"), text("Email"), text("Phone")], [text("Ada Obi"), text("ada@example.com"), phone]):
            row = TableRow()
            for cell in cells:
                row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
        document.save(str(path))
        return path

    result = import_file(cli, sandbox, book(tmp_path / "script.ods", TableCell(formula='of:="+234"&"8031234567"')))
    assert result.code == 2 and not sandbox.store.customers
    assert "column 'Phone' (cell C2) holds formulas no spreadsheet program has calculated" in result.err
    typed_only = book(tmp_path / "typed.ods", TableCell(formula='of:="+234"&"8031234567"', valuetype="string"))  # the type, no value
    assert cli("validate", typed_only).code == 2
    saved = TableCell(formula='of:="+234"&"8031234567"', valuetype="string", stringvalue="+2348031234567")
    saved.addElement(P(text="+2348031234567"))
    assert import_file(cli, sandbox, book(tmp_path / "saved.ods", saved)).code == 0
    assert customers(sandbox)["ada@example.com"]["phone"] == "+2348031234567"


def test_a_programs_mark_for_a_missing_value_is_no_name_and_no_flag(cli, make_sandbox, tmp_path: Path) -> None:
    """R's write.csv writes NA unquoted, a JavaScript export null and undefined: none of them is a name or a yes/no."""
    path = tmp_path / "r.csv"
    path.write_text(
        '"","first_name","last_name","email","phone","active"\n'
        '"1","Ada","Obi","ada@example.com",NA,NA\n"2","Bo",NA,"bo@example.com","0803 123 4567","FALSE"\n'
        '"3","Na","Kim","na@example.com",NA,"TRUE"\n"4","undefined","null","cy@example.com",NA,"null"\n',
        encoding="utf-8",
    )
    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 1
    assert {e: (c["name"], c["phone"], c["active"]) for e, c in customers(server).items()} == {
        "ada@example.com": ("Ada Obi", None, True), "bo@example.com": ("Bo", "0803 123 4567", False), "na@example.com": ("Na Kim", None, True),
    }
    warned = {r["sent_email"]: r["warnings"] for r in result.rows("created.csv")}
    assert warned["bo@example.com"] == "name: 'NA' in 'last_name' read as blank (how programs write a missing value)"
    assert warned["ada@example.com"] == (
        "active: 'NA' in 'active' read as blank (how programs write a missing value); phone: 'NA' is not a phone number: left blank"
    )
    assert [r["reason_code"] for r in result.rows("invalid.csv")] == ["name-missing"]


@pytest.mark.parametrize(("code_page", "line_end"), [("cp1252", "\r\n"), ("mac_roman", "\r")])
def test_letters_a_program_could_not_save_set_the_row_aside(cli, sandbox, tmp_path: Path, code_page: str, line_end: str) -> None:
    """Excel's "CSV (Comma delimited)" and "CSV (Macintosh)" write `?` for every letter their code page lacks: such a
    name is not the customer's, so the row is set aside saying how to save the list; the names the code page holds
    go in as written."""
    names = ["Łukasz Wójcik", "Иван Петров", "山田 太郎", "Nguyễn Văn An", "Ana Silva 明", "José Núñez", "Zoë O'Brien"]
    lines = ["Name,Email"] + [f"{name},c{i}@example.com" for i, name in enumerate(names)]
    path = tmp_path / "saved.csv"
    path.write_bytes(line_end.join(lines).encode(code_page, errors="replace") + line_end.encode())
    result = import_file(cli, sandbox, path)
    assert result.code == 1, result.err
    assert {c["name"] for c in customers(sandbox).values()} == {"José Núñez", "Zoë O'Brien"}
    lost = {r["Name"]: r["reason"] for r in result.rows("invalid.csv")}
    assert list(lost) == [name.encode(code_page, errors="replace").decode(code_page) for name in names[:5]]
    assert all("has ? where letters were" in reason and "CSV UTF-8" in reason for reason in lost.values())


def test_a_replacement_character_in_a_name_sets_the_row_aside(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email"], ["Ed Fi\ufffdve", "ed@example.com"], ["Ann Lee", "ann@example.com"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "replaced.csv", rows))
    assert result.code == 1, result.err
    assert [c["name"] for c in customers(sandbox).values()] == ["Ann Lee"]
    assert [r["reason_code"] for r in result.rows("invalid.csv")] == ["name-letters-lost"]


def test_an_address_with_letters_lost_when_the_file_was_saved_is_set_aside(cli, sandbox, tmp_path: Path) -> None:
    """Excel's "CSV" in a code page without the letters writes `?` for each (`Michał` -> `Micha?`, `Иван` -> `????`): such an
    address would create a customer no mail reaches, under a name that merely looks right. Set aside with what to do."""
    rows = [["Name", "Email"], ["Michal Nowak", "michał@example.com"], ["Ivan Petrov", "иван@example.ru"], ["Ada Obi", "ada@example.com"]]
    path = tmp_path / "lost.csv"
    with path.open("w", encoding="cp1252", errors="replace", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    result = import_file(cli, sandbox, path)
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["ada@example.com"]
    set_aside = {r["Email"]: (r["reason_code"], r["reason"]) for r in result.rows("invalid.csv")}
    assert set_aside.keys() == {"micha?@example.com", "????@example.ru"}
    assert all(code == "email-letters-lost" and "save the list as CSV UTF-8" in reason for code, reason in set_aside.values())


def test_a_name_with_a_label_is_set_aside_as_a_note_or_footer_line(cli, sandbox, tmp_path: Path) -> None:
    """A line under a list's total (`Kontakt: Petra Schmidt | petra@...`, the shop's own contact) carries an address and
    a name cell, but its name is a label and a name: never created, set aside with what to do."""
    rows = [["Name", "Email"], ["Ada Obi", "ada@example.com"], ["Anzahl", "1"], ["Kontakt: Petra Schmidt", "petra@meinshop.de"], ["山田：太郎", "taro@example.jp"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "list.csv", rows))
    assert result.code == 1, result.err
    assert sorted(customers(sandbox)) == ["ada@example.com"]
    assert [(r["Email"], r["reason_code"]) for r in result.rows("invalid.csv")] == [("petra@meinshop.de", "name-label"), ("taro@example.jp", "name-label")]

