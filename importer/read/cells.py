"""Cells as text: the frames every reader gives hold text only, as the merchant sees it.

Every cell is text in Arrow's string arrays (no type inference, no NaN: a blank cell
is ""). Excel's text marks are dropped from each cell of a CSV (a leading apostrophe,
and the `="..."` a CSV is written with to keep a leading zero), and a row of nothing
but spaces is no row.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

TEXT = "string[pyarrow]"  # every cell is text, held in Arrow's string arrays
# Every character Python's str.strip() takes for a space, for Arrow's regex engine (no escape
# that would send pandas to Python's: Latin-1 ones as \xNN, the rest as themselves).
SPACES = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else c for c in map(chr, range(0x3001)) if c.isspace())
_BLANK = f"[{SPACES}]*"
_KEPT_TEXT = r'="(?:[^"]|"")*"'  # a formula that is only a text in quotes (`""` for a quote inside)
_ESCAPED = "'[=+@\t\r'-]"  # an apostrophe a report's CSV writes before a cell that starts like a formula (csv_files.FORMULA_STARTS)


def not_blank(frame: pd.DataFrame) -> pd.Series:
    """Rows with a cell that is more than spaces (each column looked at only for the rows still in doubt)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    kept = ~flags(fullmatch(arrow_text(frame[frame.columns[0]]), _BLANK))
    for column in frame.columns[1:]:
        doubt = np.flatnonzero(~kept)
        if not len(doubt):
            break
        kept[doubt] = ~flags(fullmatch(arrow_text(frame[column]).take(pa.array(doubt)), _BLANK))
    return pd.Series(kept, index=frame.index)


def drop_text_marker(frame: pd.DataFrame, delimited: bool = True) -> pd.DataFrame:
    """Every cell as the text it keeps: without one leading apostrophe, Excel's mark for "keep this as text"
    (`'+2348012345678`), and `="07700900123"`, the formula a CSV is written with so that Excel keeps a leading
    zero, as the text it shows (`07700900123`).

    A workbook (`delimited` False) keeps that mark as a cell's style, not in its text: an apostrophe there is
    one the merchant sees (`'t Hooft`), and is dropped only before what a report's CSV escapes with it (`'=`,
    `'+` ...: a report opened and saved as a workbook)."""
    import pyarrow.compute as pc

    for column in frame.columns:
        cells = frame[column]
        text = arrow_text(cells)
        marked = flags(pc.starts_with(text, "'") if delimited else pc.match_substring_regex(text, "^" + _ESCAPED))
        if marked.any():
            cells = frame[column] = cells.where(~marked, cells.str.slice(1))
            text = arrow_text(cells)
        if not delimited:
            continue
        quoted = flags(pc.starts_with(text, '="'))
        if quoted.any():
            quoted &= flags(fullmatch(text, _KEPT_TEXT))
            frame[column] = cells.where(~quoted, cells.str.slice(2, -1).str.replace('""', '"', regex=False))
    return frame


def rows_of(frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """A frame's rows as tuples of cells, in order: taken out of Arrow a whole column at a time, which
    is many times cheaper than pandas stepping through the frame a row at a time (`itertuples`)."""
    if not frame.shape[1]:
        return iter([()] * len(frame))
    return zip(*(frame.iloc[:, i].tolist() for i in range(frame.shape[1])))


def text_column(values: Any, kind: pa.DataType | None = None) -> pa.Array:
    """A pandas column (or any sequence of text) as one Arrow array of text of `kind` (Arrow's string by default),
    without copying Arrow-backed text of that kind."""
    import pyarrow as pa

    array = pa.array(values, type=kind or pa.string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def arrow_text(values: pd.Series) -> pa.Array:
    """A pandas text column as the Arrow array it holds (large strings, no copy where it is one chunk), for Arrow's
    kernels called straight: a pandas string method wraps each kernel's result in a pandas array of its own."""
    import pyarrow as pa

    return text_column(values, pa.large_string())


def text_offsets(text: pa.Array) -> np.ndarray:
    """Where each text of an Arrow text array starts in its data buffer, and where the last one ends (one more offset
    than texts), as numpy sees Arrow's own offsets of either text type, without a copy."""
    import numpy as np
    import pyarrow as pa

    _, offsets, _ = text.buffers()
    width = np.int64 if pa.types.is_large_string(text.type) else np.int32
    return np.frombuffer(offsets, dtype=width)[text.offset : text.offset + len(text) + 1]


def texts(values: pa.Array, index: pd.Index) -> pd.Series:
    """Arrow text as a pandas text column over `index` (no copy)."""
    import pandas as pd

    return pd.Series(pd.arrays.ArrowStringArray(values), index=index)


def flags(values: pa.Array) -> np.ndarray:
    """An Arrow column of true and false as numpy's, a null as false."""
    return values.fill_null(False).to_numpy(zero_copy_only=False)


def fullmatch(values: pa.Array, pattern: str) -> pa.Array:
    """Which cells `pattern` matches whole (as `Series.str.fullmatch`, with Arrow's regex engine); null for a null cell."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(values, f"^(?:{pattern})$")


def among(values: pd.Series | pa.Array, words: frozenset[str]) -> np.ndarray:
    """Which cells of a text column are one of `words`, exactly: Arrow's set lookup, many times faster than `Series.isin`
    on Arrow text (which goes through Python objects)."""
    import pandas as pd
    import pyarrow.compute as pc

    column = text_column(values) if isinstance(values, pd.Series) else values
    return pc.is_in(column, value_set=_word_array(words)).to_numpy(zero_copy_only=False)


@cache
def _word_array(words: frozenset[str]) -> pa.Array:
    """A set of words as Arrow text (made once a set)."""
    import pyarrow as pa

    return pa.array(sorted(words), type=pa.string())


def use_system_allocator() -> None:
    """Arrow's text on the system's allocator, which gives a chunk's memory back when it is done with it
    (Arrow's default keeps it for later), so memory stays flat over a long file."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
