"""A frame written column by column gives the same CSV lines as its rows written one by one."""

from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from importer.read.cells import text_column
from importer.report.csv_files import csv_lines, formula_safe, frame_csv


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(list('ab ,"\r\n\t;é=+-@\'')), max_size=6), min_size=3, max_size=3), min_size=1, max_size=5))
def test_a_frame_is_written_as_the_same_lines_as_its_rows(lines: list[list[str]]) -> None:
    frame = pd.DataFrame(lines, dtype="string[pyarrow]")
    assert frame_csv([text_column(frame[c]) for c in frame.columns]).to_pybytes().decode("utf-8") == csv_lines(lines)
    assert list(csv.reader(io.StringIO(csv_lines(lines)))) == [[formula_safe(c) for c in line] for line in lines]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text(alphabet=st.sampled_from(list('ab ,"\r\t=+-@\'é李')), max_size=4), min_size=2, max_size=2), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=8),
    st.booleans(),
)
def test_columns_cut_from_longer_ones_are_written_as_their_own_rows(lines: list[list[str]], skip: int, large: bool) -> None:
    import pyarrow as pa

    kind = pa.large_string() if large else pa.string()
    skip = min(skip, len(lines) - 1)
    columns = [pa.array([line[i] for line in lines], kind).slice(skip) for i in range(2)]  # an offset into the buffers
    assert frame_csv(columns).to_pybytes().decode("utf-8") == csv_lines(lines[skip:])
