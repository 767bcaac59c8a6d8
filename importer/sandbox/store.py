"""The sandbox's in-memory store: customers of one shop, its tokens and its counters.

Kept apart from the HTTP layer so that tests and rehearsals can look at what the
"server" holds (customers, how often each email was POSTed) without going through
the API, and so that the rules (unique email per store, scopes) live in one place.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
READ = "READ_CUSTOMERS"
WRITE = "WRITE_CUSTOMERS"
FIELDS = ("name", "email", "phone", "user", "active")

_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_process_part = os.urandom(5)


def object_id() -> str:
    """A MongoDB-style ObjectId (time, random, counter), as the real API returns."""
    stamp = int(time.time()).to_bytes(4, "big")
    count = (next(_counter) % 0xFFFFFF).to_bytes(3, "big")
    return (stamp + _process_part + count).hex()


def now_iso() -> str:
    """UTC timestamp with milliseconds and a Z, the API's format."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Invalid(ValueError):
    """A request body the API would refuse with 400."""


class EmailTaken(ValueError):
    """The store already has a customer with this email."""


@dataclass
class Stats:
    """What the server saw, for tests to assert on."""

    requests: int = 0
    by_route: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    creations: int = 0
    updates: int = 0
    posts_per_email: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    first_post_at: float | None = None  # when the first POST /customers arrived (time.time(): comparable across processes)

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "by_route": dict(self.by_route),
            "by_status": {str(k): v for k, v in self.by_status.items()},
            "creations": self.creations,
            "updates": self.updates,
            "posts": sum(self.posts_per_email.values()),
            "posts_per_email": dict(self.posts_per_email),
            "faults": dict(self.faults),
            "first_post_at": self.first_post_at,
        }


class Store:
    """One shop's customers, with the uniqueness rule the real API enforces."""

    def __init__(self) -> None:
        self.shop = object_id()
        self.customers: dict[str, dict[str, object]] = {}
        self._by_email: dict[str, str] = {}
        self._by_user: dict[str, str] = {}
        self.tokens: dict[str, set[str]] = {}
        self.stats = Stats()
        self.lock = threading.Lock()
        self._stored_at: dict[str, float] = {}  # a customer's id -> when it was stored (time.monotonic)

    # -- tokens ---------------------------------------------------------------
    def add_token(self, token: str, scopes: set[str]) -> None:
        self.tokens[token] = set(scopes)

    def new_token(self, scopes: set[str]) -> str:
        token = "app_" + secrets.token_urlsafe(24)
        self.add_token(token, scopes)
        return token

    def revoke(self, token: str) -> None:
        self.tokens.pop(token, None)

    def scopes_of(self, token: str) -> set[str] | None:
        scopes = self.tokens.get(token)
        if scopes is None:
            return None
        return scopes | {READ} if WRITE in scopes else scopes

    # -- customers ------------------------------------------------------------
    def find_by_email(self, email: str) -> dict[str, object] | None:
        cid = self._by_email.get(email.casefold())
        return self.customers.get(cid) if cid else None

    def create(self, body: object) -> dict[str, object]:
        fields = validate(body, creating=True)
        with self.lock:
            email = str(fields["email"])
            if email.casefold() in self._by_email:
                raise EmailTaken(email)
            cid = object_id()
            self._stored_at[cid] = time.monotonic()
            stamp = now_iso()
            name = str(fields["name"])
            customer: dict[str, object] = {
                "_id": cid,
                "user": _user(fields.get("user"), name, email),
                "shop": self.shop,
                "name": name,
                "phone": fields.get("phone"),
                "email": email,
                "lastActive": stamp,
                "online": False,
                "active": fields.get("active", True),
                "avatar": avatar(name),
                "createdAt": stamp,
                "updatedAt": stamp,
                "id": cid,
            }
            self._index(customer)
            self.stats.creations += 1
            return customer

    def update(self, key: str, body: object) -> dict[str, object] | None:
        fields = validate(body, creating=False)
        with self.lock:
            customer = self.customers.get(key) or self.customers.get(self._by_user.get(key, ""))
            if customer is None:
                return None
            email = fields.get("email")
            if email is not None:
                owner = self._by_email.get(str(email).casefold())
                if owner is not None and owner != customer["_id"]:
                    raise EmailTaken(str(email))
            del self._by_email[str(customer["email"]).casefold()]
            for name, value in fields.items():
                customer[name] = _user(value, str(customer["name"]), str(customer["email"])) if name == "user" else value
            customer["updatedAt"] = customer["lastActive"] = now_iso()
            self._index(customer)
            self.stats.updates += 1
            return customer

    def delete(self, customer_id: str) -> None:
        """Remove a customer, as the store's owner can by hand (for tests: the API has no such call)."""
        with self.lock:
            customer = self.customers.pop(customer_id)
            del self._by_email[str(customer["email"]).casefold()]
            user = customer.get("user")
            if isinstance(user, dict):
                self._by_user.pop(str(user["_id"]), None)

    def _index(self, customer: dict[str, object]) -> None:
        cid = str(customer["_id"])
        self.customers.pop(cid, None)
        self.customers[cid] = customer  # re-inserted last: most recently active
        self._by_email[str(customer["email"]).casefold()] = cid
        user = customer.get("user")
        if isinstance(user, dict):
            self._by_user[str(user["_id"])] = cid

    def page(self, page: int, limit: int, search: str | None, lag: float = 0.0) -> dict[str, object]:
        """`GET /customers`: most recently active first, substring search, paged. `lag`: a search shows a customer
        only that many seconds after it was stored, as a search index that catches up does."""
        with self.lock:
            found = list(reversed(self.customers.values()))
        if search:
            needle = search.casefold()
            shown_before = time.monotonic() - lag
            found = [
                c for c in found
                if any(needle in str(c.get(f) or "").casefold() for f in ("name", "email", "phone")) and self._stored_at.get(str(c["_id"]), 0.0) <= shown_before
            ]
        total = len(found)
        start = (page - 1) * limit
        return {
            "customers": found[start : start + limit],
            "page": page,
            "pages": (total + limit - 1) // limit,
            "total": total,
        }


