"""Read the store's answers to a read of its customer list: the customers, the store they name, the refusals.

The token check is such a read: before anything is sent, its answer says whether
the token and the base URL are good, and names the store the token belongs to.
Every text kept from an answer goes through the `scrub` it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from ..errors import AuthError, NotTheApiError, UsageError
from .answers import envelope_message, envelope_of, id_of

PAGE = 100  # customers asked for per page of a read: the most the API gives
Scrub = Callable[[str], str]


def data_of(response: httpx.Response) -> dict[str, Any]:
    """The envelope's `data` object, or an empty one when the answer has none."""
    envelope = envelope_of(response)
    data = envelope["data"] if envelope is not None else None
    return data if isinstance(data, dict) else {}


def customers_in(response: httpx.Response, base_url: str, scrub: Scrub) -> list[dict[str, Any]]:
    """The customers a read of the list answered with; AuthError for 401/403, NotTheApiError for anything that is not the API's list."""
    if response.status_code in (401, 403):
        raise AuthError(f"the token was rejected by the store ({response.status_code}) while reading its customers: {scrub(envelope_message(response))}")
    envelope = envelope_of(response)
    data = envelope["data"] if envelope is not None and response.status_code == 200 else None
    customers = data.get("customers") if isinstance(data, dict) else None
    if not isinstance(customers, list) or not all(isinstance(c, dict) for c in customers):
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        raise NotTheApiError(
            f"{base_url} does not answer like the Salesive API (HTTP {response.status_code}, {scrub(kind)}, "
            f"to a read of its customers); check --base-url"
        )
    return customers


def shop_of(response: httpx.Response) -> str | None:
    """The store's id, as the first customer a read lists names it."""
    listed = data_of(response).get("customers") if response.status_code == 200 else None
    if not listed or not isinstance(listed[0], dict):
        return None
    return shop_of_customer(listed[0])


def shop_of_customer(customer: dict[str, Any]) -> str | None:
    """The store's id as a customer object names it (an id, or the shop object itself)."""
    shop = customer.get("shop")
    shop = id_of(shop) if isinstance(shop, dict) else shop
    return str(shop) if shop else None


def check_answer(response: httpx.Response, base_url: str, scrub: Scrub) -> None:
    """Stop the run before anything is sent when the token check's answer refuses the token or is not the API's."""
    status = response.status_code
    if status == 401:
        raise AuthError("the token was rejected by the store (401); check SALESIVE_TOKEN or --token-file")
    if status == 403:
        raise AuthError("the token was rejected by the store (403): it lacks the WRITE_CUSTOMERS scope")
    if status == 404:
        raise UsageError(f"{base_url} has no customer API (HTTP 404 for its customers); check --base-url")
    if 300 <= status < 400:
        location = response.headers.get("Location")
        where = f" to {scrub(location)}" if location else ""
        raise UsageError(f"{base_url} answered with a redirect (HTTP {status}{where}); check --base-url")
    try:
        customers_in(response, base_url, scrub)
    except NotTheApiError as exc:
        raise UsageError(str(exc)) from None
