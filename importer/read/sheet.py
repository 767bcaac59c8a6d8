"""Read a customer file (CSV or workbook) as frames of text, each row numbered as a spreadsheet shows it.

The file's bytes decide how it is read, not its name: a workbook saved as `.csv`
is still read as a workbook, and binary data is refused. pandas reads every
table: a CSV in chunks, so memory does not grow with the file, every cell as text
(no type inference, no NaN: a blank cell is ""); a workbook through `read_excel`
with the calamine engine, each numeric cell as the text Excel displays under its
number format (openpyxl reads the formats). One leading apostrophe, Excel's text
marker, is dropped from every cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, UsageError
from .snapshot import Blocks, Snapshot, Watch, changed
from .structure import Area, Structure, sheet_structure

if TYPE_CHECKING:
    import pandas as pd
    import python_calamine

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
DELIMITERS = ",;\t|"
TEXT = "string[pyarrow]"  # every cell is text, held in Arrow's string arrays
_SAMPLE = 256 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEP_LINE = re.compile(r"\s*sep=(.)\s*$", re.IGNORECASE)  # Excel's first-line delimiter hint, which it does not show as a row
# Every character Python's str.strip() takes for a space, for Arrow's regex engine (no escape
# that would send pandas to Python's: Latin-1 ones as \xNN, the rest as themselves).
SPACES = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else c for c in map(chr, range(0x3001)) if c.isspace())
_BLANK = f"[{SPACES}]*"
_KEPT_TEXT = r'="(?:[^"]|"")*"'  # a formula that is only a text in quotes (`""` for a quote inside)
# The code pages Excel writes a CSV in, by the language of Windows (and Mac Roman), then the ones other programs
# write the same languages in (ISO, KOI8-R): a Windows one is preferred only where the file does not tell them apart.
CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "mac-roman", "iso8859-15", "iso8859-2", "iso8859-5", "koi8-r", "iso8859-7", "iso8859-13")
_ASCII = bytes(range(0x80))
_WINDOW = 1024  # characters kept either side of a byte the sample shows
# The accented letters of the languages written in those code pages, one alphabet each.
ALPHABETS = tuple(frozenset(letters) for letters in (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú", "áéíóúëïöü", "åäöé", "æøåé", "äöå",
    "áðéíóúýþæö", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "ăâîșțşţ", "čćđšž",
    "çğıöşüâî", "ąčęėįšųūž", "āčēģīķļņšūž", "õäöüšž",
    "".join(map(chr, range(0x430, 0x460))), "".join(map(chr, range(0x3ac, 0x3d0))),
))
VOWELS = frozenset("aeiouyàâæéèêëîïôœùûüÿáíóúãõìòåäöøőűăąęėįųūāēīōıаеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")
# A symbol glued to letters ("£ukasz", "¯ó³æ") is what text decoded with the wrong code page looks like.
_MISREAD = re.compile(r"(?<=[^\W\d_])[^\w\s,;.\-'’&/@()+\"]|[^\w\s,;.\-'’&/@()+\"](?=[^\W\d_])")


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
        """The sheet's hidden columns and rows, merged cells, tables and filter (read once per file)."""
        if self.kind != "workbook":
            return Structure()
        return _structure(self.path, self.name, _stamp(self.path))

    def grid(self) -> pd.DataFrame:
        """A workbook sheet's every non-blank row, as text (read once per file, shared by every table of the sheet)."""
        frame = drop_text_marker(_sheet_text(self.path, self.name, _stamp(self.path)).copy())
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
            rows = sum(len(frame) for frame in _csv_frames(self, 1 << 16, source)) if parse and self.kind == "csv" else None
            return source.snapshot(rows)

    def frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """Every non-blank row, `rows` at a time: text cells in columns 0..width-1, indexed by row number."""
        source = _csv_frames(self, rows) if self.kind == "csv" else _sheet_frames(self, rows)
        for frame in source:
            if not len(frame) or not frame.shape[1]:
                continue
            frame = drop_text_marker(frame)
            kept = not_blank(frame)
            if not kept.all():
                frame = frame[kept]
            if len(frame):
                yield frame


