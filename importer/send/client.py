"""Talk to the store's customer API and turn every answer into an Outcome.

This is the only module that sends requests to the API: httpx's exceptions become outcomes (per row) or
ImporterErrors (for the whole run) here. A POST whose answer never came, or came as a 5xx, may have created
the customer, and an app cannot delete one, so such a row is looked up before it is ever sent again.

Every request goes through one `httpx.AsyncClient` with pyreqwest as its
transport (see `transport`). A row's request is built from parts made once: the
customers URL is parsed when the client starts and the headers each time the
token changes (see `session`), so nothing that is the same for every row is
parsed or encoded again for each one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from .. import __version__
from .answers import classify, created_customer, emails_of, envelope_message, id_of, may_be_duplicate, same_customer
from .credentials import Credentials
from ..errors import CertificateError, ImporterError, UnreachableError, UsageError
from .listing import PAGE, check_answer, customers_in, data_of, shop_of, shop_of_customer
from .losses import LOST, refused, told, too_long_a_pause
from ..outcomes import UNCONFIRMED, UNPROVEN, Category, Outcome, already_in_store
from .pacing import Pacer
from .retry import RetryPolicy, parse_retry_after
from .session import JSON, Session
from .transport import open_client

RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
NOT_PROCESSED = frozenset({408, 425, 429})  # answers that prove the request was not acted on; any 5xx to a POST may have been


@dataclass
class Try:
    """One try of a request: its number (from 1), whether it is the last the policy allows, and what came of it."""

    number: int
    final: bool
    response: httpx.Response | None = None
    lost: httpx.RequestError | None = None  # what ended it when no answer came
    error: str = ""  # that, as the merchant is told it (see `_unanswered`)


class StoreClient:
    """The store's customer endpoints, with retries, pacing and the lookup that keeps creations single.

    The token, the headers that carry it and its renewal are the `Session`'s. Every
    text kept from an answer (a message, a header, a transport error) goes through
    the session's `scrub`, which removes the run's secrets from it.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        concurrency: int = 8,
        retry: RetryPolicy | None = None,
        max_rps: float | None = None,
        timeout: float | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.pacer = Pacer(concurrency, max_rps)
        self.halted = False  # set when the run stops: no new request goes out
        self._last_answer = time.monotonic()
        self._given: set[str] = set()  # the ids answers of this import proved: no other row may have one of them
        self.shop: str | None = None  # the store's id, once an answer names it (see check_token)
        headers = {"Accept": JSON, "User-Agent": f"salesive-import/{__version__}"}
        try:
            self._customers = httpx.URL(self.base_url + "/customers")  # parsed once, not on every request
            self._http = open_client(self._customers, concurrency, timeout or self.retry.timeout, headers)
        except httpx.InvalidURL:
            raise UsageError(f"the base URL {self.base_url!r} is not a valid web address") from None
        self._session = Session(self._http, self._customers, self.base_url, token, credentials)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> StoreClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _message(self, response: httpx.Response) -> str:
        """What an answer says, without any secret it may repeat."""
        return self._session.scrub(envelope_message(response))

    async def _request(self, method: str, url: httpx.URL, query: dict[str, str] | None = None, payload: bytes | None = None) -> httpx.Response:
        """One paced request (`payload`: a JSON body); notes when the store last answered at all.

        A 401 with `--credentials-file` renews the token and sends the request again
        (a refused request created nothing, so this never sends a row twice). A pause
        asked for that is longer than the run waits stops it (UnreachableError).
        Raises LOST when no answer came.
        """
        while True:
            generation = self._session.generation
            request = self._session.build(method, url, query, payload)
            async with self.pacer.slot():
                response = await self._http.send(request)
            if response.status_code != 401 or not await self._session.renew(generation, lambda: self.halted):
                break
        status = response.status_code
        if status < 400:
            self._session.accepted()
        self._last_answer = time.monotonic()
        if status == 429:
            self.pacer.throttled()
        elif status < 500:
            self.pacer.succeeded()
        too_long_a_pause(response, self.retry.max_wait)
        return response

    def _check_reachable(self, error: str) -> None:
        if time.monotonic() - self._last_answer > self.retry.unreachable_after:
            failed = "could not be reached" if error.startswith("connection failed") else "gave no answer"  # refused, or reached and silent
            raise UnreachableError(f"the store at {self.base_url} {failed} for {self.retry.unreachable_after:.0f} s ({error})")

    async def _tries(self) -> AsyncIterator[Try]:
        """The tries of one request, the only retry loop: every request kind runs its tries through it.

        Each try is handed out before it is sent (`_send` sends it), so that a caller can
        look a doubtful create up first. Every kind of failure counts as a try; the pause
        before the next grows with each (a Retry-After is its floor), and none follows the
        last. The caller stops taking tries once an answer settles the request.
        """
        previous: Try | None = None
        for number in range(1, self.retry.attempts + 1):
            if previous is not None:
                retry_after = parse_retry_after(previous.response.headers.get("Retry-After")) if previous.response is not None else None
                await asyncio.sleep(self.retry.delay(previous.number, retry_after))
            previous = Try(number, number == self.retry.attempts)
            yield previous

    async def _send(self, attempt: Try, method: str, url: httpx.URL, query: dict[str, str] | None = None, payload: bytes | None = None) -> Try:
        """Send one try of a request, keeping its answer, or what ended it when none came."""
        try:
            attempt.response = await self._request(method, url, query, payload)
        except LOST as exc:
            attempt.lost = exc
        return attempt

    def _unanswered(self, attempt: Try) -> str:
        """What ended a try without an answer, as told; stops the run when the store has not answered for too long
        or its certificate does not verify. A create says first whether the row may have reached the store."""
        assert attempt.lost is not None
        attempt.error = told(attempt.lost, self._customers.host, self._session.scrub)
        self._check_reachable(attempt.error)
        return attempt.error

    async def _answers(self, method: str, url: httpx.URL, query: dict[str, str] | None = None, payload: bytes | None = None) -> AsyncIterator[Try]:
        """The tries of a request that is safe to repeat, each sent."""
        async for attempt in self._tries():
            await self._send(attempt, method, url, query, payload)
            if attempt.lost is not None:
                self._unanswered(attempt)
            yield attempt

    async def check_token(self) -> None:
        """One cheap authenticated read before any write, so a bad token or a base URL that is not the API sends nothing.

        Its answer names the store (`shop`, on the customer it lists) when the store has
        a customer; a store with none is named by the first customer the run creates.
        The token is bound to one store, but renewed, so the store's ledger is found by
        that id, never by the token.
        """
        try:
            response = await self._get({"limit": "1"})
        except CertificateError as exc:
            raise UsageError(str(exc)) from None
        self.shop = shop_of(response)
        check_answer(response, self.base_url, self._session.scrub)

    async def _get(self, params: dict[str, str]) -> httpx.Response:
        """A read of the customer list, retried on transient failures; UnreachableError when none succeeds."""
        last = Try(0, True)
        async for last in self._answers("GET", self._customers, query=params):  # a read is safe to repeat: any 5xx is tried again
            if last.response is not None and last.response.status_code not in RETRYABLE and last.response.status_code < 500:
                return last.response
        told = f"could not be reached in {last.number} tries ({last.error})" if last.response is None else f"kept answering HTTP {last.response.status_code} to a read of its customers"
        raise UnreachableError(f"the store at {self.base_url} {told}")

    async def _pages(self, query: dict[str, str], wave: int = 1) -> AsyncIterator[list[dict[str, Any]]]:
        """The customers of each page of a read, in order, `wave` pages asked for at once.

        Stops at the first page that brings no customer it has not seen or fewer than
        a full page, whatever the page count says: a pager that says there is always
        one more is never read for ever.
        """
        seen: set[str] = set()
        number = 1
        while True:
            numbers = range(number, number + wave)
            answers = await asyncio.gather(*(self._get({**query, "page": str(n), "limit": str(PAGE)}) for n in numbers))
            for response in answers:
                customers = customers_in(response, self.base_url, self._session.scrub)
                fresh = [c for c in customers if id_of(c) not in seen]
                seen.update(id_of(c) for c in fresh)
                self.shop = self.shop or (shop_of_customer(fresh[0]) if fresh else None)
                if fresh:
                    yield fresh
                if not fresh or len(customers) < PAGE:
                    return
            number += wave

    async def find_customer(self, email_address: str) -> dict[str, Any] | None:
        """The stored customer with exactly this email (case-insensitive), if any; the search's pages are read until it is found."""
        wanted = email_address.casefold()
        async for customers in self._pages({"search": email_address}):
            found = next((c for c in customers if str(c.get("email", "")).casefold() == wanted), None)
            if found is not None:
                return found
        return None

    async def find_id(self, email_address: str) -> str:
        """The id of the stored customer with this email, or "" when there is none."""
        stored = await self.find_customer(email_address)
        return id_of(stored) if stored else ""

    async def create(self, body: dict[str, object], payload: str) -> Outcome | None:
        """POST one customer (`payload`: `body` as JSON) until the store gives an answer that settles it, or the tries run out.

        An attempt that may have been acted on without proving it (no answer, a
        5xx, a 2xx that does not name this customer) makes the row doubtful: it is
        looked up before it is sent again, and a duplicate answer after such an
        attempt is looked up too (it may be that attempt's own customer), and so is a refusal: one the search cannot
        yet prove leaves the row unconfirmed, looked up by the next run, never reported a duplicate. Returns
        None when the run was halted before this row was sent. Raises
        UnreachableError when the tries ran out without any answer; an error raised
        here says whether the row may have reached the store (`in_doubt`).
        """
        content = payload.encode()
        doubtful = ever_doubtful = False
        attempt = Try(0, True)
        last = Outcome(Category.FAILED, "no-answer", "")
        try:
            async for attempt in self._tries():
                if doubtful:  # the last try may have created it: look before sending again
                    settled = await self.settle(body)
                    if settled is not None:
                        return settled
                    doubtful = False  # not there: that try created nothing
                response = (await self._send(attempt, "POST", self._customers, payload=content)).response
                if attempt.lost is not None:
                    # A refused connection never reached the store (bounded by the
                    # unreachable window); any other loss may have created the customer.
                    doubtful = not refused(attempt.lost)
                    last = Outcome(Category.FAILED, "no-answer", self._unanswered(attempt))
                elif response is not None and (response.status_code in RETRYABLE or response.status_code >= 500):
                    last, doubtful = classify(response, self._message(response)), response.status_code not in NOT_PROCESSED
                    if response.status_code not in RETRYABLE:  # no use trying again (501, a gateway's 520-527), yet it may have been acted on
                        break
                elif response is not None:
                    outcome = await self._answered(response, body)
                    if outcome is not None and outcome.category in (Category.DUPLICATE, Category.INVALID) and ever_doubtful:
                        # a refusal of this try's own customer, unseen by a search that lags: the same command looks it up
                        doubtful = True
                        return await self.settle(body) or UNPROVEN
                    if outcome is not None:
                        return outcome
                    last = Outcome(Category.FAILED, "unproven", f"the store answered HTTP {response.status_code}, never naming this customer")
                    doubtful = True
                ever_doubtful = ever_doubtful or doubtful
                if self.halted:  # the run stopped: no request, not even a lookup (the journal keeps the doubt)
                    return UNCONFIRMED if doubtful else None
            if doubtful:
                if self.halted:  # no lookup once the run stopped: the journal keeps the doubt
                    return UNCONFIRMED
                settled = await self.settle(body)
                if settled is not None:
                    return settled
                doubtful = False
            if attempt.response is None:
                raise UnreachableError(f"the store at {self.base_url} could not be reached in {attempt.number} tries ({last.message})")
            return last
        except ImporterError as exc:
            exc.in_doubt = doubtful
            raise

    async def _answered(self, response: httpx.Response, body: dict[str, object]) -> Outcome | None:
        """A create's final answer as an outcome; None when a 2xx proves nothing (the row is looked up and sent again).

        A refusal that may speak of something already there without naming the
        email is looked up: the store's customer makes it a duplicate.
        """
        status = response.status_code
        if 200 <= status < 300:
            customer = created_customer(response, body)
            if customer is None or id_of(customer) in self._given:
                return None
            self._given.add(id_of(customer))
            self.shop = self.shop or shop_of_customer(customer)
            return Outcome(Category.CREATED, Category.CREATED.value, Category.CREATED.value, id_of(customer))
        message = self._message(response)
        outcome = classify(response, message)
        if outcome.category is Category.INVALID and may_be_duplicate(message):
            customer_id = await self.find_id(str(body["email"]))
            if customer_id:
                return Outcome(Category.DUPLICATE, "store-duplicate", f"the store already has this email ({message})", customer_id)
        return outcome

    async def update(self, customer_id: str, body: dict[str, object]) -> Outcome:
        """PUT the row's fields on a stored customer; safe to repeat, so simply retried."""
        url = httpx.URL(f"{self._customers}/{quote(customer_id, safe='')}")
        content = json.dumps(body).encode()
        last = Outcome(Category.FAILED, "no-answer", "")
        async for attempt in self._answers("PUT", url, payload=content):
            response = attempt.response
            if response is None:
                last = Outcome(Category.FAILED, "no-answer", attempt.error)
                continue
            if 200 <= response.status_code < 300:
                return Outcome(Category.UPDATED, Category.UPDATED.value, Category.UPDATED.value, id_of(data_of(response)) or customer_id)
            last = classify(response, self._message(response), Category.UPDATED)
            if response.status_code not in RETRYABLE:
                return last
        return last

    async def store_emails(self) -> dict[str, str]:
        """Every stored customer's case-folded email and id."""
        return emails_of(await self.store_customers())

    async def store_customers(self) -> list[dict[str, Any]]:
        """Every stored customer, read page by page (as many pages at once as requests may be in flight)."""
        customers: list[dict[str, Any]] = []
        async for page in self._pages({}, wave=self.pacer.ceiling):
            customers.extend(page)
        return customers

    async def settle(self, body: dict[str, object]) -> Outcome | None:
        """After an attempt that may have created the customer: did it? None when the store does not have the email."""
        stored = await self.find_customer(str(body["email"]))
        if stored is None:
            return None
        customer_id = id_of(stored)
        if same_customer(stored, body) and customer_id not in self._given:
            self._given.add(customer_id)
            return Outcome(Category.CREATED, "created-confirmed", "created (confirmed after an answer that did not prove it)", customer_id)
        return already_in_store(customer_id)