def avatar(name: str) -> str:
    return f"https://api.dicebear.com/9.x/initials/svg?seed={quote(name)}&backgroundColor=0d65d9"


def _user(user_id: object, name: str, email: str) -> dict[str, object] | None:
    """The linked platform user; the sandbox has no user directory, so it echoes the customer."""
    if user_id is None:
        return None
    return {"_id": user_id, "name": name, "email": email, "avatar": None}


def validate(body: object, *, creating: bool) -> dict[str, object]:
    """Check a create or update body as the API does; raise Invalid with its message."""
    if not isinstance(body, dict):
        raise Invalid("Request body must be a JSON object")
    fields = {k: body[k] for k in FIELDS if k in body}
    if creating:
        for required in ("name", "email"):
            if required not in fields or fields[required] is None:
                raise Invalid(f"{required} is required")
    elif not fields:
        raise Invalid("Provide at least one of: " + ", ".join(FIELDS))
    for key in ("name", "email"):
        if key in fields:
            value = fields[key]
            if not isinstance(value, str):
                raise Invalid(f"{key} must be a string")
            if not value.strip():
                raise Invalid(f"{key} is required")
            fields[key] = value.strip()
    if "email" in fields and not EMAIL.match(str(fields["email"])):
        raise Invalid("email must be a valid email")
    if "phone" in fields and fields["phone"] is not None and not isinstance(fields["phone"], str):
        raise Invalid("phone must be a string or null")
    if "user" in fields and fields["user"] is not None:
        if not isinstance(fields["user"], str) or not OBJECT_ID.fullmatch(fields["user"]):
            raise Invalid("user must be a valid ObjectId")
    if "active" in fields and not isinstance(fields["active"], bool):
        raise Invalid("active must be a boolean")
    return fields
