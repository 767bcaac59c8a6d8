"""Every row exactly once, whatever the network, the server and the token do (real sandbox, faults injected)."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import trustme

from importer.send.client import StoreClient
from importer.send.losses import describe_error, refused
from importer.send.retry import RetryPolicy
from importer.errors import LockedError, UsageError
from importer.send.journal import Journal, import_key
from importer.options import Options
from importer.pipeline import run_import
from importer.table import SEND_CHUNK, find, identity
from importer.sandbox import Faults, SandboxServer



def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    found = find(options, SEND_CHUNK, sends=True)
    return import_key(options.input, identity(options, found.table, found.column_map))


FAST = RetryPolicy(base=0.005, cap=0.05, unreachable_after=1.0)


def people(path: Path, count: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Email", "Phone"])
        for i in range(start, start + count):
            writer.writerow([f"Person {i}", f"person{i}@example.com", f"+23480{i:08d}"])
    return path


def options(path: Path, server: SandboxServer, tmp_path: Path, **kwargs: object) -> Options:
    return Options(input=path, base_url=server.base_url, reports_dir=tmp_path / "reports", progress=False, retry=FAST, **kwargs)


def quiet(message: str) -> None:
    pass


def stored_emails(server: SandboxServer) -> list[str]:
    return sorted(str(c["email"]) for c in server.store.customers.values())


def expected_emails(count: int, start: int = 0) -> list[str]:
    return sorted(f"person{i}@example.com" for i in range(start, start + count))


def test_faulty_store_still_gets_every_row_exactly_once(make_sandbox, tmp_path: Path) -> None:
    faults = Faults(error_rate=0.10, throttle_rate=0.05, retry_after=0, drop_after_rate=0.05, drop_before_rate=0.03, seed=3)
    server = make_sandbox(faults)
    path = people(tmp_path / "p.csv", 400)
    result = run_import(options(path, server, tmp_path, concurrency=16), server.token, say=quiet)
    assert result.exit_code == 0
    assert {k: v for k, v in result.summary["counts"].items() if v} == {"created": 400}
    assert stored_emails(server) == expected_emails(400)
    stats = server.store.stats
    assert stats.faults["drop_after"] > 5 and stats.faults["drop_before"] > 3 and stats.faults["503"] > 20 and stats.faults["429"] > 10
    retried = [e for e, n in stats.posts_per_email.items() if n > 1]
    assert stats.creations == 400 and retried  # rows were sent more than once, yet each was created once


def test_lost_answer_for_an_existing_customer_is_a_duplicate_not_ours(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(drop_before_rate=1.0))
    server.store.create({"name": "Somebody Else", "email": "person0@example.com"})
    path = people(tmp_path / "p.csv", 1)
    result = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert result.summary["counts"]["duplicate"] == 1 and result.summary["counts"]["created"] == 0
    assert server.store.find_by_email("person0@example.com")["name"] == "Somebody Else"


def test_lost_answer_after_creation_is_confirmed_as_created(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(drop_after_rate=1.0))
    path = people(tmp_path / "p.csv", 3)
    result = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0 and result.summary["counts"]["created"] == 3
    assert all(n == 1 for n in server.store.stats.posts_per_email.values())
    created = list(csv.DictReader((result.folder / "created.csv").open(encoding="utf-8-sig")))
    assert {r["reason_code"] for r in created} == {"created-confirmed"}
    assert {r["customer_id"] for r in created} == set(server.store.customers)


def test_only_a_failed_connection_counts_as_nothing_sent(make_sandbox) -> None:
    # A row may be sent again without a lookup only when its request never left;
    # pyreqwest reports both losses below as connection errors, and only the first
    # may reach httpx as a ConnectError.
    with SandboxServer() as gone:
        closed_port = gone.base_url
    server = make_sandbox(Faults(drop_after_rate=1.0))

    async def failure(base_url: str) -> BaseException:
        async with StoreClient(base_url, server.token) as client:
            try:
                await client._request("POST", base_url + "/customers", payload=b'{"name": "Ada Obi", "email": "ada@example.com"}')
            except Exception as exc:  # noqa: BLE001 - the failure is what the test looks at
                return exc
        raise AssertionError("the request got an answer")

    never_left, lost_answer = asyncio.run(failure(closed_port)), asyncio.run(failure(server.base_url))
    assert refused(never_left) and describe_error(never_left).startswith("connection failed: Connection refused")
    assert isinstance(never_left, httpx.ConnectError) and isinstance(lost_answer, httpx.RemoteProtocolError)
    assert not refused(lost_answer) and describe_error(lost_answer) == "no answer: connection closed before message completed"
    assert len(server.store.customers) == 1  # the lost answer's customer was created


def test_an_https_store_is_trusted_through_the_certificate_authorities_the_system_names(monkeypatch, tmp_path: Path) -> None:
    # A real store answers over https. SSL_CERT_FILE names the authorities to trust,
    # as behind a company's TLS-inspecting proxy; one the store's certificate does not
    # come from stops the run before any request reaches it.
    authority, stranger = trustme.CA(), trustme.CA()
    served = authority.issue_cert("127.0.0.1")
    served.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    served.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    authority.cert_pem.write_to_path(str(tmp_path / "authority.pem"))
    stranger.cert_pem.write_to_path(str(tmp_path / "stranger.pem"))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    path = people(tmp_path / "p.csv", 2)
    with SandboxServer(tls=(tmp_path / "cert.pem", tmp_path / "key.pem")) as server:
        assert server.base_url.startswith("https://")
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "stranger.pem"))
        started = time.monotonic()
        with pytest.raises(UsageError, match=r"^the certificate of 127\.0\.0\.1 does not verify \(invalid peer certificate: UnknownIssuer\); .*SSL_CERT_FILE"):
            run_import(options(path, server, tmp_path), server.token, say=quiet)
        assert time.monotonic() - started < 1.0  # at once: not retried as a store that cannot be reached
        assert server.store.stats.requests == 0
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "authority.pem"))
        result = run_import(options(path, server, tmp_path), server.token, say=quiet)
        assert result.exit_code == 0 and stored_emails(server) == ["person0@example.com", "person1@example.com"]


def test_revoked_token_stops_then_a_new_token_resumes(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(revoke_after=30))
    path = people(tmp_path / "p.csv", 100)
    first = run_import(options(path, server, tmp_path, concurrency=5), server.token, say=quiet)
    assert first.exit_code == 3
    counts = first.summary["counts"]
    assert counts["created"] == 30 and counts["auth_failed"] == 70
    first_posts = dict(server.store.stats.posts_per_email)
    refused = len(first_posts) - 30
    assert 1 <= refused <= 5  # at most --concurrency POSTs after the first rejection
    unsent = list(csv.DictReader((first.folder / "auth_failures.csv").open(encoding="utf-8-sig")))
    assert len(unsent) == 70 and sum(r["reason_code"] == "not-sent-auth" for r in unsent) == 70 - refused

    server.store.add_token("app_renewed", {"WRITE_CUSTOMERS"})
    server.faults.revoke_after = None
    reads_before = server.store.stats.by_route["GET /api/v1/customers"]
    second = run_import(options(path, server, tmp_path, concurrency=5), "app_renewed", say=quiet)
    assert second.exit_code == 0
    assert not any("incomplete" in note for note in second.summary["notes"])  # the first run ended: its journal is whole
    # rows the first run never sent need no lookup: the only read is the token check
    assert server.store.stats.by_route["GET /api/v1/customers"] - reads_before == 1
    assert {k: v for k, v in second.summary["counts"].items() if v} == {"skipped": 30, "created": 70}
    assert stored_emails(server) == expected_emails(100)
    posts = server.store.stats.posts_per_email
    # a row created in the first run was never sent again
    created_first = {r["Email"] for r in csv.DictReader((first.folder / "created.csv").open(encoding="utf-8-sig"))}
    assert all(posts[e] == 1 for e in created_first)
    assert server.store.stats.creations == 100


def test_an_import_begun_in_another_store_at_the_same_address_is_not_resumed_there(make_sandbox, tmp_path: Path) -> None:
    """Every store is served at one base URL, told apart by the token: the same command run again with another store's
    token (a wrong token corrected after an interruption) must not take the first store's rows as settled, which would
    leave them uncreated in this one and end with exit 0. It stops before sending; --restart imports the file here."""
    first_store = make_sandbox(Faults(revoke_after=30))
    path = people(tmp_path / "p.csv", 100)
    first = run_import(options(path, first_store, tmp_path, concurrency=5), first_store.token, say=quiet)
    assert first.exit_code == 3 and first.summary["counts"]["created"] == 30
    first_store.stop()
    with SandboxServer(port=first_store.port) as other_store:  # another shop, at the same address
        with pytest.raises(UsageError, match=r"begun in another store than the one this token opens .*--restart"):
            run_import(options(path, other_store, tmp_path, concurrency=5), other_store.token, say=quiet)
        assert dict(other_store.store.stats.by_route) == {"GET /api/v1/customers": 1}  # the token check alone
        again = run_import(options(path, other_store, tmp_path, concurrency=5, restart=True), other_store.token, say=quiet)
        assert again.exit_code == 0 and again.summary["counts"]["created"] == 100
        assert stored_emails(other_store) == expected_emails(100)


def test_unreachable_store_at_start_exits_4_and_sends_nothing(tmp_path: Path) -> None:
    with SandboxServer() as gone:
        base_url = gone.base_url
    path = people(tmp_path / "p.csv", 3)
    said: list[str] = []
    result = run_import(Options(input=path, base_url=base_url, reports_dir=tmp_path / "r", progress=False, retry=FAST), "app_x", say=said.append)
    assert result.exit_code == 4 and any("could not be reached" in line for line in said)
    # a run folder like any other stop's: every row pending, for the same command to send
    assert {k: v for k, v in result.summary["counts"].items() if v} == {"pending": 3}
    assert (result.folder / "summary.json").exists() and len(list(csv.DictReader((result.folder / "pending.csv").open(encoding="utf-8-sig")))) == 3


def test_store_lost_mid_run_leaves_pending_rows_that_resume(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(latency_ms=5))
    port, store = server.port, server.store
    path = people(tmp_path / "p.csv", 200)

    def pull_the_plug() -> None:
        while store.stats.creations < 40:
            time.sleep(0.002)
        server.stop()

    threading.Thread(target=pull_the_plug, daemon=True).start()
    first = run_import(options(path, server, tmp_path, concurrency=4), server.token, say=quiet)
    assert first.exit_code == 4
    counts = first.summary["counts"]
    assert counts["pending"] > 0 and counts["created"] + counts["pending"] == 200 and counts["failed"] == 0

    with SandboxServer(port=port, store=store) as back:
        second = run_import(options(path, back, tmp_path, concurrency=4), back.token, say=quiet)
    assert second.exit_code == 0
    assert second.summary["counts"]["created"] + second.summary["counts"]["skipped"] == 200
    assert stored_emails(back) == expected_emails(200) and store.stats.creations == 200


def test_a_second_run_of_the_same_import_is_refused(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = people(tmp_path / "p.csv", 3)
    opts = options(path, sandbox, tmp_path)
    with Journal(opts.reports_dir / ".state", journal_key(opts)):
        with pytest.raises(LockedError, match="in progress"):
            run_import(opts, sandbox.token, say=quiet)
    assert sandbox.store.stats.requests == 0
    # the lock goes with its holder: a lock file left by a dead process does not block
    (opts.reports_dir / ".state" / f"{journal_key(opts)}.lock").write_text("999999")
    assert run_import(opts, sandbox.token, say=quiet).exit_code == 0


def test_lock_exit_code_from_the_command_line(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = people(tmp_path / "p.csv", 3)
    with Journal(tmp_path / "reports" / ".state", journal_key(options(path, sandbox, tmp_path))):
        result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 5 and "in progress" in result.err
    assert sandbox.store.stats.requests == 0


def start_import(path: Path, server: SandboxServer, reports: Path, concurrency: int = 8) -> subprocess.Popen[str]:
    env = {**os.environ, "SALESIVE_TOKEN": server.token}
    return subprocess.Popen(
        [sys.executable, "-m", "importer", "run", str(path), "--base-url", server.base_url, "--reports-dir", str(reports), "--concurrency", str(concurrency)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_for_creations(server: SandboxServer, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while server.store.stats.creations < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)


def killed_mid_run(server: SandboxServer, path: Path, reports: Path) -> None:
    """An import of `path` killed (as by kill -9 or a power cut) once the store holds 150 of its customers."""
    process = start_import(path, server, reports)
    wait_for_creations(server, 150, process)
    process.kill()
    process.wait(timeout=10)


def test_killed_run_resumes_without_creating_twice(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 600)
    killed_mid_run(server, path, tmp_path / "reports")
    killed_at = dict(server.store.stats.posts_per_email)
    assert 150 <= len(killed_at) < 600

    result = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0
    counts = result.summary["counts"]
    assert counts["duplicate"] == 0 and counts["skipped"] + counts["created"] == 600
    assert stored_emails(server) == expected_emails(600) and server.store.stats.creations == 600
    posted_twice = [e for e, n in server.store.stats.posts_per_email.items() if n > 1]
    assert len(posted_twice) <= 8


def test_a_killed_runs_journal_without_its_latest_answers_is_said_to_be_incomplete(make_sandbox, tmp_path: Path) -> None:
    """A run killed mid-way keeps its latest answers in the -wal file beside its journal; a journal copied or backed up
    without it reads as fewer rows sent. The next run says so (its customers met as duplicates are this import's),
    rather than reporting them as the store's without a word, and still creates every customer once."""
    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 600)
    killed_mid_run(server, path, tmp_path / "reports")
    (journal,) = [p for p in (tmp_path / "reports" / ".state").glob("*.sqlite") if not p.name.startswith("ledger-")]
    Path(f"{journal}-wal").unlink()
    said: list[str] = []
    result = run_import(options(path, server, tmp_path, ignore_ledger=True), server.token, say=said.append)
    assert result.exit_code == 0 and any("is incomplete: that run did not end" in line for line in said), said
    assert any("is incomplete" in note for note in result.summary["notes"])
    assert stored_emails(server) == expected_emails(600) and server.store.stats.creations == 600