def not_blank(frame: pd.DataFrame) -> pd.Series:
    """Rows with a cell that is more than spaces (each column looked at only for the rows still in doubt)."""
    import pandas as pd

    kept = ~frame[frame.columns[0]].str.fullmatch(_BLANK).to_numpy(dtype=bool, na_value=False)
    for column in frame.columns[1:]:
        doubt = ~kept
        if not doubt.any():
            break
        kept[doubt] = ~frame[column][doubt].str.fullmatch(_BLANK).to_numpy(dtype=bool, na_value=False)
    return pd.Series(kept, index=frame.index)


def drop_text_marker(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text it keeps: without one leading apostrophe, Excel's mark for "keep this as text"
    (`'+2348012345678`), and `="07700900123"`, the formula a CSV is written with so that Excel keeps a leading
    zero, as the text it shows (`07700900123`)."""
    for column in frame.columns:
        cells = frame[column]
        marked = cells.str.startswith("'")
        if marked.any():
            cells = frame[column] = cells.where(~marked, cells.str.slice(1))
        quoted = cells.str.startswith('="')
        if quoted.any():
            quoted &= cells.str.fullmatch(_KEPT_TEXT)
            frame[column] = cells.where(~quoted, cells.str.slice(2, -1).str.replace('""', '"', regex=False))
    return frame


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
    if path.suffix.lower() in WORKBOOK_SUFFIXES and head:
        raise InputError(f"{path}: not a workbook (the file's content is neither XLSX, XLS nor ODS); is it damaged?")
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
    return [Table(path, path.name, "csv", encoding, d, skip=1 if hint else 0, width=max(cell_counts(lines, d), default=1)) for d in delimiters]


# -- CSV ----------------------------------------------------------------------
def _known_encoding(name: str) -> str:
    try:
        found = codecs.lookup(name)
    except LookupError:
        found = None
    if found is not None and getattr(found, "_is_text_encoding", True):
        return found.name
    raise UsageError(f"--encoding {name!r}: not a text encoding Python knows (for example utf-8, cp1250, cp1251, mac_roman)")


def detect_encoding(path: Path, head: bytes) -> str:
    """The encoding the text was saved in; refuse binary data.

    UTF-8 is checked over the whole file (fast, incremental, bounded memory) so that
    a foreign byte deep in the file is not discovered after rows were sent. Any
    other text is one of the code pages Excel writes, chosen by its content.
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
    return code_page(path, head)


def code_page(path: Path, head: bytes) -> str:
    """Which code page a non-UTF-8 text is in; stop (InputError) when two of them read it with other letters and
    nothing in the file tells which.

    charset-normalizer gives the code pages that read the text cleanly; of those that give no control
    character for any byte of the file, the one whose words each keep to one language's alphabet wins
    ("Jiří Dvořák" is Czech in cp1250, while cp1252 reads it "Jiøí Dvoøák", letters no one language has
    together), after setting aside a reading that glues symbols to letters ("£ukasz ¯ó³æ" for Łukasz Żółć).
    Then charset-normalizer's coherence, then the order of CODE_PAGES (what Excel writes first). A reading
    as sound as the winner's that gives other letters is a doubt the merchant settles (see `_rivals`).
    """
    import charset_normalizer  # only files that are not UTF-8 need it

    present, sample = _foreign_text(path, head)
    readings: dict[str, tuple[str, float]] = {}
    for match in charset_normalizer.from_bytes(sample, cp_isolation=list(CODE_PAGES)):
        for name in match.could_be_from_charset:
            encoding = codecs.lookup(name).name
            if encoding in CODE_PAGES and encoding not in readings:
                readings[encoding] = (str(match), match.coherence)
    sound = {e: r for e, r in readings.items() if _reads_as_text(present, e)}
    if not readings:
        for encoding in CODE_PAGES:  # too little text to weigh: the first code page that reads it
            if _decodes(sample, encoding):
                return encoding
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    winner = min(sound or readings, key=lambda e: (*_sense(readings[e][0]), -round(readings[e][1], 2), CODE_PAGES.index(e)))
    rivals = _rivals(winner, present, sample)
    if rivals:
        raise InputError(_doubt(path, sample, sorted([winner, *rivals], key=CODE_PAGES.index)))
    return winner


def _sense(text: str) -> tuple[int, float, float]:
    """How much a reading looks like names in a language, smaller being better: words a wrong code page makes,
    the share of words whose accented letters no one alphabet holds, and how far its words are from having vowels."""
    return len(_MISREAD.findall(text)) + _mixed_words(text), -_fit(text), _vowels_off(text)


def _rivals(winner: str, present: frozenset[int], sample: bytes) -> list[str]:
    """The code pages that read the file as soundly as `winner` and with other letters, so that the bytes do not
    say which one was meant (one for each other reading, in the order of CODE_PAGES).

    Only code pages that share most letters with the winner's are its rivals (cp1252 and ISO-8859-15, cp1250
    and ISO-8859-2): the language cannot tell them apart, as they differ where one has a letter and the other
    a symbol (`Š` or `¦`) that may be the merchant's own (`O´Brien`), or another letter. Code pages that
    differ in nearly every letter (cp1251 and KOI8-R, Mac Roman and cp1252) are told apart by the language
    the letters make, as the detector ranks them. A rival gives no control character for any byte of the
    file (in ISO-8859 a byte from 0x80 to 0x9F is one, so a file holding one is in a Windows code page), no
    word a wrong code page makes, and as many words of one language's letters as the winner's reading.
    """
    ours = sample.decode(winner, errors="replace")
    others: dict[str, str] = {}  # each other reading, by the first code page that gives it
    for encoding in CODE_PAGES:
        if encoding != winner and _near(winner, encoding) and _reads_as_text(present, encoding):
            others.setdefault(sample.decode(encoding, errors="replace"), encoding)
    others.pop(ours, None)
    bar = (_mixed_words(ours), -_fit(ours))
    return sorted((e for text, e in others.items() if (_mixed_words(text), -_fit(text)) <= bar), key=CODE_PAGES.index)


def _fit(text: str) -> float:
    """The share of words with accented letters whose accented letters one language's alphabet holds, each word
    its own language, as a list of customers mixes them (José and Œdipe)."""
    words = {accented for w in re.findall(r"[^\W\d_]+", text.casefold()) if (accented := frozenset(c for c in w if c.isalpha() and not c.isascii()))}
    if not words:
        return 1.0
    return round(sum(1 for w in words if any(w <= alphabet for alphabet in ALPHABETS)) / len(words), 2)


def _near(one: str, other: str) -> bool:
    """Whether two code pages give the same character for all but a few of the bytes above 0x9F."""
    return sum(_char(b, one) != _char(b, other) for b in range(0xA0, 0x100)) <= 16


@lru_cache(maxsize=None)
def _char(byte: int, encoding: str) -> str | None:
    """What one byte reads as in a single-byte code page (None: no character)."""
    try:
        return bytes([byte]).decode(encoding)
    except UnicodeDecodeError:
        return None


def _reads_as_text(present: frozenset[int], encoding: str) -> bool:
    """Whether every byte value of the file is a character, and not a control one, in this code page."""
    import unicodedata

    return all((c := _char(b, encoding)) is not None and unicodedata.category(c) != "Cc" for b in present)


def _doubt(path: Path, sample: bytes, encodings: list[str]) -> str:
    """The message for a file that reads more than one way: its first cell that differs, in each reading."""
    differing = {b for b in sample if b > 0x7F and len({_char(b, e) for e in encodings}) > 1}
    line = next(line for line in sample.splitlines() if differing & set(line))
    at = next(i for i, b in enumerate(line) if b in differing)
    start = max(line.rfind(bytes([d]), 0, at) for d in b',;\t|"') + 1
    ends = [i for i in (line.find(bytes([d]), at) for d in b',;\t|"') if i >= 0]
    cell = line[start : min(ends, default=len(line))].strip()
    readings = " or ".join(f"{cell.decode(e, errors='replace')!r} in {e}" for e in encodings)
    options = " or ".join(f"--encoding {e}" for e in encodings)
    return f"{path}: the text is not UTF-8 and reads more than one way: {readings}; name the right one with {options}"


def _mixed_words(text: str) -> int:
    """Words that mix Latin letters with Greek or Cyrillic ones ("Josι" for José), or have an accented capital
    inside small letters ("HÈlËne" for Hélène, "MŸller" for Müller, "иВАН" for Иван): what a wrong code page
    makes of names."""
    def script(c: str) -> int:
        return 0 if ord(c) < 0x250 else 1 if ord(c) < 0x400 else 2

    return sum(
        1 for w in re.findall(r"[^\W\d_]+", text)
        if not w.isascii() and (len({script(c) for c in w}) > 1 or (not w.isupper() and any(c.isupper() and not c.isascii() for c in w[1:])))
    )


def _vowels_off(text: str) -> float:
    """How far the words with accented letters are from the share of vowels words have in any language (about 0.42):
    a Greek name read as Cyrillic ("Гйюсгпт" for Γιώργος) is nearly all consonants."""
    words = [w for w in re.findall(r"[^\W\d_]+", text.casefold()) if not w.isascii()]
    letters = sum(map(len, words))
    if not letters:
        return 0.0
    return round(abs(sum(c in VOWELS for w in words for c in w) / letters - 0.42), 1)


def _foreign_text(path: Path, head: bytes) -> tuple[frozenset[int], bytes]:
    """Every byte value past ASCII the file holds, and the text to judge the code page by: the lines around the
    first such bytes (a long ASCII start says nothing of the code page), then, wherever they are in the file, the
    first place each byte value not seen yet shows (so that a letter deep in the file is weighed too)."""
    present: set[int] = set()
    parts: list[bytes] = []
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            new = set(chunk.translate(None, _ASCII)) - present
            if not new:
                continue
            if not parts:
                first = min(chunk.index(bytes([byte])) for byte in new)
                start = chunk.rfind(b"\n", 0, first) + 1
                text = chunk[start : start + 64 * 1024]
                parts.append(text.rsplit(b"\n", 1)[0] if b"\n" in text[1:] else text)
                new -= set(parts[0])
                present.update(parts[0])
            for byte in sorted(new, key=lambda b: chunk.index(bytes([b]))):
                if byte in present:
                    continue
                at = chunk.index(bytes([byte]))
                start = max(chunk.rfind(b"\n", 0, at) + 1, at - _WINDOW)
                end = chunk.find(b"\n", at)
                window = chunk[start : min(end if end >= 0 else len(chunk), at + _WINDOW)]
                parts.append(window)
                present.update(window)
            present.update(new)
    present.difference_update(_ASCII)
    return frozenset(present), b"\n".join(parts) or head


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


def sample_lines(text: str) -> list[str]:
    """The first non-blank lines of a decoded sample (the last one of a cut sample may be incomplete)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(text) >= _SAMPLE - 8 and len(lines) > 1:
        lines = lines[:-1]
    return lines


def rank_delimiters(lines: list[str], suffix: str = "") -> list[str]:
    """Every candidate delimiter, the likeliest first.

    Likeliest: it splits the first lines into the same number of columns most
    consistently, and into the most columns. The caller takes the first one under
    which a header is found, so an odd first line cannot hide the right one.
    """
    scores: dict[str, tuple[float, int, bool]] = {}
    for delimiter in DELIMITERS:
        widths = cell_counts(lines, delimiter)
        common = max(set(widths), key=widths.count) if widths else 1
        consistency = widths.count(common) / len(widths) if widths else 0.0
        preferred = delimiter == ("\t" if suffix == ".tsv" else ",")
        scores[delimiter] = (consistency if common > 1 else 0.0, common, preferred)
    return sorted(DELIMITERS, key=lambda d: scores[d], reverse=True)


def cell_counts(lines: list[str], delimiter: str) -> list[int]:
    """How many cells each line splits into, up to a line the csv module refuses."""
    counts: list[int] = []
    try:
        for cells in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter):
            if cells:
                counts.append(len(cells))
    except csv.Error:
        pass
    return counts


def use_system_allocator() -> None:
    """Arrow's text on the system's allocator, which gives a chunk's memory back when it is done with it
    (Arrow's default keeps it for later), so memory stays flat over a long file."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def _csv_frames(table: Table, rows: int, source: Blocks | None = None) -> Iterator[pd.DataFrame]:
    """The file in frames of `rows` records, as wide as the widest of the first lines and one cell more, so that a
    longer line deep in the file shows (its cells past that one are not read).

    pandas takes a chunk's width from its first lines, so the file is read behind a line of
    empty cells as wide as that (dropped again): the spare column exists in every chunk. Read
    through `source`, or through a reader that checks each block against the table's snapshot
    (see snapshot.py).
    """
    import pandas as pd

    use_system_allocator()
    columns = range(table.width + 1)
    own = source is None
    source = source or Blocks(table.path, table.watch)
    try:
        with _Widened(table, source, len(columns)) as stream:
            reader = pd.read_csv(
                stream, sep=table.delimiter, header=None, names=columns, usecols=columns, dtype=TEXT,
                encoding=table.encoding, encoding_errors="strict", keep_default_na=False, na_filter=False,
                skip_blank_lines=False, skiprows=[1] if table.skip else None, chunksize=rows, engine="c", quotechar='"', doublequote=True,
            )
            with reader:
                for frame in reader:
                    yield frame.iloc[1:] if frame.index[0] == 0 else frame  # the index is a record's number as a spreadsheet shows it
    except UnicodeDecodeError as exc:
        raise InputError(f"{table.path}: the text is not valid {table.encoding} ({exc.reason}); name the right one with --encoding") from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        raise InputError(f"{table.path}: not a readable CSV ({_first_line(exc)})") from None
    finally:
        if own:
            source.close()


class _Widened(io.RawIOBase):
    """A CSV file's bytes (read from `source`) with a first line of `cells` empty cells, in the file's encoding,
    after its byte order mark."""

    def __init__(self, table: Table, source: io.RawIOBase, cells: int) -> None:
        self._file = source
        encoding = codecs.lookup(table.encoding).name
        mark = b""
        while len(mark) < 4 and (more := source.read(4 - len(mark))):
            mark += more
        bom = next((b for b in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) if mark.startswith(b)), b"")
        if bom == codecs.BOM_UTF16_LE or bom == codecs.BOM_UTF16_BE:
            encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
        elif encoding == "utf-8-sig":
            encoding = "utf-8"
        self._head = bom + (table.delimiter * (cells - 1) + "\n").encode(encoding) + mark[len(bom):]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        return self._file.readinto(buffer)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else "a line it cannot split"


# -- workbooks ----------------------------------------------------------------
PASSWORD = "it has a password: open it, remove the password (File > Info > Protect Workbook in Excel), save, and import it again"
NUMBERS = "an Apple Numbers file: in Numbers choose File > Export To > CSV (or Excel), and import the exported file"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted Office file keeps in its OLE container


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    import python_calamine  # only workbooks need it

    try:
        with path.open("rb") as f:
            return python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError:
        raise InputError(f"{path}: {PASSWORD}") from None
    except Exception:  # calamine raises several unrelated types for damaged files
        if _ENCRYPTED in path.read_bytes():  # an encrypted .xlsx is an OLE container calamine does not open
            raise InputError(f"{path}: {PASSWORD}") from None
        raise InputError(f"{path}: the workbook cannot be read; it may be damaged (open it in Excel or LibreOffice and save it again)") from None


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
    return sheet_structure(path, name)


@lru_cache(maxsize=1)
def _sheet_text(path: Path, name: str, stamp: tuple[int, int]) -> pd.DataFrame:
    """One sheet as text, kept while the same sheet is read again (finding its tables, then reading one)."""
    return _read_sheet(path, name)


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


def _read_sheet(path: Path, name: str) -> pd.DataFrame:
    """A sheet as a frame of text cells indexed by row number, column 0 being A."""
    import pandas as pd

    from .numbers import shown
    from .styles import sheet_formats

    use_system_allocator()
    try:
        grid = pd.read_excel(path, sheet_name=name, header=None, engine="calamine", dtype=object, na_filter=False)
    except InputError:
        raise
    except Exception:  # calamine raises several unrelated types for damaged sheets
        raise InputError(f"{path}: sheet {name!r} cannot be read; the workbook may be damaged") from None
    formats = sheet_formats(path, name)
    text = pd.DataFrame(
        {
            column: pd.array([cell_text(value, formats.get((row, column)), shown) for row, value in enumerate(grid[column])], dtype=TEXT)
            for column in grid.columns
        },
        index=pd.RangeIndex(1, len(grid) + 1),
    )
    text.columns = range(text.shape[1])
    return text


def cell_text(value: Any, number_format: str | None, shown: Any) -> str:
    """A workbook cell as the text a person sees: numbers under their number format, digits exact; dates ISO 8601."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = shown(value, number_format or "General")
        return text if text is not None else shown(value, "General")
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)
