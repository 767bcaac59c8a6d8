"""What an import has sent, kept on disk so that running the same command again resumes it.

One SQLite file per import under `<reports-dir>/.state/`, named after what makes
the import itself: the input's content, the sheet, the store's base URL and every
option that changes what is sent or how an existing email is treated (never the
token, so a renewed token resumes the same import). Running it again with another
sheet, mapping or `--on-existing` is another import, with a journal of its own.

Before a row is sent its intent (the body as sent) is committed; its answer
follows, and the body is then replaced by its digest: an answered row needs only
to be recognised, not looked up. A row with an intent and no answer was maybe
created: it is looked up in the store before it is ever sent again. A journal
whose import ended with every row answered is removed (the run folder keeps the
record); it is private (folder 0700, file 0600) while it exists.

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

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from ..errors import ImporterError, LockedError, ReportError, UsageError
from ..outcomes import Category, Outcome
from ..private import FILE_MODE, create_file, keep_aside, make_folder

# Categories that are the store's final answer: a resumed run does not send these rows again.
FINAL = frozenset({Category.CREATED, Category.DUPLICATE, Category.INVALID, Category.UPDATED})

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    row INTEGER PRIMARY KEY,
    body TEXT,
    digest TEXT,
    category TEXT,
    code TEXT,
    message TEXT,
    customer_id TEXT
);
CREATE TABLE IF NOT EXISTS store (shop TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS running (since TEXT NOT NULL);
"""


