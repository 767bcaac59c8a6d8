"""The benchmark's floor: pyreqwest alone posting customers, with nothing of the importer.

    python bench/floor.py BASE_URL TOKEN CONCURRENCY ROWS

No file, checks, journal or report, and nothing imported beyond what sending
needs, so that `run.py` can show how close an import comes to the HTTP client
it is built on.
"""

import asyncio
import json
import sys

import uvloop
from pyreqwest.client import ClientBuilder


async def bare_posts(base_url: str, token: str, concurrency: int, rows: int) -> None:
    """`rows` POSTs from `concurrency` workers, each waiting for its answer before the next."""
    numbers = iter(range(rows))
    async with ClientBuilder().error_for_status(False).no_proxy().build() as http:
        async def worker() -> None:
            for i in numbers:
                body = json.dumps({"name": "Ada Obi", "email": f"bare{i}@example.com", "active": True})
                request = http.post(base_url + "/customers").header("Authorization", f"Bearer {token}").header("Content-Type", "application/json")
                answer = await request.body_text(body).build().send()
                await answer.bytes()

        await asyncio.gather(*(worker() for _ in range(concurrency)))


if __name__ == "__main__":
    base_url, token, concurrency, rows = sys.argv[1:5]
    uvloop.run(bare_posts(base_url, token, int(concurrency), int(rows)))
