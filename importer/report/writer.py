"""The run folder: one CSV per category, summary.json and report.xlsx.

Rows are written to their category's CSV and to its workbook sheet as their
outcome arrives, so memory does not grow with the file and the workbook costs
no wait at the end of an import. Each CSV holds the row's original columns first,
then `row`, `status`, `reason` and what is (or would be) sent, so a merchant can
fix a rejected file and import it again as it is. A dry run files each chunk's
rows a frame per category (pandas frames, written by Arrow's CSV writer on a thread of
their own, see `Behind`); an import files the store's answers row by row. Every CSV cell
that starts like a formula gets a leading apostrophe. The workbook (openpyxl, write-only,
each sheet's rows after its header written as the sheet's XML, see `Sheet`) has the Summary
sheet first, then a sheet per category in the order the categories first occurred.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
import secrets
import shutil
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..columns.words import fold
from ..errors import ReportError
from ..outcomes import Category, Outcome
from .private import create_file, make_folder, write_text

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

REPORT_COLUMNS = ["row", "status", "reason"]
SENT_COLUMNS = ["sent_name", "sent_email", "sent_phone", "sent_active"]
EXTRA_COLUMNS = ["reason_code", "warnings"]
Sent = tuple[str, str, str, str]  # what is (or would be) sent: name, email, phone, active
NOT_SENT: Sent = ("", "", "", "")
Filed = tuple[int, list[str], str, Sent]  # a row filed in the report: its number, original cells, warnings, what is sent
WITH_CUSTOMER_ID = {Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.DUPLICATE, Category.UNCHANGED}
SHEET_TITLES = {c: c.filename.removesuffix(".csv") for c in Category}
MAX_WIDTH = 60
# A workbook sheet holds at most this many rows of a category: past it a workbook
# takes minutes to write and is unusable in a spreadsheet program; the CSV has them all.
SHEET_ROW_LIMIT = 10_000
# Rows that need nothing more (created, updated, skipped, unchanged, valid) get a shorter sheet:
# a sample to look at, so that the workbook's cost does not grow with a long import.
DONE_SHEET_ROW_LIMIT = 1_000
# How hard the workbook is compressed: the first level, since most of its time went to compressing
# rows that a spreadsheet program opens just as well from a slightly larger file.
BOOK_COMPRESSION = 1
# Rows of a dry run whose CSV lines may wait to be written (see `Behind`): a dry run's chunk and what follows it.
BEHIND_ROWS = 60_000
DONE = frozenset({Category.CREATED, Category.UPDATED, Category.SKIPPED, Category.UNCHANGED, Category.VALID})
# Control characters a workbook cannot hold (the CSV keeps them).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell that starts like a formula gets a leading apostrophe; so does one that starts with an
# apostrophe already, since the reader drops one from every cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_FORMULA_START = r"^[=+\-@\t\r']"


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


def sheet_row_limit(category: Category) -> int:
    """How many of a category's rows its workbook sheet shows (its CSV has them all)."""
    return DONE_SHEET_ROW_LIMIT if category in DONE else SHEET_ROW_LIMIT


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def formula_safe(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one that starts like one gets a leading
    apostrophe (OWASP's advice against CSV injection), which the reader drops again."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_lines(lines: Sequence[Sequence[str]]) -> str:
    """Lines as the report's CSVs hold them: every cell quoted, CRLF, as Arrow's writer writes a frame."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows([[formula_safe(c) for c in line] for line in lines])
    return out.getvalue()


def frame_csv(columns: Sequence[pa.Array]) -> pa.Buffer:
    """Columns of text cells as the same CSV lines `csv_lines` writes, column by column (Arrow's CSV writer)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as arrow_csv

    safe = []
    for cells in columns:
        starts = pc.match_substring_regex(cells, _FORMULA_START)
        safe.append(pc.if_else(starts, pc.binary_join_element_wise("'", cells, ""), cells) if pc.any(starts).as_py() else cells)
    table = pa.Table.from_arrays(safe, names=[str(i) for i in range(len(safe))])
    out = pa.BufferOutputStream()
    arrow_csv.write_csv(table, out, arrow_csv.WriteOptions(include_header=False, quoting_style="all_valid", eol="\r\n"))
    return out.getvalue()


def text_column(values: Any) -> pa.Array:
    """A pandas column (or any sequence of text) as an Arrow string array, without copying Arrow-backed text."""
    import pyarrow as pa

    array = pa.array(values, type=pa.string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def repeated(value: str, count: int) -> pa.Array:
    """One text `count` times, as an Arrow string array."""
    import numpy as np
    import pyarrow as pa

    return pa.array([value], type=pa.string()).take(pa.array(np.zeros(count, dtype=np.int32)))


class Sheet:
    """One category's sheet, filled as rows arrive: bold header, filters, frozen top row.

    openpyxl's write-only sheet takes the header row and the sheet's settings; the rows
    after it are written as the sheet's XML, to a temporary file of their own, and put in
    place when the workbook is saved (`save_book`): openpyxl builds an object for every cell
    it writes, which made a sheet of problem rows the slowest part of a dry run. The columns
    are sized from the header and the first row, since a written row cannot be revisited.
    Every cell is written as text (an inline string), so a cell reading "=HYPERLINK(...)" stays text.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, limit: int = SHEET_ROW_LIMIT) -> None:
        self._sheet = sheet
        self._limit = limit
        self._written = 0
        self._width = 0
        self._letters: list[str] = []
        self._rows: IO[bytes] | None = None  # the rows after the header, as the XML of the sheet's rows
        sheet.freeze_panes = "A2"

    @property
    def room(self) -> int:
        """How many more rows the sheet shows (the header row counts; the category's CSV takes them all)."""
        return max(self._limit + 1 - self._written, 0)

    @property
    def full(self) -> bool:
        """Whether the sheet shows no more rows (the category's CSV still takes them)."""
        return self.room == 0

    def size(self, rows: Sequence[Sequence[str | int]]) -> None:
        """Set the column widths from these first rows (before any is written)."""
        from openpyxl.utils import get_column_letter

        for col in range(max(map(len, rows), default=0)):
            width = max((len(str(row[col])) for row in rows if col < len(row)), default=0)
            self._sheet.column_dimensions[get_column_letter(col + 1)].width = min(MAX_WIDTH, max(width, 8) + 2)

    def add(self, values: Sequence[str | int]) -> None:
        self.add_rows([values])

    def add_rows(self, lines: Sequence[Sequence[str | int]]) -> None:
        """Add rows in order, as many as the sheet has room for."""
        lines = lines[: self.room]
        if not lines:
            return
        if self._written == 0:
            self._add_header(lines[0])
            lines = lines[1:]
            if not lines:
                return
        width = max(map(len, lines))
        letters, first = self._columns(width), self._written + 1
        self._write("".join(
            f'<row r="{number}">' + "".join(map(_cell_xml, letters, [str(number)] * len(values), values)) + "</row>"
            for number, values in enumerate(lines, first)
        ), width, len(lines))

    def add_columns(self, columns: Sequence[pa.Array]) -> None:
        """Add rows given as columns of Arrow text, as many as the sheet has room for: the same XML `add_rows` writes, made column by column."""
        count = min(len(columns[0]), self.room) if columns else 0
        if self._written == 0 or count <= 1:
            self.add_rows(list(zip(*(c.slice(0, count).to_pylist() for c in columns))))
            return
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        numbers = pc.cast(pa.array(np.arange(self._written + 1, self._written + 1 + count)), pa.string())
        cells = []
        for letter, column in zip(self._columns(len(columns)), columns):
            text = column.slice(0, count).fill_null("")
            cells.append(pc.if_else(
                pc.equal(text, ""),
                pc.binary_join_element_wise(f'<c r="{letter}', numbers, '"/>', ""),
                pc.binary_join_element_wise(f'<c r="{letter}', numbers, f'"{_TEXT_CELL}', _xml_text_column(text), "</t></is></c>", ""),
            ))
        rows = pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", "")
        self._write("".join(rows.to_pylist()), len(columns), count)

    def _columns(self, width: int) -> list[str]:
        """The letters of the sheet's first `width` columns."""
        from openpyxl.utils import get_column_letter

        self._letters += [get_column_letter(col + 1) for col in range(len(self._letters), width)]
        return self._letters[:width]

    def _write(self, xml: str, width: int, count: int) -> None:
        """Keep `count` rows after the header, as the XML of the sheet's rows."""
        if self._rows is None:
            import tempfile

            self._rows = tempfile.TemporaryFile()
        self._rows.write(xml.encode("utf-8"))
        self._width = max(self._width, width)
        self._written += count

    def _add_header(self, values: Sequence[str | int]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        bold = Font(bold=True)
        cells: list[Any] = []
        for value in values:
            cell = WriteOnlyCell(self._sheet, value=_sheet_value(value))
            cell.font = bold
            cells.append(cell)
        self._sheet.append(cells)
        self._width = max(self._width, len(values))
        self._written += 1

    def close(self) -> None:
        from openpyxl.utils import get_column_letter

        self._sheet.auto_filter.ref = f"A1:{get_column_letter(max(self._width, 1))}{max(min(self._written, self._limit + 1), 1)}"

    @property
    def part(self) -> str:
        """The sheet's file in the workbook's archive (known once openpyxl has saved the workbook)."""
        return str(self._sheet.path).lstrip("/")

    def drop(self) -> None:
        """Let go of the rows written after the header (the workbook is given up, or saved)."""
        rows, self._rows = self._rows, None
        if rows is not None:
            try:
                rows.close()
            except OSError:  # what it still held could not be written: it is not wanted
                pass

    def put_rows(self, part: bytes, out: IO[bytes]) -> None:
        """Write the sheet's XML as openpyxl wrote it (`part`: the header row alone) to `out`, the later rows in place."""
        if self._rows is None:
            out.write(part)
            return
        head, end, tail = part.partition(b"</sheetData>")
        if not end:
            raise ReportError("the workbook's sheet has no rows to add to")
        out.write(head)
        self._rows.seek(0)
        shutil.copyfileobj(self._rows, out)
        out.write(end + tail)


def save_book(book: Workbook, sheets: Sequence[Sheet], path: Path) -> None:
    """Save the workbook to `path`: openpyxl writes it with each sheet's header row, and each sheet's later rows are put in place."""
    import zipfile

    written = io.BytesIO()
    book.save(written)
    by_part = {sheet.part: sheet for sheet in sheets}
    with zipfile.ZipFile(written) as source, path.open("wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=BOOK_COMPRESSION) as target:
        for info in source.infolist():
            sheet = by_part.get(info.filename)
            if sheet is None:
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as part:
                sheet.put_rows(source.read(info), part)


# A text cell after its reference: an inline string, whose spaces a spreadsheet program keeps.
_TEXT_CELL = ' t="inlineStr"><is><t xml:space="preserve">'
# What a cell's text becomes in the sheet's XML (control characters a workbook cannot hold are dropped first).
_XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _cell_xml(column: str, row: str, value: str | int) -> str:
    """One cell of a sheet's row in the sheet's XML: text as an inline string (never a formula), a number as a number, no text as an empty cell."""
    if not isinstance(value, str):
        return f'<c r="{column}{row}" t="n"><v>{value}</v></c>'
    if not value:
        return f'<c r="{column}{row}"/>'  # a cell with nothing in it, as openpyxl writes one
    text = ILLEGAL_CHARACTERS.sub("", value)
    for character, escaped in _XML_ESCAPES:
        text = text.replace(character, escaped)
    return f'<c r="{column}{row}"{_TEXT_CELL}{text}</t></is></c>'


def _xml_text_column(text: pa.Array) -> pa.Array:
    """A column of cells' text as `_cell_xml` writes each."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(text, ILLEGAL_CHARACTERS.pattern)).as_py():
        text = pc.replace_substring_regex(text, ILLEGAL_CHARACTERS.pattern, "")
    for character, escaped in _XML_ESCAPES:
        text = pc.replace_substring(text, character, escaped)
    return text


def _sheet_value(value: str | int) -> str | int:
    return ILLEGAL_CHARACTERS.sub("", value) if isinstance(value, str) else value


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


class Behind:
    """A dry run's CSV lines, made and written on a thread of their own, in the order given, while the
    next rows are read and checked: Arrow's CSV writer and the disk let go of the interpreter, so the
    writing of one chunk overlaps the reading of the next on a second core.

    At most BEHIND_ROWS rows wait (and the frame being written), so memory stays bounded; `wait` returns when every one is
    written, and raises the error of one that was not (an OSError, as writing it in line would).
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: deque[tuple[Future[object], int]] = deque()
        self._rows = 0  # the rows of the frames waiting

    def submit(self, job: Callable[[], object], rows: int) -> None:
        """Write a frame of `rows` rows after those given before (`job` writes it)."""
        while self._waiting and self._rows + rows > BEHIND_ROWS:
            self._done()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="report")
        self._waiting.append((self._pool.submit(job), rows))
        self._rows += rows

    def _done(self) -> None:
        """Wait for the first frame waiting to be written."""
        written, rows = self._waiting.popleft()
        self._rows -= rows
        written.result()

    def wait(self) -> None:
        """Return once every frame given is written; raise the first error one of them met (the rest are dropped)."""
        try:
            while self._waiting:
                self._done()
        finally:
            for left, _ in self._waiting:
                left.cancel()
            self._waiting.clear()
            self._rows = 0

    def close(self) -> None:
        """Wait for the frames given (their errors ignored: the report is being given up) and end the thread."""
        try:
            self.wait()
        except Exception:  # noqa: BLE001 - the report is salvaged without the files it could not write
            pass
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


@dataclass
class Report:
    """Collects outcomes into a run folder; `finish` writes the summary and closes the workbook."""

    folder: Path
    header: list[str]
    info: dict[str, Any]
    counts: Counter[Category] = field(default_factory=Counter)
    warned: int = 0  # rows filed with a warning
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
        with self.writing():
            self._behind.wait()
            target = self._files.get(category) or self._open(category, [*filed[0][1], *filed[0][3]] if filed else [])
            target.add(filed, outcome)

    def add_frame(self, cells: pd.DataFrame, sent: pd.DataFrame, outcome: Outcome, warned: int = 0) -> None:
        """File rows, in order, under one outcome's category: their original cells (indexed by row number), and what
        is sent for each (`sent`: text columns name, email, phone, active, and the row's warnings).

        Rows of one category whose outcomes differ (an invalid row says what to fix, a repeat which row it
        repeats) give their own in `sent` too, as columns `reason`, `reason_code` and `customer_id`;
        a column left out is `outcome`'s for every row.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        count = len(cells)
        if not count:
            return
        category = outcome.category
        self.counts[category] += count
        self.warned += warned
        rows = pc.cast(pa.array(cells.index.to_numpy()), pa.string())
        def own(column: str, value: str) -> pa.Array:
            return text_column(sent[column]) if column in sent else repeated(value, count)

        columns = [
            *(text_column(cells[c]) for c in cells.columns), rows,
            repeated(category.value, count), own("reason", outcome.message),
            *(text_column(sent[c]) for c in ("name", "email", "phone", "active")),
            own("reason_code", outcome.code), text_column(sent["warnings"]),
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
