"""Read a customer file (CSV or workbook) as frames of text, each row numbered as a spreadsheet shows it.

The file's bytes decide how it is read, not its name: a workbook saved as `.csv`
is still read as a workbook, and binary data is refused. pandas reads every
table: a CSV in chunks (its encoding from encoding.py, its delimiter and rows from
delimited.py); a workbook through `read_excel` with the calamine engine, each
numeric cell as the text Excel displays under its number format (openpyxl reads
the formats, see styles.py). Every cell is text, without Excel's text marks (cells.py).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from .cells import TEXT, drop_text_marker, not_blank, use_system_allocator
from .delimited import _SAMPLE, DELIMITERS, _csv_frames, cell_counts, counted, rank_delimiters, sample_lines
from .encoding import _decode_sample, _decodes, _known_encoding, detect_encoding
from .snapshot import Blocks, Snapshot, Watch, changed
from .structure import Area, Structure, sheet_structure
from .cell_formats import CellFormats
from .sheet_xml import SheetXml, sheet_xml

if TYPE_CHECKING:
    import pandas as pd
    import python_calamine

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEP_LINE = re.compile(r"\s*sep=(.)\s*$", re.IGNORECASE)  # Excel's first-line delimiter hint, which it does not show as a row


@dataclass(frozen=True)
class Table:
    """One readable grid: a CSV file, or one sheet of a workbook."""

    path: Path
    name: str
    kind: str  # "csv" or "workbook"
    encoding: str = ""
    delimiter: str = ","
    sheet_index: int = 0
    skip: int = 0  # lines before the first row (Excel's `sep=` line)
    width: int = 1  # cells in the widest of the first lines
    notes: tuple[str, ...] = field(default=(), compare=False)  # what the merchant should know about how it was chosen
    watch: Watch = field(default_factory=Watch, compare=False)  # the snapshot every pass of this table must match
    area: Area | None = None  # of a sheet holding several tables: the one read
    table_name: str = ""  # the Excel table object read, if it is one
    totals_row: int = 0  # the row number of that table's totals row (0: none)

    @property
    def label(self) -> str:
        """The table read, as the merchant is told (blank for a whole file or sheet)."""
        if self.area is None:
            return ""
        return f"{self.table_name!r} ({self.area})" if self.table_name else str(self.area)

    def structure(self) -> Structure:
        """The sheet's hidden columns and rows, merged cells, tables and filter (read once per file, by the pass over
        the sheet's XML that reads its number formats, so the sheet is read first: its frames come next)."""
        if self.kind != "workbook":
            return Structure()
        stamp = _stamp(self.path)
        _sheet_text(self.path, self.name, stamp)  # read first: the pass over its XML for the number formats finds the layout too
        return _structure(self.path, self.name, stamp)

    def may_hold_formulas(self) -> bool | None:
        """Whether the sheet's XML has `f>`, as the pass that read its number formats found (None: not known)."""
        if self.kind != "workbook":
            return False
        try:
            learned = _LEARNED.get((self.path, self.name, _stamp(self.path)))
        except OSError:  # the file is gone: the formula check finds nothing, and the reader says what happened
            return None
        return learned.formulas if learned is not None else None

    def grid(self) -> pd.DataFrame:
        """A workbook sheet's every non-blank row, as text (read once per file, shared by every table of the sheet)."""
        frame = drop_text_marker(_sheet_text(self.path, self.name, _stamp(self.path)).copy(), delimited=False)
        return frame[not_blank(frame)] if frame.shape[1] else frame

    def estimate_rows(self, snapshot: Snapshot | None = None) -> int | None:
        """Roughly how many data rows (for the progress bar's ETA); None when unknown. From what a snapshot of
        the file counted, when there is one (no read), else from the file's lines."""
        if snapshot is not None and snapshot.rows is not None:
            return max(snapshot.rows - 1, 0)
        if self.kind != "csv":
            return None
        lines = snapshot.lines if snapshot is not None else 0
        if snapshot is None:
            with self.path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    lines += chunk.count(b"\n")
        return max(lines - 1 - self.skip, 0)

    def snapshot(self, parse: bool = True) -> Snapshot:
        """The checking pass of an import, one read of the file: every line of a CSV parsed, so that a line or byte it
        cannot read deep in the file stops the import before anything is sent (InputError), not after the rows before
        it went out; the records counted; the content hashed (the import's key) and each block's digest kept.

        `parse=False`: the bytes only, for a caller that parses every row itself next (the preview, confirm.py).
        """
        with Blocks(self.path) as source:
            rows = counted(self, source) if parse and self.kind == "csv" else None
            return source.snapshot(rows)

    def frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """Every non-blank row, `rows` at a time: text cells in columns 0..width-1, indexed by row number."""
        source = _csv_frames(self, rows) if self.kind == "csv" else _sheet_frames(self, rows)
        for frame in source:
            if not len(frame) or not frame.shape[1]:
                continue
            frame = drop_text_marker(frame, delimited=self.kind == "csv")
            kept = not_blank(frame)
            if not kept.all():
                frame = frame[kept]
            if len(frame):
                yield frame


