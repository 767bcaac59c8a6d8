"""A local Salesive-compatible API for rehearsals, tests and benchmarks."""

from .app import Sandbox
from .faults import Faults
from .server import DEFAULT_TOKEN, SandboxServer
from .store import READ, WRITE, Store

__all__ = ["DEFAULT_TOKEN", "READ", "WRITE", "Faults", "Sandbox", "SandboxServer", "Store"]
