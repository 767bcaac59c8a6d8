"""The run folder: one CSV per category, summary.json and report.xlsx.

Rows are written to their category's CSV and to its workbook sheet as their
outcome arrives, so memory does not grow with the file and the workbook costs
no wait at the end of an import. Each CSV holds the row's original columns first,
then `row`, `status`, `reason` and what is (or would be) sent, so a merchant can
fix a rejected file and import it again as it is. A dry run files each chunk's
rows a frame per category (Arrow columns, written by Arrow's CSV writer on a thread of
their own, see `Behind`); an import files the store's answers row by row. Every CSV cell
that starts like a formula gets a leading apostrophe. The workbook (openpyxl, write-only,
each sheet's rows after its header written as the sheet's XML, see `Sheet`) has the Summary
sheet first, then a sheet per category in the order the categories first occurred.
This module keeps the run folder and what goes where; the CSV lines are made in
`csv_files`, the workbook's sheets in `workbook`.
"""

from __future__ import annotations

import errno
import json
import secrets
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..columns.words import fold
from ..errors import ReportError
from ..outcomes import Category, Filed, Outcome
from .csv_files import Behind, csv_lines, frame_csv, repeated
from ..private import create_file, make_folder, write_text
from .workbook import Sheet, save_book, sheet_row_limit

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

REPORT_COLUMNS = ["row", "status", "reason"]
SENT_COLUMNS = ["sent_name", "sent_email", "sent_phone", "sent_active"]
EXTRA_COLUMNS = ["reason_code", "warnings"]
WITH_CUSTOMER_ID = {Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.DUPLICATE, Category.UNCHANGED}
SHEET_TITLES = {c: c.filename.removesuffix(".csv") for c in Category}


def own_columns(header: Sequence[str], names: Sequence[str]) -> list[str]:
    """The report's column names beside a file's header: a name the file already has (compared as
    headers are, without case, spaces or punctuation) is written `import_<name>`, repeated until it is
    unique, so a script or a re-import reads the merchant's column under its own header."""
    taken = {fold(h) for h in header}
    written = []
    for name in names:
        while fold(name) in taken:
            name = "import_" + name
        written.append(name)
    return written


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


@dataclass(frozen=True)
class Frame:
    """Rows of one category filed at once (a dry run's chunk, see filing.py), as Arrow text columns: their
    numbers, their original cells, and what is sent for each (`sent`: name, email, phone, active and warnings).

    Rows whose outcomes differ within the category (an invalid row says what to fix, a repeat which row it
    repeats) give their own in `sent` too, as `reason`, `reason_code` and `customer_id`; a column left out is
    `outcome`'s for every row.
    """

    rows: np.ndarray
    cells: list[pa.Array]
    sent: dict[str, pa.Array]
    outcome: Outcome

    @property
    def warned(self) -> int:
        """The rows filed with a warning."""
        import pyarrow.compute as pc

        return int(pc.sum(pc.not_equal(self.sent["warnings"], "")).as_py() or 0)


@dataclass(slots=True)
class CategoryFile:
    """Where one category's rows go: its CSV and its sheet."""

    status: str  # the category's name, kept as text: an enum's `.value` costs a lookup a row
    with_customer_id: bool
    handle: IO[bytes]
    sheet: Sheet

    def add(self, filed: Sequence[Filed], outcome: Outcome) -> None:
        """Rows with the same outcome, in order: one write for all their lines."""
        extra = [outcome.customer_id or ""] if self.with_customer_id else []
        lines = [
            [*cells, str(row), self.status, outcome.message, *sent, outcome.code, warnings, *extra]
            for row, cells, warnings, sent in filed
        ]
        self.handle.write(csv_lines(lines).encode("utf-8"))
        self.add_to_sheet(lines)

    def add_columns(self, columns: Sequence[pa.Array], behind: Behind) -> None:
        """Rows already laid out in the report's columns, as Arrow text; their CSV lines are written `behind`."""
        handle = self.handle
        behind.submit(lambda: handle.write(frame_csv(columns)), len(columns[0]))
        self.sheet.add_columns(columns)

    def add_to_sheet(self, lines: Sequence[Sequence[str | int]]) -> None:
        self.sheet.add_rows(lines)


