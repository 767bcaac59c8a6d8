"""Drop rows whose email an earlier valid row of the same file already has.

The store would refuse the second one anyway; catching it here saves a request
and tells the merchant which row it repeats. Only valid rows are remembered, so
an invalid row never hides a later valid one.
"""

from __future__ import annotations

from .outcomes import Category, Outcome


class Deduper:
    """Remembers the first row of each case-folded email (memory grows with distinct emails only)."""

    def __init__(self) -> None:
        self._first_row: dict[str, int] = {}

    def check(self, key: str, row: int) -> Outcome | None:
        """None for the first row with this email; an `in_file_duplicate` outcome after."""
        first = self._first_row.setdefault(key, row)
        if first == row:
            return None
        return Outcome(Category.IN_FILE_DUPLICATE, "in-file-duplicate", f"same email as row {first}")
