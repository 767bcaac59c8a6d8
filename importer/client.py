"""Talk to the store's customer API and turn every answer into an Outcome.

This is the only module that sends requests to the API: transport errors become
outcomes (per row) or ImporterErrors (for the whole run) here. A POST whose
answer never came may have created the customer, and an app cannot delete one,
so such a row is looked up before it is ever sent again.

Requests go through pyreqwest (Rust's reqwest and hyper, driven from their own
thread). Measured on a 2-core machine, a bare loop of 5,000 POSTs at 32
connections and 50 ms latency, whole process: pyreqwest ~270 µs of CPU per
request and 0.94 of the bound, aiohttp ~450 µs and 0.90 (and 0.3-0.4 s to
import, against ~0.13 s); `httpx.AsyncClient` over aiohttp another ~330 µs per
request for its own models. The per-request cost bounds an import's speed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from pyreqwest.client import ClientBuilder
from pyreqwest.exceptions import ConnectError, RequestError
from pyreqwest.http import Url

from . import __version__
from .credentials import Credentials
from .errors import AuthError, UnreachableError, UsageError
from .outcomes import Category, Outcome, already_in_store
from .pacing import Pacer
from .retry import RetryPolicy, parse_retry_after

JSON = "application/json"
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
# Answers that prove the request was not acted on; other 5xx may have been.
NOT_PROCESSED = frozenset({408, 425, 429, 503})
DUPLICATE_WORDS = ("already exist", "already in use", "already taken", "already registered", "duplicate")
# Anything that ends a request without an answer (timeouts included); see `refused`
# for the one loss known to have sent nothing.
LOST = RequestError
# How hyper names a failure while connecting, in the cause chain of pyreqwest's errors.
CONNECT_PHASE = "client error (Connect)"


@dataclass(slots=True)
class Answer:
    """What the store answered: the status, the body, and the headers acted on.

    Not frozen, and the headers read only for the answers that use them: one is
    made per request (with the body decoded before parsing, ~1 µs less each).
    """

    status: int
    body: bytes = b""
    retry_after: str | None = None  # read for a status that is retried
    location: str | None = None  # where a redirect points (never followed)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8-sig"))  # a str skips json's own detection of the encoding

    @property
    def reason(self) -> str:
        """The standard phrase for the status (what an empty error answer is reported with)."""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def envelope_message(response: Answer) -> str:
    """The envelope's message, or the start of whatever else the body holds."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return str(body)[:200]


def classify(response: Answer, success: Category = Category.CREATED) -> Outcome:
    """The contract's category for one answer to `POST /customers` (or, with UPDATED, to a PUT)."""
    status = response.status
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


