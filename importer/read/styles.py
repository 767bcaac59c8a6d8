"""Which numeric cells of a sheet carry a number format that changes how they read, from the workbook's styles.

The reader renders those cells with `shown` (numbers.py); every other number reads
as General. The sheet's XML is scanned in chunks rather than parsed whole.

Positions line up without an offset. `pd.read_excel(path, sheet_name=...,
engine="calamine", header=None)` lays the sheet out from A1: row 0 of the frame is
sheet row 1 and column 0 is column A even when the first used cell is C3, because
pandas asks calamine for the sheet with its empty leading rows and columns kept. So
the frame's position (i, j) is the key (i, j) of `sheet_xml.sheet_xml`'s formats, as long as the frame
is read without `skiprows`, `usecols`, `header` or `index_col`, which shift it.
python-calamine's own `to_python()` starts at the first used cell instead; add its
sheet's `start` to positions taken from it.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import InputError
from .cell_formats import CellFormats
from .number_formats import GENERAL, format_layout

if TYPE_CHECKING:
    from collections.abc import Iterable

    from openpyxl.packaging.relationship import Relationship
    from openpyxl.reader.excel import ExcelReader

_CHUNK = 1 << 20
_NUMERIC_TYPES = (b"", b"n")  # a cell's `t`: absent or "n" for numbers
_UNUSUAL = re.compile(rb"""\ss\s*=\s*'|\ss\s+=|\ss=\s|[\t\r\n]s\s*=""")  # style attributes the common pattern would miss
_CELL_OR_ROW = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\s([rst])\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]+)")

Hit = tuple[bytes, bytes, bytes, bytes]
"""A styled cell as found in the sheet's XML: column letters, row number, style index, type."""


@contextmanager
def damaged_if_failing(path: Path, what: str) -> Iterator[None]:
    """Any error while `what` of the workbook at `path` is read, told to the merchant as a damaged workbook: the
    libraries that read one (zipfile, zlib, openpyxl, calamine) raise several unrelated types for a damaged file.
    An `InputError`, already said for the merchant, passes as it is."""
    try:
        yield
    except InputError:
        raise
    except Exception:
        raise InputError(f"{path}: {what} cannot be read; the workbook may be damaged") from None


# openpyxl's remarks on odd files (an unknown extension, a workbook without a default style) are not for the merchant.
# They are filtered once, for openpyxl's own modules, not around each read: a sheet's styles are read on a thread of
# their own beside pandas' read of its values (sheet.py), and `warnings.catch_warnings` is not safe across threads.
warnings.filterwarnings("ignore", module="openpyxl")


def load_readers() -> None:
    """Load what reading a workbook's styles and its sheet's XML takes, on the thread that reads the sheet's values,
    before the pass over the XML starts on a thread of its own: the two threads never load modules at once."""
    import openpyxl.reader.excel  # noqa: F401
    import openpyxl.styles.numbers  # noqa: F401
    import openpyxl.styles.stylesheet  # noqa: F401
    import openpyxl.xml.functions  # noqa: F401

    from . import legacy  # noqa: F401


@contextmanager
def opened_workbook(f: IO[bytes]) -> Iterator[ExcelReader | None]:
    """openpyxl's reader of an .xlsx/.xlsm archive, its manifest and workbook read; None for an OpenDocument or .xlsb one."""
    from openpyxl.reader.excel import ExcelReader  # openpyxl loads only when a workbook is read

    reader = ExcelReader(f, read_only=True)
    with reader.archive:
        names = set(reader.valid_files)
        if "[Content_Types].xml" not in names or "xl/workbook.bin" in names:
            yield None
            return
        reader.read_manifest()
        reader.read_workbook()
        yield reader


def sheet_part(reader: ExcelReader, sheet_name: str) -> str | None:
    """Where in the archive the sheet's XML is, as the workbook's relationships name it."""
    return next((rel.target for sheet, rel in reader.parser.find_sheets() if sheet.name == sheet_name), None)


def _styles_part(relationships: Iterable[Relationship]) -> str:
    """Where the workbook keeps its styles, as its relationships name it."""
    from openpyxl.xml.constants import ARC_STYLE

    return next((rel.target for rel in relationships if rel.Type.endswith("/styles")), ARC_STYLE)


