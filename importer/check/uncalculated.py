"""Formulas no spreadsheet program has calculated, in the columns an import reads.

A workbook written by a script can hold formulas without their values: the file has
nothing to send for those cells, and the store would get blanks. The import stops
before anything is sent, and tells the merchant how to have the values calculated.
"""

from __future__ import annotations

import string

from ..columns.column_map import ColumnMap, map_columns
from ..errors import InputError
from ..read.sheet import Table


def refuse_uncalculated(table: Table, column_map: ColumnMap) -> None:
    """Stop before anything is sent when a column the import reads holds formulas that no spreadsheet program has
    calculated (a workbook written by a script): the file has no values for them, and the store would get blanks."""
    if table.kind != "workbook":
        return
    from ..read.formulas import uncalculated_formulas

    left = table.area.left if table.area is not None else 0
    found = {
        column - left: in_table[0]
        for column, cells in uncalculated_formulas(table.path, table.name, table.may_hold_formulas()).items()
        if (in_table := [cell for cell in cells if _read_cell(table, column, cell)])
    }
    if not found:
        return
    by_header = map_columns(column_map.header)  # a column its stand-in values left out (a name formula read as 0) counts too
    read = sorted({*column_map.fields.values(), *column_map.phones, *column_map.emails, *by_header.fields.values(), *by_header.phones} & found.keys())
    if read:
        columns = ", ".join(f"{column_map.header[i]!r} (cell {found[i]})" for i in read)
        raise InputError(
            f"{table.path}: sheet {table.name!r}, column {columns} holds formulas no spreadsheet program has calculated, "
            "so the file has no values for them; open the file in Excel or LibreOffice, save it, and import again"
        )


def _read_cell(table: Table, column: int, cell: str) -> bool:
    """Whether a sheet's cell (`C2`, in `column` from 0) is in the rows of the table an import reads, its totals row left out."""
    row, area = int(cell.lstrip(string.ascii_letters)), table.area
    return row != table.totals_row and (area is None or (area.top < row <= area.bottom and area.left <= column <= area.right))
