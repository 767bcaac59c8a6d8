"""Rows of a frame, taken out of it a column at a time, as pandas would give them a row at a time."""

from __future__ import annotations

import pandas as pd

from importer.read.cells import rows_of


def test_rows_of_a_frame_are_its_cells_in_order() -> None:
    frame = pd.DataFrame({0: ["Ada", "Bola", "Chidi"], 1: ["a@x.ng", "", "c@x.ng"], 2: [True, False, True], 3: ["", "row 2: yes", ""]})
    frame = frame.astype({0: "string[pyarrow]", 1: "string[pyarrow]"})
    assert list(rows_of(frame)) == [("Ada", "a@x.ng", True, ""), ("Bola", "", False, "row 2: yes"), ("Chidi", "c@x.ng", True, "")]
    assert list(rows_of(frame)) == list(frame.itertuples(index=False, name=None))
    assert list(rows_of(frame.iloc[1:])) == [("Bola", "", False, "row 2: yes"), ("Chidi", "c@x.ng", True, "")]
    assert list(rows_of(frame[[]])) == [(), (), ()]
