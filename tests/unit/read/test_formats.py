"""Numeric workbook cells read as Excel shows them under their number formats."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import given
from hypothesis import strategies as st

from importer.read import numbers, sheet_xml, styles
from importer.errors import InputError
from importer.read.numbers import shown
from importer.read.sheet_xml import sheet_xml as read_sheet_xml

def sheet_formats(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """The number formats the one pass over a sheet's XML finds."""
    return read_sheet_xml(path, sheet).formats


US_PHONE = "[<=9999999]###-####;(###) ###-####"
ACCOUNTING = '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)'

SHOWN = [
    # General: every digit, no exponent, no trailing .0
    (2348012345678, "General", "2348012345678"),
    (447700900123.0, "General", "447700900123"),
    (234801234567, "General", "234801234567"),
    (1e-05, "General", "0.00001"),
    (0.1 + 0.2, "General", "0.3"),
    (-1.5, "General", "-1.5"),
    (1e20, "General", "100000000000000000000"),
    (1234567890123456, "General", "1234567890123456"),
    (0, "General", "0"),
    # zero padding and literal prefixes and suffixes
    (8031234567, "00000000000", "08031234567"),
    (8031234567.0, "00000000000", "08031234567"),
    (2348012345678, "+0", "+2348012345678"),
    (447700900123, "+0", "+447700900123"),
    (447700900123, '"+"0', "+447700900123"),
    (2348012345678, '"+"0', "+2348012345678"),
    (447700900123, "\\+0", "+447700900123"),
    (8031234567, '"+234 "0', "+234 8031234567"),
    (12, '0" ext"', "12 ext"),
    (8012345678, "(000) 000-0000", "(801) 234-5678"),
    (8012345678, "000-000-0000", "801-234-5678"),
    (2348012345678, "0 000 000 0000", "234 801 234 5678"),
    (123, "0000 0000", "0000 0123"),
    (5, "$0", "$5"),
    (5, "0_)", "5 "),
    (5, "**0", "5"),
    # placeholders
    (0, "#", ""),
    (8675309, "###-####", "867-5309"),
    (5309, "###-####", "-5309"),
    (5, "???", "  5"),
    (1.5, "0.0#", "1.5"),
    (1.256, "0.0#", "1.26"),
    (1.5, "0.??", "1.5 "),
    (1, "0.##", "1."),
    (0.5, ".00", ".50"),
    # thousands, decimals (half away from zero), percent, scaling
    (1234567, "#,##0", "1,234,567"),
    (999, "#,##0", "999"),
    (1234.5, "#,##0.00", "1,234.50"),
    (-1234.5, "#,##0.00", "-1,234.50"),
    (2.675, "0.00", "2.68"),
    (-2.675, "0.00", "-2.68"),
    (2.5, "0", "3"),
    (-2.5, "0", "-3"),
    (-0.4, "0", "-0"),
    (0.125, "0%", "13%"),
    (0.5, "0.0%", "50.0%"),
    (12345, "0,", "12"),
    (1234567, '#,##0,"K"', "1,235K"),
    (1234567, '0.0,,"M"', "1.2M"),
    # sections: a negative section shows only the signs it writes
    (-5, "0;(0)", "(5)"),
    (-5, "0;0", "5"),
    (-5, "0;-0", "-5"),
    (0, '0;-0;"zero"', "zero"),
    (-5, "0;;", ""),
    (5, "+0;-0;0", "+5"),
    (-5, "+0;-0;0", "-5"),
    (0, "+0;-0;0", "0"),
    (1234, ACCOUNTING, " 1,234 "),
    (-1234, ACCOUNTING, " (1,234)"),
    (0, ACCOUNTING, " - "),
    # conditions (US phone formats), colours, locales and currencies
    (8675309, US_PHONE, "867-5309"),
    (2813308004, US_PHONE, "(281) 330-8004"),
    (5, "[Red]0", "5"),
    (-5, "0;[Red]-0", "-5"),
    (-5, "0;[Red]0", "5"),
    (447700900123, "[$-409]+0", "+447700900123"),
    (1234.5, "[$€-407] #,##0.00", "€ 1,234.50"),
    (1234.5, "#,##0.00 [$€-407]", "1,234.50 €"),
    # text formats show a number as General
    (447700900123, "@", "447700900123"),
    (447700900123, '"Tel "@', "447700900123"),
    (12, "0;-0;0;@", "12"),
    # what cannot be rendered exactly reads as General, every digit kept
    (1.5, "# ?/?", "1.5"),
    (2348012345678, "0.00E+00", "2348012345678"),
    (-12345, "0.00E+00", "-12345"),
    # a boolean reads as Excel shows it, whatever the format
    (True, "0", "TRUE"),
]


