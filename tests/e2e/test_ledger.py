"""The store's ledger: a nightly run of a growing export sends only what changed.

One 10,000-row import is made once; every test starts from a copy of that store and
of the ledger it left, and counts the requests the store saw.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from importer.cli import main
from importer.send.ledger import ledger_path
from importer.sandbox import Faults, SandboxServer, Store

from ..conftest import CliRun, customers


ROWS = 10_000
NEW = 100
CHANGED = 100
HEADER = ["Name", "Email", "Phone", "Active"]


def people(count: int, start: int = 0) -> list[list[str]]:
    """Customers as a merchant's export has them; every seventh address with capitals (the store ignores case)."""
    return [
        [f"Person {i}", f"P{i}@Example.com" if i % 7 == 0 else f"p{i}@example.com", f"+2348{i:09d}", "yes" if i % 3 else "no"]
        for i in range(start, start + count)
    ]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def nightly(rows: list[list[str]]) -> list[list[str]]:
    """The next night's export: the same customers, CHANGED of them with a new phone, and NEW more."""
    changed = [list(r) for r in rows]
    for i in range(0, len(changed), len(changed) // CHANGED):
        changed[i][2] = changed[i][2].replace("+2348", "+4479")
    return changed + people(NEW, start=len(rows))


@dataclass
class Imported:
    store: Store
    state: Path
    rows: list[list[str]]


def run_folders(reports: Path) -> set[Path]:
    return {p for p in reports.iterdir() if not p.name.startswith(".")} if reports.exists() else set()


def run(args: list[object], server: SandboxServer, reports: Path, token: str | None = None) -> int:
    os.environ["SALESIVE_TOKEN"] = token or server.token
    try:
        return main(["run", *map(str, args), "--base-url", server.base_url, "--reports-dir", str(reports), "--no-progress", "--concurrency", "32"])
    finally:
        del os.environ["SALESIVE_TOKEN"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """A store into which the ROWS-row file was imported, and the state that import left (its ledger)."""
    base = tmp_path_factory.mktemp("first-night")
    rows = people(ROWS)
    with SandboxServer() as server:
        assert run([write(base / "customers.csv", rows)], server, base / "reports") == 0
        assert len(server.store.customers) == ROWS
        assert server.store.stats.requests == 1 + ROWS  # the token check and one POST a row: the first customer created names the store
    return Imported(server.store, base / "reports" / ".state", rows)


def clone(store: Store) -> Store:
    """A store holding the same customers under the same id, with its counters at zero."""
    copied = Store()
    copied.shop = store.shop
    for customer in store.customers.values():
        copied._index(copy.deepcopy(customer))
    return copied


@dataclass
class Night:
    server: SandboxServer
    reports: Path
    folder: Path
    rows: list[list[str]]

    def run(self, rows: list[list[str]], *options: str, token: str | None = None) -> Result:
        path = write(self.folder / f"export-{len(list(self.folder.glob('export-*')))}.csv", rows)
        before, folders = self.server.store.stats.requests, run_folders(self.reports)
        code = run([path, *options], self.server, self.reports, token)
        (folder,) = run_folders(self.reports) - folders
        return Result(code, f"{folder}\n", "", self.server.store.stats.requests - before)


@dataclass
class Result(CliRun):
    """A run, and how many requests the store saw during it."""

    requests: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.summary["counts"].items() if v}


@pytest.fixture
def night(imported: Imported, tmp_path: Path) -> Iterator[Night]:
    """The store and the ledger as the first night left them, on a sandbox of their own."""
    reports = tmp_path / "reports"
    shutil.copytree(imported.state, reports / ".state")
    with SandboxServer(store=clone(imported.store)) as server:
        # The same store, served on another port: its ledger is the one kept under that address.
        (ledger,) = (reports / ".state").glob("ledger-*.sqlite")
        ledger.rename(ledger_path(reports / ".state", server.base_url, server.store.shop))
        yield Night(server, reports, tmp_path, imported.rows)


def holds_exactly(server: SandboxServer, rows: list[list[str]]) -> None:
    """The store holds one customer per row, with the row's values."""
    stored = customers(server)
    assert len(stored) == len(rows)
    for name, email, phone, active in rows:
        customer = stored[email.lower()]
        assert (customer["name"], customer["phone"], customer["active"]) == (name, phone, active == "yes")


def test_the_next_night_sends_only_new_and_changed_rows(night: Night, capsys: pytest.CaptureFixture[str]) -> None:
    rows = nightly(night.rows)
    capsys.readouterr()
    result = night.run(rows, "--on-existing", "update")
    assert result.code == 0
    said = capsys.readouterr().err.splitlines()
    assert said[2] == "Store ledger: 10,000 customers of this store known from earlier runs; rows with their addresses are settled without a POST"
    assert said[-2] == "Store ledger: 9,900 rows settled without a request, 100 sent as one PUT each"
    assert result.counts == {"created": NEW, "updated": CHANGED, "unchanged": ROWS - CHANGED}
    holds_exactly(night.server, rows)
    stats = night.server.store.stats
    assert result.requests <= NEW + CHANGED + 1  # and the token check
    assert stats.by_route["GET /api/v1/customers"] == 1 and stats.creations == NEW and stats.updates == CHANGED
    ids = {c["email"].lower(): c["_id"] for c in night.server.store.customers.values()}
    unchanged = result.rows("unchanged.csv")
    assert len(unchanged) == ROWS - CHANGED and all(r["customer_id"] == ids[r["Email"].lower()] for r in unchanged)
    assert result.summary["ledger"] == {"used": True, "customers_known": ROWS, "rows_settled": ROWS - CHANGED, "rows_sent_as_put": CHANGED}


def test_without_update_known_rows_are_duplicates_and_cost_nothing(night: Night) -> None:
    rows = nightly(night.rows)
    result = night.run(rows)
    assert result.code == 0 and result.counts == {"created": NEW, "duplicate": ROWS}
    assert result.requests <= NEW + 1
    holds_exactly(night.server, night.rows + rows[ROWS:])  # the changed phones are not sent
    ids = {c["email"].lower(): c["_id"] for c in night.server.store.customers.values()}
    assert all(r["customer_id"] == ids[r["Email"].lower()] and r["reason_code"] == "ledger-duplicate" for r in result.rows("duplicates.csv"))


def test_the_same_file_twice_sends_nothing(night: Night) -> None:
    result = night.run(night.rows, "--on-existing", "update")
    assert result.code == 0 and result.counts == {"unchanged": ROWS}
    assert night.server.store.stats.by_route == {"GET /api/v1/customers": 1}  # the token check alone
    result = night.run(night.rows)
    assert result.code == 0 and result.counts == {"duplicate": ROWS} and result.requests == 1


def test_a_customer_deleted_in_the_store_is_created_again_with_check_existing(night: Night) -> None:
    store = night.server.store
    gone = [str(store.find_by_email(email)["_id"]) for _, email, _, _ in night.rows[:3]]  # type: ignore[index]
    for customer_id in gone:
        store.delete(customer_id)
    result = night.run(night.rows, "--check-existing")
    assert result.code == 0 and result.counts == {"created": 3, "duplicate": ROWS - 3}
    holds_exactly(night.server, night.rows)
    assert store.stats.by_route["POST /api/v1/customers"] == 3
    assert result.summary["ledger"]["customers_known"] == ROWS - 3  # refreshed from the store before any row was settled
    result = night.run(night.rows, "--on-existing", "update")  # the next night knows the new customers
    assert result.counts == {"unchanged": ROWS} and result.requests == 1


def test_a_put_answered_404_creates_the_customer_and_the_ledger_learns_its_new_id(night: Night) -> None:
    store = night.server.store
    first = night.rows[0]
    store.delete(str(store.find_by_email(first[1])["_id"]))  # type: ignore[index]
    rows = [list(r) for r in night.rows]
    rows[0][2] = "+447900000001"  # changed: the ledger sends it as a PUT, which the store answers 404
    result = night.run(rows, "--on-existing", "update")
    assert result.code == 0 and result.counts == {"created": 1, "unchanged": ROWS - 1}
    holds_exactly(night.server, rows)
    assert result.requests == 3  # the token check, the PUT, the POST
    new_id = str(store.find_by_email(first[1])["_id"])  # type: ignore[index]
    assert result.rows("created.csv")[0]["customer_id"] == new_id
    again = night.run(rows, "--on-existing", "update")
    assert again.counts == {"unchanged": ROWS} and again.requests == 1
    assert again.rows("unchanged.csv")[0]["customer_id"] == new_id


def test_ignore_ledger_sends_every_row_and_still_learns(night: Night) -> None:
    store = night.server.store
    store.delete(str(store.find_by_email(night.rows[5][1])["_id"]))  # type: ignore[index]
    part = night.rows[:2000]
    result = night.run(part, "--ignore-ledger")
    assert result.code == 0 and result.counts == {"created": 1, "duplicate": 1999}
    assert store.stats.by_route["POST /api/v1/customers"] == 2000 and store.stats.by_route["GET /api/v1/customers"] == 1  # no lookups
    holds_exactly(night.server, night.rows)
    again = night.run(part, "--on-existing", "update")
    assert again.counts == {"unchanged": 2000} and again.requests == 1
    assert again.rows("unchanged.csv")[5]["customer_id"] == store.find_by_email(night.rows[5][1])["_id"]  # type: ignore[index]


def test_a_renewed_token_and_another_file_use_the_same_ledger(night: Night) -> None:
    token = night.server.store.new_token({"WRITE_CUSTOMERS"})
    part = [[email, name] for name, email, _, _ in night.rows[::10]]  # another file: other columns, other order
    path = night.folder / "part.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["E-mail address", "Full name"], *part])
    before = night.server.store.stats.requests
    assert run([path], night.server, night.reports, token) == 0
    assert night.server.store.stats.requests - before == 1


def test_the_ledger_holds_no_address_and_no_name_and_is_private(night: Night) -> None:
    night.run(nightly(night.rows), "--on-existing", "update")
    files = [p for p in (night.reports / ".state").iterdir() if p.name.startswith("ledger-")]
    data = b"".join(p.read_bytes() for p in files)
    assert any(p.suffix == ".sqlite" for p in files) and len(data) > 100_000
    for name, email, phone, _ in nightly(night.rows)[::97]:
        for value in (email, email.lower(), name, phone):
            assert value.encode() not in data, value
    for part in (b"Person", b"xample.com", b"XAMPLE.COM", b"+2348", b"+4479", night.server.token.encode()):
        assert part not in data and part.decode().encode("utf-16-le") not in data
    if os.name == "posix":
        assert stat.S_IMODE((night.reports / ".state").stat().st_mode) == 0o700
        assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}


