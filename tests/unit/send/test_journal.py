"""The journal lets a row go out only once a commit holds it, and stops every row a failed commit held."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from importer.errors import ImporterError, ReportError
from importer.outcomes import Category, Outcome
from importer.send.journal import Journal


def _committed_rows(journal: Journal) -> list[int]:
    """What another process would find in the journal (a crash keeps only this)."""
    with sqlite3.connect(journal.path) as db:
        return [r for (r,) in db.execute("SELECT row FROM rows ORDER BY row")]


def test_a_row_goes_out_after_one_commit_that_covers_the_rows_noted_before_it(tmp_path: Path) -> None:
    with Journal(tmp_path / ".state", "key") as journal:
        first = journal.intend(1, '{"email": "a@example.com"}')
        second = journal.intend(2, '{"email": "b@example.com"}')
        assert _committed_rows(journal) == []  # noted, not yet durable: neither row may go out
        journal.durable(first)
        assert _committed_rows(journal) == [1, 2]  # one commit for both
        third = journal.intend(3, '{"email": "c@example.com"}')
        journal.durable(second)  # covered already: no commit, row 3 stays uncommitted
        assert _committed_rows(journal) == [1, 2]
        journal.durable(third)
        assert _committed_rows(journal) == [1, 2, 3]


class FailingCommit:
    """A journal's database whose every commit fails as a disk does (`error`)."""

    def __init__(self, db: sqlite3.Connection, error: str = "disk I/O error") -> None:
        self._db, self._error = db, error

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError(self._error)
        return self._db.execute(sql, *args)

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        return self._db.executemany(sql, rows)  # type: ignore[arg-type]

    def close(self) -> None:
        self._db.close()


def test_a_full_disk_at_the_last_commit_is_a_report_error_and_the_lock_is_let_go(tmp_path: Path) -> None:
    journal = Journal(tmp_path / ".state", "key")
    journal._db = FailingCommit(journal._db, "database or disk is full")  # type: ignore[assignment]
    journal.record(1, Outcome(Category.CREATED, "created", "created", "c1"), '{"email": "a@example.com"}')
    with pytest.raises(ReportError, match="cannot write the import's state .*: database or disk is full; free some space") as raised:
        journal.close()
    assert raised.value.exit_code == 6
    Journal(tmp_path / ".state", "key").close()  # the next run takes the lock


def test_a_failed_commit_stops_every_row_it_held(tmp_path: Path) -> None:
    journal = Journal(tmp_path / ".state", "key")
    real = journal._db
    journal._db = FailingCommit(real)  # type: ignore[assignment]
    batch = journal.intend(1, '{"email": "a@example.com"}')
    with pytest.raises(ImporterError, match="cannot write the import's state"):
        journal.durable(batch)
    with pytest.raises(ImporterError):  # a worker that asks after the failure is stopped too
        journal.durable(batch)
    real.close()
    journal._lock.release()
