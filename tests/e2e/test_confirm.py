"""Before a run from a terminal creates customers, it shows what will be sent and asks.

The question is asked only when a person is there to answer: the command runs in
a pseudo-terminal (POSIX's pty, so those tests are skipped on Windows) against a
real sandbox store, and the test answers as a merchant would.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from importer.confirm import preview
from importer.errors import InputError
from importer.pipeline import run_import
from importer.sandbox import Faults, SandboxServer

from ..conftest import customers
from .test_delivery import options, people, quiet

QUESTION = "in this store? [y/N]"
TIMEOUT = 60.0  # seconds a command in the terminal gets before the test gives up on it
needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")


def merchant_file(path: Path) -> Path:
    """Three customers as a merchant's export has them: a phone kept as text with Excel's apostrophe, a blank active."""
    rows = [
        ["Name", "Email", "Phone", "Active"],
        ["Ada Obi", "ada@example.com", "'+2348012345678", "yes"],
        ["Bola Ade", "bola@example.com", "", "no"],
        ["Chidi Eze", "chidi@example.com", "+2348099999999", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


MERCHANT_STORE = {
    "ada@example.com": ("Ada Obi", "+2348012345678", True),
    "bola@example.com": ("Bola Ade", None, False),
    "chidi@example.com": ("Chidi Eze", "+2348099999999", True),
}


def store_contents(server: SandboxServer) -> dict[str, tuple[object, object, object]]:
    return {email: (c["name"], c["phone"], c["active"]) for email, c in customers(server).items()}


@dataclass
class Session:
    code: int
    screen: str  # what the terminal showed: stderr, and the answer echoed
    out: str  # stdout, a pipe as in `folder=$(salesive-import run ...)`

    @property
    def folder(self) -> Path:
        return Path(self.out.strip().splitlines()[-1])


Answer = Callable[[subprocess.Popen[bytes], int], None]


def typed(keys: bytes) -> Answer:
    return lambda process, terminal: os.write(terminal, keys)


def at_terminal(args: list[str], server: SandboxServer, cwd: Path, answer: Answer | None = None) -> Session:
    """Run `python -m importer ARGS` with stdin and stderr on a pseudo-terminal; `answer` once the question shows."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if k != "SALESIVE_BASE_URL"}
    env["SALESIVE_TOKEN"] = server.token
    terminal, child_end = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", *args], stdin=child_end, stderr=child_end, stdout=subprocess.PIPE, cwd=cwd, env=env
    )
    os.close(child_end)
    screen = b""
    asked = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            assert time.monotonic() < deadline, f"no end after {TIMEOUT} s; the terminal shows: {screen.decode(errors='replace')}"
            ready, _, _ = select.select([terminal], [], [], 0.1)
            if ready:
                try:
                    data = os.read(terminal, 65536)
                except OSError:  # EIO: every end of the terminal the command held is closed
                    data = b""
                if not data:
                    break
                screen += data
            elif process.poll() is not None:
                break
            if answer is not None and not asked and QUESTION.encode() in screen:
                asked = True
                answer(process, terminal)
        code = process.wait(timeout=TIMEOUT)
        assert process.stdout is not None
        out = process.stdout.read().decode()
    finally:
        os.close(terminal)
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    return Session(code, screen.decode("utf-8", errors="replace").replace("\r\n", "\n"), out)


def run_args(path: Path, server: SandboxServer, tmp_path: Path, *extra: str) -> list[str]:
    return ["run", str(path), "--base-url", server.base_url, "--reports-dir", str(tmp_path / "reports"), "--no-progress", *extra]


def run_folders(tmp_path: Path) -> list[Path]:
    reports = tmp_path / "reports"
    return [p for p in reports.iterdir() if not p.name.startswith(".")] if reports.exists() else []


