"""Keep the run's secrets out of every text that came from the store.

An error page may repeat the request it answers, `Authorization` header and all,
plainly, URL-encoded or in base64; a message that does would carry the token into
the report, the journal, a log and the terminal. The client passes every text it
keeps from an answer (messages, bodies, headers, transport errors) through one
`Scrubber`, which knows the access token (each one, as it is renewed), the refresh
token and the client secret, and replaces any spelling of them it finds.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
# Shorter values are not secrets worth a search (and would match ordinary words).
SHORTEST = 6


def spellings(secret: str) -> set[str]:
    """The ways a secret can appear in a text: as it is, URL-encoded (partly or byte by byte), in hex, and in base64 at any alignment.

    Base64 of a longer text (`Bearer <token>`, `client:secret`, a whole header)
    holds the secret's own bytes at one of three alignments; for each, the
    characters that depend on the secret alone are searched for.
    """
    raw = secret.encode()
    found = {secret, quote(secret), quote(secret, safe=""), quote_plus(secret), raw.hex(), "".join(f"%{b:02x}" for b in raw)}
    for lead in range(3):
        encoded = base64.b64encode(b"\0" * lead + raw + b"\0\0").decode()
        first = 4 * ((lead + 2) // 3)  # the first quad whose bytes are all the secret's
        last = 4 * ((lead + len(raw)) // 3)  # the end of the last such quad
        if last - first >= 8:
            inner = encoded[first:last]
            found |= {inner, inner.replace("+", "-").replace("/", "_")}
    return {s for s in found if len(s) >= SHORTEST}


class Scrubber:
    """Replaces every known secret, in any spelling and any case, with REDACTED."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, *secrets: str | None) -> None:
        """Secrets to look for from now on (a renewed token joins the old one: a late answer may still echo it)."""
        fresh = {s for s in secrets if s and len(s) >= SHORTEST} - self._known
        if not fresh:
            return
        self._known |= fresh
        every = sorted({form for s in self._known for form in spellings(s)}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, every)), re.IGNORECASE)

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)
