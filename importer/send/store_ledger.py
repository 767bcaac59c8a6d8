"""One import's use of its store's ledger (ledger.py): opened once the store names itself, it settles the rows
whose addresses it knows before they are sent, and learns from every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ImporterError
from ..outcomes import Category, Outcome
from .ledger import Entry, Ledger, body_values, created_values, ledger_path

if TYPE_CHECKING:
    from ..check.rules import Checked
    from .client import StoreClient
    from .sender import Existing, Pending


def learned_from(outcome: Outcome, body: Mapping[str, object], update: Mapping[str, object]) -> tuple[str | None, dict[str, object]] | None:
    """What an answer for a row teaches about the store: the customer's id and the values it now holds.

    `body`: what the row creates with; `update`: what it updates with. None: nothing
    (the row was refused, failed or not sent).
    """
    category = outcome.category
    if category in (Category.CREATED, Category.SKIPPED):
        return outcome.customer_id, created_values(body)
    if category is Category.UPDATED:
        return outcome.customer_id, body_values(update)
    if category is Category.DUPLICATE:
        return outcome.customer_id, {}
    return None


SETTLED_DUPLICATE = "ledger-duplicate"
UNCHANGED = "unchanged"


class StoreLedger:
    """One import's use of its store's ledger.

    Opened once the token check names the store (`ready`); a store that lists no
    customer yet is named by the first customer the run creates or reads, and the
    file is opened at the next answer learned, with what was learned until then. Rows whose address it knows are settled before the
    sender (`decide`); every answer to a row sent is learned (`sending`, then `learn`).
    `use`: settle rows from it (False with `--ignore-ledger`, which still learns).
    """

    def __init__(self, state_dir: Path, base_url: str, existing: Existing, use: bool, say: Callable[[str], None]) -> None:
        self.state_dir = state_dir
        self.base_url = base_url
        self.existing = existing
        self.use = use
        self.say = say
        self.ledger: Ledger | None = None
        self.settling = False  # rows are settled from the ledger in this run
        self.shop: str | None = None
        self.known = 0  # customers it knew when the run began
        self.settled = 0  # rows it settled without a request
        self.put = 0  # rows it sent as a PUT (no POST; a lookup first only where it has no id)
        self._unbound: list[tuple[str, str | None, dict[str, object]]] = []  # learned before the store was named
        self._in_flight: dict[int, Checked] = {}
        self._client: StoreClient | None = None
        self._kept = True  # False once its file could not be opened mid-run: nothing more is learned

    async def ready(self, client: StoreClient) -> None:
        """Once the token is checked, before any row goes out: open the store's ledger; with
        `--check-existing`, refresh it from the store's own list of customers."""
        from .answers import emails_of  # loaded already: the client is in use

        customers = await client.store_customers() if self.existing.check else None
        if customers is not None:
            self.existing.known = emails_of(customers)
        self._client = client
        self.shop = client.shop
        if self.shop is None:
            self.say("Store ledger: the store lists no customer yet; this run starts its ledger")
            return
        self.ledger = Ledger(ledger_path(self.state_dir, self.base_url, self.shop))
        if self.ledger.unreadable is not None:
            self.say(f"Store ledger: the file could not be read ({self.ledger.unreadable}); this run begins it anew, learning from the store's answers")
        if customers is not None:
            self.ledger.refresh(customers)
        self.known = len(self.ledger) if customers is not None else self.ledger.held  # read through once already when opened
        self.settling = self.use
        how = "rows with their addresses are settled without a POST" if self.use else "not used to settle rows (--ignore-ledger), only kept up to date"
        where = "read from the store just now" if customers is not None else "known from earlier runs"
        self.say(f"Store ledger: {self.known:,} customers of this store {where}; {how}")

    def find(self, emails: Iterable[str]) -> dict[str, Entry]:
        assert self.ledger is not None
        return self.ledger.find(emails)

    def decide(self, entry: Entry, checked: Checked) -> Outcome | str:
        """A row whose address the ledger knows: its outcome, sent nothing; or the id of the
        customer to update with one PUT ("": looked up first, as the ledger has no id for it)."""
        assert self.ledger is not None
        customer_id = entry.customer_id
        if not self.existing.update:
            self.settled += 1
            return Outcome(Category.DUPLICATE, SETTLED_DUPLICATE, "the store already has this email (known from an earlier run; not sent)", customer_id or None)
        if customer_id and self.ledger.holds(entry, body_values(checked.update_body(self.existing.blank_clears))):
            self.settled += 1
            return Outcome(Category.UNCHANGED, UNCHANGED, "the store already holds these values (known from an earlier run; not sent)", customer_id)
        self.put += 1
        return customer_id

    def sending(self, stream: Iterator[Pending]) -> Iterator[Pending]:
        """The rows to send, each remembered until its answer is learned."""
        for item in stream:
            self._in_flight[item.row] = item.checked
            yield item

    def learn(self, row: int, outcome: Outcome) -> None:
        """What the answer for a row sent teaches about the store (nothing for a row that was not sent)."""
        checked = self._in_flight.pop(row, None)
        if checked is None or not self._kept:
            return
        learned = learned_from(outcome, checked.body, checked.update_body(self.existing.blank_clears))
        if learned is None:
            return
        self._unbound.append((checked.key, *learned))
        self._keep()

    def described(self) -> dict[str, object]:
        """The ledger's part of summary.json."""
        return {"used": self.settling, "customers_known": self.known, "rows_settled": self.settled, "rows_sent_as_put": self.put}

    def close(self) -> None:
        """Write what the run learned (once the store is named) and close the file."""
        self._keep(closing=True)

    def _named(self) -> str | None:
        """The store's id, once the token check or a customer the run created or read names it."""
        return self.shop or (self._client.shop if self._client is not None else None)

    def _keep(self, closing: bool = False) -> None:
        """Write what was learned to the ledger, opened once the store is named. A ledger that cannot be opened
        or written costs the run nothing but its savings: it is said once, and nothing more is learned."""
        try:
            if self.ledger is None and self._unbound and (shop := self._named()) is not None:
                self.ledger, self.shop = Ledger(ledger_path(self.state_dir, self.base_url, shop)), shop
            if self.ledger is not None:
                for email, customer_id, values in self._unbound:
                    self.ledger.learn(email, customer_id, values)
                self._unbound.clear()
                if closing:
                    self.ledger.close()
        except ImporterError as exc:
            self.say(f"Note: {exc}; this run does not add to the store's ledger")
            self._kept, self.ledger = False, None
            self._unbound.clear()
