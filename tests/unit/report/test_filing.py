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
    ((frame),) = by_category(chunk(), {})
    assert frame.outcome == VALID
    assert frame.rows.tolist() == [2, 3, 4] and [c.to_pylist() for c in frame.cells] == [["Ada", "Bob", "Cy"], ["a@x.com", "b@x", "c@x.com"]]
    assert frame.sent["active"].to_pylist() == ["true", "true", "false"] and frame.warned == 1


def test_settled_rows_come_in_the_order_of_their_first_row() -> None:
    frames = list(by_category(chunk(), {3: INVALID}))
    assert [(f.outcome.category, f.rows.tolist()) for f in frames] == [(Category.VALID, [2, 4]), (Category.INVALID, [3])]
    assert [c.to_pylist() for c in frames[0].cells] == [["Ada", "Cy"], ["a@x.com", "c@x.com"]]
    assert frames[0].sent["email"].to_pylist() == ["a@x.com", "c@x.com"] and frames[0].sent["active"].to_pylist() == ["true", "false"]
    assert frames[1].cells[1].to_pylist() == ["b@x"] and frames[1].sent["reason_code"].to_pylist() == ["email-invalid"]
    assert frames[1].sent["email"].to_pylist() == [""] and frames[1].sent["reason"].to_pylist() == ["the email is not an address"]


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

    def add_frame(self, frame) -> None:
        self.frames.append((frame.rows.tolist(), frame.outcome, frame.warned))


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
