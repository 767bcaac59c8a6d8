"""The files merchants actually have: encodings, dialects, workbooks, platform exports, odd values."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msoffcrypto.format.ooxml import OOXMLFile

from importer.cli import main
from importer.sandbox import SandboxServer

from ..conftest import SAMPLES, customers, import_file
from ..made_files import PLATFORMS


ACCENTED = [["Name", "Email", "Phone"], ["José Álvarez", "jose@example.es", "+34612345678"], ["Zoë Müller-Øst", "zoe@example.de", ""]]


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    return newline.join(delimiter.join(row) for row in rows) + newline


def names(server: SandboxServer) -> dict[str, str]:
    return {email: c["name"] for email, c in customers(server).items()}


@pytest.mark.parametrize(
    "suffix, data",
    [
        (".csv", csv_text(ACCENTED).encode("utf-8")),
        (".csv", codecs.BOM_UTF8 + csv_text(ACCENTED, ";", "\r\n").encode("utf-8")),
        (".txt", csv_text(ACCENTED, "\t", "\r\n").encode("utf-16")),  # Excel's "Unicode Text"
        (".csv", csv_text(ACCENTED, ";", "\r\n").encode("cp1252")),  # Excel on a European laptop
        (".csv", csv_text(ACCENTED, "|").encode("latin-1", errors="replace").replace(b"\xd8", b"\xd8")),
        (".tsv", csv_text(ACCENTED, "\t").encode("utf-8")),
    ],
    ids=["utf8", "utf8-bom-semicolon-crlf", "utf16-tab", "cp1252-semicolon", "latin1-pipe", "tsv"],
)
def test_encodings_and_delimiters_arrive_exactly_as_written(cli, sandbox, tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"people{suffix}"
    path.write_bytes(data)
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert names(sandbox) == {"jose@example.es": "José Álvarez", "zoe@example.de": "Zoë Müller-Øst"}
    assert customers(sandbox)["jose@example.es"]["phone"] == "+34612345678"


def test_quoted_fields_blank_lines_and_trailing_columns(cli, sandbox, tmp_path: Path) -> None:
    text = (
        'Name,Email,Notes,,\r\n'
        '"Obi, Ada",ada@example.com,"line one\nline two",,\r\n'
        '\r\n'
        ',,,,\r\n'
        'Bo Li,bo@example.com,"says ""hi""",,\r\n'
        '\r\n'
        'Cy Ng,not-an-email,,,\r\n'
    )
    path = tmp_path / "quoted.csv"
    path.write_text(text, encoding="utf-8", newline="")
    result = import_file(cli, sandbox, path)
    assert result.summary["rows"] == 3  # blank lines are not rows
    assert names(sandbox) == {"ada@example.com": "Obi, Ada", "bo@example.com": "Bo Li"}
    created = result.rows("created.csv")
    assert created[0]["Notes"] == "line one\nline two" and created[1]["Notes"] == 'says "hi"'
    assert list(created[0])[:3] == ["Name", "Email", "Notes"] and "" not in created[0]
    assert result.rows("invalid.csv")[0]["row"] == "7"  # the row number a spreadsheet shows (a multi-line cell is one row)


