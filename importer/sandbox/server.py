"""Serve the sandbox with uvicorn in a background thread, on a port the OS picks.

A thread (not a process) so that tests, `run --sandbox` and the benchmark can start
a real HTTP server in a few milliseconds and still look at its store directly.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from types import TracebackType

import uvicorn

from .app import API, Sandbox
from .faults import Faults
from .store import WRITE, Store

DEFAULT_TOKEN = "app_sandbox"


class SandboxServer:
    """A running sandbox: `with SandboxServer() as sb: sb.base_url, sb.token, sb.store`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        scopes: set[str] | frozenset[str] = frozenset({WRITE}),
        faults: Faults | None = None,
        store: Store | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """`tls`: a certificate and its key, to serve https (as a real store does)."""
        self.store = store or Store()
        self.token = token
        self.store.add_token(token, set(scopes))
        self.faults = faults or Faults()
        self.sandbox = Sandbox(self.store, self.faults)
        config = uvicorn.Config(
            self.sandbox,
            host=host,
            port=port,
            http="httptools",  # the C parser: measured, half the sandbox's CPU per request of the pure-Python one
            log_level=logging.CRITICAL,
            access_log=False,
            proxy_headers=False,  # nothing sits in front of it, so the middleware is cost alone
            lifespan="off",
            timeout_keep_alive=30,
            ssl_certfile=tls[0] if tls else None,
            ssl_keyfile=tls[1] if tls else None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="salesive-sandbox", daemon=True)
        self.host = host
        self.port = port
        self.scheme = "https" if tls else "http"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + API

    def start(self) -> SandboxServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise OSError(f"the sandbox could not listen on {self.host}:{self.port}")
            self._thread.join(0.005)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