def test_rows_an_interrupted_import_created_stay_skipped(make_sandbox, tmp_path: Path) -> None:
    """The journal's answer stands on a resumed run: created rows are `skipped`, never ledger duplicates."""
    server = make_sandbox(Faults(revoke_after=20))
    rows = people(60)
    path = write(tmp_path / "customers.csv", rows)
    assert run([path], server, tmp_path / "reports") == 3
    token = server.store.new_token({"WRITE_CUSTOMERS"})
    before, folders = server.store.stats.requests, run_folders(tmp_path / "reports")
    assert run([path], server, tmp_path / "reports", token) == 0
    (folder,) = run_folders(tmp_path / "reports") - folders
    with (folder / "skipped.csv").open(encoding="utf-8-sig") as f:
        skipped = len(list(csv.DictReader(f)))
    assert skipped == 20 and not (folder / "duplicates.csv").exists()
    assert server.store.stats.requests - before == 1 + 40
    holds_exactly(server, rows)


def test_a_duplicate_for_an_unknown_address_is_learned_without_its_id_unless_an_update_needs_it(sandbox: SandboxServer, tmp_path: Path) -> None:
    rows = people(30)
    for name, email, phone, _ in rows[:10]:  # in the store before the tool ever saw them
        sandbox.store.create({"name": name, "email": email, "phone": phone})
    path = write(tmp_path / "customers.csv", rows)
    assert run([path], sandbox, tmp_path / "reports") == 0
    stats = sandbox.store.stats
    assert stats.by_route["GET /api/v1/customers"] == 1 and stats.by_route["POST /api/v1/customers"] == 30
    assert run([path], sandbox, tmp_path / "reports") == 0  # the ledger knows all 30 now
    assert stats.by_route["POST /api/v1/customers"] == 30 and stats.requests == 31 + 1
    assert run([path, "--on-existing", "update"], sandbox, tmp_path / "reports") == 0
    # The 10 learned from duplicate answers have no id: one lookup and one PUT each; the 20 created are unchanged.
    assert stats.by_route["POST /api/v1/customers"] == 30 and stats.updates == 10
    assert stats.by_route["GET /api/v1/customers"] == 3 + 10
    holds_exactly(sandbox, rows)
    assert run([path, "--on-existing", "update"], sandbox, tmp_path / "reports") == 0
    assert stats.updates == 10 and stats.by_route["GET /api/v1/customers"] == 3 + 10 + 1


