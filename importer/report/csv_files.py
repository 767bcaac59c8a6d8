"""The report's CSV lines: every cell quoted and formula-safe, a row at a time or a frame at a time.

An import writes the store's answers row by row (`csv_lines`); a dry run writes each
chunk's rows as Arrow columns (`frame_csv`) on a thread of its own (`Behind`). Both
write the same lines, and a cell that starts like a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..read.cells import text_offsets

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Rows of a dry run whose CSV lines may wait to be written (see `Behind`): a dry run's chunk and what follows it.
BEHIND_ROWS = 60_000
# A cell that starts like a formula gets a leading apostrophe; so does one that starts with an
# apostrophe already, since the reader drops one from every cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


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
        starts = _starts_like_formula(cells)
        safe.append(pc.if_else(pa.array(starts), pc.binary_join_element_wise(pa.scalar("'", cells.type), cells, pa.scalar("", cells.type)), cells) if starts.any() else cells)
    table = pa.Table.from_arrays(safe, names=[str(i) for i in range(len(safe))])
    out = pa.BufferOutputStream()
    arrow_csv.write_csv(table, out, arrow_csv.WriteOptions(include_header=False, quoting_style="all_valid", eol="\r\n"))
    return out.getvalue()


def _starts_like_formula(cells: pa.Array) -> np.ndarray:
    """Which cells of a text column start like a formula (`FORMULA_STARTS`), from each cell's first byte in Arrow's
    buffer: every such start is one ASCII byte, which no other character's UTF-8 begins with, so a look at that byte
    alone is exact, and costs a fraction of a regex over every cell."""
    import numpy as np

    if not len(cells):
        return np.zeros(0, dtype=bool)
    bounds = text_offsets(cells)
    data = cells.buffers()[2]
    filled = bounds[1:] > bounds[:-1]
    starts = np.zeros(len(cells), dtype=bool)
    if filled.any():
        first = np.frombuffer(data, dtype=np.uint8)[bounds[:-1][filled]]
        starts[filled] = np.isin(first, _FORMULA_BYTES)
    return starts


_FORMULA_BYTES = [ord(c) for c in FORMULA_STARTS]


def repeated(value: str, count: int) -> pa.Array:
    """One text `count` times, as an Arrow string array."""
    import numpy as np
    import pyarrow as pa

    return pa.array([value], type=pa.string()).take(pa.array(np.zeros(count, dtype=np.int32)))


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
