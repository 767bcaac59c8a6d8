"""The run's own surroundings: signals, output nobody reads, reports and journals that cannot be
written or read, inputs that change or cannot be read twice, credentials that cannot be saved."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from importer.errors import ImporterError
from importer.pipeline import run_import
from importer.sandbox import Faults, SandboxServer

from .test_delivery import expected_emails, options, people, quiet, stored_emails, wait_for_creations
from .test_scheduled import credentials_file

COMMAND = Path(sys.executable).parent / "salesive-import"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and shells")


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def env_for(server: SandboxServer) -> dict[str, str]:
    return {**os.environ, "SALESIVE_TOKEN": server.token}


def journals(reports: Path) -> list[Path]:
    """The journals of imports under a reports folder (the store's ledger beside them is not one)."""
    return [p for p in (reports / ".state").glob("*.sqlite") if not p.name.startswith("ledger-") and ".unreadable-" not in p.name]


def no_secret_in(folder: Path, *secrets: str) -> None:
    """No file under `folder` holds any of `secrets`."""
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in secrets), path


@posix_only
def test_a_closed_terminal_stops_the_run_as_sigterm_does_and_it_resumes(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 600)
    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "importer", "run", str(path), "--base-url", server.base_url, "--reports-dir", str(reports), "-v"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_for(server))
    wait_for_creations(server, 100, process)
    assert process.stderr is not None
    process.stderr.close()  # the terminal went away: every later message fails to be written
    process.send_signal(signal.SIGHUP)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    folder = Path(out.strip().splitlines()[-1])
    created, pending = read_rows(folder / "created.csv"), read_rows(folder / "pending.csv")
    assert pending and len(created) + len(pending) == 600
    assert sorted(r["Email"] for r in created) == sorted(c["email"] for c in server.store.customers.values())

    again = subprocess.run(command[:-1], capture_output=True, text=True, env=env_for(server), timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(read_rows(Path(again.stdout.strip().splitlines()[-1]) / "skipped.csv")) == len(created)
    assert stored_emails(server) == expected_emails(600) and server.store.stats.creations == 600


@posix_only
@pytest.mark.parametrize("verbose", ["-v", "--no-progress"])
def test_output_nobody_reads_never_stops_the_import(make_sandbox, tmp_path: Path, verbose: str) -> None:
    server = make_sandbox(Faults(latency_ms=5))
    path = people(tmp_path / "p.csv", 200)
    reports = tmp_path / "reports"
    line = f"{COMMAND} run {path} --base-url {server.base_url} --reports-dir {reports} {verbose} 2>&1 | head -1; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env_for(server), timeout=120)
    first, code = done.stdout.splitlines()
    assert first.startswith("Reading") and code == "0"
    (folder,) = [p for p in reports.iterdir() if p.name != ".state"]
    assert len(read_rows(folder / "created.csv")) == 200 and (folder / "summary.json").exists()
    assert stored_emails(server) == expected_emails(200)
    assert journals(reports) == []  # finished: nothing left to resume


def test_a_log_file_that_cannot_be_written_never_stops_the_import(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = people(tmp_path / "p.csv", 5)
    log = tmp_path / "logs" / "import.log"
    log.parent.mkdir()
    import importer.cli as cli_module

    real = cli_module.open_text
    calls = []

    def full_disk(target: Path, mode: str = "w"):
        if target == log:
            calls.append(mode)
            if len(calls) > 1:  # the check before the run passes; the disk fills after
                raise OSError(28, "No space left on device")
        return real(target, mode)

    cli_module.open_text = full_disk
    try:
        result = cli("run", path, "--log-file", log, "--base-url", sandbox.base_url, token=sandbox.token)
    finally:
        cli_module.open_text = real
    assert result.code == 0 and result.summary["counts"]["created"] == 5
    assert result.err.count("cannot write the log file") == 1


def wait_for_run_folder(reports: Path, server: SandboxServer, creations: int) -> Path:
    deadline = time.monotonic() + 60
    while True:
        folders = [p for p in reports.iterdir() if p.name != ".state"] if reports.exists() else []
        if folders and server.store.stats.creations >= creations:
            return folders[0]
        assert time.monotonic() < deadline
        time.sleep(0.002)


def every_customer_reported(folder: Path, server: SandboxServer) -> None:
    """Every customer the store holds is in created.csv or skipped.csv, with the id the store gave it, and no other row is."""
    reported = {r["Email"]: r["customer_id"] for name in ("created.csv", "skipped.csv") for r in read_rows(folder / name)}
    assert reported == {c["email"]: c["id"] for c in server.store.customers.values()}


@pytest.mark.parametrize("deleted", ["run folder", "reports folder"])
def test_a_report_that_cannot_be_written_stops_sending_and_the_next_run_writes_it_whole(
    cli, make_sandbox, tmp_path: Path, deleted: str
) -> None:
    server = make_sandbox(Faults(latency_ms=5))
    path = people(tmp_path / "p.csv", 400)
    reports = tmp_path / "reports"

    def delete() -> None:
        folder = wait_for_run_folder(reports, server, 40)
        shutil.rmtree(folder if deleted == "run folder" else reports)

    thread = threading.Thread(target=delete)
    thread.start()
    first = cli("run", path, "--base-url", server.base_url, "--concurrency", "2", token=server.token)
    thread.join()
    assert first.code == 6, first.err
    assert "the report could not be written" in first.err and "Traceback" not in first.err
    (journal,) = journals(reports)
    assert f"kept in {journal}" in first.err and "run the same command" in first.err
    assert 40 <= server.store.stats.creations < 400  # it stopped sending

    second = cli("run", path, "--base-url", server.base_url, token=server.token)
    assert second.code == 0, second.err
    counts = {k: v for k, v in second.summary["counts"].items() if v}
    assert counts["skipped"] >= 40
    assert counts.get("skipped", 0) + counts.get("created", 0) == 400 and "duplicate" not in counts
    every_customer_reported(second.folder, server)
    assert stored_emails(server) == expected_emails(400) and server.store.stats.creations == 400
    assert journals(reports) == []


def wide_rows(path: Path, count: int = 300) -> Path:
    """`count` customers with a note of 20,000 characters each: a report of them grows past a small file size limit."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Email", "Notes"])
        for i in range(count):
            writer.writerow([f"Person {i}", f"person{i}@example.com", "n" * 20_000])
    return path


@posix_only
def test_a_file_size_limit_on_the_report_stops_the_run_with_exit_6(make_sandbox, tmp_path: Path) -> None:
    import resource

    server = make_sandbox(Faults(latency_ms=2))
    path = wide_rows(tmp_path / "wide.csv")
    reports = tmp_path / "reports"
    limit = 2_000_000  # the journal stays under it; created.csv does not

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "importer", "run", str(path), "--base-url", server.base_url, "--reports-dir", str(reports)]
    first = subprocess.run(command, capture_output=True, text=True, env=env_for(server), timeout=120, preexec_fn=limited)
    assert first.returncode == 6, first.stderr
    assert "the report could not be written" in first.stderr and "Traceback" not in first.stderr
    assert server.store.stats.creations < 300
    folder = Path(first.stdout.strip().splitlines()[-1])
    assert json.loads((folder / "summary.json").read_text())["exit_code"] == 6

    second = subprocess.run(command, capture_output=True, text=True, env=env_for(server), timeout=120)
    assert second.returncode == 0, second.stderr
    folder = Path(second.stdout.strip().splitlines()[-1])
    every_customer_reported(folder, server)
    assert len(server.store.customers) == 300 and server.store.stats.creations == 300


@pytest.mark.parametrize("damage", ["half", "garbage", "empty"])
def test_a_journal_that_cannot_be_read_is_kept_aside_and_the_run_goes_on(make_sandbox, tmp_path: Path, damage: str) -> None:
    server = make_sandbox(Faults(revoke_after=30))
    path = people(tmp_path / "p.csv", 200)
    first = run_import(options(path, server, tmp_path, concurrency=2), server.token, say=quiet)
    assert first.exit_code == 3 and first.summary["counts"]["created"] == 30
    (journal,) = journals(tmp_path / "reports")
    data = journal.read_bytes()
    journal.write_bytes({"half": data[: len(data) // 2], "garbage": os.urandom(len(data)), "empty": b""}[damage])

    server.store.add_token("app_renewed", {"WRITE_CUSTOMERS"})
    server.faults.revoke_after = None
    said: list[str] = []
    second = run_import(options(path, server, tmp_path), "app_renewed", say=said.append)
    (note,) = [line for line in said if "could not be read" in line]
    (kept,) = [p for p in journal.parent.iterdir() if ".unreadable-" in p.name and p.suffix == ".sqlite"]
    assert f"kept as {kept}" in note and "may be met as duplicates" in note and "--restart is not needed" in note
    assert kept.read_bytes() == journal_bytes(damage, data, kept) and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert note.removeprefix("Note: ") in second.summary["notes"]
    counts = {k: v for k, v in second.summary["counts"].items() if v}
    assert counts == {"duplicate": 30, "created": 170}
    assert stored_emails(server) == expected_emails(200) and server.store.stats.creations == 200
    assert not journal.exists()  # the new journal finished and went; the damaged one stays


def journal_bytes(damage: str, data: bytes, kept: Path) -> bytes:
    """What the kept journal should hold: the damaged file as it was (garbage is random, so read it back)."""
    return {"half": data[: len(data) // 2], "empty": b""}.get(damage, kept.read_bytes())


def test_renewed_tokens_that_cannot_be_saved_in_place_are_kept_beside_the_journal(cli, make_sandbox, tmp_path: Path, monkeypatch) -> None:
    import tempfile

    server = make_sandbox(Faults(revoke_after=12))
    client = server.sandbox.add_oauth_client({"WRITE_CUSTOMERS"})
    locked = tmp_path / "etc"
    locked.mkdir()
    path = credentials_file(locked / "credentials.json", server, client)
    original = path.read_bytes()
    real = tempfile.mkstemp

    def read_only_folder(*args, dir=None, **kwargs):  # the folder of the credentials file takes no new file
        if Path(dir) == locked:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only_folder)
    first = cli("run", people(tmp_path / "a.csv", 30), "--credentials-file", path, "--base-url", server.base_url)
    assert first.code == 0 and first.summary["counts"]["created"] == 30 and path.read_bytes() == original
    (beside,) = (tmp_path / "reports" / ".state").glob("credentials-*.json")
    assert f"they are saved in {beside}" in first.err and f"--credentials-file {path} uses them" in first.err
    assert stat.S_IMODE(beside.stat().st_mode) == 0o600
    kept = json.loads(beside.read_text())
    assert kept["refresh_token"] == client.refresh_token != json.loads(original)["refresh_token"]  # the store rotated it

    # the next run with the same file: the access token it had is revoked, and only the kept refresh token renews it
    server.store.revoke(kept["access_token"])
    second = cli("run", people(tmp_path / "b.csv", 20, start=30), "--credentials-file", path, "--base-url", server.base_url)
    assert second.code == 0 and second.summary["counts"]["created"] == 20, second.err
    assert len(server.store.customers) == 50
    secrets = [kept["access_token"], kept["refresh_token"], client.client_secret, json.loads(original)["refresh_token"]]
    no_secret_in(first.folder, *secrets)
    no_secret_in(second.folder, *secrets)
    for journal in (tmp_path / "reports" / ".state").glob("*.sqlite"):
        assert not any(s.encode() in journal.read_bytes() for s in secrets)
    assert all(s not in first.out + first.err + second.out + second.err for s in secrets)


def wide_people(path: Path, count: int) -> Path:
    """`count` customers with a long Notes column, so that the file spans several of the blocks it is read in."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Email", "Notes"])
        for i in range(count):
            writer.writerow([f"Person {i}", f"person{i}@example.com", f"note {i} " + "x" * 70])
    return path


