"""The store's client speaks httpx over pyreqwest's transport: what it sends, what it keeps, how it reads a loss."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx

from importer.send.client import StoreClient
from importer.send.losses import describe_error, refused
from importer.send.retry import RetryPolicy
from importer.sandbox import Faults, SandboxServer
from ..conftest import SAMPLES


FAST = RetryPolicy(base=0.005, cap=0.05, unreachable_after=5.0)


def test_a_base_url_without_the_api_exits_2_naming_it_before_any_post(cli, sandbox: SandboxServer) -> None:
    base_url = sandbox.origin + "/api/v2"
    result = cli("run", SAMPLES / "customers.csv", "--base-url", base_url, token=sandbox.token)
    assert result.code == 2 and "Traceback" not in result.err
    assert [line for line in result.err.splitlines() if base_url in line] == [
        f"salesive-import: error: {base_url} has no customer API (HTTP 404 for its customers); check --base-url"
    ]
    assert not [route for route in sandbox.store.stats.by_route if route.startswith("POST")]
    assert sandbox.store.stats.creations == 0 and not sandbox.store.customers


def test_a_post_that_outlived_its_timeout_is_looked_up_not_sent_again(make_sandbox) -> None:
    # The store creates a customer as its POST arrives and answers 0.6 s later; the
    # client gives up after 0.2 s. That loss is not a failed connection: the
    # customer exists, so the lookup that follows the second row's lost POST (the
    # store answers at once by then) must find it, and no second POST goes out.
    server = make_sandbox(Faults(latency_ms=600))

    def answer_at_once_after_the_second_creation() -> None:
        while server.store.stats.creations < 2:
            time.sleep(0.002)
        server.faults.latency_ms = 0

    async def create() -> tuple[BaseException, object]:
        async with StoreClient(server.base_url, server.token, retry=FAST, timeout=0.2) as client:
            try:
                await client._request("POST", client._customers, payload=b'{"name": "Ada Obi", "email": "first@example.com"}')
            except httpx.RequestError as exc:
                lost = exc
            else:
                raise AssertionError("the request got an answer in time")
            threading.Thread(target=answer_at_once_after_the_second_creation, daemon=True).start()
            body = {"name": "Ada Obi", "email": "ada@example.com"}
            return lost, await client.create(body, '{"name": "Ada Obi", "email": "ada@example.com"}')

    lost, outcome = asyncio.run(create())
    assert isinstance(lost, httpx.TimeoutException) and not refused(lost)
    assert describe_error(lost) == "no answer: operation timed out"
    assert outcome is not None and outcome.code == "created-confirmed"
    assert server.store.stats.posts_per_email["ada@example.com"] == 1
    assert sorted(c["email"] for c in server.store.customers.values()) == ["ada@example.com", "first@example.com"]


def test_a_rows_request_is_the_one_httpx_itself_would_build(sandbox: SandboxServer) -> None:
    # Rows' requests are assembled from headers made once; what leaves must match
    # httpx's own preparation of the same request, header for header.
    payload = b'{"name": "Ada Obi", "email": "ada@example.com"}'

    async def both() -> tuple[httpx.Request, httpx.Request]:
        async with StoreClient(sandbox.base_url, sandbox.token) as client:
            ours = client._session.build("POST", client._customers, None, payload)
            theirs = client._http.build_request(
                "POST", sandbox.base_url + "/customers", content=payload,
                headers={"Authorization": f"Bearer {sandbox.token}", "Content-Type": "application/json"},
            )
            return ours, theirs

    ours, theirs = asyncio.run(both())
    assert (ours.method, ours.url, ours.content) == (theirs.method, theirs.url, theirs.content)
    assert sorted((k.lower(), v) for k, v in ours.headers.multi_items()) == sorted((k.lower(), v) for k, v in theirs.headers.multi_items())
    assert "cookie" not in ours.headers and ours.headers["content-length"] == str(len(payload))


def test_a_404_to_the_first_post_stops_the_run_with_exit_2(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox(Faults(no_create=True))
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nAda,ada@example.com\nBo,bo@example.com\nCy,cy@example.com\n", encoding="utf-8")
    result = cli("run", path, "--concurrency", "1", "--base-url", server.base_url, token=server.token)
    assert result.code == 2 and f"{server.base_url} answered HTTP 404 to a new customer; check --base-url" in result.err
    assert server.store.stats.by_route["POST /api/v1/customers"] == 1  # nothing more was sent
    assert result.summary["counts"]["pending"] == 2 and result.summary["counts"]["failed"] == 1


class CountedPauses(RetryPolicy):
    """The policy of the run, with every pause asked for noted (by the try it follows) and none taken."""

    asked: list[int]

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        self.asked.append(attempt)
        return 0.0


def counted(attempts: int) -> CountedPauses:
    policy = CountedPauses(attempts=attempts, unreachable_after=60.0)
    object.__setattr__(policy, "asked", [])
    return policy


def test_every_kind_of_request_tries_as_often_as_the_policy_says_and_never_pauses_after_the_last(make_sandbox) -> None:
    """A read, a create and an update against a store that fails each try: the tries the policy allows, a pause
    after every failed one (of any kind: a 503, a 429, a lost connection) but the last."""
    import socket

    from importer.errors import UnreachableError
    from importer.outcomes import Category

    body = {"name": "Ada Obi", "email": "ada@example.com"}
    payload = '{"name": "Ada Obi", "email": "ada@example.com"}'
    failing = make_sandbox(Faults(error_rate=1.0))
    stored = failing.store.create({"name": "Bola Ade", "email": "bola@example.com"})
    throttling = make_sandbox(Faults(throttle_rate=1.0, retry_after=0))
    with socket.socket() as spare:  # a port nothing listens on: every connection is refused
        spare.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{spare.getsockname()[1]}/api/v1"

    async def tries(base_url: str, token: str, request: str) -> tuple[object, list[int]]:
        policy = counted(4)
        async with StoreClient(base_url, token, retry=policy, timeout=2.0) as client:
            try:
                if request == "read":
                    result: object = await client.find_customer("ada@example.com")
                elif request == "create":
                    result = await client.create(body, payload)
                else:
                    result = await client.update(str(stored["id"]), body)
            except UnreachableError as exc:
                result = exc
        return result, policy.asked

    read, asked = asyncio.run(tries(failing.base_url, failing.token, "read"))
    assert isinstance(read, UnreachableError) and "kept answering HTTP 503" in str(read) and asked == [1, 2, 3]
    updated, asked = asyncio.run(tries(failing.base_url, failing.token, "update"))
    assert getattr(updated, "category", None) is Category.FAILED and asked == [1, 2, 3]
    assert failing.store.stats.by_route[f"PUT /api/v1/customers/{stored['id']}"] == 4
    created, asked = asyncio.run(tries(throttling.base_url, throttling.token, "create"))
    assert getattr(created, "category", None) is Category.FAILED and asked == [1, 2, 3]
    assert sum(n for route, n in throttling.store.stats.by_route.items() if route.startswith("POST")) == 4
    for request in ("read", "create"):
        lost, asked = asyncio.run(tries(closed, "app_any", request))
        assert isinstance(lost, UnreachableError) and "could not be reached in 4 tries" in str(lost), (request, lost)
        assert asked == [1, 2, 3], request
