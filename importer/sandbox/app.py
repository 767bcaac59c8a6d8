"""The sandbox's HTTP API: the Salesive customer endpoints, with faults on demand.

Every response carries the `{status, success, message, data}` envelope. Faults
(latency, 5xx, 429 with Retry-After, connections dropped before or after a
customer is stored, a token revoked after N creations) are drawn from a seeded
random generator so that a test sees the same sequence each time.

Latency is counted from the request's arrival, as a store's is: the request is
handled at once and its answer (or dropped connection) leaves `latency_ms` after
it came. Sleeping first and handling after added the sandbox's own handling to
every answer, and at 32 requests in flight answers whose timers fired together
queued behind each other: a bare client's median round trip at 50 ms was 54.6 ms
that way, 51.9 ms this way.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import secrets
import zlib
from base64 import b64decode, b64encode
from dataclasses import dataclass, field
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from .store import READ, WRITE, EmailTaken, Invalid, Store

API = "/api/v1"
DUPLICATE_MESSAGE = "Customer with this email already exists"


@dataclass
class Faults:
    """What the sandbox does wrong, and how often (rates are 0..1 per request)."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
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


@dataclass
class OAuthClient:
    """An installed app's client credentials and its current refresh token."""

    client_id: str
    client_secret: str
    scopes: set[str]
    refresh_token: str = field(default_factory=lambda: "rt_" + secrets.token_urlsafe(24))


def envelope(status: int, message: str, data: object = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"status": status, "success": 200 <= status < 300, "message": message, "data": data}
    return JSONResponse(body, status_code=status, headers=headers)


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


