"""Show how far an import has got: a tqdm bar on a terminal, nothing elsewhere.

The silent variant is a null object so that the pipeline never asks whether
progress is wanted.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Protocol

from tqdm import tqdm

from .outcomes import Category


class Progress(Protocol):
    def advance(self, category: Category) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    def advance(self, category: Category) -> None:
        pass

    def close(self) -> None:
        pass


class BarProgress:
    """A bar on stderr with rate, ETA and the counts so far."""

    def __init__(self, total: int | None, description: str) -> None:
        self._bar = tqdm(total=total, desc=description, unit="row", file=sys.stderr, dynamic_ncols=True, mininterval=0.2)
        self._counts: Counter[str] = Counter()

    def advance(self, category: Category) -> None:
        self._counts[category.value] += 1
        self._bar.update(1)
        if self._bar.n % 50 == 0:
            self._bar.set_postfix(self._counts, refresh=False)

    def close(self) -> None:
        self._bar.set_postfix(self._counts, refresh=False)
        self._bar.close()


def make_progress(enabled: bool, total: int | None, description: str) -> Progress:
    """A bar only when asked for and stderr is a terminal (never in cron or pipes)."""
    if enabled and sys.stderr.isatty():
        return BarProgress(total, description)
    return NullProgress()
