"""A sheet's number formats kept as runs of rows: every cell reads the format it was given, in any order it came."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from importer.read.cell_formats import CellFormats

CODES = ["+0", "00000", "0.00"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3), st.sampled_from(CODES)), max_size=80), st.booleans())
def test_every_cell_reads_its_own_format_whatever_order_the_cells_came_in(cells: list[tuple[int, int, str]], in_order: bool) -> None:
    """In a sheet's order (rows going down, as every writer lays a sheet out) or any other, with cells given twice:
    each place reads the format given to it last, no other place reads one, and each column's runs say the same."""
    if in_order:
        cells = sorted(dict(((row, column), (row, column, code)) for row, column, code in cells).values())
    expected: dict[tuple[int, int], str] = {}
    formats = CellFormats()
    for row, column, code in cells:
        formats.add(row, column, code)
        expected[row, column] = code
    assert formats == expected and len(formats) == len(expected)
    assert all(formats.get((row, column)) == expected.get((row, column)) for row in range(42) for column in range(4))
    for column in range(4):
        from_runs = {(row, column): code for first, last, code in formats.runs(column) for row in range(first, last + 1)}
        assert from_runs == {place: code for place, code in expected.items() if place[1] == column}


def test_a_column_of_one_format_is_one_run() -> None:
    formats = CellFormats(((row, 2), "+0") for row in range(1, 200_001))
    assert formats.runs(2) == [(1, 200_000, "+0")] and formats.runs(0) == [] and len(formats) == 200_000
    assert formats[200_000, 2] == "+0" and (0, 2) not in formats and (1, 3) not in formats
