"""A phone cell as the number the merchant meant: placeholders, several numbers, extensions and labels,
numbers as programs write them, country and area codes in columns of their own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ..conftest import PLACEHOLDERS, customers, import_file, write_csv


def warnings_by_email(result, filename: str = "created.csv") -> dict[str, str]:
    return {r["Email"]: r["warnings"] for r in result.rows(filename)}


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


@pytest.mark.parametrize("region", [None, "GB"])
def test_a_calling_code_or_a_fragment_is_no_phone_the_shortest_numbers_are(cli, make_sandbox, tmp_path: Path, region: str | None) -> None:
    """A form's prefilled `+234` with nothing after it, or two digits, is no number: left blank, said. The shortest
    real numbers, Niue's `+683 4002` and a four-digit local line, are sent (under `--phone-region`, read as its numbers)."""
    short = ["+234", "+44 ", "00 49", "(+1)", "12", "+49 30 12", "44.0"]
    kept = {"+683 4002": "+6834002", "+44 20 7946 0958": "+442079460958"} | ({} if region else {"4711": "4711"})
    rows = [["Name", "Email", "Phone"]] + [[f"P {i}", f"p{i}@example.com", cell] for i, cell in enumerate(short + list(kept))]
    server = make_sandbox()
    result = import_file(cli, server, write_csv(tmp_path / "short.csv", rows), *(("--phone-region", region) if region else ()))
    assert result.code == 0, result.err
    phones = [c["phone"] for c in sorted(customers(server).values(), key=lambda c: int(c["name"].split()[1]))]
    assert phones[: len(short)] == [None] * len(short)
    assert phones[len(short) :] == (list(kept.values()) if region else list(kept))
    warned = warnings_by_email(result)
    assert [warned[f"p{i}@example.com"] for i in range(len(short))] == [f"phone: {cell.strip()!r} has too few digits to be a phone number: left blank" for cell in short]


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
         "Phone": [447911123123.0, 7911123124.0, None, 7911123125.5]}
    )
    path = tmp_path / "script.csv"
    frame.to_csv(path, index=False)
    text = path.read_text(encoding="utf-8").replace("cy@example.com,", 'cy@example.com,"=""07911123126"""')
    text = text.replace("Cy,", '="Cy",')
    path.write_text(text, encoding="utf-8")
    result = import_file(cli, sandbox, path, "--phone-region", "GB")
    store = customers(sandbox)
    assert {e: (c["name"], c["phone"]) for e, c in store.items()} == {
        "ada@example.com": ("Ada", "+447911123123"),
        "bo@example.com": ("Bo", "+447911123124"),
        "cy@example.com": ("Cy", "+447911123126"),
        "di@example.com": ("Di", None),
    }
    warned = warnings_by_email(result)
    assert warned["ada@example.com"] == "phone: '447911123123.0' read as '447911123123' (a whole number written with a decimal point)"
    assert warned["cy@example.com"] == ""
    assert warned["di@example.com"] == "phone: '7911123125.5' is a number with a fraction, not a phone number: left blank"


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


