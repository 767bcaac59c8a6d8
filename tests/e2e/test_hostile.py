"""Stores, gateways and networks that misbehave: every customer the store holds from an import is
`created` or `skipped` in its report, never `duplicate`; no secret reaches anything the run leaves."""

from __future__ import annotations

import base64
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from importer.options import Options
from importer.pipeline import run_import
from importer.send.retry import RetryPolicy
from importer.sandbox import Faults, SandboxServer


FAST = RetryPolicy(base=0.005, cap=0.05, unreachable_after=2.0, timeout=0.5)


def people(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Email", "Phone"])
        for i in range(count):
            writer.writerow([f"Person {i}", f"person{i}@example.com", f"+23480{i:08d}"])
    return path


def options(path: Path, server: SandboxServer, tmp_path: Path, retry: RetryPolicy = FAST, **kwargs: object) -> Options:
    return Options(input=path, base_url=server.base_url, reports_dir=tmp_path / "reports", progress=False, retry=retry, **kwargs)


def quiet(message: str) -> None:
    pass


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def agree(server: SandboxServer, *folders: Path) -> None:
    """The store and the reports agree row by row: every customer the store holds is filed created
    (with its id) or skipped by one of the runs, and none of them is filed duplicate."""
    stored = {str(c["email"]): str(c["_id"]) for c in server.store.customers.values()}
    created = {r["sent_email"]: r["customer_id"] for f in folders for r in rows(f, "created.csv")}
    skipped = {r["sent_email"] for f in folders for r in rows(f, "skipped.csv")}
    duplicates = {r["sent_email"] for f in folders for r in rows(f, "duplicates.csv")}
    for email, customer_id in stored.items():
        assert created.get(email) == customer_id or email in skipped, f"{email} is in the store but not filed created"
        assert email not in duplicates, f"{email} was created by this import but filed duplicate"


def only(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param(Faults(stall_after_commit=3.0), id="stall-mid-body"),
        pytest.param(Faults(trickle_seconds=3.0), id="trickle"),
        pytest.param(Faults(error_after_rate=1.0, error_after_status=500), id="500-after-commit"),
        pytest.param(Faults(error_after_rate=1.0, error_after_status=503), id="503-after-commit"),
        pytest.param(Faults(error_after_rate=1.0, error_after_status=504), id="504-after-commit"),
        *(pytest.param(Faults(error_after_rate=1.0, error_after_status=status), id=f"{status}-after-commit") for status in (501, 520, 522, 524, 599)),
        pytest.param(Faults(endless_body=True), id="endless-body"),
        pytest.param(Faults(gzip_bomb=True), id="gzip-bomb"),
        pytest.param(Faults(strip_id=True), id="201-without-id"),
    ],
)
def test_an_answer_that_proves_nothing_is_looked_up_and_the_customer_confirmed(make_sandbox, tmp_path: Path, faults: Faults) -> None:
    server = make_sandbox(faults)
    path = people(tmp_path / "p.csv", 4)
    result = run_import(options(path, server, tmp_path, concurrency=2), server.token, say=quiet)
    assert result.exit_code == 0 and only(result.summary["counts"]) == {"created": 4}
    assert {r["reason_code"] for r in rows(result.folder, "created.csv")} == {"created-confirmed"}
    assert all(n == 1 for n in server.store.stats.posts_per_email.values()) and len(server.store.customers) == 4
    agree(server, result.folder)


@pytest.mark.parametrize("status", [501, 522, 524])
def test_a_gateway_failing_every_request_is_a_store_out_of_reach_not_another_api(make_sandbox, tmp_path: Path, status: int) -> None:
    """A gateway's 5xx to the token check or to a lookup is an outage, tried again like a 503, then exit 4 for the same
    command to resume; never "not the Salesive API" (exit 2, check --base-url), which its status does not say."""
    server = make_sandbox(Faults(error_rate=1.0, error_status=status))
    path = people(tmp_path / "p.csv", 4)
    result = run_import(options(path, server, tmp_path, concurrency=2), server.token, say=quiet)
    assert result.exit_code == 4 and only(result.summary["counts"]) == {"pending": 4}
    assert server.store.stats.faults[str(status)] > 1 and server.store.stats.posts_per_email == {}