@pytest.mark.parametrize(("value", "code", "text"), SHOWN, ids=[f"{v!r} {c}" for v, c, _ in SHOWN])
def test_a_number_reads_as_excel_shows_it(value: float | int, code: str, text: str) -> None:
    assert shown(value, code) == text


# Formats a whole number shows through as its digits, padded and framed by literal text, and formats it does not.
FRAMING = ["0", "+0", "00000000000", '"+"0', '"Tel. "0" (mobile)"', "#", "?????????", "##0", "0_)", "\\+0", "+0;-0;0", "[$€-407] 0"]
NOT_FRAMING = ["#,##0", "0.0", "0.", "0%", "0,", US_PHONE, "(000) 000-0000", "General", "@", "0.00E+00", ACCOUNTING]


@given(st.one_of(st.integers(min_value=0, max_value=10**22), st.integers(min_value=0, max_value=2**53).map(float)), st.sampled_from(FRAMING + NOT_FRAMING))
def test_a_whole_number_framed_by_its_format_reads_as_the_placeholder_walk_shows_it(value: int | float, code: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "framed_digits", lambda code: None)
        walked = shown(value, code)
    assert shown(value, code) == walked


def test_only_formats_that_frame_the_digits_take_the_short_way() -> None:
    assert all(numbers.framed_digits(code) is not None for code in FRAMING)
    assert all(numbers.framed_digits(code) is None for code in NOT_FRAMING)


@pytest.mark.parametrize("code", ["yyyy-mm-dd", "d/m/yyyy", "[$-409]dddd, mmmm dd, yyyy", "[h]:mm", "mm:ss", "h:mm AM/PM"])
def test_a_date_or_time_format_is_left_to_the_date_value(code: str) -> None:
    assert shown(45000.5, code) is None


def test_numbers_as_pandas_holds_them_read_the_same() -> None:
    assert shown(np.int64(447700900123), "+0") == "+447700900123"
    assert shown(np.float64(8031234567.0), "00000000000") == "08031234567"
    assert shown(float("nan"), "+0") is None


# -- workbooks ----------------------------------------------------------------
COLUMNS = [  # header, number format, value, what Excel shows
    ("Name", None, "Ada Obi", None),
    ("Phone", "+0", 2348012345678, "+2348012345678"),
    ("Mobile", '"+"0', 447700900123, "+447700900123"),
    ("Local", "00000000000", 8031234567, "08031234567"),
    ("US", US_PHONE, 2813308004, "(281) 330-8004"),
    ("Plain", "General", 234801234567, "234801234567"),
    ("Typed", "@", 447700900123, "447700900123"),
    ("Spent", "#,##0.00", 1234.5, "1,234.50"),
    ("Share", "0%", 0.125, "13%"),
    ("Joined", "yyyy-mm-dd", datetime(2024, 3, 5), None),
]


