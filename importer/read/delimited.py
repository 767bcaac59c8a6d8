"""A delimited text file (CSV, TSV): which delimiter splits it, and its rows read in frames of text.

pandas reads the file in chunks, so memory does not grow with the file, every cell
as text. The delimiters are ranked by how evenly they split the first lines; the
caller takes the first under which a header is found.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .cells import TEXT, use_system_allocator
from .snapshot import Blocks

if TYPE_CHECKING:
    import pandas as pd

    from .sheet import Table

DELIMITERS = ",;\t|"
_SAMPLE = 256 * 1024
# The bytes Arrow's CSV reader parses at a time. Each block costs the reading thread turns of Python's lock (the file
# is read through Python, see snapshot.py, and each batch is sliced into chunks there), which it waits for while the
# main thread checks rows: fewer, larger blocks wait less, and each is held in memory until its rows are chunks.
_ARROW_BLOCK = 1 << 18


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


def _csv_frames(table: Table, rows: int, source: Blocks | None = None) -> Iterator[pd.DataFrame]:
    """The file in frames of `rows` records, as wide as the widest of the first lines and one cell more, so that a
    longer line deep in the file shows (its cells past that one are not read).

    pandas takes a chunk's width from its first lines, so the file is read behind a line of
    empty cells as wide as that (dropped again): the spare column exists in every chunk. Read
    through `source`, or through a reader that checks each block against the table's snapshot
    (see snapshot.py). Where Arrow may read the file (`_arrow_may_read`), it reads until it gives
    up, and pandas reads on from the chunk Arrow stopped in (see `_arrow_frames`).
    """
    import pandas as pd

    use_system_allocator()
    given = 0
    if source is None and _arrow_may_read(table):
        given = yield from _arrow_frames(table, rows)
        if given < 0:
            return
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
                    if given:  # a chunk Arrow gave already
                        given -= 1
                        continue
                    yield frame.iloc[1:] if frame.index[0] == 0 else frame  # the index is a record's number as a spreadsheet shows it
    except UnicodeDecodeError as exc:
        raise InputError(f"{table.path}: the text is not valid {table.encoding} ({exc.reason}); name the right one with --encoding") from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        said = _first_line(exc)
        if "EOF inside string" in said:
            said = ("a quote is opened and never closed, so every line after it reads as one value: the file was cut short, "
                    "or a value holds a lone \" (written \"\" inside quotes)")
        raise InputError(f"{table.path}: not a readable CSV ({said})") from None
    finally:
        if own:
            source.close()


def _arrow_options(table: Table, threads: bool) -> dict[str, Any]:
    """How Arrow's CSV reader reads a table as pandas' C parser does: the same quoting, a line break inside quotes kept,
    no cell null, a blank line kept as a row of blank cells, `width` cells on every line. With `threads`, blocks are
    read ahead and parsed on every core; without, one at a time on the caller's thread (outside Python's lock), so
    memory holds one block and a chunk."""
    import pyarrow as pa
    import pyarrow.csv as arrow_csv

    names = [str(i) for i in range(table.width)]
    return {
        "read_options": arrow_csv.ReadOptions(column_names=names, skip_rows=table.skip, encoding="utf8", use_threads=threads, block_size=_ARROW_BLOCK),
        "parse_options": arrow_csv.ParseOptions(
            delimiter=table.delimiter, quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True, ignore_empty_lines=False,
        ),
        "convert_options": arrow_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True,
        ),
    }


def _arrow_may_read(table: Table) -> bool:
    """Whether Arrow's CSV reader may read the table (Arrow's parser, without a Python object a cell): text it takes
    as it is (UTF-8), split into columns (not one cell a line), no row of which is sent.

    A table whose rows are sent (`Watch.sends`) is read by pandas: Arrow reads far ahead of the rows it hands on,
    where a change to the file would go unseen, and pandas reads a block at a time as the rows are needed
    (snapshot.py).
    """
    return not table.watch.sends and _arrow_takes(table)


def _arrow_takes(table: Table) -> bool:
    """Text Arrow's reader takes as it is (UTF-8), split into columns (not one cell a line)."""
    return codecs.lookup(table.encoding).name in ("utf-8", "utf-8-sig") and table.width >= 2


def _arrow_count(table: Table, source: Blocks) -> int | None:
    """The records Arrow's reader parses from `source`, reading ahead on every core; None where it gives up (see `_arrow_frames`)."""
    import pyarrow as pa
    import pyarrow.csv as arrow_csv

    try:
        return sum(len(batch) for batch in arrow_csv.open_csv(source, **_arrow_options(table, threads=True)))
    except pa.ArrowInvalid:
        return None


def counted(table: Table, source: Blocks) -> int:
    """The records of a CSV, every line parsed (an import's checking pass, see `Table.snapshot`): by Arrow's reader where
    it reads the file as pandas would (see `_arrow_frames`), else by pandas, the source read again from its first byte,
    which says where a line cannot be read. Nothing read here is sent, so Arrow may read ahead."""
    if _arrow_takes(table):
        records = _arrow_count(table, source)
        if records is not None:
            return records
        source.restart()
    return sum(len(frame) for frame in _csv_frames(table, 1 << 16, source))


def _arrow_frames(table: Table, rows: int) -> Generator[pd.DataFrame, None, int]:
    """The frames `_csv_frames` gives, read by Arrow's CSV reader: the same cells, row numbers, chunks and spare
    column, each cell Arrow text straight from the parser; returns -1 when it read the whole file, else how many
    frames it gave before it gave up.

    Arrow gives up on what pandas reads otherwise: a line short or long (pandas pads a short one and shows a long
    one), an unclosed quote, bytes that are no UTF-8 (pandas says where a file cannot be read). Up to the chunk
    holding that line, every line has the header's cells, and the two read them alike (a property test compares
    them), so pandas reads on from that chunk.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as arrow_csv

    start, wanted, held, given = 1, rows - 1, [], 0  # pandas' first chunk holds the line of empty cells the file is read behind
    spare = pa.array([""], pa.large_string())  # pandas holds text as Arrow's large strings

    def frame(batches: list[pa.RecordBatch], first: int) -> pd.DataFrame:
        table_ = pa.Table.from_batches(batches)
        count = table_.num_rows
        columns = {i: pd.arrays.ArrowStringArray(table_.column(i).combine_chunks()) for i in range(table_.num_columns)}
        columns[table_.num_columns] = pd.arrays.ArrowStringArray(spare.take(pa.array(np.zeros(count, dtype=np.int32))))
        return pd.DataFrame(columns, index=pd.RangeIndex(first, first + count))

    with Blocks(table.path, table.watch) as source:
        batches = None
        while True:
            try:
                if batches is None:
                    batches = arrow_csv.open_csv(source, **_arrow_options(table, threads=False))
                batch = batches.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid:
                return given
            while len(batch):
                part, batch = batch.slice(0, wanted), batch.slice(wanted)
                held.append(part)
                wanted -= len(part)
                if not wanted:
                    ready, held = frame(held, start), []
                    start, wanted = start + len(ready), rows
                    given += 1
                    yield ready
        if held:  # the rows past the last whole chunk (every slice held has some)
            yield frame(held, start)
    return -1


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
