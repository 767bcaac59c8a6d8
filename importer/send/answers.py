"""Read the store's answers: the documented envelope, the ids it names, and how a refusal is worded.

The client sends; this module only reads what came back, so the rules for what an
answer proves (a created customer, a duplicate email, a customer id) live in one
place, apart from the retries and the token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ..outcomes import GONE, NO_ROUTE, Category, Outcome

# How a store's duplicate-email answer may be worded: a word for an address, and one for already being there.
EMAIL_WORDS = ("email", "e-mail", "mail address")
DUPLICATE_WORDS = ("already", "duplicate", "exist", "unique", "taken", "in use", "registered", "conflict")


def envelope_of(response: httpx.Response) -> dict[str, Any] | None:
    """The documented envelope (`status` echoing the HTTP code, `success`, `message`, `data`), or None when the answer is anything else."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    if (
        isinstance(body, dict)
        and body.get("status") == response.status_code
        and isinstance(body.get("success"), bool)
        and isinstance(body.get("message"), str)
        and "data" in body
    ):
        return body
    return None


def envelope_message(response: httpx.Response) -> str:
    """The envelope's message, or the start of whatever else the body holds (not yet scrubbed: see Session.scrub)."""
    envelope = envelope_of(response)
    if envelope is not None:
        return str(envelope["message"])
    text = response.text[:200].strip()
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return " ".join(text.split()) or response.reason_phrase
    return str(body.get("message")) if isinstance(body, dict) and isinstance(body.get("message"), str) else text


def classify(response: httpx.Response, message: str, success: Category = Category.CREATED) -> Outcome:
    """The contract's category for an answer that is not a success (`message`: its scrubbed message); to a POST, or with UPDATED to a PUT."""
    status = response.status_code
    if status == 404 and success is Category.UPDATED:
        return Outcome(Category.FAILED, GONE, "the store's customer with this email is gone")
    if status == 404 or 300 <= status < 400:
        location = response.headers.get("Location")
        where = f" to {location}" if location and 300 <= status < 400 else ""
        return Outcome(Category.FAILED, NO_ROUTE, f"answered HTTP {status}{where} to a new customer")
    if status == 409 or (status in (400, 422) and is_duplicate_message(message)):
        return Outcome(Category.DUPLICATE, "store-duplicate", f"the store already has this email ({message})")
    if status in (400, 422):
        return Outcome(Category.INVALID, "store-invalid", f"refused by the store: {message}")
    if status in (401, 403):
        return Outcome(Category.AUTH_FAILED, f"http-{status}", f"HTTP {status}: {message}")
    return Outcome(Category.FAILED, f"http-{status}", f"HTTP {status}: {message}")


def id_of(customer: Mapping[str, Any]) -> str:
    """A customer object's id (`_id`, or its alias `id`)."""
    return str(customer.get("_id") or customer.get("id") or "")


def emails_of(customers: list[dict[str, Any]]) -> dict[str, str]:
    """Stored customers by case-folded email: their ids."""
    return {str(c.get("email", "")).casefold(): id_of(c) for c in customers}


def is_duplicate_message(message: str) -> bool:
    """Whether a refusal speaks of an email that is already there, in any of the usual wordings."""
    lowered = message.lower()
    return any(word in lowered for word in EMAIL_WORDS) and may_be_duplicate(lowered)


def may_be_duplicate(message: str) -> bool:
    """Whether a refusal may be about something already there (without saying what): the row is looked up."""
    lowered = message.lower()
    return any(word in lowered for word in DUPLICATE_WORDS)


def created_customer(response: httpx.Response, body: dict[str, object]) -> dict[str, Any] | None:
    """The customer a 2xx answer to a create proves: the documented envelope, naming a customer with the email sent and an id.

    Anything else that says 2xx (a web page, an empty body, another row's answer
    replayed by a gateway) proves nothing: the row is looked up.
    """
    envelope = envelope_of(response)
    if envelope is None or envelope["success"] is not True or not isinstance(envelope["data"], dict):
        return None
    customer: dict[str, Any] = envelope["data"]
    if not id_of(customer) or str(customer.get("email", "")).strip().casefold() != str(body["email"]).strip().casefold():
        return None
    return customer


def same_customer(stored: dict[str, Any], body: dict[str, object]) -> bool:
    """Whether a stored customer is the one this row would have created."""
    return (
        str(stored.get("email", "")).casefold() == str(body["email"]).casefold()
        and stored.get("name") == body["name"]
        and (stored.get("phone") or None) == (body.get("phone") or None)
    )
