"""Which columns of a header row make the customer's name, where a header alone would mislead.

A name part numbered with a given name belongs to another person ("Contact 2 First Name");
a "Second Name" beside no family name is the family name; a bare "Name" beside a family
name is the given one; a billing contact's name beside the customer's own names is not
the customer's. Each rule reads the header row as a whole, before any value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .words import _BARE, _TAG, fold, words

if TYPE_CHECKING:
    import pandas as pd

_NAME_TAGS = frozenset({"given", "family", "name", "full", "middle", "neutral"})  # the words a name part's header is made of


def name_columns(header: list[str], fields: dict[str, int], overrides: Mapping[str, str | None]) -> None:
    """Settle, in `fields`, which columns feed the customer's name (see the rules below)."""
    _second_name_as_family(header, fields, overrides)
    _bare_name_as_part(header, fields, overrides)
    _own_name_first(header, fields, overrides)


def numbered_people(header: list[str]) -> set[int]:
    """The columns of people numbered 2 and on, which feed nothing of the customer. A number numbers a person
    when it is on both a given and a family name ("First Name 2" and "Last Name 2"), or on a given name beside
    another word than the name's ("Contact 2 First Name", BigCommerce's "Address First Name - 2"); then every
    name part, phone and address column under that number is that person's ("Contact 2 Phone"). A given name
    numbered alone is a second given name ("Vorname 2"), a family name so numbered the second family name
    ("Apellido 2"), and a phone or an address numbered alone ("Phone 2", "Email 2") the customer's own."""
    said = [words(cell) for cell in header]
    numbered = {i: {t for t in tokens if t.isdigit() and int(t) >= 2} for i, tokens in enumerate(said)}

    def numbers_on(tag: str, qualified: bool = False) -> set[str]:
        return {
            n for i, numbers in numbered.items() for n in numbers
            if any(_TAG.get(t) == tag for t in said[i]) and (not qualified or any(_TAG.get(t) not in _NAME_TAGS and not t.isdigit() for t in said[i]))
        }

    people = (numbers_on("given") & numbers_on("family")) | numbers_on("given", qualified=True)
    return {i for i, numbers in numbered.items() if numbers & people}


def _own_name_first(header: list[str], fields: dict[str, int], overrides: Mapping[str, str | None]) -> None:
    """A name headed as the billing or shipping contact's ("Billing Name") is the customer's only where the file
    names the customer no other way: beside their own given and family names it is a company's or someone
    else's ("Brown Design Ltd" for William Brown), and feeds nothing."""
    name = fields.get("name")
    if name is None or "name" in overrides or not any(_TAG.get(t) == "billing" for t in words(header[name])):
        return
    if any(part in fields and not any(_TAG.get(t) == "billing" for t in words(header[fields[part]])) for part in ("first_name", "last_name")):
        del fields["name"]


def _second_name_as_family(header: list[str], fields: dict[str, int], overrides: Mapping[str, str | None]) -> None:
    """A "Second Name" beside no family name column is the family name, as Britain and Ireland say it: read as a
    middle name, the surname would be dropped ("Name, Second Name" is "Siobhan", "Kelly")."""
    middle = fields.get("middle_name")
    if middle is None or "last_name" in fields or "middle_name" in overrides or "last_name" in overrides or "second" not in words(header[middle]):
        return
    fields["last_name"] = fields.pop("middle_name")


def _bare(cell: str) -> bool:
    """Whether a header is a bare name word, perhaps numbered first ("Nombre", "Nombre 1", "Primer Nombre")."""
    said = [t for t in words(cell) if _TAG.get(t) != "neutral"]
    return fold(cell) in _BARE or (len(said) == 1 and said[0] in _BARE)


def _bare_name_as_part(header: list[str], fields: dict[str, int], overrides: Mapping[str, str | None]) -> None:
    """A bare name word beside a family-name column and no given one is the given name
    (Spanish "Nombre, Apellidos" and "Nombre 1, Nombre 2, Apellido 1, Apellido 2", Italian
    "Nome, Cognome"), and the reverse (German "Name, Vorname"): the whole name only when it
    stands alone or beside both."""
    name = fields.get("name")
    if name is None or "name" in overrides or not _bare(header[name]):
        return
    has_first, has_last = "first_name" in fields, "last_name" in fields
    if has_last and not has_first and "first_name" not in overrides:
        fields["first_name"] = fields.pop("name")
    elif has_first and not has_last and "last_name" not in overrides:
        fields["last_name"] = fields.pop("name")


def name_halves(values: dict[str, pd.Series], blank: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The name's parts in the two halves the row check joins: prefix, given and middle names; family name and
    suffix (see `joined_parts`); a prefix or suffix alone is no name."""

    def joined(parts: list[str]) -> pd.Series:
        return joined_parts([values.get(part, blank) for part in parts])

    core = joined(["first_name", "middle_name", "last_name", "second_last_name"]).ne("")
    return joined(["prefix", "title", "first_name", "middle_name"]).where(core, blank), joined(["last_name", "second_last_name", "suffix"]).where(core, blank)


def joined_parts(parts: list[pd.Series]) -> pd.Series:
    """Parts of a name written side by side (its columns, or cells under one merged header), as they read: the filled
    ones one space apart, a part its neighbour already holds written once (`Dr.` before a given name `Dr. Amara`,
    a suffix `Jr.` after `King Jr.`)."""
    import numpy as np

    out = parts[0].str.strip()
    for part in parts[1:]:
        cells = part.str.strip()
        added = (out + " " + cells).str.strip()
        both = np.flatnonzero((out.ne("") & cells.ne("")).to_numpy(dtype=bool, na_value=False))
        if len(both):
            added.iloc[both] = [_once(a, b) for a, b in zip(out.iloc[both].tolist(), cells.iloc[both].tolist())]
        out = out.where(cells.eq(""), added)
    return out


def _once(before: str, part: str) -> str:
    """Two parts of a name joined, the words one repeats of the other written once: `before` already ends with
    `part` (`King Jr.`, `Jr.`), or `part` starts with all of `before` (`Dr.`, `Dr. Amara`)."""
    a, b = before.casefold(), part.casefold()
    if a.endswith(" " + b):  # a part equal to the one before is a name given twice (María García García)
        return before
    if b.startswith(a + " "):
        return part
    return f"{before} {part}"
