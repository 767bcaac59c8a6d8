"""The header spellings find, in each platform's real export, the columns a merchant means.

The ranking here is the rule the spellings are written for, kept apart from the
importer's mapping code: per field, the column whose folded header comes first
in that field's spellings wins, the leftmost of equals.
"""

from __future__ import annotations

import re

import pytest

from importer.columns.words import FIELDS, fold, meaning
from importer.columns.layouts import (
    ALIASES,
    CONSENT_HEADERS,
    MULTI_VALUE_SEPARATOR,
    STATUS_HEADERS,
    USER_ID_HEADERS,
)

from ...layouts import GOOGLE_CONTACTS_2020, HUBSPOT, LAYOUTS, OUTLOOK, SHOPIFY_ORDERS, Layout

OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


def ranked(header: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Per field, the (rank, position) of every column whose header is one of its spellings, best first."""
    found: dict[str, list[tuple[int, int]]] = {}
    for position, cell in enumerate(header):
        hit = meaning(cell) if fold(cell) not in CONSENT_HEADERS else None
        if hit is not None:
            field, rank = hit
            found.setdefault(field, []).append((rank, position))
    return {field: sorted(hits) for field, hits in found.items()}


def mapping(header: list[str]) -> dict[str, str]:
    """Field -> the header of its best-ranked column."""
    return {field: header[hits[0][1]] for field, hits in ranked(header).items()}


def phones(header: list[str]) -> list[str]:
    """The phone columns, in the order a row takes its first non-blank one."""
    return [header[position] for _, position in ranked(header).get("phone", [])]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.platform for layout in LAYOUTS])
def test_each_export_maps_to_the_columns_the_merchant_means(layout: Layout) -> None:
    assert set(layout.expected) <= set(FIELDS)
    assert all(header in layout.header for header in layout.expected.values())
    found = mapping(layout.header)
    assert {f: h for f, h in found.items() if f != "phone"} == {f: h for f, h in layout.expected.items() if f != "phone"}
    assert found.get("phone") == layout.expected.get("phone")  # the preferred phone column


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.platform for layout in LAYOUTS])
def test_each_layout_holds_two_made_up_rows_as_wide_as_its_header(layout: Layout) -> None:
    assert len(layout.rows) == 2 and all(len(row) == len(layout.header) for row in layout.rows)
    emails = [cell for row in layout.rows for cell in row if "@" in cell]
    addresses = [address for cell in emails for address in cell.split(MULTI_VALUE_SEPARATOR)]
    assert all(address.endswith(("@example.com", "@example.org")) for address in addresses), addresses


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.platform for layout in LAYOUTS])
def test_consent_and_subscription_columns_are_known_and_never_feed_active(layout: Layout) -> None:
    looks_like_consent = re.compile(r"marketing|consent|subscri|optin|optout|optedout")
    consent = [h for h in layout.header if looks_like_consent.search(fold(h))]
    assert all(fold(h) in CONSENT_HEADERS for h in consent), consent
    assert mapping(layout.header).get("active") not in consent


def test_platform_ids_and_order_states_are_only_candidates() -> None:
    """The columns the value checks must turn away hold, in these exports, values that fail them."""
    for layout in LAYOUTS:
        index = {h: i for i, h in enumerate(layout.header)}
        user = layout.expected.get("user")
        if user is not None:
            assert fold(user) in USER_ID_HEADERS
            assert not any(OBJECT_ID.fullmatch(row[index[user]]) for row in layout.rows)
        active = layout.expected.get("active")
        if active is not None:
            assert fold(active) in STATUS_HEADERS or fold(active) in ALIASES["active"]


def test_a_row_without_the_preferred_phone_falls_back_in_order() -> None:
    assert phones(SHOPIFY_ORDERS.header) == ["Phone", "Billing Phone", "Shipping Phone"]
    assert phones(OUTLOOK.header) == [
        "Primary Phone", "Mobile Phone", "Home Phone", "Business Phone", "Other Phone", "Home Phone 2",
        "Business Phone 2",
    ]
    assert phones(GOOGLE_CONTACTS_2020.header)[:2] == ["Phone 1 - Value", "Phone 2 - Value"]
    # HubSpot writes the company's Phone Number beside the contact's: same spelling, so
    # the contact's (leftmost) comes first, and the company's before the mobile.
    assert phones(HUBSPOT.header) == ["Phone Number", "Phone Number", "Mobile Phone Number"]


def test_every_spelling_is_folded_and_belongs_to_one_field() -> None:
    assert set(ALIASES) == set(FIELDS)
    spellings = [alias for aliases in ALIASES.values() for alias in aliases]
    assert all(fold(alias) == alias and alias for alias in spellings)
    assert len(spellings) == len(set(spellings)), sorted({a for a in spellings if spellings.count(a) > 1})


def test_the_other_header_sets_are_folded_and_consistent_with_the_spellings() -> None:
    spellings = {alias for aliases in ALIASES.values() for alias in aliases}
    for headers in (CONSENT_HEADERS, USER_ID_HEADERS, STATUS_HEADERS):
        assert all(fold(h) == h and h for h in headers)
    assert not CONSENT_HEADERS & spellings
    assert USER_ID_HEADERS <= set(ALIASES["user"])
    assert STATUS_HEADERS <= set(ALIASES["active"])
    assert MULTI_VALUE_SEPARATOR == " ::: "
