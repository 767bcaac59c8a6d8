"""How many requests may be in flight right now, and how fast they may start.

The store's rate limits are not published, so the importer listens: every 429
halves the requests in flight (not below 1), and successes grow them back by one
per window of successes, never above `--concurrency`. `--max-rps` caps the start
rate on top.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator


class Pacer:
    def __init__(self, concurrency: int, max_rps: float | None = None) -> None:
        self.ceiling = concurrency
        self.limit = concurrency
        self.in_flight = 0
        self._successes = 0
        self._interval = 1.0 / max_rps if max_rps else 0.0
        self._next_start = 0.0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the allowed in-flight places for the length of a request."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
        try:
            if self._interval:
                await self._space_out()
            yield
        finally:
            async with self._changed:
                self.in_flight -= 1
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