def import_key(path: Path, identity: dict[str, object]) -> str:
    """The same file content, read and sent the same way (`identity`: sheet, store, options), is the same import."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return keyed(digest, identity)


def keyed(content: hashlib.blake2b, identity: dict[str, object]) -> str:
    """`import_key` from the content's hash, as a pass that read the file computed it (the hash itself is left as it is)."""
    digest = content.copy()
    digest.update(b"\0" + json.dumps(identity, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def journal_path(state_dir: Path, key: str) -> Path:
    """The file that holds the journal of the import named `key`."""
    return state_dir / f"{key}.sqlite"


def body_digest(payload: str) -> str:
    """What an answered row keeps of the body it was sent with: enough to know it again."""
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class SetAside:
    """An earlier journal of the import that could not be read: where it is kept now, and why."""

    path: Path
    why: str

    def told(self) -> str:
        """What it means for the merchant."""
        return (
            f"the record of an earlier run of this import could not be read ({self.why}); it is kept as {self.path}. "
            "This run goes on without it: rows that run sent may be met as duplicates (customers it created), "
            "and --restart is not needed"
        )


INCOMPLETE = (
    "the record of an earlier run of this import is incomplete: that run did not end, and the file beside the record "
    "that held its latest answers (-wal) is gone. Rows it sent since may be met as duplicates (customers it created)"
)


class Journal:
    """The rows of one import that were sent, with their outcomes; also the import's lock.

    `restart`: forget what earlier runs of this import did (`--restart`).
    """

    def __init__(self, state_dir: Path, key: str, restart: bool = False) -> None:
        try:
            make_folder(state_dir)
            self._lock = FileLock(state_dir / f"{key}.lock", timeout=0, mode=FILE_MODE)
            self._lock.acquire()
        except Timeout:
            raise LockedError("another run of this import is in progress; nothing was sent") from None
        except OSError as exc:
            raise UsageError(f"cannot keep the import's state in {state_dir}: {exc.strerror}") from None
        self.path = journal_path(state_dir, key)
        self.set_aside: SetAside | None = None  # an earlier journal that could not be read, moved out of the way
        try:
            if restart:
                self._remove_files()
            existed = self.path.exists()
            if not existed:
                create_file(self.path)  # SQLite gives its -wal and -shm files the database's mode
            try:
                self._open(checked=existed)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) or not existed:  # locked, read-only, I/O: not the file's content
                    raise
                self.set_aside = SetAside(keep_aside(self.path), str(exc))
                create_file(self.path)
                self._open(checked=False)
        except (OSError, sqlite3.Error) as exc:
            self._lock.release()
            raise UsageError(f"cannot keep the import's state in {self.path}: {exc}") from None
        self._committed = 0  # the last batch committed; new intents join the next one
        self._intents: list[tuple[int, str]] = []  # noted, not yet written: (row, body)
        self._answers: list[tuple[str, str, str, str | None, str, int]] = []  # (category, code, message, customer id, digest, row)
        self._failure: ImporterError | None = None
        self._db.execute("BEGIN")

    def _open(self, checked: bool) -> None:
        """Open the journal's database; `checked`: it was there already, so it is read through once first.

        A journal that is empty, is not a database, or is cut short (a crash of the disk,
        a copy that stopped half-way) raises sqlite3.DatabaseError here, before any row
        is judged by it, rather than mid-run or, for an empty file, not at all: SQLite
        takes an empty file for a new database, which would read as "nothing sent".
        """
        if checked and self.path.stat().st_size == 0:
            raise sqlite3.DatabaseError("the file is empty")
        had_log = Path(f"{self.path}-wal").exists()
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # durable across a crash of this process
            if checked and self._db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise sqlite3.DatabaseError("database disk image is malformed")
            if checked and not self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rows'").fetchone():
                raise sqlite3.DatabaseError("it holds no record of an import")
            self._db.executescript(SCHEMA)
            # A run that did not end (killed, a crash) leaves its latest answers in the -wal file beside the journal;
            # without that file (a copy or a backup of the journal alone) the record is incomplete, and the run says so.
            self.incomplete = checked and not had_log and self._db.execute("SELECT 1 FROM running").fetchone() is not None
            self._db.execute("INSERT INTO running (since) VALUES (datetime('now'))")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the mark is in the journal's own file
            self.settled_earlier = self._db.execute("SELECT COUNT(*) FROM rows WHERE category IS NOT NULL").fetchone()[0]
            named = self._db.execute("SELECT shop FROM store").fetchone()
            self.shop: str | None = named[0] if named else None  # the store its rows were sent to, once the store named itself
            # A new import has nothing to look up: skip a query per row.
            self._resumed = self._db.execute("SELECT EXISTS (SELECT 1 FROM rows)").fetchone()[0] == 1
        except sqlite3.Error:
            self._db.close()
            raise

    @property
    def resumed(self) -> bool:
        """Whether an earlier run of this import left rows here."""
        return self._resumed

    def previous(self, row: int) -> tuple[str | None, Outcome | None] | None:
        """What an earlier run left for this row: the digest of the body it was answered for, and the answer (None, None: intent only)."""
        if not self._resumed:
            return None
        self._write()
        found = self._db.execute(
            "SELECT digest, category, code, message, customer_id FROM rows WHERE row = ?", (row,)
        ).fetchone()
        if found is None:
            return None
        digest, category, code, message, customer_id = found
        outcome = Outcome(Category(category), code, message, customer_id) if category else None
        return digest, outcome

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

    def name_store(self, shop: str) -> None:
        """The store this import sends to, as it names itself (committed with the next commit): a run of the same
        import with another store's token does not take this one's rows as settled (see `Sender.run`)."""
        if self.shop is None:
            self._db.execute("INSERT INTO store (shop) VALUES (?)", (shop,))
            self.shop = shop

    def record(self, row: int, outcome: Outcome, payload: str) -> None:
        """The store's answer for a row sent with `payload` (committed by the next commit, see `durable`, or at close)."""
        self._answers.append((outcome.category.value, outcome.code, outcome.message, outcome.customer_id, body_digest(payload), row))

    def forget(self, row: int) -> None:
        """A row whose intent proved unsent, or was never sent: it will be sent as new."""
        self._write()
        self._db.execute("DELETE FROM rows WHERE row = ?", (row,))

    def dangling(self) -> list[tuple[int, str]]:
        """Rows sent without a recorded answer, with the body they were sent with: maybe created, to be looked up first."""
        self._write()
        return self._db.execute("SELECT row, body FROM rows WHERE category IS NULL ORDER BY row").fetchall()

    def _write(self) -> None:
        """Put the intents and answers noted so far into the open transaction (intents first: an answer updates its row)."""
        if self._intents:
            self._db.executemany("INSERT OR REPLACE INTO rows (row, body) VALUES (?, ?)", self._intents)
            self._intents.clear()
        if self._answers:
            self._db.executemany(
                "UPDATE rows SET category = ?, code = ?, message = ?, customer_id = ?, digest = ?, body = NULL WHERE row = ?",
                self._answers,
            )
            self._answers.clear()

    def close(self, finished: bool = False) -> None:
        """Commit and release the lock; `finished`: every row has its answer, so nothing is left to resume and the file goes.
        A commit the disk refuses (full) is a ReportError: what it did not keep, the same command asks the store again."""
        try:
            self._write()
            self._db.execute("DELETE FROM running")  # this run ended: its answers are all in the file once it closes
            self._db.execute("COMMIT")
            if finished:
                finished = self._db.execute("SELECT NOT EXISTS (SELECT 1 FROM rows WHERE category IS NULL)").fetchone()[0] == 1
            elif not self.path.exists():
                self._write_again()
            self._db.close()
            if finished:
                self._remove_files()
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()  # what it could not commit is let go, and with it the file's write lock
            raise ReportError(f"cannot write the import's state to {self.path}: {exc}; free some space and run the same command") from None
        finally:
            self._lock.release()
        if finished:
            self.path.with_suffix(".lock").unlink(missing_ok=True)

    def _write_again(self) -> None:
        """The journal's file was deleted under the run (its reports folder removed): write what the open
        database holds where it was, so the next run resumes from it and rebuilds the report."""
        try:
            make_folder(self.path.parent)
            copy = sqlite3.connect(create_file(self.path))
            try:
                self._db.backup(copy)
            finally:
                copy.close()
        except (OSError, sqlite3.Error) as exc:
            raise ImporterError(f"the import's state was deleted under the run and cannot be written again to {self.path}: {exc}") from None

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class EarlierAnswers:
    """The journal of an import read from outside, without its lock: which rows an earlier run got a final answer for.

    For the preview before a run (confirm.py): it changes nothing an earlier run left,
    and takes no lock, so asking never keeps a run from starting. A missing journal
    holds no row; one that cannot be read holds none either, and `unreadable` says why
    (the run itself reads it under its lock, or refuses to start).
    """

    def __init__(self, state_dir: Path, key: str) -> None:
        self.path = journal_path(state_dir, key)
        self.unreadable = ""
        self._db: sqlite3.Connection | None = None
        if self.path.exists():
            try:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            except sqlite3.Error as exc:
                self.unreadable = str(exc)

    def among(self, rows: list[int]) -> set[int]:
        """Those of `rows` (in ascending order) that an earlier run of this import has the store's final answer for."""
        if self._db is None or not rows:
            return set()
        finals = sorted(c.value for c in FINAL)
        try:
            found = self._db.execute(
                f"SELECT row FROM rows WHERE row BETWEEN ? AND ? AND category IN ({', '.join('?' * len(finals))})",
                (rows[0], rows[-1], *finals),
            ).fetchall()
        except sqlite3.Error as exc:
            self.unreadable = str(exc)
            self.close()
            return set()
        wanted = set(rows)
        return {row for (row,) in found if row in wanted}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