@pytest.mark.parametrize("change", ["rewritten", "truncated", "appended"])
def test_a_file_changed_while_it_is_imported_stops_before_sending_more(make_sandbox, tmp_path: Path, change: str, monkeypatch) -> None:
    server = make_sandbox()
    monkeypatch.setattr("importer.pipeline.SEND_CHUNK", 512)  # the change lands past the chunks read ahead of the sending (ahead.py)
    path = wide_people(tmp_path / "p.csv", 10_000)

    def edit() -> None:
        while server.store.stats.creations < 100:
            time.sleep(0.002)
        with path.open("r+b") as f:
            if change == "rewritten":  # the same size: later addresses changed in place
                f.seek(600_000)
                rest = f.read()
                f.seek(600_000)
                f.write(rest.replace(b"@example.com", b"@example.org"))
            elif change == "truncated":
                f.truncate(600_000)
            else:
                f.seek(0, 2)
                f.write(b"Late Comer,late@example.com,\r\n")

    thread = threading.Thread(target=edit)
    thread.start()
    said: list[str] = []
    result = run_import(options(path, server, tmp_path), server.token, say=said.append)
    thread.join()
    assert result.exit_code == 2
    assert any("the file changed while it was being imported" in line and "run again" in line for line in said)
    stored = {c["email"] for c in server.store.customers.values()}
    assert 100 <= len(stored) < 10_000 and all(e.endswith("@example.com") and e != "late@example.com" for e in stored)
    every_customer_reported(result.folder, server)  # what was sent is in the report
    assert journals(tmp_path / "reports")  # the journal is kept