def test_what_does_not_show_is_no_part_of_a_phone(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Phone"], ["Ada", "ada@example.com", "\u202a+234 803\u00a0123 4567\u202c"], ["Bo", "bo@example.com", "0803\u200b765 4321"]]
    import_file(cli, sandbox, write_csv(tmp_path / "marks.csv", rows))
    store = customers(sandbox)
    assert (store["ada@example.com"]["phone"], store["bo@example.com"]["phone"]) == ("+234 803 123 4567", "0803765 4321")


@pytest.mark.parametrize("cell, label", [("0803 123 4567 (home)", "home"), ("0803 123 4567 mobile", "mobile"), ("+234 803 123 4567 [Work]", "Work")])
def test_a_label_the_sent_number_cannot_hold_is_named(cli, make_sandbox, tmp_path: Path, cell: str, label: str) -> None:
    path = write_csv(tmp_path / "label.csv", [["Name", "Email", "Phone"], ["Ada", "ada@example.com", cell]])
    server = make_sandbox()
    result = import_file(cli, server, path, "--phone-region", "NG")
    assert customers(server)["ada@example.com"]["phone"] == "+2348031234567"
    assert warnings_by_email(result)["ada@example.com"] == f"phone: label {label!r} not sent (an international number has no place for it)"


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


def test_a_column_of_country_codes_goes_before_each_phone_written_without_one(cli, make_sandbox, tmp_path: Path) -> None:
    """A register keeps the country code apart: it is part of the number the merchant means."""
    rows = [
        ["Name", "E-Mail", "Ländervorwahl", "Handy"],
        ["Ada", "ada@example.com", "+234", "0803 123 4567"],  # a trunk 0, kept as (0)
        ["Bo", "bo@example.com", "44", "7911 123123"],
        ["Cy", "cy@example.com", "234", "234 805 111 2222"],  # the code written twice: once is enough
        ["Di", "di@example.com", "91", "9123456789"],  # digits that begin like the code and are not it
        ["Ed", "ed@example.com", "+39", "+39 06 1234 5678"],  # already international
        ["Fay", "fay@example.com", "234", "N/A"],
        ["Gil", "gil@example.com", "", "0803 123 4567"],
        ["Hal", "hal@example.com", "39", "06 1234 5678"],  # Italy: the leading 0 is part of the number
        ["Ivo", "ivo@example.com", "7", "8 916 123-45-67"],  # Russia dials 8 at home
        ["Jo", "jo@example.com", "36", "06 30 123 4567"],  # Hungary dials 06 at home
        ["Kay", "kay@example.com", "1", "1 202 456 1111"],  # North America dials 1 first
    ]
    path = write_csv(tmp_path / "codes.csv", rows, ";")
    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 0, result.err
    assert {e.split("@")[0]: c["phone"] for e, c in customers(server).items()} == {
        "ada": "+234 (0)803 123 4567", "bo": "+44 7911 123123", "cy": "+234 805 111 2222", "di": "+91 9123456789",
        "ed": "+39 06 1234 5678", "fay": None, "gil": "0803 123 4567", "hal": "+39 06 1234 5678", "ivo": "+7 916 123-45-67",
        "jo": "+36 30 123 4567", "kay": "+1 202 456 1111",
    }
    assert result.summary["columns"]["phone_country_code"] == "Ländervorwahl"
    assert any(note.startswith("column 'Ländervorwahl' holds the phones' country codes") for note in result.summary["notes"])
    server = make_sandbox()
    import_file(cli, server, path, "--phone-region", "NG")
    assert {e.split("@")[0]: c["phone"] for e, c in customers(server).items()} == {
        "ada": "+2348031234567", "bo": "+447911123123", "cy": "+2348051112222", "di": "+919123456789",
        "ed": "+390612345678", "fay": None, "gil": "+2348031234567", "hal": "+390612345678", "ivo": "+79161234567",
        "jo": "+36301234567", "kay": "+12024561111",
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


def test_an_italian_register_with_its_area_codes_apart_sends_them_before_the_number(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Nome", "Cognome", "Email", "Prefisso", "Telefono", "Cellulare"],
            ["Francesca", "Romano", "francesca@example.it", "06", "1234567", ""], ["Paolo", "Greco", "paolo@example.it", "", "", "333 1234567"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "rubrica.csv", rows))
    assert result.code == 0, result.err
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {"francesca@example.it": "06 1234567", "paolo@example.it": "333 1234567"}
    assert result.summary["columns"]["phone_area_code"] == "Prefisso"


@pytest.mark.parametrize(("region", "local", "whole", "e164"), [
    ("US", "555-0142", "(212) 555-0143", "+12125550143"),
    ("GB", "7946 0958", "020 7946 0958", "+442079460958"),
    ("AU", "9876 5432", "02 9876 5432", "+61298765432"),
    ("NG", "0551234567", "0803 123 4567", "+2348031234567"),
])
def test_a_number_without_its_area_code_is_never_given_a_country_code(cli, sandbox, tmp_path: Path, region: str, local: str, whole: str, e164: str) -> None:
    """Under --phone-region, digits of a possible length that are no number of the region (a local number written
    without its area code) are sent as written, with a warning: a country code before them would make them another
    customer's number. A whole number of the region is sent in E.164."""
    rows = [["Name", "Email", "Phone"], ["Ada", "ada@example.com", local], ["Bo", "bo@example.com", whole]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "local.csv", rows), "--phone-region", region)
    assert result.code == 0, result.err
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {"ada@example.com": local, "bo@example.com": e164}
    assert warnings_by_email(result) == {"ada@example.com": f"phone: {local!r} is not a {region} number; sent as written", "bo@example.com": ""}


def test_a_column_of_codes_for_one_phone_goes_before_that_phone_only(cli, make_sandbox, tmp_path: Path) -> None:
    """`Mobile Country Code` is the mobile's, `Work Area Code` the work phone's, `Fax Country Code` no sent phone's:
    a home number sent in their place keeps its own digits."""
    cases = {
        "mobile": ([["Name", "Email", "Phone", "Mobile Country Code", "Mobile"], ["Ada", "ada@example.com", "020 7946 0958", "+234", "0803 123 4567"],
                    ["Bo", "bo@example.com", "", "+234", "0803 765 4321"]], {"ada@example.com": "020 7946 0958", "bo@example.com": "+234 (0)803 765 4321"}),
        "work": ([["Name", "Email", "Home Phone", "Work Area Code", "Work Phone"], ["Ada", "ada@example.com", "030 1234567", "089", "7654321"],
                  ["Bo", "bo@example.com", "", "089", "7654322"]], {"ada@example.com": "030 1234567", "bo@example.com": "089 7654322"}),
        "fax": ([["Name", "Email", "Fax Country Code", "Fax", "Phone"], ["Ada", "ada@example.com", "+44", "20 7946 0000", "0803 123 4567"]],
                {"ada@example.com": "0803 123 4567"}),
        "the only phone": ([["Name", "Email", "Mobile Country Code", "Phone"], ["Ada", "ada@example.com", "+234", "803 123 4567"]],
                           {"ada@example.com": "+234 803 123 4567"}),
        "named after": ([["Name", "Email", "Country Code (Work)", "Work Phone", "Home Phone"], ["Ada", "ada@example.com", "+44", "", "803 123 4567"],
                         ["Bo", "bo@example.com", "+44", "20 7946 0958", ""]], {"ada@example.com": "803 123 4567", "bo@example.com": "+44 20 7946 0958"}),
    }
    for kind, (rows, phones) in cases.items():
        server = make_sandbox()
        result = import_file(cli, server, write_csv(tmp_path / f"{kind}.csv", rows))
        assert result.code == 0, (kind, result.err)
        assert {e: c["phone"] for e, c in customers(server).items()} == phones, kind


def test_a_date_or_a_time_in_the_phone_column_is_no_phone(cli, sandbox, tmp_path: Path) -> None:
    """A workbook's date and time cells (a date typed where the phone goes, or digits Excel turned into one) are sent
    as no phone, with a warning, whatever their digits; Excel shows them as 01/03/2024 and 12:00."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Phone"])
    for name, email, phone, shown in [("Ada Obi", "ada@example.com", datetime.datetime(2024, 3, 1), "dd/mm/yyyy"),
                                      ("Bo Eze", "bo@example.com", datetime.time(12, 0), "h:mm"), ("Cy Ama", "cy@example.com", "0803 123 4567", "General"),
                                      ("Di Lee", "di@example.com", datetime.timedelta(days=1, hours=2), "[h]:mm:ss")]:
        sheet.append([name, email, phone])
        sheet.cell(sheet.max_row, 3).number_format = shown
    book.save(tmp_path / "dates.xlsx")
    result = import_file(cli, sandbox, tmp_path / "dates.xlsx")
    assert result.code == 0, result.err
    assert {e: c.get("phone") for e, c in customers(sandbox).items()} == {
        "ada@example.com": None, "bo@example.com": None, "cy@example.com": "0803 123 4567", "di@example.com": None,
    }
    warned = {r["sent_email"]: r["warnings"] for r in result.rows("created.csv")}
    assert "is a date or a time, not a phone number: left blank" in warned["ada@example.com"] and "is a date or a time" in warned["bo@example.com"]
