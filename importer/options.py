"""The options of one import and what follows from them alone.

The CLI builds `Options` from its flags; the pipeline, the confirmation step and tests take
them. What makes an import itself (its identity) and how its source is named to the merchant
depend on the options and the table read, never on the rows, so they live here beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .columns.column_map import ColumnMap
from .read.sheet import Table
from .send.retry import RetryPolicy

DEFAULT_BASE_URL = "https://api.salesive.com/api/v1"

def identity(options: Options, table: Table, column_map: ColumnMap) -> dict[str, object]:
    """What makes an import itself besides the file's content: a run that differs in any of these is another import."""
    return {
        "sheet": table.name if table.kind == "workbook" else None,
        **({"table": table.label} if table.label else {}),
        "base_url": options.base_url.rstrip("/"),
        "columns": column_map.columns,
        "encoding": table.encoding,
        "phone_region": options.phone_region,
        "on_existing": options.on_existing,
        "blank_clears": options.blank_clears,
    }

def source(options: Options, table: Table) -> str:
    """The file being read, as the merchant is told: with its sheet (and table), or the encoding its text was read in."""
    where = f", sheet {table.name!r}" if table.kind == "workbook" else f" ({table.encoding})"
    if table.label:
        where += f", table {table.label}"
    return f"{options.input_name or options.input}{where}"

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
