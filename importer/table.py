"""The table an import reads, found and checked the same way by the preview and by the import.

The preview shown before a run (confirm.py) and the run itself (pipeline.py) must read
the same rows under the same columns, and name the import by the same key, or the
merchant would agree to one thing and get another. Both take these from here.
"""

from __future__ import annotations

from collections.abc import Iterator

from .check.checker import Checker
from .check.dedupe import Deduper
from .check.screen import Screened, line_width, screened
from .columns.column_map import ColumnMap
from .columns.header import Found, find_header
from .options import Options, identity
from .read.sheet import Table, open_tables
from .read.snapshot import Snapshot
from .send.journal import import_key, keyed

# Rows read and checked at once: a dry run takes large chunks; an import small ones,
# so that checking a chunk never holds up the answers arriving meanwhile for long.
DRY_CHUNK = 32_768
SEND_CHUNK = 4_096


def find(options: Options, rows: int) -> Found:
    """The table of the input an import of `options` reads, with its header and rows (`rows` at a time)."""
    return find_header(open_tables(options.input, options.sheet, options.encoding), options.overrides, rows, options.table)


def checked_chunks(options: Options, found: Found) -> Iterator[Screened]:
    """The table's rows, a chunk at a time, after the local checks of `options` and the dropping of repeats."""
    checker = Checker(phone_region=options.phone_region, blank_active=found.column_map.blank_active)
    return screened(found.frames, found.column_map, checker, Deduper(), line_width(found))


def key_of(options: Options, table: Table, column_map: ColumnMap, snapshot: Snapshot) -> str:
    """The import's key (see `import_key`): the file's content as the snapshot read it, and the sheet, store and options it is sent with."""
    return keyed(snapshot.content, identity(options, table, column_map))


def journal_key(options: Options) -> str:
    """The name of the journal an import of `options` keeps (which file under `.state/` is its own)."""
    found = find(options, SEND_CHUNK)
    return import_key(options.input, identity(options, found.table, found.column_map))
