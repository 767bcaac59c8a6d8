"""The options of one import.

The CLI builds `Options` from its flags; the pipeline, the confirmation step, the stages
that need a setting, and tests take them. They name nothing of a stage, so any stage may
read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .send.retry import RetryPolicy

DEFAULT_BASE_URL = "https://api.salesive.com/api/v1"


def one_spelling(url: str) -> str:
    """A base URL as one spelling of it: scheme and host in lower case, no default port, `.` and `..` in its path
    resolved, no trailing slash. The import's key, its lock and the store's ledger are named after it, so
    `HTTP://Host:443/api/./v1/` and `https://host/api/v1` are one store and one import (two runs at once are refused)."""
    import posixpath
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = "" if parts.port in (None, {"http": 80, "https": 443}.get(scheme)) else f":{parts.port}"
    user = parts.netloc.rpartition("@")[0]
    path = posixpath.normpath(parts.path) if parts.path.strip("/") else ""
    return urlunsplit((scheme, f"{user}@{host}{port}" if user else f"{host}{port}", path.rstrip("/"), parts.query, parts.fragment))


@dataclass
class Options:
    """Everything a run or a dry run needs, except the token (kept out so it is never echoed)."""

    input: Path
    input_name: str = ""  # the input as the merchant named it, when `input` is a private copy of it (a pipe, `-`)
    base_url: str = DEFAULT_BASE_URL
    dry_run: bool = False
    sheet: str | None = None
    table: str | None = None  # of a sheet holding several tables, the one to read (`--table`)
    overrides: dict[str, str | None] = field(default_factory=dict)
    concurrency: int = 8
    reports_dir: Path = Path("reports")
    phone_region: str | None = None
    progress: bool = True
    max_rps: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_existing: str = "skip"  # or "update"
    restart: bool = False
    encoding: str | None = None  # read a CSV in this encoding instead of the one detected
    check_existing: bool = False
    ignore_ledger: bool = False  # send every row as if the store's ledger were empty (it still learns)
    blank_clears: bool = False
    quiet: bool = False
    verbose: bool = False
    log_interval: float = 10.0

    def described(self) -> dict[str, Any]:
        """The options for summary.json (the token is not among them)."""
        skip = {"input", "input_name", "retry", "progress", "log_interval"}
        return {k: str(v) if isinstance(v, Path) else v for k, v in vars(self).items() if k not in skip}
