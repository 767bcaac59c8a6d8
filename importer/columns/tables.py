"""The header row of each table of a sheet (blocks.py finds the tables), and the lines under it that are customers.

A part's header row is the first of its top rows whose words name customer fields: a
merged title above it, hidden columns and lines that are not customers, such as a totals
row, are passed over and said. Merged cells are read as the sheet shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..read.cells import rows_of
from ..read.sheet import Table
from ..read.structure import Area
from .column_map import ColumnMap, _candidates, map_columns
from .words import DATE, HEADER_SEARCH_ROWS, PERSON_NAME, WORD_RANK, fold

if TYPE_CHECKING:
    import pandas as pd


def _head(first: pd.DataFrame) -> list[tuple[int, list[str]]]:
    """The first rows of a table, where its header is looked for: (row number, cells)."""
    return [(row, [str(c) for c in cells]) for row, cells in zip(first.index[:HEADER_SEARCH_ROWS], first.iloc[:HEADER_SEARCH_ROWS].itertuples(index=False))]


def _titles(head: list[tuple[int, list[str]]]) -> tuple[tuple[str, ...], ...]:
    """The lines above a header, compared as headers are and without their numbers (`page 2 of 3` tops each page)."""
    return tuple(tuple(re.sub(r"\d+", "", cell) for cell in _folded(cells)) for _, cells in head)


def _email_header(head: list[tuple[int, list[str]]], overrides: Mapping[str, str | None]) -> tuple[int, ColumnMap, list[str]] | None:
    """The best header among `head` when it names an email column: what starts a table of customers."""
    choice = _best_header(head, overrides)
    return choice if choice is not None and "email" in choice[1].fields else None


def _folded(cells: list[str]) -> tuple[str, ...]:
    """A row's cells compared as headers are, without trailing blanks."""
    folded = [fold(str(c)) for c in cells]
    while folded and not folded[-1]:
        folded.pop()
    return tuple(folded)


def _shifted(columns: frozenset[int], part: Table) -> frozenset[int]:
    """Sheet column indexes as indexes into a table that starts at a later column."""
    left = part.area.left if part.area else 0
    return frozenset(c - left for c in columns if c >= left)


def _shifted_merges(merges: tuple[Area, ...], part: Table) -> tuple[Area, ...]:
    """The merged areas of a table's columns, columns counted from the table's first."""
    left = part.area.left if part.area else 0
    return tuple(Area(m.top, m.left - left, m.bottom, m.right - left) for m in merges if m.left >= left)


def _merged_down(merges: tuple[Area, ...], header_row: int) -> list[Area]:
    """The cells merged down over several data rows (below the header)."""
    return [m for m in merges if m.top > header_row and m.bottom > m.top]


# A line of totals' label, in the languages Excel's Subtotal and PivotTables write it, and the amounts beside it.
_TOTALS = re.compile(
    r"(?i)(?:^|\b)(?:total|totals|count|sum|average|subtotal|summe|gesamt\w*|\w*ergebnis|anzahl|somme|nombre|moyenne|"
    r"suma|cuenta|promedio|totale|conteggio|somma|media|totaal|aantal|som|gemiddelde|razem|suma|liczba|итого|всего|"
    r"сумма|количество|toplam|sayı|合計|小計|総計|件数|合计|小计|总计|计数|합계|소계|총계|개수)(?:\b|$)"
)
# An amount as a line of totals shows one: a count or a sum, grouped by thousands or of seven digits at most, never
# as a phone is written (`+234...`, `0803...`, `612 345 678`).
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+|[1-9]\d{0,6}|0)(?:[.,]\d{1,4})?%?")


def _totals_label(column: int, text: str, names: set[int]) -> bool:
    """Whether a cell labels a line of totals: a group's (`Lagos Count`), or in a name column only words of totals
    (`Grand Total`), so that a customer named so (`Count Dracula`) stays a customer."""
    if "@" in text or not _TOTALS.search(text):
        return False
    return column not in names or not _TOTALS.sub("", re.sub(r"(?i)\b(?:grand|general|général|totale?)\b", "", text)).strip()


