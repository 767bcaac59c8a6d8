"""One cell's text as the value the merchant meant: placeholders, several numbers, extensions, numbers as
programs write them, ticks and Excel's own TRUE and FALSE, addresses as pasted, formulas without values."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from importer.sandbox import SandboxServer

from ..conftest import PLACEHOLDERS, customers, write_csv


def import_file(cli, server: SandboxServer, path: Path, *args: str):
    return cli("run", path, "--base-url", server.base_url, *args, token=server.token)


def warnings_by_email(result, filename: str = "created.csv") -> dict[str, str]:
    return {r["Email"]: r["warnings"] for r in result.rows(filename)}


# -- phones ---------------------------------------------------------------------


@pytest.mark.parametrize("region", [None, "GB"])
def test_a_placeholder_phone_is_left_blank_with_a_warning(cli, make_sandbox, tmp_path: Path, region: str | None) -> None:
    rows = [["Name", "Email", "Phone"]] + [[f"P {i}", f"p{i}@example.com", cell] for i, cell in enumerate(PLACEHOLDERS)]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "placeholders.csv", rows), *(("--phone-region", region) if region else ()))
    assert result.code == 0, result.err
    store = customers(server)
    assert {store[f"p{i}@example.com"]["phone"] for i in range(len(PLACEHOLDERS))} == {None}
    warned = warnings_by_email(result)
    assert warned["p0@example.com"] == "phone: 'N/A' is not a phone number: left blank"
    assert all(warned[f"p{i}@example.com"] == f"phone: {cell!r} is not a phone number: left blank" for i, cell in enumerate(PLACEHOLDERS))


def test_several_numbers_in_one_cell_send_the_first_and_name_the_others(cli, sandbox, tmp_path: Path) -> None:
    cells = {
        "slash": "0918 303 7785 / 0705 987 6501",
        "comma": "0918 303 7785, 0705 987 6501",
        "semicolon": "0918 303 7785; 0705 987 6501",
        "ampersand": "0918 303 7785 & 0705 987 6501",
        "or": "0918 303 7785 or 0705 987 6501",
        "o": "0918 303 7785 o 0705 987 6501",
        "three": "0918 303 7785 / 0705 987 6501 / 0916 111 2222",
    }
    rows = [["Name", "Email", "Phone"]] + [[name, f"{name}@example.com", cell] for name, cell in cells.items()]
    result = import_file(cli, sandbox, write_csv(tmp_path / "several.csv", rows), "--phone-region", "PH")
    assert result.code == 0, result.err
    store = customers(sandbox)
    assert {store[f"{name}@example.com"]["phone"] for name in cells} == {"+639183037785"}
    warned = warnings_by_email(result)
    assert warned["slash@example.com"] == "phone: '0918 303 7785 / 0705 987 6501' holds more than one number: the first was sent, not '0705 987 6501'"
    assert warned["three@example.com"].endswith("not '0705 987 6501', '0916 111 2222'")


def test_a_two_number_cell_never_reads_as_a_wrong_region(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Phone"], ["Ana", "ana@example.com", "(212) 555-0102 / (212) 555-0199"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "two.csv", rows), "--phone-region", "US")
    assert customers(sandbox)["ana@example.com"]["phone"] == "+12125550102"
    assert warnings_by_email(result)["ana@example.com"] == (
        "phone: '(212) 555-0102 / (212) 555-0199' holds more than one number: the first was sent, not '(212) 555-0199'"
    )


def test_an_area_code_before_a_slash_is_part_of_the_number(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Telefon"], ["Jan", "jan@example.de", "089/1234567"], ["Eva", "eva@example.de", "0171 / 2345678"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "de.csv", rows, ";"), "--phone-region", "DE")
    store = customers(sandbox)
    assert (store["jan@example.de"]["phone"], store["eva@example.de"]["phone"]) == ("+49891234567", "+491712345678")
    assert set(warnings_by_email(result).values()) == {""}


@pytest.mark.parametrize("cell", ["+1 212 555 0102 ext. 12", "+1 212 555 0102 x12", "+1 (212) 555-0102 #12", "+1 212 555 0102, ext 12", "+1 212 555 0102 poste 12"])
def test_an_extension_the_sent_number_cannot_hold_is_named(cli, make_sandbox, tmp_path: Path, cell: str) -> None:
    path = write_csv(tmp_path / "ext.csv", [["Name", "Email", "Phone"], ["Ana", "ana@example.com", cell]])
    server = make_sandbox()
    result = import_file(cli, server, path, "--phone-region", "US")
    assert customers(server)["ana@example.com"]["phone"] == "+12125550102"
    assert warnings_by_email(result)["ana@example.com"] == "phone: extension 12 not sent (an international number has no place for it)"
    server = make_sandbox()
    as_written = import_file(cli, server, path)  # sent as written, the extension with it
    assert customers(server)["ana@example.com"]["phone"] == cell and warnings_by_email(as_written)["ana@example.com"] == ""


def test_numbers_as_programs_write_them(cli, sandbox, tmp_path: Path) -> None:
    """pandas writes a phone column it read as floats with `.0`; Excel's keep-as-text CSV form is `="..."`."""
    frame = pd.DataFrame(
        {"Name": ["Ada", "Bo", "Cy", "Di"], "Email": ["ada@example.com", "bo@example.com", "cy@example.com", "di@example.com"],
         "Phone": [447700900123.0, 7700900124.0, None, 7700900125.5]}
    )
    path = tmp_path / "script.csv"
    frame.to_csv(path, index=False)
    text = path.read_text(encoding="utf-8").replace("cy@example.com,", 'cy@example.com,"=""07700900126"""')
    text = text.replace("Cy,", '="Cy",')
    path.write_text(text, encoding="utf-8")
    result = import_file(cli, sandbox, path, "--phone-region", "GB")
    store = customers(sandbox)
    assert {e: (c["name"], c["phone"]) for e, c in store.items()} == {
        "ada@example.com": ("Ada", "+447700900123"),
        "bo@example.com": ("Bo", "+447700900124"),
        "cy@example.com": ("Cy", "+447700900126"),
        "di@example.com": ("Di", None),
    }
    warned = warnings_by_email(result)
    assert warned["ada@example.com"] == "phone: '447700900123.0' read as '447700900123' (a whole number written with a decimal point)"
    assert warned["cy@example.com"] == ""
    assert warned["di@example.com"] == "phone: '7700900125.5' is a number with a fraction, not a phone number: left blank"


