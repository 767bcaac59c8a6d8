"""Send checked rows to the store, each exactly once, with bounded concurrency.

Workers share one row generator (safe: pulling a row never awaits). Each row's
intent is journaled before it is sent and its answer after, so a run stopped in
any way (auth failure, lost store, Ctrl-C, kill -9) can be resumed by running the
same command: rows with a final answer are not sent again, and rows whose answer
was lost are looked up in the store first.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..check.rules import Checked
from ..errors import ExitCode, ImporterError, InputError, UsageError
from .journal import FINAL, Journal, body_digest
from ..outcomes import GONE, NO_ROUTE, UNCONFIRMED, Category, Outcome, Sent, already_in_store
from .signals import stops_caught

if TYPE_CHECKING:
    from .client import StoreClient

FileRow = Callable[[int, list[str], Outcome, str, Sent], None]  # files a row in the report: the fields of an outcomes.Filed, and its outcome


@dataclass(slots=True)
class Pending:
    """A checked row on its way to the store (not frozen: one is made per row, see Checked)."""

    row: int
    cells: list[str]
    checked: Checked
    payload: str  # the body as JSON, encoded once: the journal keeps what the request sends


@dataclass(frozen=True)
class Stop:
    """Why a run stopped before its last row, and what becomes of the rows it did not send."""

    code: ExitCode
    message: str
    not_sent: Outcome


@dataclass
class Existing:
    """What to do about emails the store already has (`--on-existing`, `--check-existing`)."""

    update: bool = False
    blank_clears: bool = False
    check: bool = False
    known: dict[str, str] = field(default_factory=dict)  # case-folded email -> customer id ("": look it up to update)
    # Run once the token is checked, before any row goes out, in place of the sender's own
    # --check-existing read (the import's ledger of the store reads the store itself).
    ready: Callable[[StoreClient], Awaitable[None]] | None = None


NOT_SENT_AUTH = Outcome(Category.AUTH_FAILED, "not-sent-auth", "not sent: the run stopped after the store rejected the token")


def auth_stop(outcome: Outcome) -> Stop:
    message = f"the token was rejected by the store ({outcome.message})"
    if outcome.code == "http-403":
        message += "; it lacks the WRITE_CUSTOMERS scope"
    return Stop(ExitCode.AUTH_FAILED, message, NOT_SENT_AUTH)


def error_stop(exc: ImporterError) -> Stop:
    """The stop an error met while sending a row means (an auth failure, the store unreachable, not the API ...)."""
    if exc.exit_code is ExitCode.AUTH_FAILED:
        return Stop(ExitCode.AUTH_FAILED, str(exc), NOT_SENT_AUTH)
    why = "the store could not be reached" if exc.exit_code is ExitCode.UNREACHABLE else "the run stopped"
    return pending_stop(exc.exit_code, str(exc), why)


def pending_stop(code: ExitCode, message: str, why: str) -> Stop:
    return Stop(code, message, Outcome(Category.PENDING, "not-sent", f"not sent: {why}; the same command sends it"))


class Sender:
    """Runs the workers for one import and decides when to stop early."""

    def __init__(
        self,
        client: StoreClient,
        journal: Journal,
        file_row: FileRow,
        concurrency: int,
        existing: Existing | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.file_row = file_row
        self.concurrency = concurrency
        self.existing = existing or Existing()
        self.stopped: Stop | None = None
        self.unreadable: Stop | None = None  # the file could not be read past some row: the rows before it still go
        self._drained = False  # every row has been taken

    def stop(self, stop: Stop) -> None:
        """The first reason wins; no new request goes out after it."""
        if self.stopped is None:
            self.stopped = stop
        self.client.halted = True

    async def run(self, stream: Iterator[Pending], meanwhile: Callable[[], object]) -> Stop | None:
        """Check the token, then send every row; `meanwhile` runs in a thread while the token check is in flight."""
        round_trip, _ = await asyncio.gather(self._check_token(), asyncio.to_thread(meanwhile))
        self._same_store()
        # Workers start spread over one round trip. Started together, their requests
        # travel in waves that queue at both ends and take longer (bench/), and a store
        # sees no bursts.
        spacing = min(round_trip, 1.0) / self.concurrency
        await self.reconcile()
        if self.existing.ready is not None:
            await self.existing.ready(self.client)
        elif self.existing.check:
            self.existing.known = await self.client.store_emails()
        workers: list[asyncio.Task[None]] = []
        interrupted = pending_stop(ExitCode.INTERRUPTED, "interrupted; run the same command to resume", "the run was interrupted")
        with stops_caught(workers, lambda: self.stop(interrupted)):
            for k in range(self.concurrency):
                if k:
                    await asyncio.sleep(spacing)
                if self._drained:  # fewer rows than workers: the run ends without waiting for the rest
                    break
                workers.append(asyncio.create_task(self.worker(stream)))
            await asyncio.gather(*workers)
        return self.stopped or self.unreadable

    def _same_store(self) -> None:
        """A resumed import goes on only in the store its earlier run sent to: the same base URL serves every
        store, told apart by the token, and rows settled in one were never sent to the other. A store that
        lists no customer is not one this import created customers in. Stops before any row goes out."""
        earlier, now = self.journal.shop, self.client.shop
        if earlier is not None and now != earlier:
            raise UsageError(
                "this import was begun in another store than the one this token opens (or that store's customers are gone): to import "
                "the file into this store, run the same command with --restart; to finish the earlier import, run it with that store's token"
            )
        if now is not None:
            self.journal.name_store(now)

    async def _check_token(self) -> float:
        """The token check; returns its round trip in seconds."""
        started = time.monotonic()
        await self.client.check_token()
        return time.monotonic() - started

    async def reconcile(self) -> None:
        """Rows an earlier run sent without getting the answer: created by it, or not?"""
        for row, payload in self.journal.dangling():
            settled = await self.client.settle(json.loads(payload))
            if settled is None:
                self.journal.forget(row)
            else:
                self.journal.record(row, settled, payload)

    async def worker(self, stream: Iterator[Pending]) -> None:
        """Send rows one after another; the next row's intent is noted while the current one is in flight.

        By the time that row goes out, a commit made for another worker has usually
        covered its intent, so requests rarely wait for the journal. Noting it only
        after the answer cost every request two turns of the event loop.
        """
        item: Pending | None = None
        ahead: Pending | None = None
        try:
            item, batch = self._take(stream)
            while item is not None:
                self.journal.durable(batch)
                ahead, batch = self._take(stream)
                outcome = await self._deliver(item)
                if outcome.category is Category.AUTH_FAILED:
                    self.stop(auth_stop(outcome))
                elif outcome.code == NO_ROUTE:  # a wrong base URL: no other row would fare better
                    self.stop(pending_stop(ExitCode.NOT_STARTED, f"{self.client.base_url} {outcome.message}; check --base-url", "the store's address is wrong"))
                sent, item, ahead = item, ahead, None
                self._file(sent, outcome)
                if item is not None and self.stopped is not None:
                    self._not_sent(item)
                    item = None
                    self._take(stream)  # files the rest as not sent
        except ImporterError as exc:  # the import's state, or its report, could not be written
            self.stop(pending_stop(ExitCode.ROWS_REJECTED, str(exc), "the run could not go on"))
        except Exception as exc:  # a fault of ours: end with a report, never hang
            self.stop(pending_stop(ExitCode.ROWS_REJECTED, f"internal error: {type(exc).__name__}: {exc}", "the run stopped on an error"))
        else:
            return
        assert self.stopped is not None
        if item is not None:  # it may have gone out: its intent stays, so a resumed run looks it up first
            self._file(item, self.stopped.not_sent)
        if ahead is not None:
            self._not_sent(ahead)
        self._take(stream)

    def _take(self, stream: Iterator[Pending]) -> tuple[Pending | None, int]:
        """The next row to send and the journal batch holding its intent.

        Rows an earlier run settled, or that come after a stop, are filed on the way.
        """
        try:
            for item in stream:
                if self.stopped is not None:
                    self._file(item, self.stopped.not_sent)
                    continue
                done = self._settled_earlier(item)
                if done is not None:
                    self._file(item, done)
                    continue
                return item, self.journal.intend(item.row, item.payload)
        except InputError as exc:  # no row comes after it; those taken before it are sent
            self.unreadable = pending_stop(ExitCode.ROWS_REJECTED, str(exc), "the file could not be read past an earlier row")
        self._drained = True
        return None, 0

    def _file(self, item: Pending, outcome: Outcome) -> None:
        """Put a row in the report under its outcome."""
        self.file_row(item.row, item.cells, outcome, item.checked.warnings, item.checked.sent)

    def _not_sent(self, item: Pending) -> None:
        """A row whose intent was noted but which never went out: filed as not sent, with nothing to look up on resume."""
        assert self.stopped is not None
        self.journal.forget(item.row)
        self._file(item, self.stopped.not_sent)

    def _settled_earlier(self, item: Pending) -> Outcome | None:
        """The final answer an earlier run of this import got for the row, if it was sent with exactly this body."""
        previous = self.journal.previous(item.row)
        if previous is None:
            return None
        digest, done = previous
        if done is None or done.category not in FINAL or digest != body_digest(item.payload):
            return None
        if done.category is Category.CREATED:
            return Outcome(Category.SKIPPED, "created-earlier", "created by an earlier run of this import", done.customer_id)
        return done

    async def _deliver(self, item: Pending) -> Outcome:
        """One row's final outcome for this run; its intent is already committed."""
        body = item.checked.body
        outcome: Outcome | None
        try:
            known = self.existing.known.get(item.checked.key)
            if known is not None:  # --check-existing, or the store's ledger: no POST for an email the store has
                outcome = await self._existing(item, known)
            else:
                outcome = await self.client.create(body, item.payload)
                if outcome is not None and outcome.category is Category.DUPLICATE:
                    outcome = await self._existing(item, outcome.customer_id or "")
        except ImporterError as exc:  # the run stops (store unreachable, token refused, not the API ...)
            self.stop(error_stop(exc))
            if exc.in_doubt:  # it may have reached the store: its intent stays, and the same command looks it up first
                return UNCONFIRMED
            outcome = None
        except asyncio.CancelledError:
            return Outcome(Category.PENDING, "unconfirmed", "the run was interrupted while this row was sent; the same command checks it")
        if outcome is None:  # halted before it went out, or known not to have reached the store: nothing to look up on resume
            assert self.stopped is not None
            self.journal.forget(item.row)
            return self.stopped.not_sent
        if outcome.category is not Category.PENDING:
            self.journal.record(item.row, outcome, item.payload)
            if self.journal.shop is None and self.client.shop is not None:  # a store that listed no customer names itself now
                self.journal.name_store(self.client.shop)
        return outcome

    async def _existing(self, item: Pending, customer_id: str) -> Outcome | None:
        """A row whose email the store already has: report it, or update that customer.

        The customer's id is looked up only when the update needs it (a duplicate is
        reported without one). A customer gone from the store (deleted by its owner
        since it was learned) is created afresh from the row.
        """
        if not self.existing.update:
            return already_in_store(customer_id)
        customer_id = customer_id or await self.client.find_id(str(item.checked.body["email"]))
        if not customer_id:
            return already_in_store(customer_id)
        outcome = await self.client.update(customer_id, item.checked.update_body(self.existing.blank_clears))
        if outcome.code == GONE:
            return await self.client.create(item.checked.body, item.payload)
        return outcome