class Sandbox:
    """State shared by the routes: the store, the faults, the OAuth clients."""

    def __init__(self, store: Store, faults: Faults) -> None:
        self.store = store
        self.faults = faults
        self.oauth_clients: dict[str, OAuthClient] = {}
        self.app = self._build()

    def add_oauth_client(self, scopes: set[str]) -> OAuthClient:
        client = OAuthClient("client_" + secrets.token_hex(8), "secret_" + secrets.token_urlsafe(16), scopes)
        self.oauth_clients[client.client_id] = client
        return client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # Remember the raw connection so that a fault can drop it.
        scope["sandbox.transport"] = getattr(getattr(send, "__self__", None), "transport", None)
        scope["sandbox.arrived"] = asyncio.get_running_loop().time()

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                await until_due(scope)
            await send(message)

        await self.app(scope, receive, answer)

    def _build(self) -> Starlette:
        routes = [
            Route(f"{API}/customers", self.create_customer, methods=["POST"]),
            Route(f"{API}/customers", self.list_customers, methods=["GET"]),
            Route(f"{API}/customers/{{key}}", self.update_customer, methods=["PUT"]),
            Route("/.well-known/oauth-authorization-server", self.discovery, methods=["GET"]),
            Route(f"{API}/oauth/token", self.token, methods=["POST"]),
            Route("/__sandbox/stats", self.stats, methods=["GET"]),
        ]
        return Starlette(routes=routes)

    # -- shared steps ---------------------------------------------------------
    def _gate(self, request: Request, scope: str) -> Response | None:
        """Count the request, set when its answer is due, then apply faults and auth; None means go on."""
        stats, faults = self.store.stats, self.faults
        stats.requests += 1
        stats.by_route[f"{request.method} {request.scope['path']}"] += 1  # not request.url: building it costs a share of every request
        if faults.latency_ms:
            request.scope["sandbox.due"] = request.scope["sandbox.arrived"] + faults.latency_ms / 1000
        if faults.redirect_to:
            return RedirectResponse(faults.redirect_to, status_code=301)
        if faults.web_page:
            return HTMLResponse(WEB_PAGE)
        if faults.throttle_seconds:
            now = asyncio.get_running_loop().time()
            faults.throttled_from = faults.throttled_from or now
            if now - faults.throttled_from < faults.throttle_seconds:
                stats.faults["429"] += 1
                return envelope(429, "Too many requests", headers={"Retry-After": retry_after_header(faults.retry_after)})
        if faults.draw(faults.throttle_rate):
            stats.faults["429"] += 1
            return envelope(429, "Too many requests", headers={"Retry-After": retry_after_header(faults.retry_after)})
        if faults.draw(faults.error_rate):
            stats.faults["503"] += 1
            return envelope(503, "Service temporarily unavailable")
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        scopes = self.store.scopes_of(token) if token.startswith("app_") else None
        if scopes is None:
            return envelope(401, "Authentication required")
        if scope not in scopes:
            return envelope(403, "Insufficient scope")
        request.state.token = token
        return None

    def _answer(self, response: Response, request: Request | None = None) -> Response:
        self.store.stats.by_status[response.status_code] += 1
        if self.faults.echo_auth and request is not None and response.status_code >= 400:
            return echoed(response, request)
        return response

    @staticmethod
    async def _json(request: Request) -> object:
        try:
            return json.loads(await request.body())
        except ValueError:
            raise Invalid("Request body must be valid JSON") from None

    # -- routes ---------------------------------------------------------------
    async def create_customer(self, request: Request) -> Response:
        store, faults = self.store, self.faults
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("email"), str):
            store.stats.posts_per_email[body["email"].strip().casefold()] += 1  # every POST that arrived
        refused = self._gate(request, WRITE)
        if refused is not None:
            return self._answer(refused, request)
        if faults.no_create:
            return self._answer(envelope(404, "Not Found"))
        if faults.redirect_creates:
            return self._answer(RedirectResponse(str(request.url).replace("/customers", "/v2/customers"), status_code=307))
        if faults.replay_first_create and faults.first_created is not None:
            return self._answer(Response(faults.first_created, status_code=201, media_type="application/json"))
        try:
            if body is None:
                raise Invalid("Request body must be valid JSON")
            if faults.draw(faults.drop_before_rate):
                store.stats.faults["drop_before"] += 1
                return DropConnection()
            customer = store.create(body)
        except Invalid as exc:
            return self._answer(envelope(400, str(exc)), request)
        except EmailTaken:
            return self._answer(envelope(faults.duplicate_status, faults.duplicate_message), request)
        if faults.revoke_after is not None and store.stats.creations >= faults.revoke_after:
            store.revoke(request.state.token)
            faults.revoke_after = None  # once: a renewed token keeps working
        if faults.draw(faults.drop_after_rate):
            store.stats.faults["drop_after"] += 1
            return DropConnection()
        if faults.draw(faults.error_after_rate):
            store.stats.faults["error_after"] += 1
            return self._answer(envelope(faults.error_after_status, "Bad gateway"), request)
        if faults.endless_body:
            return self._answer(StreamingResponse(endless(), status_code=201, media_type="application/json"))
        if faults.gzip_bomb:
            return self._answer(Response(bomb(), status_code=201, media_type="application/json", headers={"Content-Encoding": "gzip"}))
        if faults.strip_id:
            customer = {k: v for k, v in customer.items() if k not in ("_id", "id")}
        created = envelope(201, "Customer created successfully", customer)
        if faults.replay_first_create:
            faults.first_created = bytes(created.body)
        if faults.stall_after_commit or faults.trickle_seconds:
            return self._answer(slowly(bytes(created.body), faults.stall_after_commit, faults.trickle_seconds))
        return self._answer(created)

    async def list_customers(self, request: Request) -> Response:
        if self.faults.revoke_on_lookup and request.query_params.get("search"):
            auth = request.headers.get("authorization", "")
            self.store.revoke(auth[7:].strip())
        refused = self._gate(request, READ)
        if refused is not None:
            return self._answer(refused)
        try:
            page = int(request.query_params.get("page", "1"))
            limit = int(request.query_params.get("limit", "10"))
        except ValueError:
            return self._answer(envelope(400, "page and limit must be integers"))
        if page < 1 or limit < 1:
            return self._answer(envelope(400, "page and limit must be positive"))
        data = self.store.page(page, min(limit, 100), request.query_params.get("search"))
        if self.faults.lying_pages:
            data["pages"] = page + 1
            if not data["customers"]:  # past the end: the first page again, as a broken pager repeats itself
                data["customers"] = self.store.page(1, min(limit, 100), request.query_params.get("search"))["customers"]
        return self._answer(envelope(200, "Customers retrieved successfully", data))

    async def update_customer(self, request: Request) -> Response:
        refused = self._gate(request, WRITE)
        if refused is not None:
            return self._answer(refused)
        try:
            customer = self.store.update(request.path_params["key"], await self._json(request))
        except Invalid as exc:
            return self._answer(envelope(400, str(exc)), request)
        except EmailTaken:
            return self._answer(envelope(self.faults.duplicate_status, self.faults.duplicate_message), request)
        if customer is None:
            return self._answer(envelope(404, "Customer not found"))
        return self._answer(envelope(200, "Customer updated successfully", customer))

    async def discovery(self, request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse(
            {
                "issuer": base,
                "token_endpoint": f"{base}{API}/oauth/token",
                "revocation_endpoint": f"{base}{API}/oauth/revoke",
                "grant_types_supported": ["authorization_code", "refresh_token"],
            }
        )

    async def token(self, request: Request) -> Response:
        """`grant_type=refresh_token`: a new access token and a rotated refresh token."""
        # Parsed here rather than with request.form(), which needs python-multipart.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if request.headers.get("authorization", "").lower().startswith("basic "):
            decoded = b64decode(request.headers["authorization"][6:]).decode()
            client_id, _, secret = decoded.partition(":")
        client = self.oauth_clients.get(str(client_id))
        if client is None or client.client_secret != secret:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != client.refresh_token:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if self.faults.token_endpoint_status:
            return JSONResponse({"error": "server_error"}, status_code=self.faults.token_endpoint_status)
        client.refresh_token = "rt_" + secrets.token_urlsafe(24)
        access = "app_" + secrets.token_urlsafe(24) if self.faults.renew_refused else self.store.new_token(client.scopes)
        return JSONResponse(
            {"access_token": access, "token_type": "Bearer", "refresh_token": client.refresh_token, "expires_in": 3600}
        )

    async def stats(self, request: Request) -> Response:
        return JSONResponse(self.store.stats.as_dict())
