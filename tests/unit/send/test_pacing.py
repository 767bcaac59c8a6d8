"""How long the store asks to wait, and how many requests are in flight as it throttles and recovers."""

from __future__ import annotations

import asyncio
import email.utils
import time

import pytest

from importer.send.retry import parse_retry_after
from importer.send.pacing import Pacer


@pytest.mark.parametrize(
    "header, seconds",
    [("3", 3.0), ("0", 0.0), ("-4", None), ("soon", None), (None, None), ("1.5", 1.5), ("inf", None), ("1e400", None), ("nan", None),
     ("Mon, 01 Jan 2020 00:00:00 +99999999999999999999", None)],  # a zone offset past any: no date
)
def test_retry_after_in_seconds(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_as_http_date() -> None:
    header = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= parse_retry_after(header) <= 10


def test_pacer_halves_on_throttling_and_grows_back_slowly() -> None:
    pacer = Pacer(8)
    for expected in (4, 2, 1, 1):
        pacer.throttled()
        assert pacer.limit == expected
    for _ in range(1):
        pacer.succeeded()
    assert pacer.limit == 2
    for _ in range(100):
        pacer.succeeded()
    assert pacer.limit == 8  # never above --concurrency


def test_pacer_keeps_requests_in_flight_within_its_limit_as_it_changes() -> None:
    async def scenario() -> tuple[list[int], int]:
        pacer = Pacer(6)
        seen: list[int] = []

        async def request(k: int) -> None:
            async with pacer.slot():
                seen.append(pacer.in_flight)
                if k == 3:
                    pacer.throttled()  # a 429: from 6 to 3 in flight
                await asyncio.sleep(0.001 * (k % 4))
                if k == 20:
                    for _ in range(3):
                        pacer.succeeded()  # three successes at 3: back to 4

        await asyncio.wait_for(asyncio.gather(*(request(k) for k in range(40))), 10)  # a waiter never woken fails here
        return seen, pacer.in_flight

    seen, left = asyncio.run(scenario())
    assert len(seen) == 40 and left == 0  # every request went out, every place came back
    assert seen[:4] == [1, 2, 3, 4]  # the fourth request is the one that was throttled
    assert max(seen[4:]) <= 4 and 4 in seen[4:]  # at most 3 after the 429, until successes let a 4th in