def test_workbook_saved_as_csv_is_read_as_a_workbook(cli, sandbox, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in ACCENTED:
        book.active.append(row)
    book.save(tmp_path / "real.xlsx")
    disguised = tmp_path / "export.csv"
    disguised.write_bytes((tmp_path / "real.xlsx").read_bytes())
    result = import_file(cli, sandbox, disguised)
    assert result.code == 0 and len(names(sandbox)) == 2


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
        ("people.xlsx", b"name,email\nA,a@example.com\n", "not a workbook"),  # Excel refuses text named .xlsx
        ("shop.xls", b"<html><body><table><tr><td>Email</td></tr></table></body></html>", "a web page (HTML)"),
        ("shop.xls", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "an Excel 2003 XML spreadsheet"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "cannot be read"),
        ("empty.csv", b"", "no rows"),
    ],
)
def test_unreadable_files_are_refused_in_one_line(cli, tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("validate", path)
    assert result.code == 2 and words in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_delimited_text_named_xls_is_read_as_excel_opens_it(cli, sandbox, tmp_path: Path) -> None:
    """A shop's "Export to Excel" that writes tab-separated text named .xls: Excel opens it as a table."""
    text = "Name\tEmail\tPhone\nJosé Núñez\tjose@example.es\t+34 612 345 678\nRené Côté\trene@example.fr\t\n"
    for encoding in ("utf-8", "cp1252", "utf-16"):
        path = tmp_path / f"export-{encoding}.xls"
        path.write_bytes(text.encode(encoding))
        result = import_file(cli, sandbox, path)
        assert result.code == 0, result.err
        assert f"export-{encoding}.xls holds delimited text, not a workbook" in result.err
    assert names(sandbox) == {"jose@example.es": "José Núñez", "rene@example.fr": "René Côté"}

MANIFEST_OF_ENCRYPTED = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4000">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AA==">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AA=="/>
   <manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AA=="/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>"""


def test_truncated_and_password_protected_workbooks(cli, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in ACCENTED * 200:
        book.active.append(row)
    book.save(tmp_path / "whole.xlsx")
    whole = (tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    with (tmp_path / "whole.xlsx").open("rb") as f:
        locked = io.BytesIO()
        OOXMLFile(f).encrypt("secret", locked)
    (tmp_path / "locked.xlsx").write_bytes(locked.getvalue())
    cut = cli("validate", tmp_path / "cut.xlsx")
    assert cut.code == 2 and "damaged" in cut.err
    protected = cli("validate", tmp_path / "locked.xlsx")
    assert protected.code == 2 and "it has a password: open it, remove the password" in protected.err and "Error" not in protected.err
    with zipfile.ZipFile(tmp_path / "locked.ods", "w") as ods:  # as LibreOffice saves one with a password: its parts encrypted, the manifest saying how
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("META-INF/manifest.xml", MANIFEST_OF_ENCRYPTED)
        ods.writestr("content.xml", bytes(range(256)) * 8)
    protected = cli("validate", tmp_path / "locked.ods")
    assert protected.code == 2 and "it has a password" in protected.err and "LibreOffice" in protected.err



def test_a_strict_open_xml_workbook_says_how_to_save_it(cli, tmp_path: Path) -> None:
    """Excel's "Strict Open XML Spreadsheet" keeps the .xlsx extension but not its namespaces: its number formats
    cannot be read, so the run stops before reading a cell and says which format to save as."""
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email", "Phone"])
    book.active.append(["Ada Obi", "ada@example.com", 2348031234567])
    book.active["C2"].number_format = '"+"0'
    book.save(tmp_path / "transitional.xlsx")
    renamed = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
    with zipfile.ZipFile(tmp_path / "transitional.xlsx") as source, zipfile.ZipFile(tmp_path / "strict.xlsx", "w") as strict:
        for part in source.infolist():
            data = source.read(part)
            for transitional, iso in renamed.items():
                data = data.replace(transitional, iso)
            strict.writestr(part, data)
    result = cli("validate", tmp_path / "strict.xlsx")
    assert result.code == 2 and "Strict Open XML" in result.err and "Save As > Excel Workbook (.xlsx)" in result.err
    assert "Error" not in result.err and len(result.err.strip().splitlines()) == 1

def test_xls_and_ods_workbooks(cli, make_sandbox, tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    for r, row in enumerate([["Name", "Email", "Phone"], ["Zoë Müller", "zoe@example.de", 2348012345678]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    pd.DataFrame({"Name": ["Zoë Müller"], "Email": ["zoe@example.de"], "Phone": [2348012345678]}).to_excel(
        tmp_path / "libre.ods", engine="odf", index=False
    )
    for name in ("old.xls", "libre.ods"):
        server = make_sandbox()
        result = import_file(cli, server, tmp_path / name)
        assert result.code == 0, result.err
        zoe = customers(server)["zoe@example.de"]
        assert (zoe["name"], zoe["phone"]) == ("Zoë Müller", "2348012345678")


def test_sheets_titles_formulas_and_cell_types(cli, make_sandbox, tmp_path: Path) -> None:
    path = tmp_path / "kept-by-hand.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("Notes")
    notes.write_row(0, 0, ["This sheet has no customers"])
    people = book.add_worksheet("People")
    people.write_row(0, 0, ["Customer list, spring 2026"])
    people.write_row(2, 0, ["Full Name", "Email Address", "Mobile", "Active", "Joined"])
    people.write_row(3, 0, ["Ada Obi", "ada@example.com"])
    people.write_number(3, 2, 2348012345678)
    people.write_boolean(3, 3, False)
    people.write_datetime(3, 4, pd.Timestamp("2024-03-01").to_pydatetime(), book.add_format({"num_format": "yyyy-mm-dd"}))
    people.write_formula(4, 0, '="Bo"&" "&"Li"', None, "Bo Li")
    people.write_string(4, 1, "bo@example.com")
    people.write_formula(4, 2, "=8012345678*1", None, 8012345678)
    people.write_boolean(4, 3, True)
    book.close()

    server = make_sandbox()
    result = import_file(cli, server, path)
    assert result.code == 0, result.err
    assert result.summary["columns"] == {"name": "Full Name", "email": "Email Address", "phone": "Mobile", "active": "Active"}
    store = customers(server)
    assert (store["ada@example.com"]["phone"], store["ada@example.com"]["active"]) == ("2348012345678", False)
    assert (store["bo@example.com"]["name"], store["bo@example.com"]["phone"], store["bo@example.com"]["active"]) == ("Bo Li", "8012345678", True)
    assert {r["row"] for r in result.rows("created.csv")} == {"4", "5"}
    assert result.rows("created.csv")[0]["Joined"].startswith("2024-03-01")

    by_position = cli("validate", path, "--sheet", "2")
    by_name = cli("validate", path, "--sheet", "People")
    assert by_position.summary["counts"]["valid"] == by_name.summary["counts"]["valid"] == 2
    assert cli("validate", path, "--sheet", "Notes").code == 2


def test_mapping_is_shown_before_sending_and_by_validate(cli, tmp_path: Path) -> None:
    path = tmp_path / "shopify.csv"
    path.write_text(csv_text([PLATFORMS["shopify"][0], ["Ada", "Obi", "ada@example.com"] + [""] * 13]), encoding="utf-8")
    result = cli("validate", path)
    assert "email <- 'Email'" in result.err and "phone <- 'Phone'" in result.err
    assert result.summary["columns"]["phone"] == "Phone"


def test_values_are_cleaned_as_a_merchant_expects(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Phone", "Status"],
        ["  Ada    Obi ", "mailto:ada@example.com", "0803 123 4567", "Y"],
        ["Bo\u0301 Li", "Bo Li <Bo.Li@Example.COM>", "+44 20 7946 0958", "disabled"],
        ["Cy Ng", "cy@example.com", "call me", "WAHR"],
        ["Di Ho", "di@example.com", "", "inactive"],
        ["Ed Ek", "ed@example.com", "", "maybe"],
        ["Fa Bo", ' "fa@example.com" ', "", "Y"],  # quotes kept in the cell by the space before them
    ]
    path = tmp_path / "values.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    result = import_file(cli, sandbox, path, "--phone-region", "ng")
    store = customers(sandbox)
    assert (store["ada@example.com"]["name"], store["ada@example.com"]["phone"], store["ada@example.com"]["active"]) == ("Ada Obi", "+2348031234567", True)
    assert (store["bo.li@example.com"]["name"], store["bo.li@example.com"]["email"]) == ("Bó Li", "Bo.Li@example.com")
    assert store["bo.li@example.com"]["phone"] == "+442079460958" and store["bo.li@example.com"]["active"] is False
    assert store["cy@example.com"]["phone"] is None and store["cy@example.com"]["active"] is True  # no digit: no phone
    assert store["di@example.com"]["active"] is False and store["fa@example.com"]["name"] == "Fa Bo"
    warned = {r["Email"]: r["warnings"] for r in result.rows("created.csv")}
    assert warned["cy@example.com"] == "phone: 'call me' is not a phone number: left blank" and warned["mailto:ada@example.com"] == ""
    assert result.rows("invalid.csv")[0]["reason_code"] == "active-invalid"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".ods"]))
def test_arbitrary_bytes_never_crash(tmp_path_factory, data: bytes, suffix: str) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    code = main(["validate", str(path), "--reports-dir", str(folder / "reports"), "--no-progress"])
    assert code in (0, 1, 2)


# What damages a real export: stray quotes, delimiters and line breaks, NULs, bytes
# of another encoding, a cell past the csv module's 131,072-character limit, and
# (b"") 20 bytes cut out.
DAMAGE = st.sampled_from([b'"', b",", b";", b"\t", b"\r", b"\n", b"\x00", b"\xff\xfe", "é".encode(), b"\x81", b"x" * 140_000, b""])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.floats(0, 1), DAMAGE), min_size=1, max_size=8))
def test_damaged_copies_of_a_real_export_never_crash(tmp_path_factory, edits: list[tuple[float, bytes]]) -> None:
    data = bytearray((SAMPLES / "customers.csv").read_bytes())
    for where, damage in edits:
        at = int(where * len(data))
        data[at:at + (0 if damage else 20)] = damage
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "customers.csv"
    path.write_bytes(bytes(data))
    code = main(["validate", str(path), "--reports-dir", str(folder / "reports"), "--no-progress"])
    assert code in (0, 1, 2)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=5), max_size=15), delimiter=st.sampled_from(",;\t|"))
