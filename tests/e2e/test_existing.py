"""Customers the store already has: skip (default), update, or learn before sending."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from importer.sandbox import SandboxServer

from ..conftest import customers

ROWS = [
    ["Name", "Email", "Phone", "Active"],
    ["Ada Obi", "ada@example.com", "", "no"],  # in the store: phone blank here
    ["Bo Li", "BO@example.com", "+4420000000", ""],  # in the store, other case
    ["Cy Ng", "cy@example.com", "+2348000000003", "yes"],  # new
    ["Di Ho", "di@example.com", "", ""],  # new
]


@pytest.fixture
def prefilled(sandbox: SandboxServer) -> SandboxServer:
    """A store whose customers fill more than one page of its list, the file's two on the second:
    the list shows the most recent first, so they are created before the others."""
    sandbox.store.create({"name": "Ada (old)", "email": "ada@example.com", "phone": "+2348011111111", "active": True})
    sandbox.store.create({"name": "Bo (old)", "email": "bo@example.com", "phone": None})
    for i in range(150):
        sandbox.store.create({"name": f"Old {i}", "email": f"old{i}@example.com"})
    return sandbox


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(ROWS)
    return path


def ids(server: SandboxServer) -> dict[str, str]:
    return {email: str(c["_id"]) for email, c in customers(server).items()}


def counts(result) -> dict[str, int]:
    return {k: v for k, v in result.summary["counts"].items() if v}


def test_default_reports_existing_without_looking_them_up(cli, prefilled: SandboxServer, file: Path) -> None:
    result = cli("run", file, "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0 and counts(result) == {"created": 2, "duplicate": 2}
    # Without --on-existing update nothing needs the stored customer's id: no lookup is made for it.
    assert {r["Email"]: r["customer_id"] for r in result.rows("duplicates.csv")} == {"ada@example.com": "", "BO@example.com": ""}
    assert prefilled.store.stats.by_route["GET /api/v1/customers"] == 1  # the token check alone
    assert customers(prefilled)["ada@example.com"]["name"] == "Ada (old)"  # untouched


def test_check_existing_names_the_stored_customer(cli, prefilled: SandboxServer, file: Path) -> None:
    result = cli("run", file, "--check-existing", "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0 and counts(result) == {"created": 2, "duplicate": 2}
    known = ids(prefilled)
    assert {r["Email"]: r["customer_id"] for r in result.rows("duplicates.csv")} == {
        "ada@example.com": known["ada@example.com"], "BO@example.com": known["bo@example.com"]
    }


def test_update_changes_given_fields_and_leaves_blank_cells_alone(cli, prefilled: SandboxServer, file: Path) -> None:
    result = cli("run", file, "--on-existing", "update", "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0 and counts(result) == {"created": 2, "updated": 2}
    store = customers(prefilled)
    ada, bo = store["ada@example.com"], store["bo@example.com"]
    assert (ada["name"], ada["phone"], ada["active"]) == ("Ada Obi", "+2348011111111", False)  # blank phone kept
    assert (bo["name"], bo["phone"], bo["active"]) == ("Bo Li", "+4420000000", True)
    assert {r["customer_id"] for r in result.rows("updated.csv")} == {ada["_id"], bo["_id"]}
    assert prefilled.store.stats.updates == 2 and len(prefilled.store.customers) == 154


def test_blank_clears(cli, prefilled: SandboxServer, file: Path) -> None:
    result = cli("run", file, "--on-existing", "update", "--blank-clears", "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0
    assert customers(prefilled)["ada@example.com"]["phone"] is None


@pytest.mark.parametrize("mode, category", [("skip", "duplicate"), ("update", "updated")])
def test_check_existing_posts_no_existing_email(cli, prefilled: SandboxServer, file: Path, mode: str, category: str) -> None:
    result = cli("run", file, "--check-existing", "--on-existing", mode, "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0 and counts(result) == {"created": 2, category: 2}
    assert sorted(prefilled.store.stats.posts_per_email) == ["cy@example.com", "di@example.com"]
    assert prefilled.store.stats.by_route["GET /api/v1/customers"] >= 3  # the token check, then both pages of the store


def test_dry_run_with_check_existing_writes_nothing(cli, prefilled: SandboxServer, file: Path) -> None:
    before = {e: dict(c) for e, c in customers(prefilled).items()}
    result = cli("validate", file, "--check-existing", "--on-existing", "update", "--base-url", prefilled.base_url, token=prefilled.token)
    assert result.code == 0 and counts(result) == {"valid": 2, "duplicate": 2}
    stats = prefilled.store.stats
    assert stats.posts_per_email == {} and stats.updates == 0
    assert set(stats.by_route) == {"GET /api/v1/customers"}
    assert customers(prefilled) == before


def test_check_existing_in_a_dry_run_needs_a_token(cli, file: Path) -> None:
    result = cli("validate", file, "--check-existing")
    assert result.code == 2 and "needs a token" in result.err
