"""Talk to the store's customer API and turn every answer into an Outcome.

This is the only module that sends requests to the API: httpx's exceptions
become outcomes (per row) or ImporterErrors (for the whole run) here. A POST
whose answer never came may have created the customer, and an app cannot delete
one, so such a row is looked up before it is ever sent again.

Every request goes through one `httpx.AsyncClient` with pyreqwest as its
transport (see `transport`). A row's request is built from parts made once: the
customers URL is parsed when the client starts and the headers each time the
token changes, so nothing that is the same for every row is parsed or encoded
again for each one.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import quote

import httpx

from . import __version__
from .credentials import Credentials
from .errors import AuthError, UnreachableError, UsageError
from .outcomes import GONE, NO_ROUTE, Category, Outcome, already_in_store
from .pacing import Pacer
from .retry import RetryPolicy, parse_retry_after
from .transport import open_client

JSON = "application/json"
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
# Answers that prove the request was not acted on; other 5xx may have been.
NOT_PROCESSED = frozenset({408, 425, 429, 503})
DUPLICATE_WORDS = ("already exist", "already in use", "already taken", "already registered", "duplicate")
# Anything that ends a request without an answer (timeouts included); see `refused`
# for the one loss known to have sent nothing.
LOST = httpx.RequestError


def envelope_message(response: httpx.Response) -> str:
    """The envelope's message, or the start of whatever else the body holds."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return str(body)[:200]


def classify(response: httpx.Response, success: Category = Category.CREATED) -> Outcome:
    """The contract's category for one answer to `POST /customers` (or, with UPDATED, to a PUT)."""
    status = response.status_code
    if status in (200, 201):
        data = _data(response)
        return Outcome(success, success.value, success.value, id_of(data))
    if status == 404:
        if success is Category.UPDATED:
            return Outcome(Category.FAILED, GONE, "the store's customer with this email is gone")
        return Outcome(Category.FAILED, NO_ROUTE, "the store has no such API route (HTTP 404)")
    message = envelope_message(response)
    if status == 409 or (status in (400, 422) and is_duplicate_message(message)):
        return Outcome(Category.DUPLICATE, "store-duplicate", f"the store already has this email ({message})")
    if status in (400, 422):
        return Outcome(Category.INVALID, "store-invalid", f"refused by the store: {message}")
    if status in (401, 403):
        return Outcome(Category.AUTH_FAILED, f"http-{status}", f"HTTP {status}: {message}")
    return Outcome(Category.FAILED, f"http-{status}", f"HTTP {status}: {message}")


def id_of(customer: dict[str, Any]) -> str:
    """A customer object's id (`_id`, or its alias `id`)."""
    return str(customer.get("_id") or customer.get("id") or "")


def emails_of(customers: list[dict[str, Any]]) -> dict[str, str]:
    """Stored customers by case-folded email: their ids."""
    return {str(c.get("email", "")).casefold(): id_of(c) for c in customers}


def is_duplicate_message(message: str) -> bool:
    lowered = message.lower()
    return "email" in lowered and any(word in lowered for word in DUPLICATE_WORDS)