def test_arbitrary_csv_shapes_give_a_complete_report(tmp_path_factory, rows: list[list[str]], delimiter: str) -> None:
    folder = tmp_path_factory.mktemp("shapes")
    path = folder / "input.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(["name", "email", "phone"])
        writer.writerows(rows)
    code = main(["validate", str(path), "--reports-dir", str(folder / "reports"), "--no-progress"])
    assert code in (0, 1)
    summary = json.loads(next((folder / "reports").glob("*/summary.json")).read_text())
    blank = sum(1 for r in rows if not any(c.strip() for c in r))
    assert summary["rows"] == sum(summary["counts"].values())
    assert summary["rows"] <= len(rows) - blank + sum(c.count("\n") + c.count("\r") for r in rows for c in r)


def test_a_csv_that_reads_as_broken_under_a_wrong_delimiter_is_read_under_the_right_one(cli, tmp_path: Path) -> None:
    # Ranked first, commas split nothing here, and the quoted line break then opens a quote that never closes.
    path = tmp_path / "semicolons.csv"
    path.write_bytes(b'name;email;phone\r\n""\r\n;"\n"\r\n')
    result = cli("validate", path)
    assert result.code == 0 and "Traceback" not in result.err
    assert result.summary["columns"] == {"name": "name", "email": "email", "phone": "phone"} and result.summary["rows"] == 0
