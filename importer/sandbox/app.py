"""The sandbox's HTTP API: the Salesive customer endpoints, with faults on demand.

Every response carries the `{status, success, message, data}` envelope; the
faults a test asks for are in faults.py.

Latency is counted from the request's arrival, as a store's is: the request is
handled at once and its answer (or dropped connection) leaves `latency_ms` after
it came. Sleeping first and handling after would add the sandbox's own handling
to every answer, and answers whose timers fire together would queue behind each
other, so a round trip would be longer than the latency asked for.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from base64 import b64decode
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from .faults import WEB_PAGE, DropConnection, Faults, bomb, echoed, endless, retry_after_header, slowly, until_due
from .store import READ, WRITE, EmailTaken, Invalid, Store

API = "/api/v1"


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
            stats.faults[str(faults.error_status)] += 1
            return envelope(faults.error_status, "Service temporarily unavailable")
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
        if store.stats.first_post_at is None:
            store.stats.first_post_at = time.time()
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
        data = self.store.page(page, min(limit, 100), request.query_params.get("search"), self.faults.search_lag)
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
