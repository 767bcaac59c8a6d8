"""The run's own surroundings: signals, output nobody reads, reports and journals that cannot be
written or read, inputs that change or cannot be read twice, credentials that cannot be saved."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from importer.sandbox import Faults, SandboxServer

from .test_delivery import expected_emails, people, stored_emails, wait_for_creations

ROOT = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "salesive-import"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and shells")


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def env_for(server: SandboxServer) -> dict[str, str]:
    return {**os.environ, "SALESIVE_TOKEN": server.token}


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
    assert list((reports / ".state").iterdir()) == []  # finished: nothing left to resume


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
