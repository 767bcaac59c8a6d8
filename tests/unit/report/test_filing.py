"""A dry run's filing: each chunk's rows as frames, one a category, in the order the categories first occur."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from importer.check.screen import Screened
from importer.errors import InputError, ReportError
from importer.outcomes import VALID, Category, Outcome
from importer.report import filing
from importer.report.filing import Filing, by_category, told, with_stored
from importer.report.writer import Frame

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
        self.counted = 0

    def add(self, filed, outcome) -> None:
        self.rows.extend((row, outcome) for row, *_ in filed)

    def add_frame(self, frame) -> None:
        self.frames.append((frame.rows.tolist(), frame.outcome, frame.warned))

    def count_frame(self, frame) -> None:
        self.counted += len(frame.rows)


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


def gathered_frame(rows: list[int], category: Category) -> Frame:
    blank = pa.array([""] * len(rows))
    return Frame(np.array(rows), [pa.array([f"cell {r}" for r in rows])], dict.fromkeys(("name", "email", "phone", "active", "warnings"), blank), Outcome(category))


def test_small_frames_are_gathered_in_order_and_each_category_first_filed_where_it_first_occurs(monkeypatch) -> None:
    monkeypatch.setattr(filing, "GATHER_ROWS", 3)
    filed: list[tuple[Category, list[int], list[str]]] = []
    gathered = filing.Gathered(lambda f: filed.append((f.outcome.category, f.rows.tolist(), f.cells[0].to_pylist())))
    for rows, category in [([2], Category.INVALID), ([3], Category.VALID), ([], Category.IN_FILE_DUPLICATE), ([4, 5], Category.INVALID),
                           ([6], Category.INVALID), ([7], Category.IN_FILE_DUPLICATE), ([8], Category.INVALID)]:
        gathered.add(gathered_frame(rows, category))
    gathered.flush()
    assert filed == [
        (Category.INVALID, [2], ["cell 2"]), (Category.VALID, [3], ["cell 3"]),
        (Category.INVALID, [4, 5, 6], ["cell 4", "cell 5", "cell 6"]),  # three rows held: filed as one
        (Category.IN_FILE_DUPLICATE, [7], ["cell 7"]),  # its first frame, once it has rows
        (Category.INVALID, [8], ["cell 8"]),
    ]


def test_a_file_that_cannot_be_read_further_is_told_even_when_the_rows_held_cannot_be_written(monkeypatch) -> None:
    """The rows read before the error are filed; a report that cannot take them does not hide the error that stopped the run."""
    monkeypatch.setattr(filing, "with_stored", lambda chunk, known: {})
    monkeypatch.setattr(filing, "by_category", lambda chunk, settled: iter(chunk))
    calls: list[int] = []

    def add_frame(frame: Frame) -> None:
        calls.append(len(frame.rows))
        if len(calls) > 2:
            raise ReportError("the report could not be written in /reports (No space left on device)")

    def chunks() -> Iterator[list[Frame]]:
        yield [gathered_frame([2], Category.VALID), gathered_frame([3], Category.INVALID)]
        yield [gathered_frame([4], Category.INVALID)]
        raise InputError("customers.csv: not a readable CSV (line 9000: an unclosed quote)")

    report = SimpleNamespace(add=None, add_frame=add_frame, count_frame=lambda frame: None)
    with pytest.raises(InputError, match="not a readable CSV"):
        Filing(report, lambda rows: None, None).dry_run(chunks(), {})  # type: ignore[arg-type]
    assert calls == [1, 1, 1]  # the invalid row held was offered to the report before the error went on


def test_rows_held_to_be_filed_together_are_counted_as_soon_as_they_are_checked() -> None:
    """The progress reads the report's counts: a chunk's invalid row counts before the frame holding it is filed."""
    report, seen = Kept(), []

    def chunks() -> Iterator[Screened]:
        for _ in range(3):
            yield chunk({3: INVALID})
            seen.append((report.counted, sum(len(rows) for rows, _, _ in report.frames)))

    Filing(report, lambda rows: None, None).dry_run(chunks(), {})  # type: ignore[arg-type]
    assert seen == [(3, 3), (6, 3), (9, 3)]  # counted: every row checked; filed: each category's first frame, the rest held
    assert sum(len(rows) for rows, _, _ in report.frames) == 9
