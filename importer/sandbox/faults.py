"""The faults a test can ask the sandbox for, and the broken answers they give.

Each fault is drawn from a seeded random generator, so that a test sees the same
sequence each time: latency, 5xx, 429 with Retry-After, connections dropped before
or after a customer is stored, a token revoked after N creations, answers that stall,
trickle, never end, inflate without end, or repeat the request's Authorization header.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import zlib
from base64 import b64encode
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

DUPLICATE_MESSAGE = "Customer with this email already exists"


@dataclass
class Faults:
    """What the sandbox does wrong, and how often (rates are 0..1 per request)."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503  # the status of those answers (a gateway's 522, a 501)
    throttle_rate: float = 0.0
    retry_after: float = 1.0
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    revoke_after: int | None = None
    duplicate_status: int = 409
    redirect_to: str | None = None  # answer every API request with a 301 there (a wrong --base-url)
    no_create: bool = False  # answer POST /customers with 404, as a store whose API lives elsewhere
    duplicate_message: str = DUPLICATE_MESSAGE  # how the duplicate-email answer is worded
    throttle_seconds: float = 0.0  # answer every API request 429 for this long after the first one
    stall_after_commit: float = 0.0  # store the customer, send half its answer, then stall this long
    trickle_seconds: float = 0.0  # store the customer, then send its answer a byte at a time over this long
    error_after_rate: float = 0.0  # store the customer, then answer as a failing gateway does
    error_after_status: int = 502
    echo_auth: bool = False  # error answers repeat the request's Authorization header, as some error pages do
    endless_body: bool = False  # store the customer, then answer with a body that never ends
    gzip_bomb: bool = False  # store the customer, then answer with a small gzip body that inflates without end
    strip_id: bool = False  # store the customer, then answer 201 with the customer but no id
    revoke_on_lookup: bool = False  # revoke the token when a search of the customers arrives
    token_endpoint_status: int = 0  # answer every token renewal with this status (0: renew)
    renew_refused: bool = False  # renewals give an access token the API then refuses
    lying_pages: bool = False  # `GET /customers` says there is always one more page
    web_page: bool = False  # every request answered 200 with an HTML page, as a web site's host does
    replay_first_create: bool = False  # a gateway that answers every create with the first 201 and passes none on
    redirect_creates: bool = False  # answer POST /customers with 307 elsewhere
    search_lag: float = 0.0  # a stored customer shows in searches only this many seconds later (an index catching up)
    seed: int = 0
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.duplicate_status not in (409, 400, 422):
            raise ValueError("duplicate_status must be 409, 400 or 422")
        self.rng = random.Random(self.seed)
        self.throttled_from: float | None = None
        self.first_created: bytes | None = None

    def draw(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate


WEB_PAGE = "<!doctype html><html><head><title>Shop</title></head><body><div id=\"root\"></div></body></html>"


@functools.cache
def bomb() -> bytes:
    """A gzip body of a few hundred KB that inflates to far more than any answer may hold (made once, when first asked for)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
    blank = b" " * (1 << 20)
    parts = [packer.compress(b"[")] + [packer.compress(blank) for _ in range(256)]
    return b"".join([*parts, packer.compress(b"]"), packer.flush()])


def retry_after_header(wait: float) -> str:
    return str(int(wait)) if float(wait).is_integer() else str(wait)


async def endless() -> AsyncIterator[bytes]:
    """A JSON body that never ends."""
    yield b'{"status": 200, "success": true, "message": "'
    chunk = b"x" * 65536
    while True:
        yield chunk
        await asyncio.sleep(0)


def slowly(body: bytes, stall: float, trickle: float) -> StreamingResponse:
    """An answer whose body stalls halfway for `stall` seconds, or trickles in a byte at a time over `trickle` seconds."""

    async def parts() -> AsyncIterator[bytes]:
        if stall:
            yield body[: len(body) // 2]
            await asyncio.sleep(stall)
            yield body[len(body) // 2 :]
            return
        for k in range(len(body)):
            yield body[k : k + 1]
            await asyncio.sleep(trickle / len(body))

    return StreamingResponse(parts(), status_code=201, media_type="application/json", headers={"Content-Length": str(len(body))})


def echoed(response: Response, request: Request) -> Response:
    """An error answer that repeats the request's Authorization header, plainly, URL-encoded and in base64, in its body and headers."""
    auth = request.headers.get("authorization", "")
    body = json.loads(bytes(response.body)) if isinstance(response, JSONResponse) else {"status": response.status_code, "success": False, "data": None}
    body["message"] = f"{body.get('message', 'Error')}; request was: Authorization: {auth} ({quote(auth)}, {b64encode(auth.encode()).decode()})"
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    headers["X-Request-Authorization"] = auth
    return JSONResponse(body, status_code=response.status_code, headers=headers)


class DropConnection(Response):
    """Not a response: closes the client's connection without answering."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await until_due(scope)
        transport = scope.get("sandbox.transport")
        if transport is None:
            raise ConnectionAbortedError("sandbox: connection dropped on purpose")
        transport.abort()
        await asyncio.sleep(0)  # let the server notice the disconnect before we return
        await asyncio.sleep(0)


async def until_due(scope: Scope) -> None:
    """Wait until the answer to this request is due (see `Sandbox._gate`)."""
    due = scope.get("sandbox.due")
    if due is not None:
        await asyncio.sleep(due - asyncio.get_running_loop().time())