def _filled_down(frames: Iterable[pd.DataFrame], down: list[Area]) -> Iterator[pd.DataFrame]:
    """The data rows with each cell merged `down` over several of them written in every row it covers, in its first
    column, as the merchant sees it beside each (an `Active` of No merged over three customers is each one's). A
    cell merged only across columns stays in its first, where it shows once."""
    tops: dict[Area, str] = {}
    for frame in frames:
        spanning = [m for m in down if len(frame) and m.top <= frame.index[-1] and m.bottom >= frame.index[0] and m.left < frame.shape[1]]
        if spanning:
            frame = frame.copy()
        for m in spanning:
            if m.top in frame.index:
                tops[m] = frame.at[m.top, m.left]
            covered = (frame.index > m.top) & (frame.index <= m.bottom)
            if m in tops and covered.any():
                frame.loc[covered, m.left] = tops[m]
        yield frame


def _customers_only(
    frames: Iterable[pd.DataFrame], column_map: ColumnMap, totals_row: int, passed: list[int], titles: frozenset[tuple[str, ...]] = frozenset()
) -> Iterator[pd.DataFrame]:
    """The frames without the lines that are not customers, whose row numbers go to `passed`.

    Not customers: a copy of the header or of a title line above it (`titles`: printed pages
    repeat them), a line with one filled cell and no address (a title, a total, `Page 2 of 3`,
    `Generated by ...`), a table's totals row. A lone cell that reads as a person's name in a
    name column, or as a phone number in a phone column, is a customer without an address, which
    the checks report. Only the rows whose email cell holds no `@` are looked at cell by cell.
    """
    email = column_map.fields["email"]
    header = [h.strip().casefold() for h in column_map.header]
    names = {column_map.fields[f] for f in ("name", "first_name", "last_name") if f in column_map.fields}
    phones = set(column_map.phones)
    for frame in frames:
        if email >= frame.shape[1]:
            yield frame
            continue
        doubt = ~frame[email].str.contains("@", regex=False).to_numpy(dtype=bool, na_value=False)
        out = [row for row, cells in zip(frame.index[doubt].tolist(), map(list, rows_of(frame[doubt])))
               if row == totals_row or _not_a_customer(cells, header, names, phones) or (titles and _folded(cells) in titles)] if doubt.any() else []
        if out:
            passed.extend(out)
            frame = frame.drop(index=out)
        if len(frame):
            yield frame


# A lone cell in a phone column that is a customer's phone, not a total or a page number: seven digits at least.
_PHONE_NUMBER = re.compile(r"[+(]?(?:\d[ ()./-]*){7,}")


def _not_a_customer(cells: list[str], header: list[str], names: set[int], phones: set[int]) -> bool:
    """Whether a line without an address is a copy of the header, a lone title, total or page line, or a line of
    totals: a label that says so (`Lagos Count`, `Grand Total`, `Gesamtergebnis`, as Excel's Subtotal writes
    them) with numbers only beside it."""
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    if [c.strip().casefold() for c in cells[: len(header)]] == header and len(filled) <= len(header):
        return True
    labels = [(i, text) for i, text in filled if not _AMOUNT.fullmatch(text)]
    if len(filled) > 1 and len(labels) == 1 and _totals_label(*labels[0], names):
        return True
    if len(filled) != 1 or len(header) < 2:
        return False
    column, text = filled[0]
    return "@" not in text and not (column in names and PERSON_NAME.fullmatch(text)) and not (
        column in phones and _PHONE_NUMBER.fullmatch(text) and not re.fullmatch(DATE, text)  # a date line (`01/03/2024`) is a title
    )