def _data(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json().get("data")
    except (ValueError, AttributeError):
        return {}
    return data if isinstance(data, dict) else {}


def same_customer(stored: dict[str, Any], body: dict[str, object]) -> bool:
    """Whether a stored customer is the one this row would have created."""
    return (
        str(stored.get("email", "")).casefold() == str(body["email"]).casefold()
        and stored.get("name") == body["name"]
        and (stored.get("phone") or None) == (body.get("phone") or None)
    )


class StoreClient:
    """The store's customer endpoints, with retries, pacing and the lookup that keeps creations single."""

    def __init__(
        self,
        base_url: str,
        token: str,
        concurrency: int = 8,
        retry: RetryPolicy | None = None,
        max_rps: float | None = None,
        timeout: float = 30.0,
        credentials: Credentials | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.pacer = Pacer(concurrency, max_rps)
        self.halted = False  # set when the run stops: no new request goes out
        self._credentials = credentials
        self._token_generation = 0
        self._renewed_unproven = False  # a renewed token that has not been accepted yet
        self._renewing = asyncio.Lock()
        self._last_answer = time.monotonic()
        self.shop: str | None = None  # the store's id, as the token check's answer shows it (see check_token)
        headers = {"Accept": JSON, "User-Agent": f"salesive-import/{__version__}"}
        try:
            self._customers = httpx.URL(self.base_url + "/customers")  # parsed once, not on every request
            self._http = open_client(self._customers, concurrency, timeout, headers)
        except httpx.InvalidURL:
            raise UsageError(f"the base URL {self.base_url!r} is not a valid web address") from None
        self._use_token(token)

    def _use_token(self, token: str) -> None:
        """The headers of every request to the API, made once per token: the client's own, the host, the token."""
        self._headers = httpx.Headers(self._http.headers)
        self._headers["Host"] = self._customers.netloc.decode("ascii")
        self._headers["Authorization"] = f"Bearer {token}"
        self._body_headers = [*self._headers.raw, (b"Content-Type", JSON.encode())]

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _build(self, method: str, url: httpx.URL, query: dict[str, str] | None, payload: bytes | None) -> httpx.Request:
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

    async def _request(self, method: str, url: httpx.URL, query: dict[str, str] | None = None, payload: bytes | None = None) -> httpx.Response:
        """One paced request (`payload`: a JSON body); notes when the store last answered at all.

        A 401 with `--credentials-file` renews the token and sends the request again
        (a refused request created nothing, so this never sends a row twice).
        Raises LOST when no answer came.
        """
        while True:
            generation = self._token_generation
            request = self._build(method, url, query, payload)
            async with self.pacer.slot():
                response = await self._http.send(request)
            if response.status_code != 401 or self._credentials is None or not await self._renew(generation):
                break
        status = response.status_code
        if status < 400:
            self._renewed_unproven = False
        self._last_answer = time.monotonic()
        if status == 429:
            self.pacer.throttled()
        elif status < 500:
            self.pacer.succeeded()
        return response

    async def _renew(self, generation: int) -> bool:
        """Get a new token once for all the requests the old one failed; False when that is not possible."""
        assert self._credentials is not None
        async with self._renewing:
            if generation != self._token_generation:
                return True  # another request renewed it meanwhile
            if self._renewed_unproven or self.halted:
                return False  # the renewed token was refused too: give up (exit 3)
            try:
                token = await self._credentials.refresh(self._http, self.base_url)
            except AuthError:
                return False
            self._use_token(token)
            self._token_generation += 1
            self._renewed_unproven = True
            return True

    def _check_reachable(self, error: str) -> None:
        if time.monotonic() - self._last_answer > self.retry.unreachable_after:
            raise UnreachableError(f"the store at {self.base_url} could not be reached for {self.retry.unreachable_after:.0f} s ({error})")

    async def check_token(self) -> None:
        """One cheap authenticated read before any write, so a bad token sends nothing.

        Its answer names the store (`shop`, on the customer it lists) when the store has
        a customer: the token is bound to one store, but renewed, so the store's ledger
        is found by that id, never by the token.
        """
        response = await self._get({"limit": "1"})
        status = response.status_code
        listed = _data(response).get("customers") if status == 200 else None
        if listed and isinstance(listed[0], dict):
            shop = listed[0].get("shop")
            shop = id_of(shop) if isinstance(shop, dict) else shop  # an id, or the shop object itself
            self.shop = str(shop) if shop else None
        if status == 401:
            raise AuthError("the token was rejected by the store (401); check SALESIVE_TOKEN or --token-file")
        if status == 403:
            raise AuthError("the token was rejected by the store (403): it lacks the WRITE_CUSTOMERS scope")
        if status == 404:
            raise UsageError(f"{self.base_url} has no customer API (HTTP 404 for its customers); check --base-url")
        if 300 <= status < 400:
            location = response.headers.get("Location")
            where = f" to {location}" if location else ""
            raise UsageError(f"{self.base_url} answered with a redirect (HTTP {status}{where}); check --base-url")

    async def _get(self, params: dict[str, str]) -> httpx.Response:
        """A read of the customer list, retried on transient failures; UnreachableError when none succeeds."""
        attempt = 0
        while True:
            try:
                response = await self._request("GET", self._customers, query=params)
            except LOST as exc:
                self._check_reachable(describe_error(exc))
                await asyncio.sleep(self.retry.delay(min(attempt, 6)))
                continue
            if response.status_code not in RETRYABLE:
                return response
            attempt += 1
            if attempt >= self.retry.attempts:
                raise UnreachableError(f"the store kept answering HTTP {response.status_code} to a read of its customers")
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("Retry-After"))))

    async def find_customer(self, email_address: str) -> dict[str, Any] | None:
        """The stored customer with exactly this email (case-insensitive), if any."""
        response = await self._get({"search": email_address, "limit": "100"})
        if response.status_code != 200:
            raise UnreachableError(f"looking up a customer failed: HTTP {response.status_code} {envelope_message(response)}")
        customers = _data(response).get("customers") or []
        wanted = email_address.casefold()
        return next((c for c in customers if str(c.get("email", "")).casefold() == wanted), None)

    async def find_id(self, email_address: str) -> str:
        """The id of the stored customer with this email, or "" when there is none."""
        stored = await self.find_customer(email_address)
        return id_of(stored) if stored else ""

    async def create(self, body: dict[str, object], payload: str) -> Outcome | None:
        """POST one customer (`payload`: `body` as JSON) until the store gives a final answer or the retries run out.

        Returns None when the run was halted before this row was sent.
        """
        content = payload.encode()
        uncertain = False  # an attempt got no answer: the customer may exist
        attempt = 0
        last = Outcome(Category.FAILED, "not-sent", "not sent")
        while True:
            if self.halted:  # the run stopped: no request, not even a lookup (the journal keeps the doubt)
                return UNCONFIRMED if uncertain else None
            if uncertain:
                settled = await self.settle(body)
                if settled is not None:
                    return settled
                uncertain = False  # not there: the lost attempt created nothing
            try:
                response = await self._request("POST", self._customers, payload=content)
            except LOST as exc:
                last = Outcome(Category.FAILED, "no-answer", describe_error(exc))
                self._check_reachable(last.message)
                # A refused connection never reached the store (bounded by the unreachable
                # window); any other loss may have created the customer.
                if not refused(exc):
                    uncertain = True
                    attempt += 1
                    if attempt >= self.retry.attempts:
                        break
                await asyncio.sleep(self.retry.delay(min(attempt, 6)))
                continue
            outcome = classify(response)
            if response.status_code not in RETRYABLE:
                return outcome
            uncertain = uncertain or response.status_code not in NOT_PROCESSED
            last = outcome
            attempt += 1
            if attempt >= self.retry.attempts:
                break
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("Retry-After"))))
        if uncertain:
            settled = await self.settle(body)
            if settled is not None:
                return settled
        return last

    async def update(self, customer_id: str, body: dict[str, object]) -> Outcome:
        """PUT the row's fields on a stored customer; safe to repeat, so simply retried."""
        last = Outcome(Category.FAILED, "not-sent", "not sent")
        url = httpx.URL(f"{self._customers}/{quote(customer_id, safe='')}")
        content = json.dumps(body).encode()
        for attempt in range(self.retry.attempts):
            try:
                response = await self._request("PUT", url, payload=content)
            except LOST as exc:
                last = Outcome(Category.FAILED, "no-answer", describe_error(exc))
                self._check_reachable(last.message)
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            outcome = classify(response, Category.UPDATED)
            if response.status_code not in RETRYABLE:
                return outcome
            last = outcome
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("Retry-After"))))
        return last

    async def store_emails(self) -> dict[str, str]:
        """Every stored customer's case-folded email and id."""
        return emails_of(await self.store_customers())

    async def store_customers(self) -> list[dict[str, Any]]:
        """Every stored customer, paged 100 at a time, pages fetched concurrently."""
        async def page(number: int) -> dict[str, Any]:
            response = await self._get({"page": str(number), "limit": "100"})
            if response.status_code != 200:
                raise UnreachableError(f"reading the store's customers failed: HTTP {response.status_code} {envelope_message(response)}")
            return _data(response)

        first = await page(1)
        pages = [first, *await asyncio.gather(*(page(n) for n in range(2, int(first.get("pages") or 1) + 1)))]
        return [c for data in pages for c in data.get("customers") or [] if isinstance(c, dict)]

    async def settle(self, body: dict[str, object]) -> Outcome | None:
        """After an attempt without an answer: was the customer created by it?"""
        stored = await self.find_customer(str(body["email"]))
        if stored is None:
            return None
        customer_id = id_of(stored)
        if same_customer(stored, body):
            return Outcome(Category.CREATED, "created-confirmed", "created (confirmed after a lost answer)", customer_id)
        return already_in_store(customer_id)


UNCONFIRMED = Outcome(
    Category.PENDING, "unconfirmed", "sent, but the answer was lost and the run stopped; the same command checks it"
)


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
