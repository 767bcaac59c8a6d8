"""The table an import reads, found, named and checked the same way by the preview and by the import.

The preview shown before a run (confirm.py) and the run itself (pipeline.py) must read
the same rows under the same columns, and name the import by the same key, or the
merchant would agree to one thing and get another. Both take these from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import __version__
from .check.checker import Checker
from .check.dedupe import Deduper
from .check.screen import Screened, line_width, screened
from .columns.column_map import ColumnMap
from .columns.header import Found, find_header
from .options import Options
from .read.sheet import Table, open_tables
from .read.snapshot import Snapshot
from .send.journal import keyed

# Rows read and checked at once: a dry run takes large chunks; an import small ones,
# so that checking a chunk never holds up the answers arriving meanwhile for long.
DRY_CHUNK = 32_768
SEND_CHUNK = 4_096


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


def find(options: Options, rows: int, sends: bool) -> Found:
    """The table of the input an import of `options` reads, with its header and rows (`rows` at a time); `sends`: whether
    rows read from it are sent (an import's sending pass), where reading far ahead would let a change to the file go unseen."""
    tables = open_tables(options.input, options.sheet, options.encoding)
    for table in tables:
        table.watch.sends = sends
    return find_header(tables, options.overrides, rows, options.table)


def checked_chunks(options: Options, found: Found) -> Iterator[Screened]:
    """The table's rows, a chunk at a time, after the local checks of `options` and the dropping of repeats."""
    checker = Checker(phone_region=options.phone_region, blank_active=found.column_map.blank_active)
    return screened(found.frames, found.column_map, checker, Deduper(), line_width(found))


def key_of(options: Options, table: Table, column_map: ColumnMap, snapshot: Snapshot) -> str:
    """The import's key (see `import_key`): the file's content as the snapshot read it, and the sheet, store and options it is sent with."""
    return keyed(snapshot.content, identity(options, table, column_map))


def _shown(name: str) -> str:
    """A file's name as text a report can hold: bytes of it that are no UTF-8 (a name from an old Windows archive,
    `clients\xe9.csv`) shown as the replacement character rather than stopping the report."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def run_facts(options: Options, found: Found) -> dict[str, Any]:
    """What summary.json says of a run before its rows: the input as named, how it was read, its columns and its options."""
    table, column_map = found.table, found.column_map
    return {
        "input": _shown(options.input_name or str(options.input)),
        "dry_run": options.dry_run,
        "version": __version__,
        "columns": column_map.columns,
        "unused_columns": list(column_map.unused),
        "encoding": table.encoding or None,
        "sheet": table.name if table.kind == "workbook" else None,
        **({"table": table.label} if table.label else {}),
        "hidden_rows": found.hidden_rows,
        "notes": found.notes,
        **({} if options.dry_run else {"base_url": options.base_url}),
        "options": options.described(),
    }
