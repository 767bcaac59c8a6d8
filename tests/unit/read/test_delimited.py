"""A CSV read by Arrow's reader gives exactly the frames pandas' C parser gives, or is left to pandas.

Arrow reads only a table no row of which is sent (a dry run, the preview); an import's sending pass is pandas'.

The files are written the way spreadsheets and exports write them (quotes doubled, line breaks and
delimiters inside quotes, a BOM, CRLF) and the way hand-edited ones break (short and long lines, blank
lines, a stray quote, bytes of another code page).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.errors import InputError
from importer.read import delimited
from importer.read.sheet import Table, open_tables

CELL = st.text(alphabet=st.sampled_from(['a', 'Z', '0', ' ', '"', ',', ';', '\n', '\r', 'é', '李', '=', "'", '\t']), max_size=6)


def checked_only(path: Path, encoding: str | None = None) -> Table:
    """The file's table, read for a check that sends nothing (a dry run, the preview)."""
    (table, *_) = open_tables(path, encoding=encoding)
    table.watch.sends = False
    return table


def arrow_reads_whole(table: Table, rows: int) -> bool:
    """Whether Arrow's reader reads the whole file, without leaving the rest to pandas."""
    frames = delimited._arrow_frames(table, rows)
    try:
        while True:
            next(frames)
    except StopIteration as end:
        return bool(end.value == -1)


def frames_both_ways(path: Path, rows: int) -> tuple[bool, list[pd.DataFrame], list[pd.DataFrame]]:
    """Whether Arrow reads the whole file, the frames the reader gives, and the frames pandas alone gives."""
    table = checked_only(path)
    whole = arrow_reads_whole(table, rows)
    read = list(delimited._csv_frames(table, rows))
    table.watch.sends = True  # as an import's sending pass reads it: pandas alone
    by_pandas = list(delimited._csv_frames(table, rows))
    return whole, read, by_pandas


def assert_same_frames(read: list[pd.DataFrame], by_pandas: list[pd.DataFrame]) -> None:
    assert len(read) == len(by_pandas)
    for ours, theirs in zip(read, by_pandas):
        pd.testing.assert_frame_equal(ours, theirs)


def quoted(cell: str, delimiter: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in f'"\r\n{delimiter}') or cell != cell.strip() else cell


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    ending=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    rows=st.sampled_from([2, 3, 5, 64]),
)
def test_a_written_csv_reads_the_same_through_arrow(tmp_path: Path, lines: list[list[str]], delimiter: str, ending: str, bom: bool, rows: int) -> None:
    text = ending.join(delimiter.join(quoted(c, delimiter) for c in line) for line in [["Name", "Email", "Phone"], *lines]) + ending
    path = tmp_path / "customers.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    whole, read, by_pandas = frames_both_ways(path, rows)
    assert whole  # every line of a file written this way has the header's cells
    assert_same_frames(read, by_pandas)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=12),
    stray_quote=st.booleans(),
    rows=st.sampled_from([2, 3, 5, 64]),
)
def test_a_hand_edited_csv_reads_as_pandas_reads_it_wherever_arrow_gives_up(
    tmp_path: Path, lines: list[list[str]], stray_quote: bool, rows: int
) -> None:
    text = "\n".join(",".join(quoted(c, ",") for c in line) for line in [["Name", "Email", "Phone"], *lines]) + "\n"
    path = tmp_path / "customers.csv"
    path.write_bytes(text.encode("utf-8") + (b'"Ada,ada@example.com,1\n' if stray_quote else b""))
    try:
        whole, read, by_pandas = frames_both_ways(path, rows)
    except InputError as exc:  # pandas cannot read it: said the same way whoever read the lines before
        table = checked_only(path)
        table.watch.sends = True
        with pytest.raises(InputError) as by_pandas_alone:
            list(delimited._csv_frames(table, rows))
        assert str(exc) == str(by_pandas_alone.value)
        return
    if stray_quote or any(len(line) > 3 or 1 < len(line) < 3 for line in lines):
        assert not whole  # pandas pads a short line and shows a long one; Arrow reads a blank line as pandas does
    assert_same_frames(read, by_pandas)


