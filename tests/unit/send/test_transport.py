"""The client keeps no cookie the store sets."""

from __future__ import annotations

import asyncio

import httpx

from importer.send.transport import CookielessClient


def test_a_cookie_the_store_sets_is_never_kept_or_sent_back() -> None:
    seen: list[httpx.Request] = []

    def store(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Set-Cookie": "session=abc; Path=/"}, json={"data": {}})

    async def twice() -> None:
        async with CookielessClient(transport=httpx.MockTransport(store)) as http:
            await http.get("http://127.0.0.1/api/v1/customers")
            await http.get("http://127.0.0.1/api/v1/customers")
            assert not http.cookies

    asyncio.run(twice())
    assert len(seen) == 2 and "cookie" not in seen[1].headers