def _style_codes(archive: zipfile.ZipFile, part: str) -> dict[int, str]:
    """The cell styles (indexes into cellXfs) whose number format changes how a number reads.

    A built-in format id openpyxl does not know (Excel's East Asian locale formats)
    counts as General.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    if part not in archive.namelist():
        return {}
    stylesheet = Stylesheet.from_tree(fromstring(archive.read(part)))
    custom = stylesheet.custom_formats
    codes: dict[int, str] = {}
    for index, xf in enumerate(stylesheet.cellXfs.xf):
        code = custom.get(xf.numFmtId) or BUILTIN_FORMATS.get(xf.numFmtId, GENERAL)
        if reads_other_than_general(code):
            codes[index] = code
    return codes


def reads_other_than_general(code: str) -> bool:
    """Whether a number format changes how a number reads: not General, not text (`@`), not a date or time."""
    return code.strip().lower() not in ("general", "@") and format_layout(code) is not None


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in pieces of about a megabyte, each cut before a `<` so no tag is split."""
    carry = b""
    while block := stream.read(_CHUNK):
        data = carry + block
        cut = data.rfind(b"<")
        if cut <= 0:
            carry = data
            continue
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


class _StyledCells:
    """The styled numeric cells of a sheet, read chunk by chunk; `found` is None once one of them does not name its place.

    Each chunk is matched, in C, with one pattern for the layout every common writer
    uses (`<c r="D2" s="3" t="n">`); counting the styles' attributes in it proves no
    styled cell was missed. A chunk laid out otherwise (another attribute order, a
    namespace prefix, styled rows) is read tag by tag, and so is a whole sheet whose
    first chunk shows attributes quoted or spaced unusually (a writer lays out every
    tag of a file alike).
    """

    def __init__(self, codes: dict[int, str]) -> None:
        styles = b"|".join(str(index).encode() for index in codes)
        self._common = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + styles + rb')"(?: t="(\w*)")?')
        self._attribute = re.compile(rb' s="(?:' + styles + rb')"')
        self._any_attribute = re.compile(rb"""\ss\s*=\s*["'](?:""" + styles + rb""")["']""")
        self._cell = re.compile(
            rb"<(?:[\w.-]+:)?c(?=\s)"
            rb"""(?=[^>]*?\ss\s*=\s*["'](""" + styles + rb""")["'])"""
            rb"""(?:(?=[^>]*?\sr\s*=\s*["']([A-Za-z]{1,3})([0-9]+)["']))?"""
            rb"""(?:(?=[^>]*?\st\s*=\s*["'](\w*)["']))?"""
        )
        self._by_style = {str(index).encode(): code for index, code in codes.items()}
        self._columns = _Columns()
        self._unusual: bool | None = None
        self.found: CellFormats | None = CellFormats()

    def feed(self, data: bytes) -> None:
        """Read the next chunk of the sheet's XML."""
        if self.found is None:
            return
        if self._unusual is None:
            self._unusual = _UNUSUAL.search(data) is not None
        hits: list[Hit] | None = None if self._unusual else self._common.findall(data)
        if hits is None or len(hits) != len(self._attribute.findall(data)):
            hits = _tag_by_tag(data, self._any_attribute, self._cell)
            if hits is None:
                self.found = None
                return
        add, columns, by_style = self.found.add, self._columns, self._by_style
        for letters, digits, style, kind in hits:
            if kind in _NUMERIC_TYPES:
                add(int(digits) - 1, columns[letters], by_style[style])


def _tag_by_tag(data: bytes, attribute: re.Pattern[bytes], cell: re.Pattern[bytes]) -> list[Hit] | None:
    """The styled cells of a chunk, found from each style attribute back to its tag; None if one has no `r`."""
    hits: list[Hit] = []
    for match in attribute.finditer(data):
        tag = cell.match(data, data.rfind(b"<", 0, match.start()))
        if tag is None:
            continue  # the style of a row, not of a cell
        style, letters, digits, kind = tag.groups(default=b"")
        if not letters:
            return None
        hits.append((letters, digits, style, kind))
    return hits


def _every_cell(stream: IO[bytes], codes: dict[int, str]) -> CellFormats:
    """The styled numeric cells, every row and cell counted so that those without `r` get their place."""
    found = CellFormats()
    row = col = -1
    for data in _chunks(stream):
        for match in _CELL_OR_ROW.finditer(data):
            attributes = dict(_ATTRIBUTE.findall(match[2]))
            reference = attributes.get(b"r")
            if match[1] == b"row":
                row = int(reference) - 1 if reference else row + 1
                col = -1
                continue
            place = _REFERENCE.fullmatch(reference) if reference else None
            if place:
                row, col = int(place[2]) - 1, _column(place[1])
            else:
                col += 1
            style = int(attributes.get(b"s") or 0)
            if style in codes and attributes.get(b"t", b"") in _NUMERIC_TYPES:
                found.add(row, col, codes[style])
    return found


def _column(letters: bytes) -> int:
    """A column's letters as its index from 0 (A is 0, AA is 26)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index - 1


class _Columns(dict[bytes, int]):
    """Column letters to indexes, each worked out the first time it is seen."""

    def __missing__(self, letters: bytes) -> int:
        self[letters] = index = _column(letters)
        return index
