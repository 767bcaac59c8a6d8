"""The session: the token's headers, one renewal for every request the old token failed, and no secret in any text."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from importer.errors import AuthError
from importer.send.credentials import Credentials
from importer.send.session import Session

API = "https://store.example/api/v1"
CUSTOMERS = httpx.URL(API + "/customers")
TOKEN_ENDPOINT = "https://store.example/oauth/token"
OLD, REFRESH, SECRET, NEW = "app_old_access", "app_refresh_token", "app_client_secret", "app_new_access"
Answer = Callable[[httpx.Request], httpx.Response]


def renewed(request: httpx.Request) -> httpx.Response:
    """A token endpoint that gives NEW for the refresh token."""
    return httpx.Response(200, json={"access_token": NEW, "token_type": "Bearer"})


class Store:
    """The OAuth side of a store: its discovery document and a token endpoint that answers as `answer` says; counts renewals."""

    def __init__(self, answer: Answer = renewed) -> None:
        self.answer = answer
        self.renewals = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/oauth-authorization-server":
            return httpx.Response(200, json={"token_endpoint": TOKEN_ENDPOINT})
        assert str(request.url) == TOKEN_ENDPOINT
        self.renewals += 1
        return self.answer(request)


def credentials_file(folder: Path) -> Credentials:
    path = folder / "credentials.json"
    path.write_text(json.dumps({"access_token": OLD, "refresh_token": REFRESH, "client_id": "app_client", "client_secret": SECRET}))
    return Credentials(path)


def session_of(store: Store, credentials: Credentials | None) -> tuple[Session, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(store), headers={"Accept": "application/json"})
    return Session(http, CUSTOMERS, API, OLD, credentials), http


def bearer(request: httpx.Request) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


def never_stopping() -> bool:
    return False


def test_requests_carry_the_tokens_headers_and_a_body_its_type_and_length() -> None:
    session, _ = session_of(Store(), None)
    read = session.build("GET", CUSTOMERS, {"limit": "1"}, None)
    create = session.build("POST", CUSTOMERS, None, b'{"email": "ada@example.com"}')
    assert bearer(read) == bearer(create) == OLD
    assert read.headers["Host"] == create.headers["Host"] == "store.example"
    assert read.headers["Accept"] == "application/json" and read.url.params["limit"] == "1"
    assert "Content-Type" not in read.headers
    assert create.headers["Content-Type"] == "application/json" and create.headers["Content-Length"] == "28"
    assert create.content == b'{"email": "ada@example.com"}'


def test_no_secret_in_its_repr_or_in_any_text_it_scrubs(tmp_path: Path) -> None:
    session, _ = session_of(Store(), credentials_file(tmp_path))
    assert not any(secret in repr(session) or secret in str(session) for secret in (OLD, REFRESH, SECRET))
    echoed = f"bad request: Authorization: Bearer {OLD}; refresh_token={REFRESH}&client_secret={SECRET}"
    scrubbed = session.scrub(echoed)
    assert not any(secret in scrubbed for secret in (OLD, REFRESH, SECRET))
    assert scrubbed.startswith("bad request: Authorization: Bearer [redacted]")


def test_an_expired_token_is_renewed_once_for_every_request_it_failed_then_used(tmp_path: Path) -> None:
    store = Store()
    session, http = session_of(store, credentials_file(tmp_path))

    async def refused_together() -> list[bool]:
        generation = session.generation
        return await asyncio.gather(*(session.renew(generation, never_stopping) for _ in range(5)))

    assert asyncio.run(refused_together()) == [True] * 5
    assert store.renewals == 1 and session.generation == 1
    assert bearer(session.build("GET", CUSTOMERS, None, None)) == NEW
    assert bearer(session.build("POST", CUSTOMERS, None, b"{}")) == NEW
    assert NEW not in session.scrub(f"echo {NEW}") and OLD not in session.scrub(f"echo {OLD}")
    assert json.loads((tmp_path / "credentials.json").read_text())["access_token"] == NEW
    asyncio.run(http.aclose())


def test_a_renewed_token_the_store_refuses_too_stops_the_run_naming_why(tmp_path: Path) -> None:
    store = Store()
    session, _ = session_of(store, credentials_file(tmp_path))
    assert asyncio.run(session.renew(0, never_stopping))
    with pytest.raises(AuthError) as refused:
        asyncio.run(session.renew(1, never_stopping))
    assert "refused the token just renewed at store.example" in str(refused.value)
    assert store.renewals == 1 and NEW not in str(refused.value)


def test_a_renewed_token_the_store_accepted_is_renewed_again_when_it_expires(tmp_path: Path) -> None:
    store = Store()
    session, _ = session_of(store, credentials_file(tmp_path))
    assert asyncio.run(session.renew(0, never_stopping))
    session.accepted()
    assert asyncio.run(session.renew(1, never_stopping))
    assert store.renewals == 2 and session.generation == 2


def test_a_renewal_the_token_endpoint_refuses_is_named_without_a_secret(tmp_path: Path) -> None:
    store = Store(lambda request: httpx.Response(400, json={"error": "invalid_grant", "echo": request.content.decode()}))
    session, _ = session_of(store, credentials_file(tmp_path))
    with pytest.raises(AuthError) as failed:
        asyncio.run(session.renew(0, never_stopping))
    message = str(failed.value)
    assert message.startswith("renewing the token failed: the token endpoint at store.example answered HTTP 400")
    assert not any(secret in message for secret in (OLD, REFRESH, SECRET, NEW))
    assert bearer(session.build("GET", CUSTOMERS, None, None)) == OLD


def test_without_credentials_or_once_the_run_stops_nothing_is_renewed(tmp_path: Path) -> None:
    store = Store()
    assert not asyncio.run(session_of(store, None)[0].renew(0, never_stopping))
    stopping, _ = session_of(store, credentials_file(tmp_path))
    assert not asyncio.run(stopping.renew(0, lambda: True))
    assert store.renewals == 0 and bearer(stopping.build("GET", CUSTOMERS, None, None)) == OLD
