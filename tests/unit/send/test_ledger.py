"""The ledger stays whole when runs write to it at once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from importer.send.ledger import Ledger


def test_concurrent_runs_against_one_store_keep_the_ledger_whole(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    errors: list[BaseException] = []

    def learn(start: int) -> None:
        try:
            ledger = Ledger(path)
            for i in range(start, start + 3000):
                ledger.learn(f"p{i}@example.com", f"id{i}", {"name": f"Person {i}", "phone": None, "active": True, "user": None})
            ledger.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=learn, args=(k * 3000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ledger = Ledger(path)
    assert len(ledger) == 12_000
    found = ledger.find([f"P{i}@EXAMPLE.com" for i in range(0, 12_000, 999)])
    assert {e.customer_id for e in found.values()} == {f"id{i}" for i in range(0, 12_000, 999)}
    ledger.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