def _best_header(
    head: list[tuple[int, list[str]]],
    overrides: Mapping[str, str | None] | None,
    hidden: frozenset[int] = frozenset(),
    merges: tuple[Area, ...] = (),
) -> tuple[int, ColumnMap, list[str]] | None:
    """The header among the first rows: the one that maps an email and the most fields; its position, map and notes.

    A row with cells merged across columns is also tried with the row under it: the names
    written under a merged cell are its columns' headers (`Name` over `First | Last`).
    """
    best: tuple[int, ColumnMap, list[str]] | None = None
    best_score = 0
    for position, cells, names_under in _header_rows(head, merges):
        try:
            column_map = map_columns(cells, overrides)
        except UsageError:
            continue  # an override naming a header this row lacks: not the header row
        column_map, notes = _visible(column_map, hidden, overrides or {})
        if not names_under:
            column_map = _merged_fields(column_map, merges, head[position][0], overrides or {})
        if "email" not in column_map.fields and any("@" in c for c in cells):
            continue  # a row of addresses is data, not the header
        score = len(column_map.fields) + (WORD_RANK if "email" in column_map.fields else 0)
        if score > best_score or (best is None and any(c.strip() for c in cells)):
            best, best_score = (position, column_map, notes), score
    if best is None and overrides:
        # Say which override could not be found in the likeliest header row.
        for _, cells in head[:1]:
            map_columns(cells, overrides)
    return best


def _header_rows(head: list[tuple[int, list[str]]], merges: tuple[Area, ...]) -> Iterator[tuple[int, list[str], bool]]:
    """Each row that may be the header, as (position of its last row, cells, whether names under merged cells were taken)."""
    for position, (row, cells) in enumerate(head):
        spanning = [m for m in merges if m.top == row and m.right > m.left]
        if spanning and position + 1 < len(head) and head[position + 1][0] == row + 1:
            under = head[position + 1][1]
            joined = list(cells) + [""] * max(0, len(under) - len(cells))
            for column, cell in enumerate(under):
                merged = any(m.left <= column <= m.right for m in spanning)
                if cell.strip() and (merged or not joined[column].strip()):
                    joined[column] = cell
            yield position + 1, joined, True
        yield position, cells, False


def _merged_fields(column_map: ColumnMap, merges: tuple[Area, ...], row: int, overrides: Mapping[str, str | None]) -> ColumnMap:
    """A name or phone header merged over several columns with nothing written under it: one value written across
    them, as the merchant sees it (`ColumnMap.merged`). Columns another header feeds are not taken."""
    taken = set(column_map.fields.values()) | set(column_map.phones) | set(column_map.emails)
    merged = dict(column_map.merged)
    header = column_map.header
    for name in ("name", "phone"):
        column = column_map.fields.get(name)
        area = next((m for m in merges if m.top <= row <= m.bottom and m.left == column and m.right > m.left), None)
        if column is None or area is None or name in overrides or taken & set(range(column + 1, area.right + 1)):
            continue
        if name == "name" and {"first_name", "last_name"} & set(column_map.fields):
            continue
        merged[name] = tuple(range(column, area.right + 1))
        header = header + [""] * (area.right + 1 - len(header))  # the last columns under the merged cell are the merchant's too
    return replace(column_map, header=header, merged=merged) if merged != column_map.merged else column_map


def _visible(column_map: ColumnMap, hidden: frozenset[int], overrides: Mapping[str, str | None]) -> tuple[ColumnMap, list[str]]:
    """The map with hidden columns feeding no field a visible column can feed; a field only a hidden column could
    feed is left out, with a note. `--map` may still name a hidden column."""
    if not hidden or not (set(column_map.fields.values()) | set(column_map.phones)) & hidden:
        return column_map, []
    header = column_map.header
    candidates = _candidates(header)
    fields = dict(column_map.fields)
    notes: list[str] = []
    phones = column_map.phones if "phone" in overrides else tuple(i for i in column_map.phones if i not in hidden)
    emails = column_map.emails if "email" in overrides else tuple(i for i in column_map.emails if i not in hidden)
    for name, index in column_map.fields.items():
        if index not in hidden or name in overrides:
            continue
        taken = set(fields.values())
        others = [i for i in candidates.get(name, []) if i not in hidden and i not in taken]
        if name in ("phone", "email"):
            others = list(phones if name == "phone" else emails)
        if others:
            fields[name] = others[0]
            notes.append(f"column {header[index]!r} is hidden: {name} comes from the visible {header[others[0]]!r}")
        else:
            del fields[name]
            notes.append(f"column {header[index]!r} is hidden, so it feeds no {name} (--map {name}={header[index]!r} takes it all the same)")
    return replace(column_map, fields=fields, phones=phones if "phone" in fields else (), emails=emails if "email" in fields else ()), notes
