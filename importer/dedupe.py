"""Drop rows whose email an earlier valid row of the same file already has.

The store would refuse the second one anyway; catching it here saves a request
and tells the merchant which row it repeats. Only valid rows are remembered, so
an invalid row never hides a later valid one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .outcomes import Category, Outcome

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


@dataclass(frozen=True)
class Seen:
    """The first rows of one chunk's new emails: their 64-bit hashes sorted, with the row and the email of each."""

    hashes: np.ndarray
    rows: np.ndarray
    keys: pa.Array


def repeat_of(first: int) -> Outcome:
    return Outcome(Category.IN_FILE_DUPLICATE, "in-file-duplicate", f"same email as row {first}")


class Deduper:
    """Remembers the first row of each case-folded email, column-wise.

    A chunk's emails are hashed by pandas and looked up in the sorted hashes of the
    earlier chunks with numpy; the emails themselves are kept in Arrow arrays, so a
    hash that matches is confirmed on the email before a row is called a repeat.
    Memory grows with distinct emails only, by a few tens of bytes each.
    """

    def __init__(self) -> None:
        self._seen: list[Seen] = []

    def check_many(self, keys: pd.Series) -> dict[int, Outcome]:
        """For a chunk's rows (keys indexed by row number, in order): the in-file duplicates among them, by row."""
        import numpy as np
        import pandas as pd
        import pyarrow as pa

        if not len(keys):
            return {}
        hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
        rows = keys.index.to_numpy(dtype=np.int64)
        words = keys.tolist()
        first = np.full(len(keys), -1, dtype=np.int64)
        for seen in self._seen:
            places = np.minimum(np.searchsorted(seen.hashes, hashes), len(seen.hashes) - 1)
            for i in np.flatnonzero((seen.hashes[places] == hashes) & (first < 0)).tolist():
                if seen.keys[int(places[i])].as_py() == words[i]:
                    first[i] = seen.rows[places[i]]
        by_hash = pd.Series(rows).groupby(hashes, sort=False).transform("first").to_numpy()
        for i in np.flatnonzero((by_hash != rows) & (first < 0)).tolist():
            earlier = int(np.searchsorted(rows, by_hash[i]))
            if words[earlier] == words[i]:
                first[i] = by_hash[i]
            # else: two emails with one hash in a chunk, past the first: kept as new (never called a repeat)
        new = np.flatnonzero(first < 0)
        if len(new):
            order = new[np.argsort(hashes[new], kind="stable")]
            self._seen.append(Seen(hashes[order], rows[order], pa.array(keys, type=pa.string()).take(pa.array(order))))
        return {int(rows[i]): repeat_of(int(first[i])) for i in np.flatnonzero(first >= 0).tolist()}
