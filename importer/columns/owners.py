"""Phone columns whose cell in a row may be someone else's phone, or no phone to reach the customer on.

An order export holds the buyer's phone and the recipient's (`Shipping Phone` beside
`Shipping Name`); BigCommerce and Ecwid one per address, each with its own name; Google
Contacts labels each phone in a column beside it (`Phone 1 - Label`: Mobile, Work Fax).
A phone column of a block that names a person of its own is the customer's only in the
rows where that person is the customer (or is not named); a phone labelled as a fax or a
pager is never sent. In the other rows the next phone column is taken, and the row's
warning says why the cell was passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .layouts import HONORIFICS
from .words import _TAG, meaning, words

if TYPE_CHECKING:
    import pandas as pd

# A phone's label that says it reaches no person: a fax machine or a pager, unless it names a phone too (`Tel/Fax`).
_NO_PERSON = r"(?i)\b(?:fax|telefax|faks|pager|beeper)\b"
_PHONE_TOO = r"(?i)\b(?:tel|phone|telefon|telefono|telefone|telephone|mobile?|mobil|cell|voice|handy)\b"
# A header's words that say which field it is, rather than whose.
_FIELD_TAGS = frozenset({"phone", "mobile", "given", "family", "middle", "name", "full", "prefix", "suffix", "neutral"})
_NAME_FIELDS = frozenset({"name", "first_name", "middle_name", "last_name", "second_last_name"})
_LABEL_WORDS = frozenset({"label", "type", "value"})
_OWN_NAME = ("name", "prefix", "title", "first_name", "middle_name", "last_name", "second_last_name", "suffix")


@dataclass(frozen=True)
class Guard:
    """A phone column, the name columns of the person its block names (none: the customer's block), and the column
    that labels each of its cells (None: none does)."""

    phone: int
    names: tuple[int, ...] = ()
    label: int | None = None


def guards(header: list[str], fields: dict[str, int], phones: tuple[int, ...]) -> tuple[Guard, ...]:
    """The phone columns whose cells are not the customer's phone in every row, with what tells the rows apart."""
    said = [words(cell) for cell in header]
    own = {fields[f] for f in _OWN_NAME if f in fields}
    found = []
    for phone in phones:
        block = _whose(said[phone])
        names = tuple(i for i, w in enumerate(said) if block and i != phone and _whose(w) == block and _names_a_person(header[i]))
        if own & set(names):
            names = ()  # the block is the customer's own (Shopify's Billing Name as the name)
        label = next((i for i, w in enumerate(said) if i != phone and _LABEL_WORDS & set(w) and _unlabelled(w) == _unlabelled(said[phone])), None)
        if names or label is not None:
            found.append(Guard(phone, names, label))
    return tuple(found)


def _whose(tokens: list[str]) -> frozenset[str]:
    """The words of a header that say whose field it is (`shipping`, `address 2`): all but the field's own."""
    return frozenset(t for t in tokens if _TAG.get(t) not in _FIELD_TAGS and t not in _LABEL_WORDS)


def _names_a_person(header: str) -> bool:
    """Whether a header names a person's name or part of it (`Shipping Name`, `Address First Name - 2`), not a
    company's (`Business Name`, `Company Name`), which no header reading takes as a name."""
    found = meaning(header)
    return found is not None and found[0] in _NAME_FIELDS


def _unlabelled(tokens: list[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _LABEL_WORDS)


def _joined(frame: pd.DataFrame, columns: tuple[int, ...]) -> pd.Series:
    """The cells of the columns in each row, joined by a space, as written."""
    joined = frame.iloc[:, 0].str.slice(0, 0)
    for column in columns:
        if column < frame.shape[1]:
            joined = joined + " " + frame[column].str.strip()
    return joined.str.strip()


def _compared(names: pd.Series) -> pd.Series:
    return names.str.replace(r"\s+", " ", regex=True).str.casefold()


def customer(frame: pd.DataFrame, fields: dict[str, int]) -> pd.Series:
    """The customer's name in each row, without case or extra spaces: the whole name, else its parts."""
    parts = _compared(_joined(frame, tuple(fields[f] for f in _OWN_NAME[1:] if f in fields)))
    if "name" not in fields:
        return parts
    whole = _compared(_joined(frame, (fields["name"],)))
    return whole.where(whole.ne(""), parts)


def not_theirs(guard: Guard, frame: pd.DataFrame, own: pd.Series) -> dict[int, str]:
    """The rows (by position) whose cell of the guarded phone column is not the customer's phone, each with why:
    another person's name in its block, or a label that names no person."""
    import numpy as np

    found: dict[int, str] = {}
    if guard.names:
        written = _joined(frame, guard.names)
        other = _compared(written)
        differ = np.flatnonzero((other.ne("") & own.ne("") & other.ne(own)).to_numpy(dtype=bool, na_value=False))
        for row, name, theirs, ours in zip(differ.tolist(), written.iloc[differ].tolist(), other.iloc[differ].tolist(), own.iloc[differ].tolist()):
            if not _same_person(theirs, ours):
                found[row] = f"is {name}'s"
    if guard.label is not None and guard.label < frame.shape[1]:
        label = frame[guard.label].str.strip()
        faxes = np.flatnonzero((label.str.contains(_NO_PERSON) & ~label.str.contains(_PHONE_TOO)).to_numpy(dtype=bool, na_value=False))
        found.update((row, f"is labelled {said!r}") for row, said in zip(faxes.tolist(), label.iloc[faxes].tolist()))
    return found


def _same_person(one: str, other: str) -> bool:
    """Whether two names may be one person's: the words of one, titles aside, are all among the other's (a middle
    name or a second family name written in one only, `Eze-Okafor` for `Eze`), an initial standing for a word."""
    a, b = _name_words(one), _name_words(other)
    return _within(a, b) or _within(b, a)


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name) if w not in HONORIFICS]


def _within(few: list[str], many: list[str]) -> bool:
    return all(w in many or (len(w) == 1 and any(m.startswith(w) for m in many)) for w in few)