def open_tables(path: Path, sheet: str | None = None, encoding: str | None = None) -> list[Table]:
    """The tables of a file to look for a header in, in order.

    A CSV is one table, in the encoding it was written in (`encoding` forces one).
    A workbook gives the chosen sheet (`--sheet` by name, any case, or by position
    from 1), or its visible sheets so the caller can take the first with customers.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if _is_numbers(path):
        raise InputError(f"{path}: {NUMBERS}")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a customer file")
    try:
        with path.open("rb") as f:
            head = f.read(_SAMPLE)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    if head.startswith(_ZIP) or head.startswith(_OLE):
        if encoding is not None:
            raise UsageError(f"--encoding applies to CSV files; {path.name} is a workbook")
        return _workbook_tables(path, sheet)
    named: tuple[str, ...] = ()
    if path.suffix.lower() in WORKBOOK_SUFFIXES and head:
        named = (_not_a_workbook(path, head),)
    if sheet is not None:
        raise InputError(f"--sheet applies to workbooks; {path.name} is a text file")
    if encoding is not None:
        encoding = _known_encoding(encoding)
        if not _decodes(head[: len(head) - 8] if len(head) >= _SAMPLE else head, encoding):
            raise InputError(f"{path}: the text is not valid {encoding}; check --encoding")
    else:
        encoding = detect_encoding(path, head)
    text = _decode_sample(head, encoding)
    first_line, _, rest = text.partition("\n")
    hint = _SEP_LINE.match(first_line.rstrip("\r"))
    if hint:
        text = rest
    lines = sample_lines(text)
    delimiters = [hint.group(1)] if hint else rank_delimiters(lines, path.suffix.lower())
    return [Table(path, path.name, "csv", encoding, d, skip=1 if hint else 0, width=max(cell_counts(lines, d), default=1), notes=named) for d in delimiters]


_WEB_PAGE = re.compile(rb"\s*(?:<!doctype html|<html|<table|<\?xml|<meta|<head|<body)", re.IGNORECASE)


def _not_a_workbook(path: Path, head: bytes) -> str:
    """What a file named as a workbook holds when it is neither XLSX, XLS nor ODS: delimited text named .xls, which
    Excel opens as a table (a shop's "Export to Excel" often writes one) and is read so, with the note returned; a
    web page or an Excel 2003 XML spreadsheet, or damage, which stop with what to do (InputError). Excel refuses
    text named .xlsx, and so does the import."""
    sample = head.removeprefix(codecs.BOM_UTF8)
    if _WEB_PAGE.match(sample):
        what = "an Excel 2003 XML spreadsheet" if b"urn:schemas-microsoft-com:office:spreadsheet" in sample else "a web page (HTML), as some shops' \"Export to Excel\" write"
        raise InputError(f"{path}: {what}, not a workbook: open it in Excel, save it as Excel Workbook (.xlsx), and import that")
    damaged = InputError(f"{path}: not a workbook (the file's content is neither XLSX, XLS nor ODS); is it damaged?")
    if path.suffix.lower() != ".xls":
        raise damaged
    try:
        text = _decode_sample(head, detect_encoding(path, head))  # in any code page or UTF-16, as Excel saves text
    except InputError:
        raise damaged from None
    if not any(d in text.partition("\n")[0] for d in DELIMITERS):
        raise damaged
    return f"{path.name} holds delimited text, not a workbook: read as Excel opens it, as a table"


PASSWORD = (
    "it has a password: open it, remove the password (File > Info > Protect Workbook in Excel; in LibreOffice, "
    "File > Save As without \"Save with password\"), save, and import it again"
)
NUMBERS = "an Apple Numbers file: in Numbers choose File > Export To > CSV (or Excel), and import the exported file"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted Office file keeps in its OLE container
_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # a Strict Open XML workbook's namespace
STRICT = "saved as Strict Open XML Spreadsheet, which cannot be read as Excel shows it: in Excel choose File > Save As > Excel Workbook (.xlsx), and import that file"


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    import python_calamine  # only workbooks need it

    try:
        with path.open("rb") as f:
            return python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError:
        raise InputError(f"{path}: {PASSWORD}") from None
    except Exception:  # calamine raises several unrelated types for damaged files
        if _encrypted(path):
            raise InputError(f"{path}: {PASSWORD}") from None
        raise InputError(f"{path}: the workbook cannot be read; it may be damaged (open it in Excel or LibreOffice and save it again)") from None


def _encrypted(path: Path) -> bool:
    """Whether a workbook calamine could not open is one saved with a password: an encrypted .xlsx is an OLE
    container holding an `EncryptionInfo` stream, an encrypted .ods a zip whose manifest says how its parts
    are encrypted."""
    manifest = _part(path, "META-INF/manifest.xml")
    return b"encryption-data" in manifest if manifest is not None else _ENCRYPTED in path.read_bytes()


def _is_strict(path: Path) -> bool:
    """Whether a workbook was saved as Strict Open XML, whose parts carry namespaces the number formats' reader
    (openpyxl) does not know: its cells could not be read as Excel shows them."""
    workbook = _part(path, "xl/workbook.xml", 4096)
    return workbook is not None and _STRICT in workbook


def _part(path: Path, name: str, size: int = -1) -> bytes | None:
    """The first `size` bytes of a part of a zip archive (all of it by default); None when the file is no zip or
    holds no such part."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as part:
            return part.read(size)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def _is_numbers(path: Path) -> bool:
    """Whether a file or folder is an Apple Numbers document (a package, or the zip Numbers saves it as)."""
    if path.suffix.lower() == ".numbers":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("Index/") and name.endswith(".iwa") for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _workbook_tables(path: Path, sheet: str | None) -> list[Table]:
    """The chosen sheet, or every visible worksheet in order (hidden ones hold old lists or lookups)."""
    metadata = _open_workbook(path).sheets_metadata
    if _is_strict(path):
        raise InputError(f"{path}: {STRICT}")
    tables = [Table(path, m.name, "workbook", sheet_index=i) for i, m in enumerate(metadata)]
    if not tables:
        raise InputError(f"{path}: the workbook has no sheets")
    names = [t.name for t in tables]
    if sheet is not None:
        folded = [n.casefold() for n in names]
        if sheet.casefold() in folded:
            return [tables[folded.index(sheet.casefold())]]
        if sheet.isdigit() and 1 <= int(sheet) <= len(tables):
            return [tables[int(sheet) - 1]]
        raise InputError(f"{path}: no sheet {sheet!r}; the sheets are: {', '.join(names)}")
    visible = [t for t, m in zip(tables, metadata) if str(m.visible).rsplit(".", 1)[-1].lower() == "visible"]
    if not visible:
        raise InputError(f"{path}: every sheet of the workbook is hidden; name one with --sheet")
    hidden = [t.name for t in tables if t not in visible]
    note = (f"hidden sheets passed over: {', '.join(map(repr, hidden))} (name one with --sheet to read it)",) if hidden else ()
    return [Table(t.path, t.name, t.kind, sheet_index=t.sheet_index, notes=note) for t in visible]


def _stamp(path: Path) -> tuple[int, int]:
    """What tells one state of a file from another, so a file changed since it was read is read again."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _structure(path: Path, name: str, stamp: tuple[int, int]) -> Structure:
    learned = _LEARNED.get((path, name, stamp))
    return sheet_structure(path, name, learned.layout if learned is not None else None)


# What the pass over a sheet's XML that read its number formats (`_read_sheet`) found of its layout and its
# formulas, by sheet and state of its file: the readers of each take it instead of reading the XML again.
_LEARNED: dict[tuple[Path, str, tuple[int, int]], SheetXml] = {}


@lru_cache(maxsize=1)
def _sheet_text(path: Path, name: str, stamp: tuple[int, int]) -> pd.DataFrame:
    """One sheet as text, kept while the same sheet is read again (finding its tables, then reading one)."""
    return _read_sheet(path, name, stamp)


def _sheet_frames(table: Table, rows: int) -> Iterator[pd.DataFrame]:
    """One sheet (or the table of it read), read whole by calamine (a workbook is read whole anyway), handed out `rows` at a time."""
    stamp = _stamp(table.path)
    expected = table.watch.expected
    if expected is not None and stamp != (expected.mtime_ns, expected.size):  # not the file the import's key was made of
        raise changed(table.path)
    text = _sheet_text(table.path, table.name, stamp)
    area = table.area
    if area is not None:
        text = text.loc[area.top : area.bottom, area.left : area.right]
        text.columns = range(text.shape[1])
    for start in range(0, len(text), rows):
        yield text.iloc[start : start + rows].copy()


def _read_sheet(path: Path, name: str, stamp: tuple[int, int]) -> pd.DataFrame:
    """A sheet as a frame of text cells indexed by row number, column 0 being A."""
    import pandas as pd

    from .numbers import column_text
    from .styles import damaged_if_failing, load_readers

    use_system_allocator()
    load_readers()
    with ThreadPoolExecutor(1, thread_name_prefix="sheet-xml") as pool:
        # The pass over the sheet's XML runs while calamine parses the same XML, which it does without Python's lock;
        # a workbook calamine cannot read is said so in calamine's words, whatever the pass met.
        passed = pool.submit(sheet_xml, path, name)
        with damaged_if_failing(path, f"sheet {name!r}"):
            grid = pd.read_excel(path, sheet_name=name, header=None, engine="calamine", dtype=object, na_filter=False)
        found = passed.result()
    if len(_LEARNED) >= 8:
        _LEARNED.clear()
    _LEARNED[path, name, stamp] = replace(found, formats=CellFormats())  # the formats are used here alone
    formats = found.formats
    text = pd.DataFrame(
        {column: pd.array(column_text(grid[column].tolist(), column, formats), dtype=TEXT) for column in grid.columns},
        index=pd.RangeIndex(1, len(grid) + 1),
    )
    text.columns = range(text.shape[1])
    return text