def workbook(path: Path, first_row: int = 1, first_col: int = 1, columns: list = COLUMNS) -> Path:
    """A sheet `Customers` whose header starts at (first_row, first_col), then two rows of customers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    book.create_sheet("Notes")["A1"] = "kept for reference"
    for j, (header, code, value, _) in enumerate(columns):
        sheet.cell(first_row, first_col + j, header)
        for i in (1, 2):
            cell = sheet.cell(first_row + i, first_col + j, value)
            if code:
                cell.number_format = code
    book.save(path)
    return path


def cells_as_shown(path: Path, sheet: str = "Customers") -> dict[tuple[int, int], str]:
    """Every numeric cell of the sheet as the reader renders it: pandas on calamine, formats from openpyxl."""
    frame = pd.read_excel(path, sheet_name=sheet, engine="calamine", header=None)
    found = sheet_formats(path, sheet)
    texts = {}
    for (i, j), value in np.ndenumerate(frame.to_numpy(dtype=object)):
        if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and not pd.isna(value):
            texts[i, j] = shown(value, found.get((i, j), "General"))
    return texts


def expected_texts(first_row: int, first_col: int) -> dict[tuple[int, int], str]:
    return {
        (first_row - 1 + i, first_col - 1 + j): text
        for j, (_, _, _, text) in enumerate(COLUMNS)
        if text is not None
        for i in (1, 2)
    }


@pytest.mark.parametrize(("first_row", "first_col"), [(1, 1), (3, 3)], ids=["at A1", "at C3"])
def test_every_numeric_cell_reads_as_excel_shows_it(tmp_path: Path, first_row: int, first_col: int) -> None:
    path = workbook(tmp_path / "customers.xlsx", first_row, first_col)
    assert cells_as_shown(path) == expected_texts(first_row, first_col)


def test_pandas_lays_a_sheet_out_from_a1_even_when_its_first_used_cell_is_c3(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["C5"] = 8031234567, "Ada", 447700900123
    book.save(tmp_path / "offset.xlsx")
    frame = pd.read_excel(tmp_path / "offset.xlsx", sheet_name=sheet.title, engine="calamine", header=None)
    assert frame.shape == (5, 4)
    assert (frame.iat[2, 2], frame.iat[2, 3], frame.iat[4, 2]) == (8031234567, "Ada", 447700900123)
    assert frame.iloc[:2].isna().all().all() and frame.iloc[:, :2].isna().all().all()


def test_only_cells_whose_format_changes_a_number_are_listed(tmp_path: Path) -> None:
    path = workbook(tmp_path / "customers.xlsx", 3, 3)
    found = sheet_formats(path, "Customers")
    assert set(found.values()) == {"+0", '"+"0', "00000000000", US_PHONE, "#,##0.00", "0%"}
    assert found[3, 3] == "+0" and found[4, 3] == "+0"
    assert sheet_formats(path, "Notes") == {}


def test_a_workbook_whose_styles_format_no_number_is_not_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [c for c in COLUMNS if c[1] in (None, "General", "@", "yyyy-mm-dd")]
    path = workbook(tmp_path / "plain.xlsx", columns=plain)

    def scanned(*args: object) -> None:
        raise AssertionError("the sheet's cells were looked at")

    monkeypatch.setattr(sheet_xml, "_StyledCells", scanned)
    monkeypatch.setattr(sheet_xml, "_every_cell", scanned)
    assert sheet_formats(path, "Customers") == {}


def test_formats_of_xls_and_ods_are_read_and_of_xlsb_not(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    sheet.write(0, 0, 447700900123, xlwt.easyxf(num_format_str="+0"))
    sheet.write(0, 1, 447700900123)
    sheet.write(1, 0, "+0 as text", xlwt.easyxf(num_format_str="+0"))
    book.save(str(tmp_path / "old.xls"))
    pd.DataFrame({"Phone": [447700900123]}).to_excel(tmp_path / "open.ods", sheet_name="Customers", engine="odf")
    with zipfile.ZipFile(tmp_path / "binary.xlsb", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert sheet_formats(tmp_path / "old.xls", "Customers") == {(0, 0): "+0"}
    for name in ("open.ods", "binary.xlsb"):  # pandas writes no number style
        assert sheet_formats(tmp_path / name, "Customers") == {}, name


@pytest.mark.parametrize("parts, code, value, seen", [
    ('<number:number number:decimal-places="0" number:min-integer-digits="11"/>', "00000000000", 8007973434, "08007973434"),
    ('<number:text>+</number:text><number:number number:decimal-places="0" loext:min-decimal-places="0" number:min-integer-digits="1"/>',
     '"+"0', 2349048292279, "+2349048292279"),
    ('<number:number number:min-integer-digits="1"/>', "General", 1234.5, "1234.5"),  # LibreOffice's N0
    ('<number:text>+</number:text><number:number number:min-integer-digits="1"/>', '"+"General', 2349048292279, "+2349048292279"),
    ('<number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>', "#,##0.00", 1234567.891, "1,234,567.89"),
    ('<number:number number:decimal-places="3" number:min-decimal-places="1" number:min-integer-digits="0"/>', "#.0##", 0.5, ".5"),
    ('<number:number number:min-integer-digits="10"><number:embedded-text number:position="4">-</number:embedded-text>'
     '<number:embedded-text number:position="7">) </number:embedded-text></number:number>', '000") "000"-"0000', 6505550100, "650) 555-0100"),
    ('<number:text>tel "</number:text><number:number number:decimal-places="0" number:min-integer-digits="1"/>', '\\t\\e\\l\\ \\"0', 42, 'tel "42'),
    ('<number:scientific-number number:decimal-places="2" number:min-integer-digits="1" number:min-exponent-digits="2"/>', "General", 2348012345678, "2348012345678"),
])
def test_an_ods_number_style_is_the_excel_code_that_shows_a_number_alike(parts: str, code: str, value: float, seen: str) -> None:
    from xml.etree.ElementTree import fromstring

    from importer.read.opendocument import number_style_code

    element = fromstring(
        '<number:number-style xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
        'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
        f'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="N1">{parts}</number:number-style>'
    )
    assert number_style_code(element).own == code
    assert shown(value, code) == seen


def test_a_workbook_named_like_a_csv_still_gives_its_formats(tmp_path: Path) -> None:
    path = workbook(tmp_path / "customers.xlsx")
    renamed = path.rename(tmp_path / "customers.csv")
    assert sheet_formats(renamed, "Customers")[1, 1] == "+0"


def rewritten(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the workbook with one part of its archive changed."""
    copy = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change(data) if item.filename == part else data)
    return copy


