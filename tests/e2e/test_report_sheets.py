"""The report's workbook sheets written as the sheet's XML, and a dry run's CSV lines written beside the checking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from importer.report.workbook import Sheet, save_book

from .test_machine import wide_rows

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


@pytest.mark.skipif(os.name != "posix", reason="a file size limit (RLIMIT_FSIZE)")
def test_a_dry_run_whose_csv_cannot_be_written_stops_with_exit_6(tmp_path: Path) -> None:
    import resource

    path = wide_rows(tmp_path / "wide.csv")
    limit = 2_000_000  # valid.csv grows past it; its lines are written on the report's own thread

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "importer", "validate", str(path), "--reports-dir", str(reports), "--no-progress"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=limited)
    assert done.returncode == 6, done.stderr
    assert "the report could not be written" in done.stderr and "Traceback" not in done.stderr
    (folder,) = reports.iterdir()
    assert json.loads((folder / "summary.json").read_text())["exit_code"] == 6