def test_a_phone_whose_digits_would_change_is_never_sent_changed(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Phone"],
        ["Ada", "ada@example.com", "+234 234 803 123 4567"],  # the country code twice
        ["Bo", "bo@example.com", "447911123456"],  # a UK number that lost its +
        ["Cy", "cy@example.com", "0803 123 4567"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "changed.csv", rows), "--phone-region", "NG")
    store = customers(sandbox)
    assert [store[e]["phone"] for e in ("ada@example.com", "bo@example.com", "cy@example.com")] == [None, None, "+2348031234567"]
    warned = warnings_by_email(result)
    assert warned["ada@example.com"] == "phone: '+234 234 803 123 4567' would read as +2342348031234567, with the country code 234 twice: left blank"
    assert warned["bo@example.com"] == "phone: '447911123456' is no NG number as +234447911123456, but is one as +447911123456 (write it with its +): left blank"


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


def test_two_addresses_are_still_refused(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email"], ["Ada", "ada@example.com; bo@example.com;"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "two.csv", rows))
    assert [r["reason_code"] for r in result.rows("invalid.csv")] == ["email-several"]


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
    """The workbook as a spreadsheet program saves it: each formula with its value, and no request to calculate on opening."""
    out = path.with_name("saved-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb'\sfullCalcOnLoad="1"', b"", data)
            if item.filename.startswith("xl/worksheets/"):
                for ref, value in values.items():
                    data = re.sub(rb'<c r="' + ref.encode() + rb'"([^>]*)><f>(.*?)</f><v\s*/>', b'<c r="' + ref.encode() + rb'"\1 t="str"><f>\2</f><v>' + value.encode() + b"</v>", data)
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


def test_a_placeholder_in_the_main_phone_gives_way_to_the_mobile(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Phone", "Mobile"],
        ["Ada", "ada@example.com", "N/A", "0803 123 4567"],
        ["Bo", "bo@example.com", "-", ""],
        ["Cy", "cy@example.com", "0805 765 4321", "0"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "two-phones.csv", rows), "--phone-region", "NG")
    store = customers(sandbox)
    assert [store[e]["phone"] for e in ("ada@example.com", "bo@example.com", "cy@example.com")] == ["+2348031234567", None, "+2348057654321"]
    assert warnings_by_email(result) == {"ada@example.com": "", "bo@example.com": "phone: '-' is not a phone number: left blank", "cy@example.com": ""}


def test_digits_that_read_two_ways_are_left_blank(cli, sandbox, tmp_path: Path) -> None:
    """A script wrote a German mobile without its +: 0491 is also a German area code, so the digits read two ways."""
    frame = pd.DataFrame({"Name": ["Max", "Eva"], "Email": ["max@example.de", "eva@example.de"], "Phone": [491712345678, 1712345679]})
    path = tmp_path / "script.xlsx"
    frame.to_excel(path, index=False)
    result = import_file(cli, sandbox, path, "--phone-region", "DE")
    store = customers(sandbox)
    assert (store["max@example.de"]["phone"], store["eva@example.de"]["phone"]) == (None, "+491712345679")
    assert warnings_by_email(result)["max@example.de"] == (
        "phone: '491712345678' could be +491712345678 or +49491712345678 (write it with its + or its trunk prefix): left blank"
    )


def test_an_update_sends_the_unticked_box(cli, sandbox, tmp_path: Path) -> None:
    first = [["Name", "Email", "Active"], ["Ada", "ada@example.com", "✓"], ["Bo", "bo@example.com", "✓"]]
    assert import_file(cli, sandbox, write_csv(tmp_path / "first.csv", first)).code == 0
    later = [["Name", "Email", "Active"], ["Ada", "ada@example.com", ""], ["Bo", "bo@example.com", "✓"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "later.csv", later), "--on-existing", "update")
    assert result.code == 0, result.err
    assert {e: c["active"] for e, c in customers(sandbox).items()} == {"ada@example.com": False, "bo@example.com": True}


def test_what_does_not_show_is_no_part_of_a_phone(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Phone"], ["Ada", "ada@example.com", "\u202a+234 803\u00a0123 4567\u202c"], ["Bo", "bo@example.com", "0803\u200b765 4321"]]
    import_file(cli, sandbox, write_csv(tmp_path / "marks.csv", rows))
    store = customers(sandbox)
    assert (store["ada@example.com"]["phone"], store["bo@example.com"]["phone"]) == ("+234 803 123 4567", "0803765 4321")


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


@pytest.mark.parametrize("cell, label", [("0803 123 4567 (home)", "home"), ("0803 123 4567 mobile", "mobile"), ("+234 803 123 4567 [Work]", "Work")])
def test_a_label_the_sent_number_cannot_hold_is_named(cli, make_sandbox, tmp_path: Path, cell: str, label: str) -> None:
    path = write_csv(tmp_path / "label.csv", [["Name", "Email", "Phone"], ["Ada", "ada@example.com", cell]])
    server = make_sandbox()
    result = import_file(cli, server, path, "--phone-region", "NG")
    assert customers(server)["ada@example.com"]["phone"] == "+2348031234567"
    assert warnings_by_email(result)["ada@example.com"] == f"phone: label {label!r} not sent (an international number has no place for it)"


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


def test_a_phone_header_over_names_sends_no_name_as_a_phone(cli, make_sandbox, tmp_path: Path) -> None:
    rows = [["Email", "Telefon", "Mobile"], ["ada@example.com", "Ada Obi", "0803 123 4567"], ["bo@example.com", "Bo Li", ""]]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "swapped.csv", rows))
    assert result.code == 0, result.err
    assert {e: (c["name"], c["phone"]) for e, c in customers(server).items()} == {
        "ada@example.com": ("Ada Obi", "0803 123 4567"), "bo@example.com": ("Bo Li", None),
    }
    notes = result.summary["notes"]
    assert "column 'Telefon' is headed as a phone but holds names: left out of the phone" in notes
    assert "column 'Telefon' holds names and no column is headed as the name: read as the name" in notes
    named = [["Name", "Email", "Phone"], ["Ada Obi", "ada@example.com", "Ada Obi"], ["Bo Li", "bo@example.com", "Bo Li"]]
    beside = cli("validate", write_csv(tmp_path / "beside.csv", named))
    assert {r["sent_phone"] for r in beside.rows("valid.csv")} == {""}
    assert beside.summary["unused_columns"] == [{"header": "Phone", "looks_like": "names"}]


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


def test_a_column_of_country_codes_goes_before_each_phone_written_without_one(cli, make_sandbox, tmp_path: Path) -> None:
    """A register keeps the country code apart: it is part of the number the merchant means."""
    rows = [
        ["Name", "E-Mail", "Ländervorwahl", "Handy"],
        ["Ada", "ada@example.com", "+234", "0803 123 4567"],  # a trunk 0, kept as (0)
        ["Bo", "bo@example.com", "44", "7700 900123"],
        ["Cy", "cy@example.com", "234", "234 805 111 2222"],  # the code written twice: once is enough
        ["Di", "di@example.com", "91", "9123456789"],  # digits that begin like the code and are not it
        ["Ed", "ed@example.com", "+39", "+39 06 1234 5678"],  # already international
        ["Fay", "fay@example.com", "234", "N/A"],
        ["Gil", "gil@example.com", "", "0803 123 4567"],
    ]
    path = write_csv(tmp_path / "codes.csv", rows, ";")
    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 0, result.err
    assert {e.split("@")[0]: c["phone"] for e, c in customers(server).items()} == {
        "ada": "+234 (0)803 123 4567", "bo": "+44 7700 900123", "cy": "+234 805 111 2222", "di": "+91 9123456789",
        "ed": "+39 06 1234 5678", "fay": None, "gil": "0803 123 4567",
    }
    assert result.summary["columns"]["phone_country_code"] == "Ländervorwahl"
    assert any(note.startswith("column 'Ländervorwahl' holds the phones' country codes") for note in result.summary["notes"])
    server = make_sandbox()
    import_file(cli, server, path, "--phone-region", "NG")
    assert {e.split("@")[0]: c["phone"] for e, c in customers(server).items()} == {
        "ada": "+2348031234567", "bo": "+447700900123", "cy": "+2348051112222", "di": "+919123456789",
        "ed": "+390612345678", "fay": None, "gil": "+2348031234567",
    }


def test_a_column_of_area_codes_goes_before_each_phone_written_without_one(cli, make_sandbox, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Country Code", "Area Code", "Phone"],
        ["Ada", "ada@example.com", "1", "212", "555-0102"],
        ["Bo", "bo@example.com", "1", "(415)", "415 555 0100"],  # the area code written in the number too
        ["Cy", "cy@example.com", "49", "030", "1234567"],  # a trunk 0 in the area code
        ["Di", "di@example.com", "", "212", "555 0103"],
        ["Fay", "fay@example.com", "1", "212", "N/A"],
    ]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "areas.csv", rows))
    assert result.code == 0, result.err
    assert {e.split("@")[0]: c["phone"] for e, c in customers(server).items()} == {
        "ada": "+1 212 555-0102", "bo": "+1 415 555 0100", "cy": "+49 (0)30 1234567", "di": "212 555 0103", "fay": None,
    }
    assert {k: result.summary["columns"][k] for k in ("phone_country_code", "phone_area_code")} == {
        "phone_country_code": "Country Code", "phone_area_code": "Area Code",
    }
    assert result.summary["unused_columns"] == []