SHEET = "xl/worksheets/sheet1.xml"
LAYOUTS = {
    "style before reference": lambda xml: re.sub(rb'<c r="(\w+)" s="(\d+)"', rb'<c s="\2" r="\1"', xml),
    "single quotes": lambda xml: re.sub(rb"<c ([^>]*)>", lambda m: b"<c " + m[1].replace(b'"', b"'") + b">", xml),
    "namespace prefix": lambda xml: re.sub(rb"<(/?)(worksheet|sheetData|row|c|v|is|t)\b", rb"<\1x:\2", xml).replace(b"xmlns=", b"xmlns:x="),
    "styled rows": lambda xml: re.sub(rb'<row r="(\d+)"', rb'<row r="\1" s="1" customFormat="1"', xml),
    "newlines between attributes": lambda xml: xml.replace(b'" s="', b'"\n  s="'),
    "cells without references": lambda xml: re.sub(rb' r="[A-Z]+\d+"', b"", xml),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_cells_are_found_however_the_sheet_xml_is_laid_out(tmp_path: Path, layout: str) -> None:
    path = rewritten(workbook(tmp_path / "customers.xlsx"), SHEET, LAYOUTS[layout])
    assert cells_as_shown(path) == expected_texts(1, 1)


def test_a_default_style_that_formats_numbers_applies_to_unstyled_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B2"] = 447700900123, 8031234567
    sheet["B2"].number_format = "00000000000"
    path = tmp_path / "default.xlsx"
    book.save(path)

    def plus_by_default(xml: bytes) -> bytes:
        xml = re.sub(rb"(<numFmts[^>]*>)", rb'\1<numFmt numFmtId="200" formatCode="+0"/>', xml, count=1)
        return re.sub(rb'(<cellXfs[^>]*><xf )numFmtId="0"', rb'\1numFmtId="200"', xml, count=1)

    changed = rewritten(path, "xl/styles.xml", plus_by_default)
    assert sheet_formats(changed, sheet.title) == {(0, 0): "+0", (1, 1): "00000000000"}
    assert cells_as_shown(changed, sheet.title) == {(0, 0): "+447700900123", (1, 1): "08031234567"}


def test_a_sheet_longer_than_one_read_is_found_whole(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    for i in range(40_000):
        phone = openpyxl.cell.WriteOnlyCell(sheet, 2348000000000 + i)
        phone.number_format = "+0"
        sheet.append([f"user{i}@example.com", phone])
    path = tmp_path / "long.xlsx"
    book.save(path)
    assert zipfile.ZipFile(path).getinfo(SHEET).file_size > 2 * styles._CHUNK
    found = sheet_formats(path, "Customers")
    assert found == {(i, 1): "+0" for i in range(40_000)}


def test_an_unreadable_workbook_or_a_missing_sheet_is_one_clear_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "customers.xlsx")
    with pytest.raises(InputError, match="no sheet 'Orders'"):
        sheet_formats(path, "Orders")
    damaged = rewritten(path, "xl/styles.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputError, match="number formats of sheet 'Customers' cannot be read"):
        sheet_formats(damaged, "Customers")


@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(min_value=-10, max_value=10**16), st.floats(allow_nan=True), st.booleans(), st.text(max_size=3), st.none(), st.just(datetime(2024, 1, 2))),
            st.one_of(st.none(), st.sampled_from(FRAMING + NOT_FRAMING)),
        ),
        max_size=12,
    )
)
def test_a_column_reads_as_each_of_its_cells_does(cells: list[tuple[object, str | None]]) -> None:
    from importer.read.cell_formats import CellFormats
    from importer.read.numbers import cell_text, column_text

    formats = {(row, 3): code for row, (_, code) in enumerate(cells) if code is not None}
    values = [value for value, _ in cells]
    expected = [cell_text(value, formats.get((row, 3))) for row, value in enumerate(values)]
    assert column_text(list(values), 3, CellFormats(formats.items())) == expected
