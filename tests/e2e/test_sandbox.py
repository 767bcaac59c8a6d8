"""The sandbox answers like the Salesive API: real HTTP requests to 127.0.0.1."""

from __future__ import annotations

import base64
import subprocess
import sys
import threading
import time

import httpx
import pytest

from importer.sandbox import READ, WRITE, Faults, SandboxServer

ADA = {"name": "Ada Obi", "email": "ada@example.com", "phone": "+2348012345678", "active": True}
CUSTOMER_FIELDS = {"_id", "id", "user", "shop", "name", "phone", "email", "lastActive", "online", "active", "avatar", "createdAt", "updatedAt"}


def api(server: SandboxServer, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token or server.token}"}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=10)


def check_envelope(response: httpx.Response, status: int) -> object:
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"status", "success", "message", "data"}
    assert body["status"] == status
    assert body["success"] is (200 <= status < 300)
    assert isinstance(body["message"], str) and body["message"]
    return body["data"]


def test_create_answers_like_the_published_example(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        response = http.post("/customers", json=ADA)
    data = check_envelope(response, 201)
    assert response.json()["message"] == "Customer created successfully"
    assert set(data) == CUSTOMER_FIELDS
    assert data["_id"] == data["id"] and len(data["_id"]) == 24
    assert (data["name"], data["email"], data["phone"], data["active"], data["user"]) == ("Ada Obi", "ada@example.com", "+2348012345678", True, None)
    assert data["online"] is False and data["shop"] == sandbox.store.shop
    assert data["avatar"].endswith("seed=Ada%20Obi&backgroundColor=0d65d9")
    assert data["createdAt"].endswith("Z")


def test_create_defaults_active_and_phone(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        data = check_envelope(http.post("/customers", json={"name": "Bo", "email": "bo@example.com"}), 201)
    assert data["active"] is True and data["phone"] is None


@pytest.mark.parametrize("status", [409, 400])
def test_duplicate_email_in_both_flavours_and_any_case(make_sandbox, status: int) -> None:
    server = make_sandbox(Faults(duplicate_status=status))
    with api(server) as http:
        check_envelope(http.post("/customers", json=ADA), 201)
        response = http.post("/customers", json={**ADA, "email": "ADA@Example.com"})
    check_envelope(response, status)
    assert "already exists" in response.json()["message"]
    assert len(server.store.customers) == 1


def test_missing_or_unknown_token_is_401(sandbox: SandboxServer) -> None:
    for headers in ({}, {"Authorization": "Bearer app_wrong"}, {"Authorization": "Basic xyz"}):
        response = httpx.post(sandbox.base_url + "/customers", json=ADA, headers=headers)
        check_envelope(response, 401)
        assert response.json()["message"] == "Authentication required"
    assert sandbox.store.customers == {}


def test_scopes(sandbox: SandboxServer) -> None:
    sandbox.store.add_token("app_reader", {READ})
    with api(sandbox, "app_reader") as http:
        response = http.post("/customers", json=ADA)
        check_envelope(response, 403)
        assert response.json()["message"] == "Insufficient scope"
        check_envelope(http.get("/customers"), 200)
        check_envelope(http.put("/customers/665a1f2c9b1e4a0012ab34cd", json={"name": "x"}), 403)
    with api(sandbox) as http:  # WRITE_CUSTOMERS includes reading
        check_envelope(http.get("/customers"), 200)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"email": "a@example.com"}, "name is required"),
        ({"name": "   ", "email": "a@example.com"}, "name is required"),
        ({"name": "A"}, "email is required"),
        ({"name": "A", "email": "not-an-email"}, "valid email"),
        ({"name": 5, "email": "a@example.com"}, "name must be a string"),
        ({"name": "A", "email": "a@example.com", "active": "yes"}, "active must be a boolean"),
        ({"name": "A", "email": "a@example.com", "phone": 123}, "phone must be"),
        ({"name": "A", "email": "a@example.com", "user": "nope"}, "ObjectId"),
        ([1, 2], "JSON object"),
    ],
)
def test_validation_errors_are_400(sandbox: SandboxServer, body: object, words: str) -> None:
    with api(sandbox) as http:
        response = http.post("/customers", json=body)
    check_envelope(response, 400)
    assert words in response.json()["message"]
    assert sandbox.store.customers == {}


