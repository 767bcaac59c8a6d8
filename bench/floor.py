"""The benchmark's floors: the HTTP stack alone posting customers, with nothing of the importer's work.

    python bench/floor.py pyreqwest BASE_URL TOKEN CONCURRENCY ROWS
    python bench/floor.py httpx BASE_URL TOKEN CONCURRENCY ROWS

`pyreqwest` posts through pyreqwest's own client; `httpx` through a plain
`httpx.AsyncClient` over pyreqwest's `HttpxTransport`, each request made the
usual httpx way (`client.post`). No file, checks, journal or report, and nothing
imported beyond what sending needs, so that `run.py` can show what each layer
costs and how close an import comes to the stack it is built on.
"""

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterator

import uvloop


def bodies(rows: int) -> Iterator[str]:
    """The customers to post, shared by the workers."""
    return (json.dumps({"name": "Ada Obi", "email": f"bare{i}@example.com", "active": True}) for i in range(rows))


async def workers(post: Callable[[str], Awaitable[None]], concurrency: int, rows: int) -> None:
    """`rows` POSTs from `concurrency` workers, each waiting for its answer before the next."""
    shared = bodies(rows)

    async def worker() -> None:
        for body in shared:
            await post(body)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def pyreqwest_posts(base_url: str, token: str, concurrency: int, rows: int) -> None:
    from pyreqwest.client import ClientBuilder

    async with ClientBuilder().error_for_status(False).no_proxy().build() as http:
        async def post(body: str) -> None:
            request = http.post(base_url + "/customers").header("Authorization", f"Bearer {token}").header("Content-Type", "application/json")
            answer = await request.body_text(body).build().send()
            await answer.bytes()

        await workers(post, concurrency, rows)


async def httpx_posts(base_url: str, token: str, concurrency: int, rows: int) -> None:
    import httpx
    from pyreqwest.client import ClientBuilder
    from pyreqwest.compatibility.httpx import HttpxTransport

    transport = HttpxTransport(ClientBuilder().error_for_status(False).no_proxy().build())
    async with httpx.AsyncClient(transport=transport) as http:
        async def post(body: str) -> None:  # the answer's body is read before post returns
            await http.post(base_url + "/customers", content=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})

        await workers(post, concurrency, rows)


LOOPS = {"pyreqwest": pyreqwest_posts, "httpx": httpx_posts}

if __name__ == "__main__":
    client, base_url, token, concurrency, rows = sys.argv[1:6]
    uvloop.run(LOOPS[client](base_url, token, int(concurrency), int(rows)))
