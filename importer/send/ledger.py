"""The store's ledger: what this tool has learned about one store's customers, so that
a nightly run of a growing export sends only what changed.

One SQLite file per store under `<reports-dir>/.state/`, named after the store's base
URL and its id (`shop`, as the customers the store lists or creates show it); never after the token,
which is renewed, so every file, sheet and renewed token of one store shares it. For
each address the tool has seen in the store it keeps a keyed hash of the address
(HMAC with a random key kept in the same file, so the file is no list of customers),
the customer's id when known, and a keyed digest of each value the store holds as
far as the tool knows (name, phone, active, user). It learns them from creations,
updates, duplicate answers and `--check-existing` reads; it holds no address, no
name and never the token.

Several runs against one store (other files, at the same time) share the file:
SQLite's own locking keeps each write whole (each batch of learnings is one short
transaction, waited for while another run writes), and a file lock covers creating it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..errors import ImporterError, UsageError
from ..private import FILE_MODE, create_file, keep_aside, make_folder


FIELDS = ("name", "phone", "active", "user")  # the values kept per customer (the email is the entry's key)
ADDRESS_BYTES = 16
VALUE_BYTES = 8
BUSY_SECONDS = 60.0  # how long a write waits while another run against the same store writes
BATCH = 512  # learnings written at once
QUERY_KEYS = 500  # addresses looked up per query (under SQLite's limit of parameters)

SCHEMA = """
CREATE TABLE IF NOT EXISTS secret (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS customers (
    address BLOB PRIMARY KEY,
    customer_id TEXT,
    name BLOB,
    phone BLOB,
    active BLOB,
    user BLOB
) WITHOUT ROWID;
"""
UPSERT = """
INSERT INTO customers (address, customer_id, name, phone, active, user) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (address) DO UPDATE SET
    customer_id = COALESCE(excluded.customer_id, customer_id),
    name = COALESCE(excluded.name, name),
    phone = COALESCE(excluded.phone, phone),
    active = COALESCE(excluded.active, active),
    user = COALESCE(excluded.user, user)
"""

# A learning: the address's hash, the customer's id (None: unknown), each field's digest (None: unknown).
Learning = tuple[bytes, str | None, bytes | None, bytes | None, bytes | None, bytes | None]


def ledger_path(state_dir: Path, base_url: str, shop: str) -> Path:
    """The file that holds the ledger of the store `shop` served at `base_url`."""
    name = hashlib.blake2b(f"{base_url.rstrip('/')}\0{shop}".encode(), digest_size=16).hexdigest()
    return state_dir / f"ledger-{name}.sqlite"


def canonical(field: str, value: object) -> object:
    """A value as the store holds it, whichever side it comes from (a row's body or a stored customer)."""
    if field == "user":
        value = value.get("_id") if isinstance(value, dict) else value
        return str(value) if value else None
    if field == "phone":
        return str(value) if value else None
    if field == "active":
        return bool(value)
    return str(value)


def stored_values(customer: Mapping[str, Any]) -> dict[str, object]:
    """What a customer object read from the store holds, field by field."""
    return {f: customer.get(f, True if f == "active" else None) for f in FIELDS}


def body_values(body: Mapping[str, object]) -> dict[str, object]:
    """What a request body sets, field by field (the email is the entry's key, not a value)."""
    return {f: v for f, v in body.items() if f in FIELDS}


def created_values(body: Mapping[str, object]) -> dict[str, object]:
    """What the store holds after creating a customer from `body`: what it gave, and nothing for the rest."""
    return {f: body.get(f) for f in FIELDS}


@dataclass(frozen=True, slots=True)
class Entry:
    """What the ledger knows of one stored customer: its id ("" when unknown) and each field's digest."""

    customer_id: str
    digests: dict[str, bytes | None]


class Ledger:
    """One store's ledger file, open for reading and for learning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unreadable: str | None = None  # why an earlier file could not be read: kept aside, and this one begun anew
        try:
            make_folder(path.parent)
            with FileLock(path.with_suffix(".lock"), mode=FILE_MODE):
                try:
                    self._open()
                except sqlite3.DatabaseError as exc:
                    if isinstance(exc, sqlite3.OperationalError):  # locked, read-only, I/O: not the file's content
                        raise
                    self.unreadable = f"{exc}; it is kept as {keep_aside(path)}"
                    self._open()
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot keep the store's ledger in {path}: {exc}") from None
        self._held: list[Learning] = []

    def _open(self) -> None:
        if not self.path.exists():
            create_file(self.path)  # SQLite gives its -wal and -shm files the database's mode
        self._db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO secret (id, key) VALUES (1, ?)", (secrets.token_bytes(32),))
            self._key: bytes = self._db.execute("SELECT key FROM secret").fetchone()[0]
            # every page read once, so that damage shows here; the count is what the store's ledger knew at the start
            self.held: int = self._db.execute("SELECT COUNT(*), MAX(customer_id) FROM customers").fetchone()[0]
        except sqlite3.Error:
            self._db.close()
            raise

    def address(self, email: str) -> bytes:
        """The keyed hash an address is kept under (the same for every spelling the store treats as one)."""
        return hmac.digest(self._key, email.casefold().encode(), "sha256")[:ADDRESS_BYTES]

    def digest(self, field: str, value: object) -> bytes:
        """The keyed digest a field's value is kept as."""
        text = f"{field}\0{json.dumps(canonical(field, value), ensure_ascii=False)}"
        return hmac.digest(self._key, text.encode(), "sha256")[:VALUE_BYTES]

    def __len__(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM customers", [])[0][0])

    def find(self, emails: Iterable[str]) -> dict[str, Entry]:
        """The entries of these addresses the ledger holds, by address as given."""
        by_hash = {self.address(e): e for e in emails}
        hashes = list(by_hash)
        found: dict[str, Entry] = {}
        for start in range(0, len(hashes), QUERY_KEYS):
            part = hashes[start : start + QUERY_KEYS]
            rows = self._query(
                f"SELECT address, customer_id, {', '.join(FIELDS)} FROM customers WHERE address IN ({', '.join('?' * len(part))})", part
            )
            for address, customer_id, *digests in rows:
                found[by_hash[address]] = Entry(customer_id or "", dict(zip(FIELDS, digests)))
        return found

    def holds(self, entry: Entry, values: Mapping[str, object]) -> bool:
        """Whether the store holds exactly these values (as far as the ledger knows: an unknown one is not held)."""
        digests = entry.digests
        return all(digests[f] is not None and digests[f] == self.digest(f, v) for f, v in values.items())

    def learn(self, email: str, customer_id: str | None, values: Mapping[str, object]) -> None:
        """Note what the store holds for an address: its id when known, and the values given (others stay as known)."""
        self._held.append(self._learning(email, customer_id, values))
        if len(self._held) >= BATCH:
            self.write()

    def _learning(self, email: str, customer_id: str | None, values: Mapping[str, object]) -> Learning:
        """One entry as written: the keyed address, the id if known, and a digest of each field given."""
        name, phone, active, user = (self.digest(f, values[f]) if f in values else None for f in FIELDS)
        return self.address(email), customer_id or None, name, phone, active, user

    def refresh(self, customers: Iterable[Mapping[str, Any]]) -> None:
        """Replace what the ledger holds with the store's own list of its customers (`--check-existing`)."""
        from .answers import id_of  # loaded already: the customers were just read

        self._held = [self._learning(str(c.get("email", "")), id_of(c), stored_values(c)) for c in customers]
        self.write(replace=True)

    def write(self, replace: bool = False) -> None:
        """Write what was learned so far in one transaction; `replace`: in place of everything held before."""
        held, self._held = self._held, []
        if not held and not replace:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if replace:
                    self._db.execute("DELETE FROM customers")
                self._db.executemany(UPSERT, held)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise ImporterError(f"cannot write the store's ledger {self.path}: {exc}") from None

    def close(self) -> None:
        try:
            self.write()
        finally:
            self._db.close()

    def _query(self, sql: str, parameters: list[bytes]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise ImporterError(f"cannot read the store's ledger {self.path}: {exc}") from None
