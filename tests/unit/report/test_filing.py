"""A dry run's filing: each chunk's rows as frames, one a category, in the order the categories first occur."""

from __future__ import annotations

import pandas as pd

from importer.check.screen import Screened
from importer.outcomes import VALID, Category, Outcome
from importer.report.filing import Filing, by_category, told, with_stored

INVALID = Outcome(Category.INVALID, "email-invalid", "the email is not an address")


def chunk(settled: dict[int, Outcome] | None = None) -> Screened:
    rows = [2, 3, 4]
    cells = pd.DataFrame({"Name": ["Ada", "Bob", "Cy"], "Email": ["a@x.com", "b@x", "c@x.com"]}, index=rows)
    sent = pd.DataFrame(
        {
            "name": ["Ada", "Bob", "Cy"], "email": ["a@x.com", "b@x", "c@x.com"], "phone": ["", "", ""],
            "active": [True, True, False], "warnings": ["", "", "odd"], "key": ["a@x.com", "b@x", "c@x.com"],
        },
        index=rows,
    )
    return Screened(cells, sent, dict(settled or {}), {})


def test_a_clean_chunk_is_one_frame_of_valid_rows() -> None:
    ((cells, shown, outcome),) = by_category(chunk(), {})
    assert outcome == VALID
    assert cells.index.tolist() == [2, 3, 4]
    assert shown["active"].tolist() == ["true", "true", "false"]


def test_settled_rows_come_in_the_order_of_their_first_row() -> None:
    frames = list(by_category(chunk(), {3: INVALID}))
    assert [(outcome.category, cells.index.tolist()) for cells, _, outcome in frames] == [(Category.VALID, [2, 4]), (Category.INVALID, [3])]
    assert frames[1][1]["reason_code"].tolist() == ["email-invalid"]


def test_rows_whose_email_the_store_has_are_duplicates() -> None:
    settled = with_stored(chunk(), {"c@x.com": "id-7"})
    assert settled[4].category == Category.DUPLICATE and settled[4].customer_id == "id-7"
    assert with_stored(chunk({3: INVALID}), {}) == {3: INVALID}


class Kept:
    """A report that keeps what is filed in it."""

    def __init__(self) -> None:
        self.frames: list[tuple[list[int], Outcome, int]] = []
        self.rows: list[tuple[int, Outcome]] = []

    def add(self, filed, outcome) -> None:
        self.rows.extend((row, outcome) for row, *_ in filed)

    def add_frame(self, cells, shown, outcome, warned) -> None:
        self.frames.append((cells.index.tolist(), outcome, warned))


def test_a_dry_run_files_moves_the_progress_and_tells_each_row_with_verbose() -> None:
    report, advanced, lines = Kept(), [], []
    Filing(report, advanced.append, lines.append).dry_run(iter([chunk({3: INVALID})]), {})  # type: ignore[arg-type]
    assert report.frames == [([2, 4], VALID, 1), ([3], Outcome(Category.INVALID), 0)]  # the reasons are in the frame
    assert advanced == [2, 1]
    assert lines == [told(2, VALID), told(3, INVALID), told(4, VALID)]


def test_rows_filed_without_verbose_are_not_told() -> None:
    report, advanced = Kept(), []
    Filing(report, advanced.append, None).rows([(5, ["x"], "", ("", "", "", ""))], INVALID)  # type: ignore[arg-type]
    assert report.rows == [(5, INVALID)] and advanced == [1]
