"""The answers on their way to the report: held a few at a time, and a report that cannot take them stops the sender once."""

from __future__ import annotations

import pytest

from importer.errors import ReportError
from importer.outcomes import VALID
from importer.send.feed import FILE_BATCH, HeldRows


def test_rows_are_filed_a_batch_at_a_time_and_the_rest_on_flush() -> None:
    filed: list[int] = []
    held = HeldRows(lambda rows, outcome: filed.extend(row for row, *_ in rows))
    for row in range(FILE_BATCH + 2):
        held(row, [], VALID)
    assert filed == list(range(FILE_BATCH))
    held.flush()
    assert filed == list(range(FILE_BATCH + 2))


def test_a_report_that_cannot_take_a_row_is_raised_once_and_kept() -> None:
    def full(rows: object, outcome: object) -> None:
        raise ReportError("the disk is full")

    held = HeldRows(full)
    held(1, [], VALID)
    with pytest.raises(ReportError):
        held.flush()
    held(2, [], VALID)
    held.flush()  # the rows after it are left to the journal
    assert str(held.unwritten) == "the disk is full"
