"""The run folder: one CSV per category, summary.json and report.xlsx.

Rows are written to their category's CSV as their outcome arrives, so memory does
not grow with the file; the workbook is built from those CSVs at the end. Each CSV
holds the row's original columns first, so a merchant can fix a rejected file and
import it again as it is.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import secrets
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .errors import UsageError
from .outcomes import Category, Outcome

REPORT_COLUMNS = ["row", "status", "reason", "reason_code", "warnings"]
WITH_CUSTOMER_ID = {Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.DUPLICATE}
SHEET_TITLES = {c: c.filename.removesuffix(".csv") for c in Category}
WIDTH_SAMPLE_ROWS = 500
MAX_WIDTH = 60
# A workbook sheet holds at most this many rows of a category: past it a workbook
# takes minutes to write and is unusable in a spreadsheet program; the CSV has them all.
SHEET_ROW_LIMIT = 10_000
# Control characters a workbook cannot hold (the CSV keeps them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


@dataclass
class Report:
    """Collects outcomes into a run folder; `finish` writes the summary and the workbook."""

    folder: Path
    header: list[str]
    info: dict[str, Any]
    counts: Counter[Category] = field(default_factory=Counter)
    _files: dict[Category, tuple[IO[str], Any]] = field(default_factory=dict)
    _clock: float = field(default_factory=time.monotonic)

    @classmethod
    def create(cls, reports_dir: Path, header: list[str], info: dict[str, Any]) -> Report:
        """A report whose folder is made on the first write, so a run refused at the start leaves none."""
        run_id = new_run_id()
        return cls(reports_dir / run_id, header, {"run_id": run_id, **info, "started_at": utc_now()})

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the run folder {self.folder}: {exc.strerror}") from None

    def add(self, row: int, cells: list[str], outcome: Outcome, warnings: str = "") -> None:
        """File one row under its outcome's category."""
        category = outcome.category
        self.counts[category] += 1
        writer = self._writer(category)
        line = [*cells, str(row), category.value, outcome.message, outcome.code, warnings]
        if category in WITH_CUSTOMER_ID:
            line.append(outcome.customer_id or "")
        writer.writerow(line)

    def _writer(self, category: Category) -> Any:
        opened = self._files.get(category)
        if opened is None:
            self._make_folder()
            handle = (self.folder / category.filename).open("w", encoding="utf-8-sig", newline="")
            writer = csv.writer(handle)
            columns = [*self.header, *REPORT_COLUMNS]
            if category in WITH_CUSTOMER_ID:
                columns.append("customer_id")
            writer.writerow(columns)
            opened = self._files[category] = (handle, writer)
        return opened[1]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def summary(self, exit_code: int) -> dict[str, Any]:
        duration = max(time.monotonic() - self._clock, 1e-9)
        return {
            **self.info,
            "finished_at": utc_now(),
            "duration_s": round(duration, 3),
            "rows_per_s": round(self.rows / duration, 1),
            "rows": self.rows,
            "counts": {c.value: self.counts.get(c, 0) for c in Category},
            "exit_code": exit_code,
        }

    def finish(self, exit_code: int) -> dict[str, Any]:
        """Close the CSVs, write summary.json and report.xlsx; return the summary."""
        for handle, _ in self._files.values():
            handle.close()
        summary = self.summary(exit_code)
        self._make_folder()
        write_workbook(self.folder / "report.xlsx", summary, [c for c in Category if c in self._files], self.folder)
        (self.folder / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return summary


def write_workbook(path: Path, summary: dict[str, Any], categories: list[Category], folder: Path) -> None:
    """A Summary sheet and one sheet per category, every cell written as text.

    xlsxwriter in constant-memory mode: rows go to disk as they are written.
    """
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = book.add_format({"bold": True})
    lines: list[list[Any]] = [["category", "rows"], *([c, n] for c, n in summary["counts"].items())]
    lines += [[], ["run_id", summary["run_id"]], ["input", summary["input"]], ["dry_run", str(summary["dry_run"]).lower()]]
    lines += [["started_at", summary["started_at"]], ["finished_at", summary["finished_at"]], ["exit_code", summary["exit_code"]]]
    cut = [c for c in categories if summary["counts"][c.value] > SHEET_ROW_LIMIT]
    lines += [[f"the {SHEET_TITLES[c]} sheet shows the first {SHEET_ROW_LIMIT:,} rows; {c.filename} has all"] for c in cut]
    _fill(book.add_worksheet("Summary"), lines, len(lines), bold)
    for category in categories:
        with (folder / category.filename).open(encoding="utf-8-sig", newline="") as f:
            rows = itertools.islice(csv.reader(f), SHEET_ROW_LIMIT + 1)
            count = min(summary["counts"][category.value], SHEET_ROW_LIMIT) + 1
            _fill(book.add_worksheet(SHEET_TITLES[category]), rows, count, bold)
    book.close()


def _fill(sheet: Worksheet, rows: Iterable[list[Any]], count: int, bold: Format) -> None:
    """Bold header, filters, frozen top row, widths from the first rows; text stays text.

    Streams: only the first rows are held, to size the columns before writing.
    """
    rows = iter(rows)
    head = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    width = max((len(r) for r in head), default=1)
    for col in range(width):
        sample = (len(str(r[col])) for r in head if col < len(r))
        sheet.set_column(col, col, min(MAX_WIDTH, max(sample, default=8) + 2))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1) - 1, width - 1)
    for number, values in enumerate(itertools.chain(head, rows)):
        style = bold if number == 0 else None
        for col, value in enumerate(values):
            if isinstance(value, str):
                # write_string: a cell reading "=HYPERLINK(...)" stays text, never a formula
                sheet.write_string(number, col, ILLEGAL_CHARACTERS.sub("", value), style)
            else:
                sheet.write_number(number, col, value, style)