def test_interrupted_run_reports_pending_rows_and_resumes(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(latency_ms=20))
    path = people(tmp_path / "p.csv", 600)
    process = start_import(path, server, tmp_path / "reports")
    wait_for_creations(server, 100, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    folder = Path(out.strip().splitlines()[-1])
    pending = list(csv.DictReader((folder / "pending.csv").open(encoding="utf-8-sig")))
    created = list(csv.DictReader((folder / "created.csv").open(encoding="utf-8-sig")))
    assert pending and len(pending) + len(created) == 600

    result = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0
    assert result.summary["counts"]["skipped"] == len(created)
    assert stored_emails(server) == expected_emails(600) and server.store.stats.creations == 600
    assert all(n == 1 for n in server.store.stats.posts_per_email.values())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_an_interrupt_before_the_run_has_a_report_still_answers_summary_json(make_sandbox, tmp_path: Path) -> None:
    """Ctrl-C while the token check waits for the store: a script reading --summary-json - gets its one document,
    exit 130 and no run folder, as for any other stop before a report."""
    server = make_sandbox(Faults(latency_ms=20_000))
    path = people(tmp_path / "p.csv", 3)
    env = {**os.environ, "SALESIVE_TOKEN": server.token}
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "run", str(path), "--base-url", server.base_url, "--reports-dir", str(tmp_path / "reports"), "--summary-json", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    deadline = time.monotonic() + 30
    while not server.store.stats.requests and time.monotonic() < deadline:  # the token check has gone out
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert json.loads(out) == {"exit_code": 130, "error": "interrupted", "run_folder": None}
    assert server.store.stats.posts_per_email == {}


def test_the_proxy_the_environment_names_carries_the_requests(monkeypatch, tmp_path: Path) -> None:
    # The sandbox stands in for the proxy: it is handed absolute URLs for a store
    # whose name never resolves, so every creation proves the proxy was used.
    path = tmp_path / "people.csv"
    path.write_text("name,email\nAda Obi,ada@example.com\nBola Ade,bola@example.com\n", encoding="utf-8")
    with SandboxServer() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.origin)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        result = run_import(Options(path, base_url="http://store.invalid/api/v1", reports_dir=tmp_path / "reports", progress=False), proxy.token, say=lambda _: None)
        assert result.exit_code == 0 and len(proxy.store.customers) == 2


