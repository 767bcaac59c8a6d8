"""Talk to the store's customer API and turn every answer into an Outcome.

This is the only module that sees httpx: its errors become outcomes (per row) or
ImporterErrors (for the whole run) here. A POST whose answer never came may have
created the customer, and an app cannot delete one, so such a row is looked up
before it is ever sent again.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_aiohttp import AiohttpTransport

from .credentials import Credentials
from .errors import AuthError, UnreachableError
from .outcomes import Category, Outcome, already_in_store
from .pacing import Pacer

DEFAULT_BASE_URL = "https://api.salesive.com/api/v1"
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
# Answers that prove the request was not acted on; other 5xx may have been.
NOT_PROCESSED = frozenset({408, 425, 429, 503})
DUPLICATE_WORDS = ("already exist", "already in use", "already taken", "already registered", "duplicate")


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
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


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
    if status == 404 and success is Category.UPDATED:
        return Outcome(Category.FAILED, "http-404", "the store's customer with this email is gone")
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
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        max_rps: float | None = None,
        timeout: float = 30.0,
        credentials: Credentials | None = None,
    ) -> None:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.pacer = Pacer(concurrency, max_rps)
        self.halted = False  # set when the run stops: no new request goes out
        self._credentials = credentials
        self._token_generation = 0
        self._renewed_unproven = False  # a renewed token that has not been accepted yet
        self._renewing = asyncio.Lock()
        self._last_answer = time.monotonic()
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            transport=transport or AiohttpTransport(limits=limits),
            timeout=httpx.Timeout(timeout, connect=10.0),
            limits=limits,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One paced request; notes when the store last answered at all.

        A 401 with `--credentials-file` renews the token and sends the request again
        (a refused request created nothing, so this never sends a row twice).
        """
        while True:
            generation = self._token_generation
            async with self.pacer.slot():
                response = await self._http.request(method, path, **kwargs)
            if response.status_code != 401 or self._credentials is None or not await self._renew(generation):
                break
        if response.status_code < 400:
            self._renewed_unproven = False
        self._last_answer = time.monotonic()
        if response.status_code == 429:
            self.pacer.throttled()
        elif response.status_code < 500:
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
                token = await self._credentials.refresh(self.base_url)
            except AuthError:
                return False
            self._http.headers["Authorization"] = f"Bearer {token}"
            self._token_generation += 1
            self._renewed_unproven = True
            return True

    def _check_reachable(self, error: str) -> None:
        if time.monotonic() - self._last_answer > self.retry.unreachable_after:
            raise UnreachableError(f"the store at {self.base_url} could not be reached for {self.retry.unreachable_after:.0f} s ({error})")

    async def check_token(self) -> None:
        """One cheap authenticated read before any write, so a bad token sends nothing."""
        response = await self._get("/customers", {"limit": "1"})
        if response.status_code == 401:
            raise AuthError("the token was rejected by the store (401); check SALESIVE_TOKEN or --token-file")
        if response.status_code == 403:
            raise AuthError("the token was rejected by the store (403): it lacks the WRITE_CUSTOMERS scope")

    async def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        """A read, retried on transient failures; UnreachableError when none succeeds."""
        attempt = 0
        while True:
            try:
                response = await self._request("GET", path, params=params)
            except httpx.TransportError as exc:
                self._check_reachable(describe_error(exc))
                await asyncio.sleep(self.retry.delay(min(attempt, 6)))
                continue
            if response.status_code not in RETRYABLE:
                return response
            attempt += 1
            if attempt >= self.retry.attempts:
                raise UnreachableError(f"the store kept answering HTTP {response.status_code} to {path}")
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("retry-after"))))

    async def find_customer(self, email_address: str) -> dict[str, Any] | None:
        """The stored customer with exactly this email (case-insensitive), if any."""
        response = await self._get("/customers", {"search": email_address, "limit": "100"})
        if response.status_code != 200:
            raise UnreachableError(f"looking up a customer failed: HTTP {response.status_code} {envelope_message(response)}")
        customers = _data(response).get("customers") or []
        wanted = email_address.casefold()
        return next((c for c in customers if str(c.get("email", "")).casefold() == wanted), None)

    async def create(self, body: dict[str, object], uncertain: bool = False) -> Outcome | None:
        """POST one customer until the store gives a final answer or the retries run out.

        `uncertain` says an earlier attempt (maybe in an earlier run) got no answer.
        Returns None when the run was halted before this row was sent.
        """
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
                response = await self._request("POST", "/customers", json=body)
            except httpx.TransportError as exc:
                last = Outcome(Category.FAILED, "no-answer", describe_error(exc))
                self._check_reachable(last.message)
                # A refused connection never reached the store (bounded by the unreachable
                # window); any other loss may have created the customer.
                if not isinstance(exc, httpx.ConnectError):
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
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("retry-after"))))
        if uncertain:
            settled = await self.settle(body)
            if settled is not None:
                return settled
        return last

    async def update(self, customer_id: str, body: dict[str, object]) -> Outcome:
        """PUT the row's fields on a stored customer; safe to repeat, so simply retried."""
        last = Outcome(Category.FAILED, "not-sent", "not sent")
        for attempt in range(self.retry.attempts):
            try:
                response = await self._request("PUT", f"/customers/{customer_id}", json=body)
            except httpx.TransportError as exc:
                last = Outcome(Category.FAILED, "no-answer", describe_error(exc))
                self._check_reachable(last.message)
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            outcome = classify(response, Category.UPDATED)
            if response.status_code not in RETRYABLE:
                return outcome
            last = outcome
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.headers.get("retry-after"))))
        return last

    async def store_emails(self) -> dict[str, str]:
        """Every stored customer's case-folded email and id, paged 100 at a time, pages fetched concurrently."""
        async def page(number: int) -> dict[str, Any]:
            response = await self._get("/customers", {"page": str(number), "limit": "100"})
            if response.status_code != 200:
                raise UnreachableError(f"reading the store's customers failed: HTTP {response.status_code} {envelope_message(response)}")
            return _data(response)

        first = await page(1)
        pages = [first, *await asyncio.gather(*(page(n) for n in range(2, int(first.get("pages") or 1) + 1)))]
        return {
            str(c.get("email", "")).casefold(): id_of(c)
            for data in pages
            for c in data.get("customers") or []
        }

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


def describe_error(exc: httpx.HTTPError) -> str:
    """A one-line, token-free description of a transport failure."""
    detail = str(exc).strip() or type(exc).__name__
    return f"connection failed: {detail}" if isinstance(exc, httpx.ConnectError) else f"no answer: {detail}"
