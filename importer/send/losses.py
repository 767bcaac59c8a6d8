"""Requests that got no answer, or one asking for a longer pause than the run waits.

A request lost before it left created nothing and may simply be sent again; any
other loss may have been acted on, so a create is looked up before it is sent
again. What a loss is told as never holds a secret of the run. A store that asks
for a pause longer than `--max-wait` is, for this run, a store that cannot be
reached: the run stops, saying how long it asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ..errors import CertificateError, UnreachableError
from .retry import parse_retry_after
from .transport import untrusted

# Anything that ends a request without an answer (timeouts included); see `refused`
# for the one loss known to have sent nothing.
LOST = httpx.RequestError


def refused(exc: httpx.RequestError) -> bool:
    """Whether the request failed while connecting (refused, unresolved, TLS), so it never left.

    Only httpx's ConnectError says so (the transport keeps it for that case). Every
    other loss, a timeout even while connecting, counts as possibly sent: a lookup,
    never a second customer.
    """
    return isinstance(exc, httpx.ConnectError)


def describe_error(exc: httpx.RequestError) -> str:
    """A one-line, token-free description of a transport failure (the transport's innermost cause)."""
    detail = str(exc) or type(exc).__name__
    return f"connection failed: {detail}" if refused(exc) else f"no answer: {detail}"


def told(exc: httpx.RequestError, host: str, scrub: Callable[[str], str]) -> str:
    """What a request to `host` without an answer met, passed through `scrub`; a certificate that does not verify
    stops the run (CertificateError), since no request to that host would fare better."""
    if untrusted(exc):
        raise CertificateError(
            f"the certificate of {host} does not verify ({scrub(str(exc))}); "
            "if your network inspects TLS, point SSL_CERT_FILE at a file holding its authority"
        )
    return scrub(describe_error(exc))


def how_long(seconds: float) -> str:
    """A pause as a merchant says it: in seconds, minutes or hours, whichever reads best."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def too_long_a_pause(response: httpx.Response, max_wait: float) -> None:
    """Stop the run (UnreachableError) when a throttled or unavailable store asks for a pause longer than `max_wait`."""
    status = response.status_code
    wait = parse_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
    if wait is not None and wait > max_wait:
        raise UnreachableError(
            f"the store asks us to wait {how_long(wait)} (HTTP {status}), longer than a run waits ({how_long(max_wait)}, --max-wait); "
            "run the same command later"
        )
