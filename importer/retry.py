"""When to send a request again: backoff with jitter, and the store's Retry-After.

Apart from the client so that options and tests can name a policy without
loading the HTTP library.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; Retry-After wins when the store sends it.

    `attempts` bounds the answers that say "try again" (429, 5xx); lost connections
    are bounded by `unreachable_after`: that long without any answer from the
    store and the run stops (exit 4) instead of grinding through the file.
    """

    attempts: int = 8
    base: float = 0.25
    cap: float = 20.0
    unreachable_after: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, 120.0)
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds or as an HTTP date, as seconds from now."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import email.utils  # ~15 ms to load, for a form of Retry-After stores rarely send

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