@dataclass
class Report:
    """Collects outcomes into a run folder; `finish` writes the summary and closes the workbook."""

    folder: Path
    header: list[str]
    info: dict[str, Any]
    counts: Counter[Category] = field(default_factory=Counter)
    warned: int = 0  # rows filed with a warning
    unconfirmed: int = 0  # pending rows that were sent, whose answer proved nothing: the same command looks them up
    _files: dict[Category, CategoryFile] = field(default_factory=dict)
    _book: Workbook | None = None
    _summary: WriteOnlyWorksheet | None = None
    _clock: float = field(default_factory=time.monotonic)
    _seen_at: float = 0.0  # when the run folder was last seen in place
    _behind: Behind = field(default_factory=Behind)  # a dry run's CSV lines still being written

    @classmethod
    def create(cls, reports_dir: Path, header: list[str], info: dict[str, Any]) -> Report:
        """A report whose folder is made on the first write, so a run refused at the start leaves none."""
        run_id = new_run_id()
        return cls(reports_dir / run_id, header, {"run_id": run_id, **info, "started_at": utc_now()})

    def _open_book(self) -> Workbook:
        """The folder and the workbook, with its Summary sheet first (filled at the end)."""
        if self._book is None:
            with self.writing():
                make_folder(self.folder)
            import openpyxl  # see load_writer

            self._book = openpyxl.Workbook(write_only=True)
            self._summary = self._book.create_sheet("Summary")
        return self._book

    @contextmanager
    def writing(self) -> Iterator[None]:
        """A write the OS refuses (the folder deleted, a full disk, a file size limit) as a ReportError:
        the run stops sending, and its journal keeps the answers the report could not."""
        try:
            yield
            self._still_there()
        except OSError as exc:
            raise ReportError(f"the report could not be written in {self.folder} ({exc.strerror or exc})") from None

    def _still_there(self) -> None:
        """A run folder deleted under the run still takes rows into the files it had open, which no one will
        ever read: look for it once a second, so the run stops sending soon after, not at its end."""
        now = time.monotonic()
        if self._book is not None and now - self._seen_at >= 1.0:
            self._seen_at = now
            if not self.folder.is_dir():
                raise FileNotFoundError(errno.ENOENT, "the run folder was deleted")

    @staticmethod
    def load_writer() -> None:
        """Load the workbook writer ahead of the first row filed (an import does it while its token check is in flight),
        so that loading it does not hold up the requests in flight at the first answer."""
        import openpyxl  # noqa: F401
        from openpyxl.cell import WriteOnlyCell  # noqa: F401
        from openpyxl.styles import Font  # noqa: F401

    def columns(self, category: Category) -> list[str]:
        """A category's CSV header: the original columns, then the report's own (see `own_columns`)."""
        own = [*REPORT_COLUMNS, *SENT_COLUMNS, *EXTRA_COLUMNS, *(["customer_id"] if category in WITH_CUSTOMER_ID else [])]
        return [*self.header, *own_columns(self.header, own)]

    def add(self, filed: Sequence[Filed], outcome: Outcome) -> None:
        """File rows, in order, under one outcome's category."""
        category = outcome.category
        self.counts[category] += len(filed)
        self.warned += sum(1 for _, _, warnings, _ in filed if warnings)
        if category is Category.PENDING and outcome.code == "unconfirmed":
            self.unconfirmed += len(filed)
        with self.writing():
            self._behind.wait()
            target = self._files.get(category) or self._open(category, [*filed[0][1], *filed[0][3]] if filed else [])
            target.add(filed, outcome)

    def count_frame(self, frame: Frame) -> None:
        """Count a frame's rows under their outcome's category, as soon as they are checked (a dry run may file
        them later, gathered with others: see filing.py)."""
        self.counts[frame.outcome.category] += len(frame.rows)
        self.warned += frame.warned

    def add_frame(self, frame: Frame) -> None:
        """File a frame of rows counted already (`count_frame`), in order, under its outcome's category (see `Frame`)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        count = len(frame.rows)
        if not count:
            return
        outcome = frame.outcome
        category = outcome.category
        rows = pc.cast(pa.array(frame.rows), pa.string())
        def own(column: str, value: str) -> pa.Array:
            return frame.sent[column] if column in frame.sent else repeated(value, count)

        columns = [
            *frame.cells, rows, repeated(category.value, count), own("reason", outcome.message),
            *(frame.sent[c] for c in ("name", "email", "phone", "active")),
            own("reason_code", outcome.code), frame.sent["warnings"],
            *([own("customer_id", outcome.customer_id or "")] if category in WITH_CUSTOMER_ID else []),
        ]
        with self.writing():
            target = self._files.get(category) or self._open(category, [c[0].as_py() for c in columns])
            target.add_columns(columns, self._behind)

    def _open(self, category: Category, first: list[str]) -> CategoryFile:
        book = self._open_book()
        handle = create_file(self.folder / category.filename).open("wb")
        handle.write("\ufeff".encode())  # the BOM Excel needs to read UTF-8
        columns = self.columns(category)
        handle.write(csv_lines([columns]).encode("utf-8"))
        sheet = Sheet(book.create_sheet(SHEET_TITLES[category]), sheet_row_limit(category))
        sheet.size([columns, first])
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
        with self.writing():
            self._behind.wait()
            self._behind.close()
            for filed in self._files.values():
                filed.handle.close()
                filed.sheet.close()
            summary = self.summary(exit_code)
            book = self._open_book()
            assert self._summary is not None
            summary_sheet = Sheet(self._summary)
            lines = summary_lines(summary, list(self._files))
            summary_sheet.size(lines)
            summary_sheet.add_rows(lines)
            summary_sheet.close()
            save_book(book, [summary_sheet, *(filed.sheet for filed in self._files.values())], create_file(self.folder / "report.xlsx"))
            write_text(self.folder / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        return summary

    def _drop_book(self) -> None:
        """Give up the workbook: close each sheet's writer now, where its failure to write is expected, rather than
        when the collector finds it and prints the error."""
        if self._book is None:
            return
        for filed in self._files.values():
            filed.sheet.drop()
        for sheet in self._book.worksheets:
            for stream in (getattr(sheet, "_rows", None), getattr(getattr(sheet, "_writer", None), "xf", None)):
                try:
                    if stream is not None:
                        stream.close()
                except (OSError, ValueError):
                    pass
        self._book = None

    def salvage(self, exit_code: int) -> dict[str, Any]:
        """After a ReportError: summary.json alone, where it can still be written (marked `report_written: false`), so a
        script reading the run folder sees the exit code; the CSVs left behind are incomplete."""
        self._behind.close()
        for filed in self._files.values():
            try:
                filed.handle.close()
            except (OSError, ValueError):
                pass
        self._drop_book()
        summary = {**self.summary(exit_code), "report_written": False}
        try:
            make_folder(self.folder)
            write_text(self.folder / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        except OSError:
            pass
        return summary


def summary_lines(summary: dict[str, Any], categories: list[Category]) -> list[list[str | int]]:
    """The Summary sheet: counts, then what the run was, then which sheets are cut short."""
    lines: list[list[str | int]] = [["category", "rows"], *([c, n] for c, n in summary["counts"].items())]
    lines += [[], ["run_id", summary["run_id"]], ["input", summary["input"]], ["dry_run", str(summary["dry_run"]).lower()]]
    lines += [["started_at", summary["started_at"]], ["finished_at", summary["finished_at"]], ["exit_code", summary["exit_code"]]]
    cut = [c for c in categories if summary["counts"][c.value] > sheet_row_limit(c)]
    lines += [[f"the {SHEET_TITLES[c]} sheet shows the first {sheet_row_limit(c):,} rows; {c.filename} has all"] for c in cut]
    return lines