def test_a_store_that_commits_then_fails_everything_keeps_the_rows_in_doubt_for_the_resume(make_sandbox, tmp_path: Path) -> None:
    # The store creates the first customers, then answers 503 to everything, lookups included:
    # the run stops (exit 4) with those rows in doubt, and the resume looks each one up first.
    server = make_sandbox(Faults(error_after_rate=1.0, error_after_status=500))
    path = people(tmp_path / "p.csv", 30)

    def fail_everything() -> None:
        while server.store.stats.creations < 3:
            time.sleep(0.001)
        server.faults.error_rate = 1.0

    threading.Thread(target=fail_everything, daemon=True).start()
    first = run_import(options(path, server, tmp_path, concurrency=3), server.token, say=quiet)
    assert first.exit_code == 4
    doubtful = rows(first.folder, "pending.csv")
    assert {r["reason_code"] for r in doubtful} >= {"unconfirmed"} and not rows(first.folder, "duplicates.csv")
    created_before = set(server.store.customers)
    assert created_before

    server.faults.error_rate, server.faults.error_after_rate = 0.0, 0.0
    second = run_import(options(path, server, tmp_path, concurrency=3), server.token, say=quiet)
    assert second.exit_code == 0 and only(second.summary["counts"]).keys() <= {"created", "skipped"}
    assert len(server.store.customers) == 30 and server.store.stats.creations == 30
    skipped = {r["sent_email"] for r in rows(second.folder, "skipped.csv")}
    assert {str(server.store.customers[c]["email"]) for c in created_before} <= skipped
    agree(server, first.folder, second.folder)


def test_a_token_revoked_during_a_lookup_is_exit_3_and_the_row_stays_in_doubt(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(drop_after_rate=1.0, revoke_on_lookup=True))
    path = people(tmp_path / "p.csv", 1)
    first = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert first.exit_code == 3
    assert [r["reason_code"] for r in rows(first.folder, "pending.csv")] == ["unconfirmed"]
    server.faults.drop_after_rate, server.faults.revoke_on_lookup = 0.0, False
    server.store.add_token("app_new", {"WRITE_CUSTOMERS"})
    second = run_import(options(path, server, tmp_path), "app_new", say=quiet)
    assert second.exit_code == 0 and only(second.summary["counts"]) == {"skipped": 1}
    assert server.store.stats.posts_per_email["person0@example.com"] == 1
    agree(server, first.folder, second.folder)


def test_a_gateway_replaying_the_first_201_creates_nothing_it_reports(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(replay_first_create=True))
    path = people(tmp_path / "p.csv", 12)
    result = run_import(options(path, server, tmp_path, concurrency=1), server.token, say=quiet)
    assert result.exit_code == 1
    assert only(result.summary["counts"]) == {"created": 1, "failed": 11}
    assert {r["reason_code"] for r in rows(result.folder, "failed.csv")} == {"unproven"}
    assert len(server.store.customers) == 1
    agree(server, result.folder)


def test_a_base_url_that_serves_a_web_page_sends_nothing(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(web_page=True))
    result = cli("run", people(tmp_path / "p.csv", 12), "--base-url", server.base_url, token=server.token)
    assert result.code == 2
    assert f"{server.base_url} does not answer like the Salesive API (HTTP 200, text/html" in result.err
    assert server.store.stats.by_route["POST /api/v1/customers"] == 0 and not server.store.customers


