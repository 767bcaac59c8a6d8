"""The report workbook sheets, written row by row or column by column, hold every value as given."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from importer.report.workbook import Sheet, save_book


# Text a sheet must hold exactly as given (control characters a workbook cannot hold aside).
AWKWARD = [
    "a&b<c>d", " leading", "trailing ", "Bad\x07Bell", "line\r\nbreak", "", '=HYPERLINK("http://evil.example","x")',
    "Zoë 李 Żółć", "\tTab", "nul\x00here", "]]>", "&amp;", "+44 call", "'quoted",
]


def written(sheet: Sheet) -> bytes:
    assert sheet._rows is not None
    sheet._rows.seek(0)
    return sheet._rows.read()


def test_rows_and_columns_give_the_same_sheet_and_every_value_reads_back(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    by_row, by_column = Sheet(book.create_sheet("rows")), Sheet(book.create_sheet("columns"))
    header = [f"h{i}" for i in range(len(AWKWARD))]
    lines = [AWKWARD, AWKWARD[::-1], AWKWARD[5:] + AWKWARD[:5]]
    for sheet in (by_row, by_column):
        sheet.add(header)
    by_row.add_rows(lines)
    by_column.add_columns([pa.array(list(column)) for column in zip(*lines)])
    assert written(by_row) == written(by_column)
    for sheet in (by_row, by_column):
        sheet.close()
    path = tmp_path / "report.xlsx"
    save_book(book, [by_row, by_column], path)

    kept = [[value.replace("\x07", "").replace("\x00", "") for value in line] for line in lines]
    loaded = openpyxl.load_workbook(path)
    for title in ("rows", "columns"):
        rows = [[value or "" for value in row] for row in loaded[title].iter_rows(values_only=True)]
        assert rows == [header, *kept]
        formula = loaded[title].cell(2, AWKWARD.index('=HYPERLINK("http://evil.example","x")') + 1)
        assert formula.data_type == "s"  # text, never run as a formula
        assert loaded[title]["A1"].font.bold and loaded[title].freeze_panes == "A2"


def test_a_sheet_takes_no_more_rows_than_its_limit_either_way(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    by_row, by_column = Sheet(book.create_sheet("rows"), limit=5), Sheet(book.create_sheet("columns"), limit=5)
    for sheet in (by_row, by_column):
        sheet.add(["n"])
    by_row.add_rows([[str(i)] for i in range(3)])
    by_row.add_rows([[str(i)] for i in range(3, 9)])
    by_column.add_columns([pa.array([str(i) for i in range(3)])])
    by_column.add_columns([pa.array([str(i) for i in range(3, 9)])])
    assert by_row.full and by_column.full and written(by_row) == written(by_column)
    for sheet in (by_row, by_column):
        sheet.close()
    save_book(book, [by_row, by_column], tmp_path / "report.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert [row[0] for row in loaded["columns"].iter_rows(values_only=True)] == ["n", "0", "1", "2", "3", "4"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text(alphabet=st.sampled_from(list("ab &<>\r\n\x00\x07\x1f\x7fé李\ufffd")), max_size=4), min_size=3, max_size=3), min_size=2, max_size=8),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)
def test_columns_of_any_mix_of_blank_awkward_and_plain_cells_give_the_rows_sheet(lines: list[list[str]], skip: int, large: bool) -> None:
    """Columns with no text, with text in every cell or in some, with characters to escape or drop, cut from longer
    ones, of either Arrow text type: the same XML as the rows written one by one."""
    book = openpyxl.Workbook(write_only=True)
    by_row, by_column = Sheet(book.create_sheet("rows")), Sheet(book.create_sheet("columns"))
    for sheet in (by_row, by_column):
        sheet.add(["a", "b", "c"])
    by_row.add_rows(lines)
    kind = pa.large_string() if large else pa.string()
    by_column.add_columns([pa.array(["x"] * skip + list(column), type=kind).slice(skip) for column in zip(*lines)])
    assert written(by_row) == written(by_column)
    book.save(io.BytesIO())  # the header rows' writers closed
