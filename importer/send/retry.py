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
    """Exponential backoff with jitter, capped; the store's Retry-After is a floor under it.

    `attempts` bounds the tries of one request, whatever ended each (429, 5xx, a
    lost connection, an answer that proved nothing), `timeout` each try; `unreachable_after` bounds the
    time without any answer from the store: that long and the run stops (exit 4)
    instead of grinding through the file. A store that asks for a pause longer than
    `max_wait` stops the run the same way, saying how long it asked for.
    """

    attempts: int = 8
    base: float = 0.25
    cap: float = 20.0
    unreachable_after: float = 30.0
    max_wait: float = 60.0
    timeout: float = 30.0  # the longest one try may take, its whole answer included

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The pause before try `attempt + 1`: half the backoff, plus up to as much again at random, and never less than Retry-After.

        The run's own pause grows even when the store says 0, so a throttle that
        answers "now" is not hammered; the jitter keeps workers from moving in step.
        """
        backoff = min(self.cap, self.base * 2 ** max(attempt - 1, 0))
        return max(retry_after or 0.0, backoff / 2 + random.uniform(0, backoff / 2))


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds or as an HTTP date, as seconds from now; None for anything else (`inf`, `1e400`, `-5`:
    no number of seconds a store means)."""
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit() and value.isascii():
        return float(value)
    try:
        import email.utils  # loaded only for a form of Retry-After stores rarely send

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a zone offset past any (`+99999999999999999999`)
        return None
    return max(0.0, when.timestamp() - time.time())
