"""How many requests may be in flight right now, and how fast they may start.

The store's rate limits are not published, so the importer listens: every 429
halves the requests in flight (not below 1), and successes grow them back by one
per window of successes, never above `--concurrency`. `--max-rps` caps the start
rate on top.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType


class Pacer:
    def __init__(self, concurrency: int, max_rps: float | None = None) -> None:
        self.ceiling = concurrency
        self.limit = concurrency
        self.in_flight = 0
        self._successes = 0
        self._interval = 1.0 / max_rps if max_rps else 0.0
        self._next_start = 0.0
        self._waiting = 0  # requests waiting for a place
        self._changed = asyncio.Condition()

    def slot(self) -> Slot:
        """`async with pacer.slot():` holds one of the allowed in-flight places for the length of a request."""
        return Slot(self)

    async def _take(self) -> None:
        if self.in_flight >= self.limit:  # after a 429 halved the limit: wait for a place
            self._waiting += 1
            try:
                async with self._changed:
                    await self._changed.wait_for(lambda: self.in_flight < self.limit)
            finally:
                self._waiting -= 1
        self.in_flight += 1
        if self._interval:
            try:
                await self._space_out()
            except BaseException:
                await self._give_back()
                raise

    async def _give_back(self) -> None:
        self.in_flight -= 1
        if self._waiting:
            async with self._changed:
                self._changed.notify_all()

    async def _space_out(self) -> None:
        now = time.monotonic()
        start = max(now, self._next_start)
        self._next_start = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)

    def throttled(self) -> None:
        """The store answered 429: halve the requests in flight."""
        self.limit = max(1, self.limit // 2)
        self._successes = 0

    def succeeded(self) -> None:
        """Grow back by one after as many successes as the current limit."""
        if self.limit >= self.ceiling:
            return
        self._successes += 1
        if self._successes >= self.limit:
            self._successes = 0
            self.limit += 1


class Slot:
    """One in-flight place. Taking a free place never waits on the condition: a
    generator-based context manager that took the condition on the way in and out
    cost measurably more per request."""

    __slots__ = ("_pacer",)

    def __init__(self, pacer: Pacer) -> None:
        self._pacer = pacer

    async def __aenter__(self) -> None:
        await self._pacer._take()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self._pacer._give_back()
