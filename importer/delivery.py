"""An import's rows to the store: the event loop, the store's client, and what the sending leaves for the report.

The rows the feed gives go out through the sender, settled first by the store's ledger
and the journal of an earlier run; their answers are filed as they come. The client
and its HTTP stack load only here, when the store is used, so a dry run starts sooner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .check.screen import Screened
from .errors import ExitCode, ReportError, UnreachableError
from .options import Options
from .outcomes import Filed, Outcome
from .read.snapshot import FileChanged
from .send.credentials import Credentials
from .send.feed import HeldRows, pending_rows, settled_by_ledger, until_changed
from .send.journal import Journal
from .send.store_ledger import StoreLedger
from .send.sender import Existing, FileRow, Pending, Sender, Stop, pending_stop

if TYPE_CHECKING:
    from .send.client import StoreClient

T = TypeVar("T")


@dataclass(frozen=True)
class Delivered:
    """What sending an import's rows leaves for the end of the run."""

    stopped: Stop | None  # why the sending stopped before the last row; None when every row had its turn
    unwritten: ReportError | None  # the report could not take a row: the journal keeps the answers it missed
    ledger: dict[str, object]  # the store's ledger, as summary.json describes it


def deliver(
    chunks: Iterator[Screened],
    journal: Journal,
    options: Options,
    token: str,
    existing: Existing,
    credentials: Credentials | None,
    file_rows: Callable[[list[Filed], Outcome], None],
    meanwhile: Callable[[], object],
    say: Callable[[str], None],
) -> Delivered:
    """Send the rows of the checked `chunks` the store's ledger and the `journal` leave to send, and file every row
    with `file_rows`: settled before sending, or with the store's answer. A file that changes meanwhile stops the
    sending before any of its later rows. `meanwhile` runs while the first answers are awaited (see `Sender.run`)."""
    store = StoreLedger(options.reports_dir / ".state", options.base_url, existing, not options.ignore_ledger, say)
    existing.ready = store.ready

    def file_sent(filed: list[Filed], outcome: Outcome) -> None:
        file_rows(filed, outcome)
        for row, *_ in filed:
            store.learn(row, outcome)

    file_row = HeldRows(file_sent)
    changes: list[FileChanged] = []
    stream = store.sending(pending_rows(settled_by_ledger(until_changed(chunks, changes), store, journal), file_row))
    try:
        if journal.resumed:
            say(f"Resuming an earlier run of this import: {journal.settled_earlier} rows already settled (--restart starts over)")
        stopped = run_async(send_rows(stream, options, token, journal, file_row, existing, credentials, meanwhile))
        if changes and stopped is None:
            stopped = pending_stop(ExitCode.NOT_STARTED, str(changes[0]), "the file changed")
        file_row.flush()
    finally:
        store.close()
    if store.settling:
        say(f"Store ledger: {store.settled:,} rows settled without a request, {store.put:,} sent as one PUT each")
    return Delivered(stopped, file_row.unwritten, store.described())


def stored_emails(options: Options, token: str, credentials: Credentials | None) -> dict[str, str]:
    """For a dry run with --check-existing: the store's emails, read-only."""
    return run_async(read_store_emails(options, token, credentials))


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed, since the HTTP stack costs less CPU per request
    on it; elsewhere (Windows, which uvloop does not support) on asyncio's own loop."""
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None
    try:
        import uvloop  # loaded by runs that talk to the store; a dry run never does
    except ImportError:
        loop_factory = None
    else:
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(coroutine)


async def send_rows(
    stream: Iterator[Pending],
    options: Options,
    token: str,
    journal: Journal,
    file_row: FileRow,
    existing: Existing,
    credentials: Credentials | None,
    meanwhile: Callable[[], object],
) -> Stop | None:
    """Send the `stream` through one client."""
    async with _client(options, token, credentials) as client:
        sender = Sender(client, journal, file_row, options.concurrency, existing)
        try:
            stopped = await sender.run(stream, meanwhile)
        except UnreachableError as exc:  # before the first row went out (the token check, the lookups of a resume)
            sender.stop(pending_stop(ExitCode.UNREACHABLE, str(exc), "the store could not be reached"))
            sender._take(stream)  # files every row: pending, or what an earlier run of this import settled
            return sender.stopped
        return stopped


async def read_store_emails(
    options: Options, token: str, credentials: Credentials | None
) -> dict[str, str]:
    """The store's emails, read-only, after the token is checked."""
    async with _client(options, token, credentials) as client:
        await client.check_token()
        return await client.store_emails()


def _client(options: Options, token: str, credentials: Credentials | None) -> StoreClient:
    from .send.client import StoreClient  # the HTTP client loads only when the store is used: a dry run starts sooner

    return StoreClient(options.base_url, token, options.concurrency, options.retry, options.max_rps, credentials=credentials)