def test_no_proxy_keeps_the_store_direct(monkeypatch, tmp_path: Path) -> None:
    # The proxy is never asked for a store NO_PROXY names: the store's name does not
    # resolve, so going direct fails, and the run stops as unreachable.
    path = people(tmp_path / "p.csv", 2)
    with SandboxServer() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.origin)
        monkeypatch.setenv("NO_PROXY", "store.invalid")
        stopped = run_import(Options(path, base_url="http://store.invalid/api/v1", reports_dir=tmp_path / "reports", progress=False, retry=FAST), proxy.token, say=quiet)
        assert stopped.exit_code == 4 and proxy.store.stats.requests == 0


def test_a_store_on_this_machine_is_reached_directly_whatever_the_proxy(make_sandbox, monkeypatch, tmp_path: Path) -> None:
    with SandboxServer() as gone:
        dead_proxy = gone.origin
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server = make_sandbox()
    result = run_import(options(people(tmp_path / "p.csv", 2), server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0 and len(server.store.customers) == 2


def test_the_store_sees_the_first_requests_spread_over_a_round_trip_not_a_burst(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(latency_ms=200))
    result = run_import(options(people(tmp_path / "p.csv", 8), server, tmp_path, concurrency=4), server.token, say=quiet)
    assert result.exit_code == 0
    created = sorted(datetime.fromisoformat(str(c["createdAt"]).replace("Z", "+00:00")) for c in server.store.customers.values())
    # Four workers, each starting a quarter of the token check's round trip (over 200 ms) after the one before, so the
    # last starts 150 ms after the first; the first also reads the file's first rows before it sends, so of the four
    # first creations the earliest is at most the second worker's, at 50 ms: at least 100 ms lie between the earliest
    # and the latest (sent together, they were 2 ms apart).
    assert (created[3] - created[0]).total_seconds() >= 0.095


@pytest.mark.parametrize("bad", [b'Broken,"never closed,\n', "\u0141ukasz \u017b\u00f3\u0142\u0107,pl@example.com,\n".encode("utf-8")])
def test_a_file_unreadable_past_some_row_is_refused_before_anything_is_sent(cli, sandbox: SandboxServer, tmp_path: Path, bad: bytes) -> None:
    from importer.table import SEND_CHUNK

    path = people(tmp_path / "cut.csv", 3 * SEND_CHUNK)  # the bad line is chunks deep
    with path.open("ab") as f:
        f.write(bad)  # a quote that runs to the end of the file, or UTF-8 in a file read as cp1252
        f.write(b"Person 99,person99@example.com,\n")
    # the UTF-8 of "Ł" holds a byte cp1252 has no character for, past the first 256 KB the encoding is first tried on
    result = cli("run", path, "--base-url", sandbox.base_url, *(["--encoding", "cp1252"] if b"@" in bad else []), token=sandbox.token)
    assert result.code == 2 and "Traceback" not in result.err
    assert "not a readable CSV" in result.err or "is not valid" in result.err
    assert sandbox.store.stats.requests == 0 and result.out == ""


def test_max_rps_spaces_the_requests_it_sends(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """`--max-rps 20`: creations arrive about 50 ms apart, where eight workers would send them together."""
    result = cli("run", people(tmp_path / "p.csv", 12), "--base-url", sandbox.base_url, "--concurrency", "8", "--max-rps", "20", token=sandbox.token)
    assert result.code == 0, result.err
    created = sorted(datetime.fromisoformat(str(c["createdAt"]).replace("Z", "+00:00")) for c in sandbox.store.customers.values())
    gaps = [(b - a).total_seconds() for a, b in zip(created, created[1:])]
    # The store stamps each creation when it handles it, a few ms after it arrives on a busy machine: the gaps are
    # judged by their median and the whole span, which eight workers unpaced would finish in a fraction of.
    assert len(created) == 12 and sorted(gaps)[len(gaps) // 2] >= 0.045 and (created[-1] - created[0]).total_seconds() >= 0.5, gaps