def test_a_file_changed_before_the_sending_pass_sends_nothing(sandbox: SandboxServer, tmp_path: Path, monkeypatch) -> None:
    from importer.read.sheet import Table

    path = wide_people(tmp_path / "p.csv", 3000)
    real = Table.snapshot

    def then_edited(table: Table, parse: bool = True):
        taken = real(table, parse)
        with path.open("r+b") as f:
            f.seek(100)
            f.write(b"Z")
        return taken

    monkeypatch.setattr(Table, "snapshot", then_edited)
    with pytest.raises(ImporterError, match="the file changed while it was being imported") as raised:
        run_import(options(path, sandbox, tmp_path), sandbox.token, say=quiet)
    assert raised.value.exit_code == 2 and sandbox.store.stats.requests == 0


@posix_only
@pytest.mark.parametrize("command", ["run", "validate"])
def test_an_input_that_cannot_be_read_twice_is_read_once(sandbox: SandboxServer, tmp_path: Path, command: str) -> None:
    people(tmp_path / "p.csv", 50)
    subprocess.run(["gzip", "-k", str(tmp_path / "p.csv")], check=True)
    fifo = tmp_path / "customers.fifo"
    os.mkfifo(fifo)
    reports = tmp_path / "reports"
    base = f"--reports-dir {reports} --base-url {sandbox.base_url}"
    lines = {  # a FIFO fed by another process, process substitution, standard input
        "fifo": f"(gunzip -c {tmp_path}/p.csv.gz > {fifo} &); {COMMAND} {command} {fifo} {base}",
        "substitution": f"{COMMAND} {command} <(gunzip -c {tmp_path}/p.csv.gz) {base}",
        "stdin": f"gunzip -c {tmp_path}/p.csv.gz | {COMMAND} {command} - {base}",
    }
    for name, line in lines.items():
        done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env_for(sandbox), timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (name, done.stderr)
        folder = Path(done.stdout.strip().splitlines()[-1])
        summary = json.loads((folder / "summary.json").read_text())
        counts = {k: v for k, v in summary["counts"].items() if v}
        if command == "validate":
            assert counts == {"valid": 50}, name
        else:
            assert counts == ({"created": 50} if name == "fifo" else {"duplicate": 50}), name
        assert summary["input"] != "" and "input-" not in summary["input"]
    assert stored_emails(sandbox) == (expected_emails(50) if command == "run" else [])
    assert not list((reports / ".state").glob("input-*"))  # the private copies go with their run
