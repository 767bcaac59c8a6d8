"""Show how far an import has got: a tqdm bar on a terminal, nothing elsewhere.

The silent variant is a null object so that the pipeline never asks whether
progress is wanted.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from ..outcomes import Category


class Progress(Protocol):
    def advance(self, rows: int = 1) -> None: ...
    def close(self) -> None: ...


def named(counts: Counter[Category]) -> dict[str, int]:
    """Counts by category name, for display (kept by member per row: cheaper than `.value`)."""
    return {c.value: n for c, n in counts.items()}


class NullProgress:
    def advance(self, rows: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class BarProgress:
    """A bar on stderr with rate, ETA and the counts so far."""

    def __init__(self, total: int | None, description: str, counts: Counter[Category]) -> None:
        from tqdm import tqdm  # only a terminal needs it; a scheduled run starts faster without

        self._bar = tqdm(total=total, desc=description, unit="row", file=sys.stderr, dynamic_ncols=True, mininterval=0.2)
        self._counts = counts

    def advance(self, rows: int = 1) -> None:
        self._bar.update(rows)
        if rows > 1 or self._bar.n % 50 == 0:
            self._bar.set_postfix(named(self._counts), refresh=False)

    def close(self) -> None:
        self._bar.set_postfix(named(self._counts), refresh=False)
        self._bar.close()


class LogProgress:
    """Without a terminal (cron, systemd): a log line every `interval` seconds instead of a bar."""

    def __init__(self, total: int | None, write: Callable[[str], None], interval: float, counts: Counter[Category]) -> None:
        self._total = total
        self._write = write
        self._interval = interval
        self._counts = counts
        self._started = self._last = time.monotonic()

    def advance(self, rows: int = 1) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._write(self.line(now))

    def line(self, now: float) -> str:
        done = sum(self._counts.values())
        rate = done / max(now - self._started, 1e-9)
        eta = f", about {(self._total - done) / rate:.0f} s left" if self._total and rate and self._total > done else ""
        counts = " ".join(f"{k}={v}" for k, v in sorted(named(self._counts).items()))
        return f"{done} rows done, {rate:.0f} rows/s{eta}; {counts}"

    def close(self) -> None:
        pass


def make_progress(
    bar: bool, total: int | None, description: str, log: Callable[[str], None] | None, interval: float, counts: Counter[Category]
) -> Progress:
    """A bar on a terminal when wanted; elsewhere log lines, or nothing when `log` is None (quiet).

    `counts` are the report's own counts by category, read when a line is shown (not kept twice per row).
    """
    if bar and sys.stderr.isatty():
        return BarProgress(total, description, counts)
    if log is not None:
        return LogProgress(total, log, interval, counts)
    return NullProgress()