def test_invalid_json_is_400(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        response = http.post("/customers", content=b"{not json", headers={"Content-Type": "application/json"})
    check_envelope(response, 400)


def test_user_link(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        data = check_envelope(http.post("/customers", json={**ADA, "user": "665a1f2c9b1e4a0012ab34cd"}), 201)
    assert data["user"]["_id"] == "665a1f2c9b1e4a0012ab34cd"


def test_list_pages_searches_and_caps_limit(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        for i in range(120):
            http.post("/customers", json={"name": f"Person {i}", "email": f"p{i}@example.com", "phone": f"+23480000{i:05d}"})
        data = check_envelope(http.get("/customers"), 200)
        assert (len(data["customers"]), data["page"], data["pages"], data["total"]) == (10, 1, 12, 120)
        assert data["customers"][0]["email"] == "p119@example.com"  # most recently active first
        capped = check_envelope(http.get("/customers", params={"limit": 500, "page": 2}), 200)
        assert (len(capped["customers"]), capped["pages"]) == (20, 2)
        assert check_envelope(http.get("/customers", params={"search": "P7@EXAMPLE"}), 200)["total"] == 1
        assert check_envelope(http.get("/customers", params={"search": "person 11"}), 200)["total"] == 11
        assert check_envelope(http.get("/customers", params={"search": "00042"}), 200)["customers"][0]["name"] == "Person 42"
        check_envelope(http.get("/customers", params={"page": "x"}), 400)
        check_envelope(http.get("/customers", params={"page": "0"}), 400)


def test_update(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        created = check_envelope(http.post("/customers", json={**ADA, "user": "665a1f2c9b1e4a0012ab34cd"}), 201)
        check_envelope(http.post("/customers", json={"name": "Bo", "email": "bo@example.com"}), 201)
        updated = check_envelope(http.put(f"/customers/{created['_id']}", json={"name": "Ada O.", "active": False}), 200)
        assert (updated["name"], updated["active"], updated["email"]) == ("Ada O.", False, "ada@example.com")
        by_user = check_envelope(http.put("/customers/665a1f2c9b1e4a0012ab34cd", json={"phone": None}), 200)
        assert by_user["_id"] == created["_id"] and by_user["phone"] is None
        check_envelope(http.put("/customers/665a1f2c9b1e4a0012ab0000", json={"name": "x"}), 404)
        check_envelope(http.put(f"/customers/{created['_id']}", json={}), 400)
        check_envelope(http.put(f"/customers/{created['_id']}", json={"email": "BO@example.com"}), 409)
        moved = check_envelope(http.put(f"/customers/{created['_id']}", json={"email": "ada2@example.com"}), 200)
        assert moved["email"] == "ada2@example.com"
        check_envelope(http.post("/customers", json=ADA), 201)  # the old email is free again
    assert sandbox.store.stats.updates == 3


def test_latency(make_sandbox) -> None:
    server = make_sandbox(Faults(latency_ms=150))
    with api(server) as http:
        started = time.perf_counter()
        check_envelope(http.get("/customers"), 200)
    assert time.perf_counter() - started >= 0.15


def test_latency_runs_from_arrival_the_customer_is_stored_at_once_and_answered_later(make_sandbox) -> None:
    server = make_sandbox(Faults(latency_ms=400))
    answers: list[httpx.Response] = []
    with api(server) as http:
        started = time.perf_counter()
        poster = threading.Thread(target=lambda: answers.append(http.post("/customers", json=ADA)))
        poster.start()
        while not server.store.customers and time.perf_counter() - started < 5:
            time.sleep(0.005)
        stored_after = time.perf_counter() - started
        assert server.store.customers and not answers and stored_after < 0.4  # stored at once, the answer not yet sent
        poster.join(timeout=5)
    check_envelope(answers[0], 201)
    assert time.perf_counter() - started >= 0.4


def test_error_and_throttle_faults(make_sandbox) -> None:
    server = make_sandbox(Faults(error_rate=1.0))
    with api(server) as http:
        check_envelope(http.post("/customers", json=ADA), 503)
    throttled = make_sandbox(Faults(throttle_rate=1.0, retry_after=7))
    with api(throttled) as http:
        response = http.post("/customers", json=ADA)
    check_envelope(response, 429)
    assert response.headers["Retry-After"] == "7"
    assert server.store.customers == {} and throttled.store.customers == {}
    assert throttled.store.stats.faults["429"] == 1


def test_fault_rates_are_partial_and_seeded(make_sandbox) -> None:
    seen = []
    for _ in range(2):
        server = make_sandbox(Faults(error_rate=0.3, seed=7))
        with api(server) as http:
            seen.append([http.get("/customers").status_code for _ in range(40)])
    assert seen[0] == seen[1]
    assert 0 < seen[0].count(503) < 40


@pytest.mark.parametrize("where, stored", [("before", 0), ("after", 1)])
def test_dropped_connections(make_sandbox, where: str, stored: int) -> None:
    server = make_sandbox(Faults(**{f"drop_{where}_rate": 1.0}))
    with api(server) as http, pytest.raises(httpx.TransportError):
        http.post("/customers", json=ADA)
    assert len(server.store.customers) == stored
    assert server.store.stats.faults[f"drop_{where}"] == 1


def test_token_revoked_after_n_creations(make_sandbox) -> None:
    server = make_sandbox(Faults(revoke_after=2))
    with api(server) as http:
        statuses = [http.post("/customers", json={"name": "P", "email": f"p{i}@example.com"}).status_code for i in range(4)]
    assert statuses == [201, 201, 401, 401]


def test_counters(sandbox: SandboxServer) -> None:
    with api(sandbox) as http:
        http.post("/customers", json=ADA)
        http.post("/customers", json={**ADA, "email": " ADA@example.com "})
        http.get("/customers")
    stats = httpx.get(sandbox.origin + "/__sandbox/stats").json()
    assert stats["requests"] == 3 and stats["creations"] == 1 and stats["posts"] == 2
    assert stats["posts_per_email"] == {"ada@example.com": 2}
    assert stats["by_status"] == {"201": 1, "409": 1, "200": 1}
    assert stats["by_route"]["POST /api/v1/customers"] == 2


def test_oauth_discovery_and_refresh(sandbox: SandboxServer) -> None:
    client = sandbox.sandbox.add_oauth_client({WRITE})
    discovery = httpx.get(sandbox.origin + "/.well-known/oauth-authorization-server").json()
    assert discovery["token_endpoint"] == sandbox.base_url + "/oauth/token"
    assert "refresh_token" in discovery["grant_types_supported"]
    form = {"grant_type": "refresh_token", "refresh_token": client.refresh_token}
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    answer = httpx.post(discovery["token_endpoint"], data=form, headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 200
    tokens = answer.json()
    assert tokens["access_token"].startswith("app_") and tokens["refresh_token"] != form["refresh_token"]
    with api(sandbox, tokens["access_token"]) as http:
        check_envelope(http.post("/customers", json=ADA), 201)
    reused = httpx.post(discovery["token_endpoint"], data={**form, "client_id": client.client_id, "client_secret": client.client_secret})
    assert reused.status_code == 400  # the old refresh token was rotated away
    wrong = httpx.post(discovery["token_endpoint"], data={**form, "client_id": client.client_id, "client_secret": "nope"})
    assert wrong.status_code == 401


def test_sandbox_command_starts_and_answers() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "importer", "sandbox", "--port", "0", "--token", "app_cmd"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v1")
        response = httpx.post(base_url + "/customers", json=ADA, headers={"Authorization": "Bearer app_cmd"}, timeout=10)
        check_envelope(response, 201)
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_sandbox_command_refuses_a_busy_port(sandbox: SandboxServer) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "importer", "sandbox", "--port", str(sandbox.port)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "cannot listen" in done.stderr and "Traceback" not in done.stderr
