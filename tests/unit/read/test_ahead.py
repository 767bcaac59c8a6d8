"""Reading ahead: chunks produced on a thread of their own arrive as the caller would have read them itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from importer.errors import InputError
from importer.read.ahead import read_ahead


def test_items_arrive_in_order_and_are_produced_on_another_thread() -> None:
    producers: set[str] = set()

    def chunks() -> Iterator[int]:
        for i in range(50):
            producers.add(threading.current_thread().name)
            yield i

    assert list(read_ahead(chunks(), depth=2)) == list(range(50))
    assert producers == {"read-ahead"}


def test_an_error_is_raised_in_its_place_after_the_items_before_it() -> None:
    def chunks() -> Iterator[str]:
        yield "first"
        yield "second"
        raise InputError("customers.csv: the file changed while it was being imported; run again")

    got: list[str] = []
    with pytest.raises(InputError, match="the file changed"):
        for chunk in read_ahead(chunks()):
            got.append(chunk)
    assert got == ["first", "second"]


def test_a_caller_that_stops_early_stops_the_producer_and_closes_its_source() -> None:
    events: list[str] = []

    def chunks() -> Iterator[int]:
        try:
            for i in range(1_000):
                events.append(f"read {i}")
                yield i
        finally:
            events.append(f"closed on {threading.current_thread().name}")

    ahead = read_ahead(chunks(), depth=1)
    assert [next(ahead), next(ahead)] == [0, 1]
    ahead.close()  # returns once the source is closed
    assert events[-1] == "closed on read-ahead"
    assert len(events) <= 5  # read at most a slot and one in hand past what was taken, never the rest
    assert not any(t.name == "read-ahead" for t in threading.enumerate())