@pytest.mark.parametrize(
    "content",
    [
        b"Name,Email,Phone\nAda,ada@example.com\n",  # a short line: pandas pads it
        b"Name,Email,Phone\nAda,ada@example.com,1,extra\n",  # a long line: shown as too long
    ],
)
def test_a_file_arrow_would_read_otherwise_is_read_by_pandas(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(content)
    whole, read, by_pandas = frames_both_ways(path, 2)
    assert not whole
    assert_same_frames(read, by_pandas)


@pytest.mark.parametrize(
    "content",
    [
        b"Name,Email,Phone\n\nAda,ada@example.com,1\n\n\nBo,bo@example.com,2",  # blank lines, counted in the row numbers
        b"sep=;\nName;Email;Phone\nAda;ada@example.com;1\n",  # Excel's delimiter line
        b'Name,Email,Phone\n"Ada ""Lovelace""",ada@example.com,"+44 1"\n"Bo\r\nBo",bo@example.com,2\r\n',
        b'Name,Email,Phone\n"Ada"x,ada@example.com,1\nB"o,bo@example.com,2\n',  # text after a closing quote, a quote inside a cell
    ],
)
def test_what_arrow_reads_it_reads_as_pandas_does(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(content)
    whole, read, by_pandas = frames_both_ways(path, 2)
    assert whole
    assert_same_frames(read, by_pandas)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow's reader parsing 16 KB at a time, so that these files cross many of its blocks (and a quoted line
    break, or the line it gives up at, lies past the first)."""
    monkeypatch.setattr(delimited, "_ARROW_BLOCK", 1 << 14)


def test_an_unclosed_quote_is_named_by_pandas_after_the_chunks_arrow_read(tmp_path: Path, small_blocks: None) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(b"Name,Email,Phone\n" + b"Ada,ada@example.com,1\n" * 20_000 + b'"Bo,bo@example.com,2\nCy,cy@example.com,3\n')
    table = checked_only(path)
    assert not arrow_reads_whole(table, 4096)
    frames = table.frames(4096)
    assert [len(next(frames)) for _ in range(4)] == [4095, 4096, 4096, 4096]  # Arrow's blocks before the quote's
    with pytest.raises(InputError, match=r"not a readable CSV \(a quote is opened and never closed, .* a lone \" \(written \"\" inside quotes\)\)"):
        list(frames)


def test_a_byte_that_is_no_utf8_in_a_file_read_as_utf8_is_left_to_pandas_which_names_it(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(b"Name,Email,Phone\n" + b"Ada,ada@example.com,1\n" * 20_000 + b"Jos\xe9,jose@example.com,1\n")
    table = checked_only(path, encoding="utf-8")  # as --encoding utf-8 reads it
    assert table.encoding == "utf-8" and not arrow_reads_whole(table, 4096)
    with pytest.raises(InputError, match="not valid utf-8"):
        list(table.frames(4096))


def test_a_code_page_file_is_read_by_pandas(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes("Name;Email;Phone\nJosé Müller;jose@example.com;1\nŁukasz Żółć;l@example.com;2\n".encode("cp1250"))
    table = checked_only(path)
    assert table.encoding != "utf-8" and not delimited._arrow_may_read(table)


def test_a_table_whose_rows_are_sent_is_read_by_pandas(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(b"Name,Email,Phone\nAda,ada@example.com,1\n")
    (table, *_) = open_tables(path)
    assert delimited._arrow_may_read(checked_only(path)) and not delimited._arrow_may_read(table)


@pytest.mark.parametrize(
    "content",
    [
        b"Name,Email,Phone\n" + b"Ada,ada@example.com,1\n" * 3000 + b"\n" + b'"Bo\nBo",bo@example.com,2\n' * 3000,
        b"Name,Email,Phone\n" + b"Ada,ada@example.com,1\n" * 3000 + b"Bo,bo@example.com\n" + b"Cy,cy@example.com,3\n" * 3000,  # Arrow gives up late
    ],
)
def test_the_checking_pass_counts_every_record_and_keeps_the_bytes_whoever_parses(tmp_path: Path, content: bytes, small_blocks: None) -> None:
    from importer.read.snapshot import Blocks

    path = tmp_path / "customers.csv"
    path.write_bytes(content)
    (table, *_) = open_tables(path)
    snapshot = table.snapshot()
    with Blocks(path) as plain:
        read_whole = plain.snapshot()
    assert snapshot.rows == 1 + 6001 and snapshot.blocks == read_whole.blocks and snapshot.content.digest() == read_whole.content.digest()
    assert snapshot.lines == content.count(b"\n")
