"""Repeats across a long file: the in-file duplicate check remembers every chunk before it."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from importer.check.dedupe import Deduper


def first_rows(emails: list[str]) -> dict[int, int]:
    """What a merchant would say: each row whose email an earlier row has, with that earlier row."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for row, email in enumerate(emails, start=2):
        if email in first:
            repeats[row] = first[email]
        else:
            first[email] = row
    return repeats


@settings(max_examples=150, deadline=None)
@given(
    emails=st.lists(st.sampled_from([f"user{i}@example.com" for i in range(40)]), min_size=1, max_size=300),
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=30),
)
def test_every_repeat_is_found_whatever_chunks_the_file_comes_in(emails: list[str], sizes: list[int]) -> None:
    """Chunks of any sizes (the remembered runs are merged as they grow): every repeat names its first row."""
    deduper, found, start = Deduper(), {}, 0
    for number in range(len(emails)):
        if start >= len(emails):
            break
        part = emails[start : start + sizes[number % len(sizes)]]
        chunk = pd.Series(part, index=range(start + 2, start + 2 + len(part)))  # rows numbered as a spreadsheet shows them
        found.update({row: outcome.message for row, outcome in deduper.check_many(chunk).items()})
        start += len(part)
    assert found == {row: f"same email as row {first}" for row, first in first_rows(emails).items()}


def test_rows_a_chunk_apart_and_chunks_apart_are_repeats_and_distinct_emails_with_one_hash_are_not(monkeypatch) -> None:
    """A repeat in the next chunk and one ten chunks later; two emails whose hashes collide stay distinct."""
    import builtins

    real_hash = builtins.hash
    monkeypatch.setattr("importer.check.dedupe.hash", lambda text: 7 if text in ("x@example.com", "y@example.com") else real_hash(text), raising=False)
    deduper = Deduper()
    chunks = [["a@example.com", "x@example.com"], ["y@example.com", "a@example.com"], *[[f"n{i}@example.com"] for i in range(10)], ["x@example.com"]]
    found: dict[int, str] = {}
    row = 2
    for emails in chunks:
        found.update({r: o.message for r, o in deduper.check_many(pd.Series(emails, index=range(row, row + len(emails)))).items()})
        row += len(emails)
    assert found == {5: "same email as row 2", 16: "same email as row 3"}


def test_row_numbers_past_32_bits_are_kept_whole() -> None:
    """Rows are remembered in 32 bits where they fit; a file numbered past that still names each first row exactly."""
    deduper, far = Deduper(), 2**31 + 5
    deduper.check_many(pd.Series(["a@example.com", "b@example.com"], index=[7, far]))
    found = deduper.check_many(pd.Series(["b@example.com", "a@example.com"], index=[far + 1, far + 2]))
    assert {row: o.message for row, o in found.items()} == {far + 1: f"same email as row {far}", far + 2: "same email as row 7"}
