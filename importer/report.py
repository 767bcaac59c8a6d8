"""The run folder: one CSV per category, summary.json and report.xlsx.

Rows are written to their category's CSV and to its workbook sheet as their
outcome arrives, so memory does not grow with the file and the workbook costs
no wait at the end of an import (its cells are written while requests are in
flight). Each CSV holds the row's original columns first, so a merchant can fix
a rejected file and import it again as it is. The workbook has the Summary sheet
first, then a sheet per category in the order the categories first occurred.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import UsageError
from .outcomes import Category, Outcome
from .private import create_file, make_folder, open_text, write_text

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

REPORT_COLUMNS = ["row", "status", "reason", "reason_code", "warnings"]
Filed = tuple[int, list[str], str]  # a row filed in the report: its number, original cells and warnings
WITH_CUSTOMER_ID = {Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.DUPLICATE}
SHEET_TITLES = {c: c.filename.removesuffix(".csv") for c in Category}
MAX_WIDTH = 60
# A workbook sheet holds at most this many rows of a category: past it a workbook
# takes minutes to write and is unusable in a spreadsheet program; the CSV has them all.
SHEET_ROW_LIMIT = 10_000
# Rows that need nothing more (created, updated, skipped, valid) get a shorter
# sheet: a sample to look at. A workbook cell costs ~11 µs of CPU on a 2-core
# machine, so 10,000 such rows added ~120 µs to every row of a 5,000-row import.
DONE_SHEET_ROW_LIMIT = 1_000
DONE = frozenset({Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.VALID})
# Control characters a workbook cannot hold (the CSV keeps them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_row_limit(category: Category) -> int:
    """How many of a category's rows its workbook sheet shows (its CSV has them all)."""
    return DONE_SHEET_ROW_LIMIT if category in DONE else SHEET_ROW_LIMIT


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


class Sheet:
    """One category's sheet, filled as rows arrive: bold header, filters, frozen top row, widths.

    Each row is written as it comes (xlsxwriter in constant-memory mode puts it on
    disk as the next one starts) and the columns are sized at close, from the widest
    value shown. Holding the first 500 rows to size the columns before writing any
    wrote them in one go, which held up every request in flight for ~80 ms.
    Every cell is written as text, so a cell reading "=HYPERLINK(...)" stays text.
    """

    def __init__(self, sheet: Worksheet, bold: Format, limit: int = SHEET_ROW_LIMIT) -> None:
        self._sheet = sheet
        self._bold = bold
        self._limit = limit
        self._written = 0
        self._widths: list[int] = []

    @property
    def full(self) -> bool:
        """Whether the sheet shows no more rows (the category's CSV still takes them)."""
        return self._written > self._limit

    def add(self, values: Sequence[str | int]) -> None:
        if self.full:
            return
        row, style, widths = self._written, self._bold if self._written == 0 else None, self._widths
        if len(values) > len(widths):
            widths.extend([0] * (len(values) - len(widths)))
        for col, value in enumerate(values):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS.sub("", value)
                self._sheet.write_string(row, col, value, style)
            else:
                self._sheet.write_number(row, col, value, style)
            widths[col] = max(widths[col], len(str(value)))
        self._written += 1

    def close(self) -> None:
        for col, width in enumerate(self._widths):
            self._sheet.set_column(col, col, min(MAX_WIDTH, width + 2))
        self._sheet.freeze_panes(1, 0)
        self._sheet.autofilter(0, 0, max(self._written, 1) - 1, max(len(self._widths), 1) - 1)


@dataclass(slots=True)
class CategoryFile:
    """Where one category's rows go: its CSV and its sheet."""

    status: str  # the category's name, kept as text: an enum's `.value` costs ~0.2 µs a row
    with_customer_id: bool
    handle: IO[str]
    sheet: Sheet

    def add(self, filed: Sequence[Filed], outcome: Outcome) -> None:
        """Rows with the same outcome, in order: one write for all their lines."""
        extra = [outcome.customer_id or ""] if self.with_customer_id else []
        lines = [[*cells, str(row), self.status, outcome.message, outcome.code, warnings, *extra] for row, cells, warnings in filed]
        self.handle.write(csv_lines([[formula_safe(cell) for cell in line] for line in lines]))
        for line in lines:
            if self.sheet.full:
                break
            self.sheet.add(line)


