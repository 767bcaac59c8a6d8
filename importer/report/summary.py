"""What a run's summary says: the exit code and the short summary line.

Both are read off the finished report's counts, so a run and a dry run end the same way.
"""

from __future__ import annotations

from typing import Any

from ..errors import ExitCode
from ..outcomes import Category
from .writer import Report


def passed_over(rows: list[int], shown: int = 10) -> str:
    """The row numbers of lines that are not customers, as the merchant is told: `row 1, row 22 and 3 more`."""
    named = ", ".join(f"row {r}" for r in rows[:shown])
    return named + (f" and {len(rows) - shown} more (summary.json lists them)" if len(rows) > shown else "")


def decide_exit_code(report: Report) -> ExitCode:
    """A run that went to its end: 1 when the merchant has rows to fix, or rows the store's answers left unproven
    (pending: the same command looks them up), so that a script never takes such a run for done."""
    if any(report.counts[c] for c in Category if c.is_problem) or report.counts[Category.PENDING]:
        return ExitCode.ROWS_REJECTED
    return ExitCode.OK


def describe(summary: dict[str, Any], unconfirmed: int = 0) -> str:
    """The short human summary printed at the end of a run; `unconfirmed`: of its pending rows, those that were sent
    but whose answer proved nothing (the same command looks them up before anything else)."""
    counts = {k: v for k, v in summary["counts"].items() if v}
    pending = counts.pop(Category.PENDING.value, 0)
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    if pending and unconfirmed:
        waiting = f"{pending - unconfirmed} not sent yet and " if pending > unconfirmed else ""
        line = f"Stopped after {parts or '0 created'}; {waiting}{unconfirmed} sent without a proven answer: run the same command, which looks those up first."
    elif pending:
        line = f"Stopped after {parts or '0 created'}; {pending} not sent yet: run the same command to send them."
    else:
        verb = "Checked" if summary["dry_run"] else "Imported"
        line = f"{verb} {summary['rows']} rows: {parts or 'no rows'}."
    if summary.get("rows_with_warnings"):
        line += f" {summary['rows_with_warnings']} rows have warnings (see the warnings column)."
    if summary["rows"] == 0:
        line += " Warning: the file has a header but no rows."
    return line