def test_ignore_ledger_can_be_set_in_a_config_file(night: Night) -> None:
    config = night.folder / "nightly.toml"
    config.write_text("ignore_ledger = true\n", encoding="utf-8")
    result = night.run(night.rows[:50], "--config", str(config))
    assert result.counts == {"duplicate": 50} and result.requests == 51


def test_a_first_import_into_an_empty_store_keeps_what_it_learned_when_it_stops(tmp_path: Path) -> None:
    """The store is named by the first customer the run creates, so a first import that stops part way (here the
    token is revoked) leaves a ledger: another file of the same customers sends no request for those it created."""
    rows = people(200)
    reports = tmp_path / "reports"
    with SandboxServer(faults=Faults(revoke_after=50)) as server:
        assert run([write(tmp_path / "first.csv", rows)], server, reports) != 0
        created = len(server.store.customers)
        assert 50 <= created < len(rows)
        assert list((reports / ".state").glob("ledger-*.sqlite")) == [ledger_path(reports / ".state", server.base_url, server.store.shop)]
        before, folders = server.store.stats.requests, run_folders(reports)
        assert run([write(tmp_path / "again.csv", rows[::-1])], server, reports, server.store.new_token({"WRITE_CUSTOMERS"})) == 0
        requests = server.store.stats.requests - before
        (folder,) = run_folders(reports) - folders
        counts = {k: v for k, v in Result(1, f"{folder}\n", "").summary["counts"].items() if v}
        holds_exactly(server, rows)
    assert requests == 1 + len(rows) - created  # the token check, and a POST for each row the first run did not create
    assert counts == {"created": len(rows) - created, "duplicate": created}


