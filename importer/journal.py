"""What an import has sent, kept on disk so that running the same command again resumes it.

One SQLite file per import under `<reports-dir>/.state/`, named after the input's
content and the store's base URL (never the token, so a renewed token resumes the
same import). Before a row is sent its intent is committed; its outcome follows.
A row with an intent and no outcome was maybe created: it is looked up in the
store before it is ever sent again.

Senders note a row's intent while the row before it is still in flight, and
commit only when a row is about to go out with its intent not yet committed: that
commit takes every intent and answer noted so far, so by the time the other rows
go out it has usually covered theirs too. A busy import commits about once per
round trip to the store instead of once per row, and no row waits for a timer.
Intents and answers are kept in memory until that commit and written with one
statement each (what a crash loses is the same: an uncommitted transaction).

A lock (an OS file lock through filelock, released by the OS when the process
dies, so a crash leaves no stale lock) keeps two runs of the same import from
sending at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from .errors import ImporterError, LockedError, UsageError
from .outcomes import Category, Outcome

# Categories that are the store's final answer: a resumed run does not send these rows again.
FINAL = frozenset({Category.CREATED, Category.DUPLICATE, Category.INVALID, Category.UPDATED})

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    row INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    category TEXT,
    code TEXT,
    message TEXT,
    customer_id TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def import_key(path: Path, base_url: str) -> str:
    """The same file content sent to the same store is the same import."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    digest.update(b"\0" + base_url.rstrip("/").encode())
    return digest.hexdigest()


class Journal:
    """The rows of one import that were sent, with their outcomes; also the import's lock."""

    def __init__(self, state_dir: Path, key: str) -> None:
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(state_dir / f"{key}.lock", timeout=0, mode=0o600)
            self._lock.acquire()
        except Timeout:
            raise LockedError("another run of this import is in progress; nothing was sent") from None
        except OSError as exc:
            raise UsageError(f"cannot keep the import's state in {state_dir}: {exc.strerror}") from None
        self.path = state_dir / f"{key}.sqlite"
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across a crash of this process
        self._db.executescript(SCHEMA)
        # A new import has nothing to look up: skip a query per row.
        self._resumed = self._db.execute("SELECT EXISTS (SELECT 1 FROM rows)").fetchone()[0] == 1
        self._committed = 0  # the last batch committed; new intents join the next one
        self._intents: list[tuple[int, str]] = []  # noted, not yet written: (row, body)
        self._answers: list[tuple[str, str, str, str | None, int]] = []  # (category, code, message, customer id, row)
        self._failure: ImporterError | None = None
        self._db.execute("BEGIN")

    def previous(self, row: int) -> tuple[dict[str, object], Outcome | None] | None:
        """What an earlier run left for this row: its body and outcome (None: intent only)."""
        if not self._resumed:
            return None
        self._write()
        found = self._db.execute(
            "SELECT body, category, code, message, customer_id FROM rows WHERE row = ?", (row,)
        ).fetchone()
        if found is None:
            return None
        body, category, code, message, customer_id = found
        outcome = Outcome(Category(category), code, message, customer_id) if category else None
        return json.loads(body), outcome

    def intend(self, row: int, payload: str) -> int:
        """Note that a row is about to be sent, with its body as sent (JSON); returns the batch holding its intent, for `durable`."""
        self._intents.append((row, payload))
        return self._committed + 1

    def durable(self, batch: int) -> None:
        """Returns once that batch is committed: at once when an earlier commit covered it, else after committing it."""
        if batch <= self._committed:
            return
        if self._failure is not None:  # stops every row whose intent the failed commit held
            raise self._failure
        try:
            self._write()
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
        except sqlite3.Error as exc:
            self._failure = ImporterError(f"cannot write the import's state to {self.path}: {exc}")
            raise self._failure from None
        self._committed += 1

    def record(self, row: int, outcome: Outcome) -> None:
        """The store's answer for a row (committed by the next commit, see `durable`, or at close)."""
        self._answers.append((outcome.category.value, outcome.code, outcome.message, outcome.customer_id, row))

    def forget(self, row: int) -> None:
        """A row whose intent proved unsent, or was never sent: it will be sent as new."""
        self._write()
        self._db.execute("DELETE FROM rows WHERE row = ?", (row,))

    def dangling(self) -> Iterator[tuple[int, dict[str, object]]]:
        """Rows sent without a recorded answer: maybe created, to be looked up first."""
        self._write()
        found = self._db.execute("SELECT row, body FROM rows WHERE category IS NULL ORDER BY row").fetchall()
        for row, body in found:
            yield row, json.loads(body)

    def _write(self) -> None:
        """Put the intents and answers noted so far into the open transaction (intents first: an answer updates its row)."""
        if self._intents:
            self._db.executemany("INSERT OR REPLACE INTO rows (row, body) VALUES (?, ?)", self._intents)
            self._intents.clear()
        if self._answers:
            self._db.executemany(
                "UPDATE rows SET category = ?, code = ?, message = ?, customer_id = ? WHERE row = ?", self._answers
            )
            self._answers.clear()

    def close(self) -> None:
        self._write()
        self._db.execute("COMMIT")
        self._db.close()
        self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
