"""Drop rows whose email an earlier valid row of the same file already has.

The store would refuse the second one anyway; catching it here saves a request
and tells the merchant which row it repeats. Only valid rows are remembered, so
an invalid row never hides a later valid one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..outcomes import Category, Outcome

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


@dataclass(slots=True)
class Seen:
    """First rows of new emails, sorted by their 64-bit hash: the row of each and where its email is kept (its
    place among every email kept, in the order kept). Rows and places are 32-bit where they fit, as in any file
    of fewer than two billion lines."""

    hashes: np.ndarray
    rows: np.ndarray
    places: np.ndarray


def compact(values: np.ndarray) -> np.ndarray:
    """Whole numbers of at least 0 in 32 bits when they all fit, else as they are (64)."""
    import numpy as np

    return values.astype(np.int32) if not len(values) or int(values.max()) < 1 << 31 else values


def merge_last(runs: list[Seen]) -> None:
    """The last two runs as one, still sorted by hash (fewer, larger arrays to search): a stable sort of the two side
    by side, which numpy's timsort does as one merge of the runs it finds, older entries first among equals. Each of
    the two runs' arrays is let go of once it is merged, so a merge holds little more than the runs themselves."""
    import numpy as np

    newer, older = runs.pop(), runs.pop()
    gone = np.zeros(0, dtype=np.int64)  # what a merged run's array is left as (a slice would keep the whole array)
    hashes = np.concatenate([older.hashes, newer.hashes])
    older.hashes = newer.hashes = gone
    order = np.argsort(hashes, kind="stable")
    hashes = hashes[order]
    rows = np.concatenate([older.rows, newer.rows])
    older.rows = newer.rows = gone
    rows = rows[order]
    places = np.concatenate([older.places, newer.places])
    older.places = newer.places = gone
    runs.append(Seen(hashes, rows, places[order]))


def repeat_of(first: int) -> Outcome:
    return Outcome(Category.IN_FILE_DUPLICATE, "in-file-duplicate", f"same email as row {first}")


class Deduper:
    """Remembers the first row of each case-folded email, column-wise.

    A chunk's emails are hashed and looked up in the sorted hashes of the earlier
    chunks with numpy (repeats within the chunk found among equal neighbours of the sorted hashes); the
    emails themselves are kept in Arrow arrays, so a hash that matches is confirmed
    on the email before a row is called a repeat. Memory grows with distinct emails
    only, by a few tens of bytes each.
    """

    def __init__(self) -> None:
        self._seen: list[Seen] = []  # runs sorted by hash, each at most half the size of the one before
        self._emails: list[pa.Array] = []  # every chunk's emails, as they came
        self._starts: list[int] = [0]  # the place of each chunk's first email among all kept, and the count kept

    def _same(self, places: np.ndarray, given: pa.Array) -> np.ndarray:
        """Whether each remembered email at `places` is the one given beside it (a hash that matched, confirmed),
        the remembered ones taken a chunk at a time."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        same = np.zeros(len(places), dtype=bool)
        starts = np.array(self._starts, dtype=np.int64)
        chunks = np.searchsorted(starts, places, side="right") - 1
        for chunk in np.unique(chunks).tolist():
            picked = np.flatnonzero(chunks == chunk)
            kept = self._emails[chunk].take(pa.array(places[picked] - starts[chunk]))
            same[picked] = pc.equal(kept, given.take(pa.array(picked))).to_numpy(zero_copy_only=False)
        return same

    def check_many(self, keys: pd.Series) -> dict[int, Outcome]:
        """For a chunk's rows (keys indexed by row number, in order): the in-file duplicates among them, by row."""
        import numpy as np
        import pyarrow as pa

        if not len(keys):
            return {}
        words = keys.tolist()
        texts = pa.array(keys, type=pa.string())
        hashes = np.fromiter(map(hash, words), dtype=np.int64, count=len(words))  # Python's own string hash: C speed
        rows = keys.index.to_numpy(dtype=np.int64)
        first = np.full(len(keys), -1, dtype=np.int64)  # the earlier row each one repeats
        by_value = np.argsort(hashes, kind="stable")  # equal hashes in input order
        sorted_hashes = hashes[by_value]  # looked up in order, so the searches walk memory forwards
        for seen in self._seen:
            at = np.minimum(np.searchsorted(seen.hashes, sorted_hashes), len(seen.hashes) - 1)
            hits = np.flatnonzero(seen.hashes[at] == sorted_hashes)
            hits = hits[first[by_value[hits]] < 0]
            if len(hits):
                which = by_value[hits]
                same = self._same(seen.places[at[hits]], texts.take(pa.array(which)))
                first[which[same]] = seen.rows[at[hits[same]]]
        later = np.flatnonzero(sorted_hashes[1:] == sorted_hashes[:-1]) + 1  # past the first of a hash within the chunk
        if len(later):
            starts = np.arange(len(keys))
            starts[later] = 0
            lead = by_value[np.maximum.accumulate(starts)]  # the first row of each one's hash
            for j in later.tolist():
                i, earlier = int(by_value[j]), int(lead[j])
                if first[i] < 0 and words[earlier] == words[i]:
                    first[i] = rows[earlier]
                # else: two emails with one hash in a chunk, past the first: kept as new (never called a repeat)
        order = by_value[first[by_value] < 0]  # the new emails, by hash
        if len(order):
            start = self._starts[-1]
            self._emails.append(texts)
            self._starts.append(start + len(keys))
            self._seen.append(Seen(hashes[order], compact(rows[order]), compact(start + order)))
            while len(self._seen) > 1 and len(self._seen[-2].hashes) <= 2 * len(self._seen[-1].hashes):
                merge_last(self._seen)
        repeats = np.flatnonzero(first >= 0)
        return {row: repeat_of(earlier) for row, earlier in zip(rows[repeats].tolist(), first[repeats].tolist())}