@dataclass
class Report:
    """Collects outcomes into a run folder; `finish` writes the summary and closes the workbook."""

    folder: Path
    header: list[str]
    info: dict[str, Any]
    counts: Counter[Category] = field(default_factory=Counter)
    warned: int = 0  # rows filed with a warning
    _files: dict[Category, CategoryFile] = field(default_factory=dict)
    _book: Any = None  # the workbook, with its Summary sheet and bold format below
    _summary: Any = None
    _bold: Any = None
    _clock: float = field(default_factory=time.monotonic)

    @classmethod
    def create(cls, reports_dir: Path, header: list[str], info: dict[str, Any]) -> Report:
        """A report whose folder is made on the first write, so a run refused at the start leaves none."""
        run_id = new_run_id()
        return cls(reports_dir / run_id, header, {"run_id": run_id, **info, "started_at": utc_now()})

    def _open_book(self) -> Any:
        """The folder and the workbook, with its Summary sheet first (filled at the end)."""
        if self._book is None:
            try:
                make_folder(self.folder)
            except OSError as exc:
                raise UsageError(f"cannot create the run folder {self.folder}: {exc.strerror}") from None
            import xlsxwriter  # see load_writer

            self._book = xlsxwriter.Workbook(str(create_file(self.folder / "report.xlsx")), {"constant_memory": True})
            self._bold = self._book.add_format({"bold": True})
            self._summary = self._book.add_worksheet("Summary")
        return self._book

    @staticmethod
    def load_writer() -> None:
        """Load the workbook writer ahead of the first row filed (an import does it while its token check is in flight).

        Loading it takes ~40 ms; on the first answer, that held up every request then in flight.
        """
        import xlsxwriter  # noqa: F401

    def add(self, filed: Sequence[Filed], outcome: Outcome) -> None:
        """File rows, in order, under one outcome's category."""
        category = outcome.category
        self.counts[category] += len(filed)
        self.warned += sum(1 for _, _, warnings in filed if warnings)
        (self._files.get(category) or self._open(category)).add(filed, outcome)

    def _open(self, category: Category) -> CategoryFile:
        book = self._open_book()
        handle = open_text(self.folder / category.filename)
        handle.write("\ufeff")  # the BOM Excel needs to read UTF-8; written once, as the utf-8-sig codec costs ~0.3 µs per write
        columns = [*self.header, *REPORT_COLUMNS]
        if category in WITH_CUSTOMER_ID:
            columns.append("customer_id")
        handle.write(csv_lines([columns]))
        sheet = Sheet(book.add_worksheet(SHEET_TITLES[category]), self._bold, sheet_row_limit(category))
        sheet.add(columns)
        opened = self._files[category] = CategoryFile(category.value, category in WITH_CUSTOMER_ID, handle, sheet)
        return opened

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def summary(self, exit_code: int) -> dict[str, Any]:
        duration = max(time.monotonic() - self._clock, 1e-9)
        return {
            **self.info,
            "run_folder": str(self.folder),
            "finished_at": utc_now(),
            "duration_s": round(duration, 3),
            "rows_per_s": round(self.rows / duration, 1),
            "rows": self.rows,
            "counts": {c.value: self.counts.get(c, 0) for c in Category},
            "rows_with_warnings": self.warned,
            "exit_code": exit_code,
        }

    def finish(self, exit_code: int) -> dict[str, Any]:
        """Close the CSVs and the workbook (its Summary sheet now filled), write summary.json."""
        for filed in self._files.values():
            filed.handle.close()
            filed.sheet.close()
        summary = self.summary(exit_code)
        self._open_book()
        summary_sheet = Sheet(self._summary, self._bold)
        for line in summary_lines(summary, list(self._files)):
            summary_sheet.add(line)
        summary_sheet.close()
        self._book.close()
        write_text(self.folder / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        return summary


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one that starts like one gets a leading
    apostrophe (OWASP's advice against CSV injection), which the reader drops again."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_lines(lines: Sequence[Sequence[str]]) -> str:
    """Lines exactly as `csv.writer` writes them.

    Usual lines (two cells or more, no quote, comma or line break in any cell) are
    joined directly, ten times cheaper than the csv module, which writes the rest.
    """
    text = "".join([",".join(cells) + "\r\n" for cells in lines])
    count = len(lines)
    if count and (
        '"' in text or text.count("\n") != count or text.count("\r") != count
        or text.count(",") != sum(map(len, lines)) - count or min(map(len, lines)) < 2
    ):
        out = io.StringIO()
        csv.writer(out).writerows(lines)
        return out.getvalue()
    return text


def summary_lines(summary: dict[str, Any], categories: list[Category]) -> list[list[str | int]]:
    """The Summary sheet: counts, then what the run was, then which sheets are cut short."""
    lines: list[list[str | int]] = [["category", "rows"], *([c, n] for c, n in summary["counts"].items())]
    lines += [[], ["run_id", summary["run_id"]], ["input", summary["input"]], ["dry_run", str(summary["dry_run"]).lower()]]
    lines += [["started_at", summary["started_at"]], ["finished_at", summary["finished_at"]], ["exit_code", summary["exit_code"]]]
    cut = [c for c in categories if summary["counts"][c.value] > sheet_row_limit(c)]
    lines += [[f"the {SHEET_TITLES[c]} sheet shows the first {sheet_row_limit(c):,} rows; {c.filename} has all"] for c in cut]
    return lines
