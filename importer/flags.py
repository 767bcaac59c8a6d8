"""The options of `run` and `validate`, each declared once.

The command line's parser and the config file's settings are both built from these
declarations, so the two always accept the same names, types and choices.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Setting
from .options import DEFAULT_BASE_URL


@dataclass(frozen=True)
class Flag:
    """One option of `run` and `validate`, declared once: the command line's parser and the config file's
    settings are both built from it, so the two always accept the same names, types and choices."""

    names: tuple[str, ...]
    help: str
    kind: type = str  # bool: a switch
    default: Any = None
    choices: tuple[Any, ...] | None = None
    metavar: str | None = None
    repeated: bool = False  # given again to add another (--map)
    run_only: bool = False

    @property
    def dest(self) -> str:
        return self.names[-1].lstrip("-").replace("-", "_")

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        settings: dict[str, Any] = {"help": self.help}
        if self.kind is bool:
            settings["action"] = "store_true"
        elif self.repeated:
            settings.update(action="append", default=[], metavar=self.metavar)
        else:
            settings.update(type=None if self.kind is str else self.kind, metavar=self.metavar)
            settings.update({"nargs": "?"} if not self.names[0].startswith("-") else {"default": self.default, "choices": self.choices})
        parser.add_argument(*self.names, **settings)

    @property
    def setting(self) -> Setting:
        """What a config file may set this option to."""
        return Setting(self.kind, self.choices)


FLAGS = (
    Flag(("input",), "a .csv, .tsv, .txt, .xlsx, .xlsm, .xls or .ods file", Path, metavar="INPUT"),
    Flag(("--config",), "a TOML file holding any of these options (for scheduled runs)", Path, metavar="FILE"),
    Flag(("--summary-json",), "also write summary.json to PATH, or to stdout with -", metavar="PATH"),
    Flag(("--base-url",), f"API base (default: $SALESIVE_BASE_URL or {DEFAULT_BASE_URL})"),
    Flag(("--token-file",), "file holding the app token (default: $SALESIVE_TOKEN)", Path),
    Flag(("--credentials-file",), "JSON file with access_token, refresh_token, client_id, client_secret: the token is renewed on a 401", Path),
    Flag(("--sheet",), "workbook sheet, by name or by position from 1"),
    Flag(("--table",), "of a sheet holding several tables: which one, by its Excel table name or by its number in the list the tool prints"),
    Flag(("--map",), "use column HEADER for FIELD (repeatable)", metavar="FIELD=HEADER", repeated=True),
    Flag(("--concurrency",), "requests in flight at most (default 8)", int, 8),
    Flag(("--max-rps",), "start at most this many requests per second", float),
    Flag(("--max-wait",), "the longest pause the store may ask for before the run stops to be resumed later (default 60)", float, 60.0, metavar="SECONDS"),
    Flag(("--reports-dir",), "where run folders go (default: reports)", Path, Path("reports")),
    Flag(("--phone-region",), "turn national phone numbers into E.164 for this country (e.g. NG)", metavar="CC"),
    Flag(("--no-progress",), "no progress bar (log lines every 10 s instead)", bool),
    Flag(("-q", "--quiet"), "print only errors and the run folder", bool),
    Flag(("-v", "--verbose"), "a line for every row", bool),
    Flag(("--log-file",), "append messages and progress lines to this file instead of stderr", Path),
    Flag(("--check-existing",), "read the store's customers first; rows whose email it has are not POSTed", bool),
    Flag(("--ignore-ledger",), "send every row as if the store's ledger were empty (for a store whose customers were deleted by hand); the ledger still learns from the answers", bool),
    Flag(("--on-existing",), "when the store has the email: report it as duplicate (default) or update that customer", default="skip", choices=("skip", "update")),
    Flag(("--blank-clears",), "with --on-existing update: a blank cell clears the stored value", bool),
    Flag(("--encoding",), "read a CSV in this encoding instead of the one detected (e.g. cp1250, cp1251, mac_roman)", metavar="NAME"),
    Flag(("--restart",), "ignore what an earlier, interrupted run of the same import did, and start over", bool),
    Flag(("--yes",), "run: do not ask before creating customers (it is only asked in a terminal, never with --sandbox)", bool),
    Flag(("--dry-run",), "the same as `validate`", bool, run_only=True),
    Flag(("--sandbox",), "import into a local sandbox store (a rehearsal)", bool, run_only=True),
)


def flags_of(command: str) -> tuple[Flag, ...]:
    """The options `command` (`run` or `validate`) takes: `validate` has none of those only a run has."""
    return tuple(flag for flag in FLAGS if command == "run" or not flag.run_only)