def test_a_damaged_ledger_is_kept_aside_and_begun_anew(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ledger file that is no database (a disk's damage, a copy cut short) is kept aside under another name and the
    import goes on with a new one, learning from the store's answers; before, every later import into the store stopped,
    --ignore-ledger and --restart too."""
    rows = people(2_000)
    reports = tmp_path / "reports"
    with SandboxServer() as server:
        assert run([write(tmp_path / "first.csv", rows[:1_000])], server, reports) == 0
        ledger = ledger_path(reports / ".state", server.base_url, server.store.shop)
        for damage in (b"not a database" * 600, None):  # the whole file, then pages in its middle
            if damage is None:
                with ledger.open("r+b") as f:
                    f.seek(3 * 4096)
                    f.write(bytes(range(256)) * 64)
            else:
                ledger.write_bytes(damage)
            for suffix in ("-wal", "-shm"):
                Path(f"{ledger}{suffix}").unlink(missing_ok=True)
            capsys.readouterr()
            assert run([write(tmp_path / "second.csv", rows)], server, reports) == 0
            holds_exactly(server, rows)
            err = capsys.readouterr().err
            assert "Store ledger: the file could not be read (" in err and "; it is kept as" in err and "Traceback" not in err
    assert len(list((reports / ".state").glob("ledger-*.unreadable-*.sqlite"))) == 2 and ledger.exists()


def test_a_ledger_that_cannot_be_kept_costs_a_first_import_nothing_but_its_savings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The store is named mid-run, and its ledger's file cannot be made there (a folder stands in its place): the
    import goes on, every row is created and reported, and the run says the ledger was not added to."""
    rows = people(40)
    reports = tmp_path / "reports"
    with SandboxServer() as server:
        ledger_path(reports / ".state", server.base_url, server.store.shop).mkdir(parents=True)
        assert run([write(tmp_path / "first.csv", rows)], server, reports) == 0
        holds_exactly(server, rows)
    err = capsys.readouterr().err
    assert "this run does not add to the store's ledger" in err and "Traceback" not in err
    (folder,) = run_folders(reports)
    with (folder / "created.csv").open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == len(rows)


def test_a_ledger_that_fails_to_write_mid_run_costs_nothing_but_its_savings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk under the ledger fails once the run has learned a batch: the import goes on, every row is created
    and reported, and the run says the ledger was not added to."""
    from importer.errors import ImporterError
    from importer.send.ledger import BATCH, Ledger

    def failing(self: Ledger, replace: bool = False) -> None:
        raise ImporterError(f"cannot write the store's ledger {self.path}: disk I/O error")

    monkeypatch.setattr(Ledger, "write", failing)
    rows = people(BATCH + 100)
    reports = tmp_path / "reports"
    with SandboxServer() as server:
        assert run([write(tmp_path / "first.csv", rows)], server, reports) == 0
        holds_exactly(server, rows)
    err = capsys.readouterr().err
    assert err.count("this run does not add to the store's ledger") == 1 and "disk I/O error" in err
    (folder,) = run_folders(reports)
    with (folder / "created.csv").open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == len(rows)
