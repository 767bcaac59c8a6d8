"""The run's standing with the store: its token, the headers that carry it, and their renewal.

A `Session` holds the token the requests go out with and the headers made from
it, so every request is built from parts made once per token, not once per row.
With `--credentials-file`, a store that says the token expired gets a new one,
asked for once for all the requests the old one failed. The session knows every
secret of the run (each token as it is renewed, the refresh token, the client
secret) and is the one place that scrubs them from any text kept from the store.
Nothing here puts a token in a message or a repr.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from ..errors import AuthError
from .credentials import Credentials
from .scrub import Scrubber

JSON = "application/json"


class Session:
    """The token of the run's requests (renewed through `credentials`, when given) and the headers made from it.

    `http` is the client requests go through (its own headers join the token's),
    `url` the address they go to (its host is the Host header), `base_url` the API
    a renewal asks its token endpoint from.
    """

    def __init__(self, http: httpx.AsyncClient, url: httpx.URL, base_url: str, token: str, credentials: Credentials | None = None) -> None:
        self._http = http
        self._url = url
        self._base_url = base_url
        self._credentials = credentials
        self._scrubber = Scrubber()
        self._scrubber.add(*(credentials.secrets() if credentials else ()))
        self.generation = 0  # how many times the token was renewed: a request sent with an older one was refused for it
        self._unproven = False  # a renewed token that the store has not accepted yet
        self._renewing = asyncio.Lock()
        self._use(token)

    def __repr__(self) -> str:
        return f"Session(host={self._url.host!r}, renewed={self.generation})"

    def _use(self, token: str) -> None:
        """The headers of every request to the API, made once per token: the client's own, the host, the token."""
        self._scrubber.add(token)
        self._headers = httpx.Headers(self._http.headers)
        self._headers["Host"] = self._url.netloc.decode("ascii")
        self._headers["Authorization"] = f"Bearer {token}"
        self._body_headers = [*self._headers.raw, (b"Content-Type", JSON.encode())]

    def build(self, method: str, url: httpx.URL | str, query: dict[str, str] | None, payload: bytes | None) -> httpx.Request:
        """A request with the headers made for the token; a body goes with its type and length.

        Given `content=`, httpx would encode and search every header again for each
        row to add Host and Content-Length; here they come ready, and the request
        is the one httpx would have built (a test compares the two).
        """
        if payload is None:
            return httpx.Request(method, url, params=query, headers=self._headers)
        headers = [*self._body_headers, (b"Content-Length", b"%d" % len(payload))]
        request = httpx.Request(method, url, headers=headers, stream=httpx.ByteStream(payload))
        request.read()  # the body's bytes, for the transport to send whole
        return request

    def scrub(self, text: str) -> str:
        """`text` without any secret of the run, in any spelling (see `scrub`)."""
        return self._scrubber(text)

    def accepted(self) -> None:
        """The store accepted a request: a renewed token is proven good."""
        self._unproven = False

    async def renew(self, generation: int, stopping: Callable[[], bool]) -> bool:
        """After a 401 to a request sent with token `generation`: whether to send it again, with the token renewed.

        The token is renewed once for all the requests the old one failed: a request
        refused for a token renewed since is simply sent again. False without
        credentials to renew with, or when the run is `stopping`. Raises AuthError,
        saying so, when the renewal fails or the renewed token is refused too.
        """
        if self._credentials is None:
            return False
        async with self._renewing:
            if generation != self.generation:
                return True  # another request renewed it meanwhile
            if stopping():
                return False
            if self._unproven:
                raise AuthError(
                    f"the store refused the token just renewed at {self._url.host} (HTTP 401): the app may have been "
                    f"uninstalled; install it again and put its new tokens in {self._credentials.path}"
                )
            self._use(await self._credentials.refresh(self._http, self._base_url))
            self.generation += 1
            self._unproven = True
            return True