def test_a_base_url_that_turns_into_a_web_page_mid_run_stops_with_the_rows_in_doubt(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox()
    path = people(tmp_path / "p.csv", 40)

    def web_page() -> None:
        while server.store.stats.creations < 5:
            time.sleep(0.001)
        server.faults.web_page = True

    threading.Thread(target=web_page, daemon=True).start()
    first = run_import(options(path, server, tmp_path, concurrency=2), server.token, say=quiet)
    assert first.exit_code == 4 and first.summary["counts"]["created"] >= 5
    assert first.summary["counts"]["created"] + first.summary["counts"]["pending"] == 40
    server.faults.web_page = False
    second = run_import(options(path, server, tmp_path, concurrency=2), server.token, say=quiet)
    assert second.exit_code == 0 and len(server.store.customers) == 40 == server.store.stats.creations
    agree(server, first.folder, second.folder)


def test_a_redirect_to_every_create_stops_the_run_as_a_404_does(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(redirect_creates=True))
    result = cli("run", people(tmp_path / "p.csv", 5), "--concurrency", "1", "--base-url", server.base_url, token=server.token)
    assert result.code == 2 and f"{server.base_url} answered HTTP 307 to " in result.err and "check --base-url" in result.err
    assert server.store.stats.by_route["POST /api/v1/customers"] == 1


@pytest.mark.parametrize(
    "status, message",
    [
        (400, "Customer already exists"),  # no word for an address: looked up
        (422, "Email has already been taken"),
        (400, "E11000 duplicate key error collection: customers index: shop_1_email_1 dup key"),
        (409, "Conflict"),
        (400, "This e-mail address is already registered"),
    ],
)
def test_a_duplicate_in_any_wording_is_a_duplicate(make_sandbox, tmp_path: Path, status: int, message: str) -> None:
    server = make_sandbox(Faults(duplicate_status=status, duplicate_message=message))
    prior = server.store.create({"name": "Somebody Else", "email": "person1@example.com"})
    result = run_import(options(people(tmp_path / "p.csv", 3), server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0 and only(result.summary["counts"]) == {"created": 2, "duplicate": 1}
    duplicates = rows(result.folder, "duplicates.csv")
    assert [r["sent_email"] for r in duplicates] == ["person1@example.com"]
    assert duplicates[0]["customer_id"] in ("", prior["_id"])  # named when a lookup was made


def test_a_refusal_that_only_sounds_like_a_duplicate_stays_invalid(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(duplicate_status=400, duplicate_message="Customer already exists"))
    path = tmp_path / "p.csv"
    path.write_text("Name,Email\nAda,ada@example.com\n", encoding="utf-8")
    server.store.create({"name": "Ada", "email": "ada@example.com"})
    server.store.customers.clear()  # the store refuses the email, but has no customer with it to find
    result = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert only(result.summary["counts"]) == {"invalid": 1}


def test_a_throttle_answering_retry_after_0_is_waited_out_not_hammered(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(throttle_seconds=3.0, retry_after=0))
    policy = RetryPolicy(unreachable_after=10.0)
    result = run_import(options(people(tmp_path / "p.csv", 10), server, tmp_path, policy, concurrency=4), server.token, say=quiet)
    assert result.exit_code == 0 and only(result.summary["counts"]) == {"created": 10}
    assert server.store.stats.faults["429"] < 60  # pauses grew although the store said 0


def test_a_throttle_longer_than_the_run_waits_ends_pending_with_exit_4(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox()
    path = people(tmp_path / "p.csv", 20)

    def throttle() -> None:
        while server.store.stats.creations < 5:
            time.sleep(0.001)
        server.faults.throttle_rate, server.faults.retry_after = 1.0, 3600

    threading.Thread(target=throttle, daemon=True).start()
    started = time.monotonic()
    result = cli("run", path, "--concurrency", "2", "--base-url", server.base_url, token=server.token)
    assert time.monotonic() - started < 20
    assert result.code == 4 and "the store asks us to wait 60 min (HTTP 429)" in result.err
    counts = result.summary["counts"]
    assert counts["failed"] == 0 and counts["created"] + counts["pending"] == 20 and counts["pending"] > 0
    assert "run the same command to send them" in result.err
    server.faults.throttle_rate = 0.0
    again = cli("run", path, "--concurrency", "2", "--base-url", server.base_url, token=server.token)
    assert again.code == 0 and len(server.store.customers) == 20
    agree(server, result.folder, again.folder)


def test_max_wait_sets_the_longest_pause_a_run_takes(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(throttle_rate=1.0, retry_after=3))
    result = cli("run", people(tmp_path / "p.csv", 2), "--max-wait", "2", "--base-url", server.base_url, token=server.token)
    assert result.code == 4 and "the store asks us to wait 3 s (HTTP 429), longer than a run waits (2 s, --max-wait)" in result.err
    server.faults.throttle_rate = 0.3
    waited = cli("run", people(tmp_path / "p.csv", 2), "--max-wait", "5", "--base-url", server.base_url, token=server.token)
    assert waited.code == 0 and len(server.store.customers) == 2


def test_lying_pages_are_read_until_they_bring_nothing_new(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(lying_pages=True))
    for i in range(250):
        server.store.create({"name": f"Old {i}", "email": f"old{i}@example.com"})
    path = tmp_path / "p.csv"
    path.write_text("Name,Email\nOld,old7@example.com\nNew,new@example.com\n", encoding="utf-8")
    result = cli("run", path, "--check-existing", "--base-url", server.base_url, token=server.token)
    assert result.code == 0 and only(result.summary["counts"]) == {"created": 1, "duplicate": 1}
    assert server.store.stats.by_route["GET /api/v1/customers"] < 20


def test_no_secret_an_error_page_repeats_reaches_anything_the_run_leaves(cli, make_sandbox, tmp_path: Path) -> None:
    # Every error answer repeats the Authorization header plainly, URL-encoded and in base64,
    # in its message and a header: duplicates, then a revoked token.
    server = make_sandbox(Faults(echo_auth=True, duplicate_status=400, revoke_after=6))
    server.store.create({"name": "Somebody", "email": "person1@example.com"})
    path = people(tmp_path / "p.csv", 20)
    log = tmp_path / "run.log"
    result = cli("run", path, "-v", "--concurrency", "1", "--log-file", log, "--base-url", server.base_url, token=server.token)
    assert result.code == 3 and rows(result.folder, "duplicates.csv") and rows(result.folder, "auth_failures.csv")
    assert "[redacted]" in (result.folder / "auth_failures.csv").read_text(encoding="utf-8-sig")
    header = f"Bearer {server.token}"
    spellings = [server.token, quote(header), base64.b64encode(header.encode()).decode()]
    left = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "p.csv"]
    for secret in spellings:
        assert secret not in result.out + result.err
        assert not any(secret.encode() in data for data in left), secret


# The importer is started by a small launcher that reports its child's peak memory: a child started
# straight from the test process would count the test process's own memory, shared until exec, as its peak.
LAUNCHER = """
import os, subprocess, sys, threading
child = subprocess.Popen(sys.argv[1:])
threading.Timer(90, child.kill).start()  # a body read without end would take the machine's memory
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss / (1 << 20) if sys.platform == "darwin" else usage.ru_maxrss / 1024, flush=True)
os._exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child is read with wait4")
def test_an_endless_answer_keeps_memory_bounded(make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(endless_body=True))
    path = people(tmp_path / "p.csv", 3)
    env = {**os.environ, "SALESIVE_TOKEN": server.token}
    importer = [sys.executable, "-m", "importer", "run", str(path), "--base-url", server.base_url, "--reports-dir", str(tmp_path / "r")]
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *importer], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    peak_mb = float(done.stdout.strip().splitlines()[-1])
    assert 0 < peak_mb < 400 and len(server.store.customers) == 3


def test_a_renewal_that_fails_says_so(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(revoke_after=2, token_endpoint_status=500))
    client = server.sandbox.add_oauth_client({"WRITE_CUSTOMERS"})
    credentials = tmp_path / "credentials.json"
    credentials.write_text(json.dumps({"access_token": server.token, "refresh_token": client.refresh_token,
                                       "client_id": client.client_id, "client_secret": client.client_secret}))
    credentials.chmod(0o600)
    path = people(tmp_path / "p.csv", 6)
    result = cli("run", path, "--concurrency", "1", "--credentials-file", credentials, "--base-url", server.base_url)
    assert result.code == 3
    assert "renewing the token failed: the token endpoint at 127.0.0.1 answered HTTP 500" in result.err
    assert "the token was rejected" not in result.err

    server.faults.token_endpoint_status, server.faults.renew_refused = 0, True
    again = cli("run", path, "--concurrency", "1", "--credentials-file", credentials, "--base-url", server.base_url)
    assert again.code == 3 and "the store refused the token just renewed at 127.0.0.1 (HTTP 401)" in again.err


def test_a_lost_answer_and_a_search_that_lags_leave_the_rows_unconfirmed_never_duplicate(make_sandbox, tmp_path: Path) -> None:
    """The store saves each customer but the answer is lost, and its search shows a new customer only a second
    later: the lookup finds nothing, the row goes again, and the store refuses it as already there. That refusal
    may be of this import's own customer, so the row stays unconfirmed; the same command, once the search shows
    them, reports them created by the earlier run. Nothing is a duplicate; nothing is created twice."""
    server = make_sandbox(Faults(drop_after_rate=1.0, search_lag=1.0))
    path = people(tmp_path / "p.csv", 4)
    said: list[str] = []
    first = run_import(options(path, server, tmp_path), server.token, say=said.append)
    assert first.exit_code == 1 and only(first.summary["counts"]) == {"pending": 4}, first.summary["counts"]
    assert {r["reason_code"] for r in rows(first.folder, "pending.csv")} == {"unconfirmed"}
    assert said[-1] == "Stopped after 0 created; 4 sent without a proven answer: run the same command, which looks those up first."
    assert len(server.store.customers) == 4
    server.faults.drop_after_rate = 0.0
    time.sleep(1.1)
    second = run_import(options(path, server, tmp_path), server.token, say=quiet)
    assert second.exit_code == 0 and only(second.summary["counts"]) == {"skipped": 4}, second.summary["counts"]
    assert len(server.store.customers) == 4 and not server.store.stats.faults.get("duplicate")
    agree(server, first.folder, second.folder)
