"""Warnings for the rows whose cells are read other than as they show: a program's mark for a missing
value (R's `NA`) read as blank, a blank main email that took the next email column, a phone cell passed
over as another person's or a fax.

What each says is found while a chunk's fields are built (`ColumnMap.fields_of`), so no column is
looked through a second time for its warnings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


class Marked(NamedTuple):
    """A name or active column some of whose cells hold a program's mark for a missing value."""

    field: str
    column: int  # its place in the row
    cells: pa.Array  # its cells, trimmed
    missing: np.ndarray  # which of them are such a mark


def missing_notes(frame: pd.DataFrame, header: list[str], marked: list[Marked]) -> list[pd.Series]:
    """For each marked column, a warning on each row whose cell was read as blank for its mark."""
    import pandas as pd

    notes = []
    for field, column, cells, missing in marked:
        said = field if field in ("active", "inactive") else "name"
        note = pd.Series("", index=frame.index, dtype=frame[column].dtype)
        note[missing] = [f"{said}: {cell!r} in {header[column]!r} read as blank (how programs write a missing value)" for cell in cells.filter(missing).to_pylist()]
        notes.append(note)
    return notes


def email_notes(frame: pd.DataFrame, header: list[str], emails: tuple[int, ...]) -> pd.Series | None:
    """For each row whose main email is blank and that took another email column, a warning saying so; None when no row did."""
    if len(emails) < 2 or not len(frame):
        return None
    filled = [frame[i].str.strip().ne("") if i < frame.shape[1] else None for i in emails]
    main = filled[0]
    if main is None or bool(main.all()):
        return None
    notes = frame[emails[0]].str.slice(0, 0)
    for index, cells in reversed(list(zip(emails[1:], filled[1:]))):
        if cells is not None:
            note = f"email: {header[emails[0]]!r} is blank; took {header[index]!r}"
            notes = notes.mask(cells, note)
    notes = notes.where(~main, "")
    return notes if bool(notes.ne("").any()) else None


def phone_notes(frame: pd.DataFrame, header: list[str], passed: dict[int, dict[int, str]]) -> pd.Series | None:
    """A warning for each row whose phone cell was passed over as another person's or a fax (`passed`: by phone column,
    the rows by position and why), where it held a number."""
    if not passed:
        return None
    notes = [""] * len(frame)
    for index, rows in passed.items():
        cells = frame[index].tolist() if index < frame.shape[1] else [""] * len(frame)
        for row, why in rows.items():
            if cells[row].strip():
                said = f"phone: {header[index]!r} {why}, not the customer's: not sent"
                notes[row] = f"{notes[row]}; {said}" if notes[row] else said
    if not any(notes):
        return None
    import pandas as pd

    return pd.Series(notes, index=frame.index, dtype=frame.dtypes.iloc[0])


def joined_notes(notes: list[pd.Series | None]) -> pd.Series | None:
    """Each row's warnings, joined in the order given; None when there are none."""
    found = [n for n in notes if n is not None]
    if not found:
        return None
    joined = found[0]
    for more in found[1:]:
        joined = joined.str.cat(more, sep="; ").str.strip("; ")
    return joined