@needs_pty
@pytest.mark.parametrize("keys", [b"n\r", b"whatever\r", b"\r", b"\x04"], ids=["no", "anything-else", "enter", "end-of-input"])
def test_anything_but_yes_sends_nothing(keys: bytes, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    session = at_terminal(run_args(path, sandbox, tmp_path), sandbox, tmp_path, typed(keys))
    assert session.code == 0, session.screen
    assert "Create 3 customers in this store? [y/N]" in session.screen
    assert "Nothing was sent" in session.screen
    assert not any(route.startswith("POST") for route in sandbox.store.stats.by_route), sandbox.store.stats.by_route
    assert sandbox.store.customers == {}
    assert session.out == "" and run_folders(tmp_path) == []


@needs_pty
def test_ctrl_c_at_the_question_sends_nothing(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    # Ctrl-C in a terminal is SIGINT to the command (this pty is not the command's controlling terminal, so send it as the terminal would)
    session = at_terminal(run_args(path, sandbox, tmp_path), sandbox, tmp_path, lambda process, terminal: process.send_signal(signal.SIGINT))
    assert session.code == 0, session.screen
    assert "Nothing was sent" in session.screen
    assert sandbox.store.stats.by_route["POST /api/v1/customers"] == 0 and sandbox.store.customers == {}


@needs_pty
def test_the_preview_shows_the_store_the_columns_the_rows_as_sent_and_the_counts(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    session = at_terminal(run_args(path, sandbox, tmp_path), sandbox, tmp_path, typed(b"n\r"))
    preview_lines = session.screen.split(QUESTION)[0].strip().splitlines()
    assert preview_lines[:4] == [
        f"Store: {sandbox.base_url}",
        "File: " + str(path) + " (utf-8)",
        "Columns: name <- 'Name', email <- 'Email', phone <- 'Phone', active <- 'Active'",
        "The first 3 rows as they will be sent:",
    ]
    assert [line.split() for line in preview_lines[4:8]] == [
        ["row", "name", "email", "phone", "active"],
        ["2", "Ada", "Obi", "ada@example.com", "+2348012345678", "true"],  # Excel's apostrophe is not sent
        ["3", "Bola", "Ade", "bola@example.com", "false"],
        ["4", "Chidi", "Eze", "chidi@example.com", "+2348099999999", "true"],
    ]
    assert "3 customers to create" in session.screen and "0 rows invalid" in session.screen


@needs_pty
def test_yes_creates_every_row_and_stdout_keeps_its_contract(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    session = at_terminal(run_args(path, sandbox, tmp_path), sandbox, tmp_path, typed(b"Y\r"))
    assert session.code == 0, session.screen
    assert store_contents(sandbox) == MERCHANT_STORE
    assert session.out.strip().splitlines() == [str(session.folder)]  # the question went to the terminal, not stdout
    assert (session.folder / "created.csv").exists() and QUESTION not in session.out


@needs_pty
def test_the_flag_or_the_config_file_skips_the_question(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    session = at_terminal(run_args(path, sandbox, tmp_path, "--yes"), sandbox, tmp_path)
    assert session.code == 0 and QUESTION not in session.screen, session.screen
    assert store_contents(sandbox) == MERCHANT_STORE

    with SandboxServer() as other:
        config = tmp_path / "nightly.toml"
        config.write_text(f'input = "customers.csv"\nbase_url = "{other.base_url}"\nreports_dir = "reports"\nno_progress = true\nyes = true\n')
        session = at_terminal(["run", "--config", str(config)], other, tmp_path)
        assert session.code == 0 and QUESTION not in session.screen, session.screen
        assert store_contents(other) == MERCHANT_STORE


@needs_pty
@pytest.mark.parametrize("command", [["run", "--sandbox"], ["validate"], ["run", "--dry-run"]], ids=["rehearsal", "validate", "dry-run"])
def test_rehearsals_and_dry_runs_never_ask(command: list[str], sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    session = at_terminal([*command, str(path), "--reports-dir", str(tmp_path / "reports"), "--no-progress"], sandbox, tmp_path)
    assert session.code == 0 and QUESTION not in session.screen, session.screen
    assert (session.folder / "summary.json").exists()
    assert sandbox.store.stats.requests == 0


@needs_pty
def test_a_file_changed_after_the_question_stops_the_run_before_anything_is_sent(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")

    def edit_then_agree(process: subprocess.Popen[bytes], terminal: int) -> None:
        with path.open("a", encoding="utf-8", newline="") as f:
            f.write("Dayo Bello,dayo@example.com,,\r\n")
        os.write(terminal, b"y\r")

    session = at_terminal(run_args(path, sandbox, tmp_path), sandbox, tmp_path, edit_then_agree)
    assert session.code == 2, session.screen
    assert "changed after it was checked; nothing was sent" in session.screen
    assert sandbox.store.stats.by_route["POST /api/v1/customers"] == 0 and sandbox.store.customers == {}
    assert run_folders(tmp_path) == []


def test_without_a_terminal_there_is_no_question(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    env = {k: v for k, v in os.environ.items() if k != "SALESIVE_BASE_URL"}
    env["SALESIVE_TOKEN"] = sandbox.token
    done = subprocess.run(
        [sys.executable, "-m", "importer", *run_args(path, sandbox, tmp_path)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert QUESTION not in done.stderr + done.stdout
    assert store_contents(sandbox) == MERCHANT_STORE


def test_the_preview_counts_what_each_row_will_become(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["No Email", "", "", ""], ["Ada Again", "ADA@example.com", "", ""], ["  Eve   Obi ", "eve@example.com", "", "no"]])
    checked = preview(options(path, sandbox, tmp_path, on_existing="update"))
    lines = checked.lines()
    assert [line.split() for line in lines[lines.index("The first 4 rows as they will be sent:") + 2 :][:4]] == [
        ["2", "Ada", "Obi", "ada@example.com", "+2348012345678", "true"],
        ["3", "Bola", "Ade", "bola@example.com", "false"],
        ["4", "Chidi", "Eze", "chidi@example.com", "+2348099999999", "true"],
        ["7", "Eve", "Obi", "eve@example.com", "false"],  # the name as the store gets it: trimmed, one space
    ]
    assert lines[-5:] == [
        "  4 customers to create",
        "  1 row invalid (not sent; the report lists what to fix)",
        "  1 in-file duplicate (not sent: an earlier row has the same email)",
        "  0 rows settled by an earlier run of this import (not sent again)",
        "  with --on-existing update, customers the store already has (same email) are updated from their rows",
    ]
    assert checked.question() == "Create 4 customers in this store? [y/N] "
    assert sandbox.store.stats.requests == 0


def test_the_preview_shows_at_most_five_rows(sandbox: SandboxServer, tmp_path: Path) -> None:
    checked = preview(options(people(tmp_path / "p.csv", 3000), sandbox, tmp_path))
    assert [row[0] for row in checked.first] == ["2", "3", "4", "5", "6"]
    assert checked.to_create == 3000


def test_rows_an_interrupted_run_settled_are_counted_and_the_rest_sent(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(revoke_after=4))
    path = people(tmp_path / "p.csv", 10)
    opts = options(path, server, tmp_path, concurrency=1)
    assert run_import(opts, server.token, say=quiet).exit_code == 3
    assert server.store.stats.creations == 4
    checked = preview(opts)
    assert (checked.settled_earlier, checked.to_create) == (4, 6)
    assert [row[0] for row in checked.first] == ["6", "7", "8", "9", "10"]  # rows 2-5 are not sent again
    server.store.add_token(server.token, {"WRITE_CUSTOMERS"})  # the merchant renews the token
    result = run_import(opts, server.token, say=quiet, agreed=checked.key)
    assert result.exit_code == 0 and result.summary["counts"]["skipped"] == 4 and result.summary["counts"]["created"] == 6
    assert server.store.stats.creations == 10
    assert preview(opts).settled_earlier == 0  # the finished import's journal is gone


def test_a_run_refuses_a_file_that_is_not_the_one_agreed_to(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = merchant_file(tmp_path / "customers.csv")
    opts = options(path, sandbox, tmp_path)
    agreed = preview(opts).key
    path.write_text(path.read_text(encoding="utf-8").replace("Bola Ade", "Bola Company Ltd"), encoding="utf-8")
    with pytest.raises(InputError, match="changed after it was checked"):
        run_import(opts, sandbox.token, say=quiet, agreed=agreed)
    assert sandbox.store.stats.requests == 0 and run_folders(tmp_path) == []
    assert run_import(opts, sandbox.token, say=quiet, agreed=preview(opts).key).exit_code == 0


@needs_pty
def test_ctrl_c_taken_by_another_thread_still_ends_the_question(tmp_path: Path) -> None:
    """Ctrl-C goes to the process, and a thread a library started may be the one to take it: the question still ends,
    as no. Here the main thread blocks the signal, so the kernel hands it to the other thread, as it may by chance."""
    script = tmp_path / "asked.py"
    script.write_text(
        "import os, pty, signal, sys, threading, time\n"
        "from importer.confirm import ask\n"
        "_, reply = pty.openpty()\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), os.kill(os.getpid(), signal.SIGINT)), daemon=True).start()\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
        "print(ask('Create 3 customers in this store? [y/N] ', open(reply, closefd=False), sys.stderr))\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr
