"""Read a customer file (CSV or workbook) as rows of text, numbered as a spreadsheet shows them.

The file's bytes decide how it is read, not its name: a workbook saved as `.csv`
is still read as a workbook, and binary data is refused. CSV text is decoded with
the encoding it was written in (BOMs, UTF-16, Excel's cp1252) and split on the
delimiter it uses. Rows are streamed, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import python_calamine

Row = tuple[int, list[str]]
"""A row's number as a spreadsheet program shows it (1 = first line) and its cells as text."""

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
DELIMITERS = ",;\t|"
_SAMPLE = 256 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Table:
    """One readable grid: a CSV file, or one sheet of a workbook."""

    path: Path
    name: str
    kind: str  # "csv" or "workbook"
    encoding: str = ""
    delimiter: str = ","
    sheet_index: int = 0

    def estimate_rows(self) -> int | None:
        """Roughly how many data rows (for the progress bar's ETA); None when unknown."""
        if self.kind != "csv":
            return None
        lines = 0
        with self.path.open("rb") as f:
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
        return max(lines - 1, 0)

    def rows(self) -> Iterator[Row]:
        """Every non-blank row, with its spreadsheet row number."""
        source = _csv_rows(self) if self.kind == "csv" else _sheet_rows(self)
        return (row for row in source if any(map(str.strip, row[1])))


def open_tables(path: Path, sheet: str | None = None) -> list[Table]:
    """The tables of a file to look for a header in, in order.

    A CSV is one table. A workbook gives the chosen sheet (`--sheet` by name or by
    position from 1), or every sheet so the caller can take the first with a header.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a customer file")
    with path.open("rb") as f:
        head = f.read(_SAMPLE)
    if head.startswith(_ZIP) or head.startswith(_OLE):
        return _workbook_tables(path, sheet)
    if path.suffix.lower() in WORKBOOK_SUFFIXES and head:
        raise InputError(f"{path}: not a workbook (the file's content is neither XLSX, XLS nor ODS); is it damaged?")
    if sheet is not None:
        raise InputError(f"--sheet applies to workbooks; {path.name} is a text file")
    encoding = detect_encoding(path, head)
    text = _decode_sample(head, encoding)
    return [Table(path, path.name, "csv", encoding, d) for d in rank_delimiters(text, path.suffix.lower())]


# -- CSV ----------------------------------------------------------------------
def detect_encoding(path: Path, head: bytes) -> str:
    """The encoding the text was saved in; refuse binary data.

    UTF-8 is checked over the whole file (fast, incremental, bounded memory) so that
    a cp1252 byte deep in the file is not discovered after rows were sent.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        sample = head[:4096]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
            return "utf-16-le"
        if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
            return "utf-16-be"
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    if _is_utf8(path):
        return "utf-8"
    import charset_normalizer  # only files that are not UTF-8 need it

    best = charset_normalizer.from_bytes(head).best()
    if best is None:
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    # Short Western samples are often guessed as a cousin code page; Excel on a
    # European machine writes cp1252, which reads any of them the same way or better.
    guess = best.encoding
    return guess if guess in ("cp1252", "latin_1", "iso8859_15") or not _decodes(head, "cp1252") else "cp1252"


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8; ASCII chunks (most of a customer list) skip the decoder."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                if decoder.getstate()[0] or not chunk.isascii():  # bytes left over from a cut character, or non-ASCII
                    decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_sample(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)


def rank_delimiters(text: str, suffix: str = "") -> list[str]:
    """Every candidate delimiter, the likeliest first.

    Likeliest: it splits the first lines into the same number of columns most
    consistently, and into the most columns. The caller takes the first one under
    which a header is found, so an odd first line cannot hide the right one.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(text) >= _SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    scores: dict[str, tuple[float, int, bool]] = {}
    for delimiter in DELIMITERS:
        widths = cell_counts(lines, delimiter)
        common = max(set(widths), key=widths.count) if widths else 1
        consistency = widths.count(common) / len(widths) if widths else 0.0
        preferred = delimiter == ("\t" if suffix == ".tsv" else ",")
        scores[delimiter] = (consistency if common > 1 else 0.0, common, preferred)
    return sorted(DELIMITERS, key=lambda d: scores[d], reverse=True)


def cell_counts(lines: list[str], delimiter: str) -> list[int]:
    """How many cells each line splits into, up to a line the csv module refuses
    (a cell past its size limit): reading the file stops there too, with a clear error."""
    counts: list[int] = []
    try:
        for cells in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter):
            if cells:
                counts.append(len(cells))
    except csv.Error:
        pass
    return counts


def _csv_rows(table: Table) -> Iterator[Row]:
    try:
        with table.path.open(encoding=table.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=table.delimiter)
            for number, cells in enumerate(reader, 1):
                yield number, [cell[1:] if cell.startswith("'") else cell for cell in cells]
    except UnicodeDecodeError as exc:
        raise InputError(f"{table.path}: the text is not valid {table.encoding} ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(f"{table.path}: not a readable CSV at line {reader.line_num} ({exc})") from None


# -- workbooks ----------------------------------------------------------------
def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    import python_calamine  # only workbooks need it

    try:
        with path.open("rb") as f:
            return python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError:
        raise InputError(f"{path}: the workbook is password-protected; save a copy without a password") from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise InputError(f"{path}: the workbook cannot be read; it may be damaged or password-protected ({type(exc).__name__})") from None


def _workbook_tables(path: Path, sheet: str | None) -> list[Table]:
    names = _open_workbook(path).sheet_names
    tables = [Table(path, name, "workbook", sheet_index=i) for i, name in enumerate(names)]
    if not tables:
        raise InputError(f"{path}: the workbook has no sheets")
    if sheet is None:
        return tables
    if sheet in names:
        return [tables[names.index(sheet)]]
    if sheet.isdigit() and 1 <= int(sheet) <= len(tables):
        return [tables[int(sheet) - 1]]
    raise InputError(f"{path}: no sheet {sheet!r}; the sheets are: {', '.join(names)}")


def _sheet_rows(table: Table) -> Iterator[Row]:
    book = _open_workbook(table.path)
    try:
        sheet = book.get_sheet_by_index(table.sheet_index)
        for number, values in enumerate(sheet.iter_rows(), 1):
            yield number, [cell_text(v) for v in values]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{table.path}: sheet {table.name!r} cannot be read ({type(exc).__name__})") from None


def cell_text(value: object) -> str:
    """A workbook cell as the text a person sees: whole numbers without `.0` or exponent."""
    if isinstance(value, str):
        return value[1:] if value.startswith("'") else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)