def _data(response: Answer) -> dict[str, Any]:
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
        self._authorization = f"Bearer {token}"
        # Connections are kept for the requests in flight (the pacer never allows more
        # than `concurrency`); no cookies, so the store cannot tie requests together
        # behind our back; redirects are not followed: the API does not redirect, and
        # a followed POST can turn into a GET.
        builder = (
            ClientBuilder()
            .default_headers({"Accept": JSON})
            .user_agent(f"salesive-import/{__version__}")
            .error_for_status(False)
            .follow_redirects(False)
            .default_cookie_store(False)
            .pool_max_idle_per_host(concurrency)
            .timeout(timedelta(seconds=timeout))
            .connect_timeout(timedelta(seconds=10))
        )
        try:
            self._customers = Url(self.base_url + "/customers")  # parsed once, not on every request
        except ValueError:
            raise UsageError(f"the base URL {self.base_url!r} is not a valid web address") from None
        # A proxy the environment names (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)
        # is used as reqwest reads it, but a store on this machine (the sandbox) is
        # always reached directly.
        self._http = (builder.no_proxy() if is_local(self.base_url) else builder).build()

    async def aclose(self) -> None:
        await self._http.close()

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, method: str, url: Url | str, query: dict[str, str] | None = None, payload: str | None = None) -> Answer:
        """One paced request (`payload`: a JSON body); notes when the store last answered at all.

        A 401 with `--credentials-file` renews the token and sends the request again
        (a refused request created nothing, so this never sends a row twice).
        Raises LOST when no answer came.
        """
        while True:
            generation = self._token_generation
            request = self._http.request(method, url).header("Authorization", self._authorization, is_sensitive=True)
            if query is not None:
                request = request.query(query)
            if payload is not None:
                request = request.body_text(payload).header("Content-Type", JSON)
            async with self.pacer.slot():
                reply = await request.build().send()
                body = (await reply.bytes()).to_bytes()
            status = reply.status
            response = Answer(
                status,
                body,
                reply.get_header("Retry-After") if status in RETRYABLE else None,
                reply.get_header("Location") if 300 <= status < 400 else None,
            )
            if response.status != 401 or self._credentials is None or not await self._renew(generation):
                break
        if response.status < 400:
            self._renewed_unproven = False
        self._last_answer = time.monotonic()
        if response.status == 429:
            self.pacer.throttled()
        elif response.status < 500:
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
            self._authorization = f"Bearer {token}"
            self._token_generation += 1
            self._renewed_unproven = True
            return True

    def _check_reachable(self, error: str) -> None:
        if time.monotonic() - self._last_answer > self.retry.unreachable_after:
            raise UnreachableError(f"the store at {self.base_url} could not be reached for {self.retry.unreachable_after:.0f} s ({error})")

    async def check_token(self) -> None:
        """One cheap authenticated read before any write, so a bad token sends nothing."""
        response = await self._get({"limit": "1"})
        if response.status == 401:
            raise AuthError("the token was rejected by the store (401); check SALESIVE_TOKEN or --token-file")
        if response.status == 403:
            raise AuthError("the token was rejected by the store (403): it lacks the WRITE_CUSTOMERS scope")
        if 300 <= response.status < 400:
            where = f" to {response.location}" if response.location else ""
            raise UsageError(f"{self.base_url} answered with a redirect (HTTP {response.status}{where}); check --base-url")

    async def _get(self, params: dict[str, str]) -> Answer:
        """A read of the customer list, retried on transient failures; UnreachableError when none succeeds."""
        attempt = 0
        while True:
            try:
                response = await self._request("GET", self._customers, query=params)
            except LOST as exc:
                self._check_reachable(describe_error(exc))
                await asyncio.sleep(self.retry.delay(min(attempt, 6)))
                continue
            if response.status not in RETRYABLE:
                return response
            attempt += 1
            if attempt >= self.retry.attempts:
                raise UnreachableError(f"the store kept answering HTTP {response.status} to a read of its customers")
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.retry_after)))

    async def find_customer(self, email_address: str) -> dict[str, Any] | None:
        """The stored customer with exactly this email (case-insensitive), if any."""
        response = await self._get({"search": email_address, "limit": "100"})
        if response.status != 200:
            raise UnreachableError(f"looking up a customer failed: HTTP {response.status} {envelope_message(response)}")
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
                response = await self._request("POST", self._customers, payload=payload)
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
            if response.status not in RETRYABLE:
                return outcome
            uncertain = uncertain or response.status not in NOT_PROCESSED
            last = outcome
            attempt += 1
            if attempt >= self.retry.attempts:
                break
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.retry_after)))
        if uncertain:
            settled = await self.settle(body)
            if settled is not None:
                return settled
        return last

    async def update(self, customer_id: str, body: dict[str, object]) -> Outcome:
        """PUT the row's fields on a stored customer; safe to repeat, so simply retried."""
        last = Outcome(Category.FAILED, "not-sent", "not sent")
        url = f"{self._customers}/{quote(customer_id, safe='')}"
        for attempt in range(self.retry.attempts):
            try:
                response = await self._request("PUT", url, payload=json.dumps(body))
            except LOST as exc:
                last = Outcome(Category.FAILED, "no-answer", describe_error(exc))
                self._check_reachable(last.message)
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            outcome = classify(response, Category.UPDATED)
            if response.status not in RETRYABLE:
                return outcome
            last = outcome
            await asyncio.sleep(self.retry.delay(attempt, parse_retry_after(response.retry_after)))
        return last

    async def store_emails(self) -> dict[str, str]:
        """Every stored customer's case-folded email and id, paged 100 at a time, pages fetched concurrently."""
        async def page(number: int) -> dict[str, Any]:
            response = await self._get({"page": str(number), "limit": "100"})
            if response.status != 200:
                raise UnreachableError(f"reading the store's customers failed: HTTP {response.status} {envelope_message(response)}")
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


def is_local(base_url: str) -> bool:
    """Whether the store is on this machine (localhost or a loopback address)."""
    host = urlsplit(base_url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _causes(exc: RequestError) -> list[str]:
    return [str(cause.get("message", "")) for cause in exc.details.get("causes") or []]


def refused(exc: RequestError) -> bool:
    """Whether the request failed while connecting (refused, unresolved, TLS), so it never left.

    pyreqwest also calls a POST lost on a connection the store closed a ConnectError,
    though the store may have acted on it; hyper's cause chain tells the two apart.
    Whatever does not say so counts as possibly sent: a lookup, never a second customer.
    """
    return isinstance(exc, ConnectError) and CONNECT_PHASE in _causes(exc)


def describe_error(exc: RequestError) -> str:
    """A one-line, token-free description of a transport failure: its innermost cause."""
    causes = _causes(exc)
    detail = causes[-1] if causes else exc.message or type(exc).__name__
    return f"connection failed: {detail}" if refused(exc) else f"no answer: {detail}"
