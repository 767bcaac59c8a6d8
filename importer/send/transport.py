"""How requests reach the store: an `httpx.AsyncClient` over pyreqwest's httpx transport.

The importer speaks httpx (its client, requests, responses and exceptions);
underneath, pyreqwest's `HttpxTransport` moves the bytes through Rust's reqwest
and hyper, whose connection pool costs far less CPU per request than httpx's
own. This is the only module that imports pyreqwest: its errors become httpx's
here, in one place, told apart the way the exactly-once rules need. What a
request that got no answer raises:

    httpx.ConnectError          no connection was made (refused, unresolved, TLS refused): nothing was sent
    httpx.ConnectTimeout        no connection was made in time: nothing was sent
    httpx.RemoteProtocolError   the store closed the connection after the request went out
    httpx.TimeoutException      no answer in time (ReadTimeout, WriteTimeout or PoolTimeout when reqwest names the step)
    httpx.ReadError, httpx.WriteError, httpx.DecodingError, httpx.TransportError   anything else reqwest reports
    TooLarge                    the answer's body (inflated, when compressed) passed MAX_BODY: read no further

All are httpx.RequestError; every one but the first two may have been acted on.
A certificate that does not verify is a ConnectError that `untrusted` recognises.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import httpx
from pyreqwest.client import Client, ClientBuilder
from pyreqwest.compatibility.httpx import HttpxTransport
from pyreqwest.exceptions import (
    ConnectError,
    DecodeError,
    PoolTimeoutError,
    PyreqwestError,
    ReadError,
    ReadTimeoutError,
    RequestTimeoutError,
    WriteError,
    WriteTimeoutError,
)
from pyreqwest.http import Url
from pyreqwest.response import ResponseBodyReader

CONNECT_TIMEOUT = 10.0
# The most an answer's body may hold, inflated: customers are small, and a page of
# 100 is far below it; what goes on past it is a broken or hostile answer.
MAX_BODY = 4 << 20
# How hyper names a failure while connecting, in the cause chain of pyreqwest's errors.
CONNECTING = "client error (Connect)"
# pyreqwest's errors and the httpx exceptions they are when they did not happen
# while connecting, the more specific first. pyreqwest also calls a request lost
# on a connection the store closed a ConnectError, and a request that ran out of
# time waiting for its answer a ConnectTimeoutError: hyper's causes tell them apart.
KINDS: tuple[tuple[type[PyreqwestError], type[httpx.RequestError]], ...] = (
    (ReadTimeoutError, httpx.ReadTimeout),
    (WriteTimeoutError, httpx.WriteTimeout),
    (PoolTimeoutError, httpx.PoolTimeout),
    (RequestTimeoutError, httpx.TimeoutException),
    (ConnectError, httpx.RemoteProtocolError),
    (ReadError, httpx.ReadError),
    (WriteError, httpx.WriteError),
    (DecodeError, httpx.DecodingError),
)


class TooLarge(httpx.DecodingError):
    """An answer whose body, inflated, went past MAX_BODY: a failed attempt, never read to its end."""


class StoreTransport(HttpxTransport):
    """pyreqwest's httpx transport, sending each request and reading its whole answer, up to MAX_BODY, here.

    The answer's body is read here rather than streamed into httpx, so every way a
    request can be lost surfaces in this one method as an httpx exception (a streamed
    body would raise pyreqwest's own errors from inside httpx). It is read in pieces of
    at most MAX_BODY, inflated as reqwest inflates it, so an endless or compressed
    body costs at most that much memory. Timeouts are the pyreqwest client's, set
    when it is built (see `open_client`), so requests carry none of their own.
    """

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self._reqwest = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        builder = self._reqwest.request(request.method, str(request.url)).headers(request.headers.multi_items())
        builder = builder.body_bytes(await request.aread())
        try:
            async with builder.build_streamed() as answer:
                body = await read_bounded(answer.body_reader, request)
                return httpx.Response(answer.status, headers=list(answer.headers.items()), content=body)
        except PyreqwestError as exc:
            raise httpx_error(exc, request) from exc


async def read_bounded(reader: ResponseBodyReader, request: httpx.Request) -> bytes:
    """The whole body, or TooLarge as soon as it passes MAX_BODY (one read for an answer of ordinary size)."""
    parts: list[bytes] = []
    size = 0
    while (part := await reader.read(MAX_BODY + 1 - size)) is not None:
        parts.append(part.to_bytes())
        size += len(parts[-1])
        if size > MAX_BODY:
            raise TooLarge(f"the answer was larger than {MAX_BODY >> 20} MB", request=request)
    return b"".join(parts)


def untrusted(exc: httpx.RequestError) -> bool:
    """Whether a failure to connect was the store's certificate failing to verify (a wrong host, an unknown authority, expired)."""
    return isinstance(exc, httpx.ConnectError) and "certificate" in str(exc).lower()


def causes(exc: PyreqwestError) -> list[str]:
    """hyper's chain of reasons for a failure, outermost first."""
    details = getattr(exc, "details", None) or {}
    return [str(cause.get("message", "")) for cause in details.get("causes") or []]


def httpx_error(exc: PyreqwestError, request: httpx.Request) -> httpx.RequestError:
    """The httpx exception a pyreqwest failure is, with its innermost cause as the message (it never holds a header).

    Only a failure while connecting is httpx's ConnectError (or ConnectTimeout):
    the request never left. Every other loss may have been acted on by the store.
    """
    chain = causes(exc)
    message = chain[-1] if chain else exc.message or type(exc).__name__
    kind: type[httpx.RequestError]
    if CONNECTING in chain:
        kind = httpx.ConnectTimeout if isinstance(exc, RequestTimeoutError) else httpx.ConnectError
    else:
        kind = next((mapped for raised, mapped in KINDS if isinstance(exc, raised)), httpx.TransportError)
    return kind(message, request=request)


class NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing: the store cannot tie requests together, and no answer's headers are searched for cookies."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set_cookie_header(self, request: httpx.Request) -> None:
        return None


class CookielessClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` that never stores or sends a cookie."""

    _no_cookies = NoCookies()

    @property  # type: ignore[misc]
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies


def open_client(store: httpx.URL, concurrency: int, timeout: float, headers: dict[str, str]) -> httpx.AsyncClient:
    """The client every request to the store (at `store`) goes through; `headers` go on each request it builds.

    Raises httpx.InvalidURL for an address httpx accepts but reqwest cannot send to.

    Connections are kept for the requests in flight (the pacer never allows more
    than `concurrency`). Redirects are not followed: the API does not redirect, and
    a followed POST can turn into a GET. The store's certificate is checked against
    the system's authorities (and those SSL_CERT_FILE names). A proxy the
    environment names (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) is used as
    reqwest reads it, but a store on this machine (the sandbox) is always reached
    directly; httpx itself reads nothing from the environment.
    """
    try:
        Url(str(store))
    except ValueError:
        raise httpx.InvalidURL(f"{store} cannot be sent to") from None
    builder = (
        ClientBuilder()
        .error_for_status(False)
        .follow_redirects(False)
        .default_cookie_store(False)
        .pool_max_idle_per_host(concurrency)
        .timeout(timedelta(seconds=timeout))  # the whole answer, a body that trickles in included
        .read_timeout(timedelta(seconds=timeout))  # each wait: for the headers, then for each piece of the body
        .connect_timeout(timedelta(seconds=CONNECT_TIMEOUT))
    )
    if is_local(store.host):
        builder = builder.no_proxy()
    client = CookielessClient(transport=StoreTransport(builder.build()), headers=headers, timeout=None, follow_redirects=False, trust_env=False)
    for name in ("Accept-Encoding", "Connection"):  # reqwest's own: it decompresses answers and keeps connections open
        del client.headers[name]
    return client


def is_local(host: str) -> bool:
    """Whether a host is this machine (localhost or a loopback address)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
