"""How a lost request, a long pause and a read of the customer list are told: named, and without a secret."""

from __future__ import annotations

import httpx
import pytest

from importer.errors import AuthError, CertificateError, NotTheApiError, UnreachableError, UsageError
from importer.send.listing import check_answer, customers_in, data_of, shop_of
from importer.send.losses import how_long, refused, told, too_long_a_pause

API = "https://store.example/api/v1"
TOKEN = "app_secret_access"


def hide(text: str) -> str:
    return text.replace(TOKEN, "[redacted]")


def listed(status: int, customers: object, **headers: str) -> httpx.Response:
    body = {"status": status, "success": status == 200, "message": f"echo Bearer {TOKEN}", "data": {"customers": customers}}
    return httpx.Response(status, json=body, headers=headers)


def test_a_lost_request_is_told_without_a_secret_and_an_untrusted_certificate_stops_the_run() -> None:
    never_left = httpx.ConnectError(f"Connection refused for Bearer {TOKEN}")
    assert refused(never_left) and told(never_left, "store.example", hide) == "connection failed: Connection refused for Bearer [redacted]"
    lost = httpx.ReadTimeout("operation timed out")
    assert not refused(lost) and told(lost, "store.example", hide) == "no answer: operation timed out"
    with pytest.raises(CertificateError) as untrusted:
        told(httpx.ConnectError(f"invalid peer certificate: UnknownIssuer {TOKEN}"), "store.example", hide)
    assert "the certificate of store.example does not verify" in str(untrusted.value) and TOKEN not in str(untrusted.value)


def test_a_pause_longer_than_the_run_waits_stops_it_saying_how_long() -> None:
    too_long_a_pause(httpx.Response(429, headers={"Retry-After": "30"}), max_wait=60)
    too_long_a_pause(httpx.Response(500, headers={"Retry-After": "7200"}), max_wait=60)
    with pytest.raises(UnreachableError) as stopped:
        too_long_a_pause(httpx.Response(503, headers={"Retry-After": "7200"}), max_wait=60)
    assert str(stopped.value).startswith("the store asks us to wait 2 h (HTTP 503), longer than a run waits (60 s, --max-wait)")
    assert [how_long(45), how_long(3600), how_long(10800)] == ["45 s", "60 min", "3 h"]


def test_a_read_gives_its_customers_and_names_the_store_of_the_first() -> None:
    answer = listed(200, [{"_id": "c1", "email": "ada@example.com", "shop": {"_id": "s1"}}, {"_id": "c2", "shop": "s1"}])
    assert [c["_id"] for c in customers_in(answer, API, hide)] == ["c1", "c2"]
    assert shop_of(answer) == "s1" and shop_of(listed(200, [{"_id": "c1", "shop": "s2"}])) == "s2"
    assert shop_of(listed(200, [])) is None and data_of(httpx.Response(200, text="<html>")) == {}
    check_answer(answer, API, hide)


def test_a_read_that_is_refused_or_not_the_apis_is_named_without_a_secret() -> None:
    with pytest.raises(AuthError) as rejected:
        customers_in(listed(401, None), API, hide)
    assert str(rejected.value) == "the token was rejected by the store (401) while reading its customers: echo Bearer [redacted]"
    with pytest.raises(NotTheApiError) as page:
        customers_in(httpx.Response(200, text="<html>", headers={"Content-Type": "text/html; charset=utf-8"}), API, hide)
    assert str(page.value) == f"{API} does not answer like the Salesive API (HTTP 200, text/html, to a read of its customers); check --base-url"


@pytest.mark.parametrize(
    ("answer", "error", "says"),
    [
        (listed(401, None), AuthError, "the token was rejected by the store (401); check SALESIVE_TOKEN or --token-file"),
        (listed(403, None), AuthError, "the token was rejected by the store (403): it lacks the WRITE_CUSTOMERS scope"),
        (httpx.Response(404), UsageError, f"{API} has no customer API (HTTP 404 for its customers); check --base-url"),
        (httpx.Response(302, headers={"Location": f"https://elsewhere.example/?t={TOKEN}"}), UsageError,
         f"{API} answered with a redirect (HTTP 302 to https://elsewhere.example/?t=[redacted]); check --base-url"),
        (httpx.Response(200, json=[]), UsageError,
         f"{API} does not answer like the Salesive API (HTTP 200, application/json, to a read of its customers); check --base-url"),
    ],
)
def test_the_token_checks_answer_stops_the_run_before_anything_is_sent(answer: httpx.Response, error: type[Exception], says: str) -> None:
    with pytest.raises(error) as stopped:
        check_answer(answer, API, hide)
    assert type(stopped.value) is error and str(stopped.value) == says
