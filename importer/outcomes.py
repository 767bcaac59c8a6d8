"""What became of a row: a category from the contract, a stable reason code, a message.

Outcomes are data so that counting, reporting, exit codes and tests all read the
same fields instead of comparing strings in many places.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Category(str, Enum):
    """The contract's categories, each with the report file it goes to."""

    CREATED = "created"
    DUPLICATE = "duplicate"
    IN_FILE_DUPLICATE = "in_file_duplicate"
    INVALID = "invalid"
    AUTH_FAILED = "auth_failed"
    FAILED = "failed"
    UPDATED = "updated"
    SKIPPED = "skipped"
    UNCHANGED = "unchanged"
    VALID = "valid"
    PENDING = "pending"

    @property
    def filename(self) -> str:
        return _FILES[self]

    @property
    def is_problem(self) -> bool:
        """Rows that make a finished run exit 1: the merchant has something to fix."""
        return self in (Category.INVALID, Category.FAILED)


_FILES = {
    Category.CREATED: "created.csv",
    Category.DUPLICATE: "duplicates.csv",
    Category.IN_FILE_DUPLICATE: "in_file_duplicates.csv",
    Category.INVALID: "invalid.csv",
    Category.AUTH_FAILED: "auth_failures.csv",
    Category.FAILED: "failed.csv",
    Category.UPDATED: "updated.csv",
    Category.SKIPPED: "skipped.csv",
    Category.UNCHANGED: "unchanged.csv",
    Category.VALID: "valid.csv",
    Category.PENDING: "pending.csv",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The fate of one row.

    `code` is a stable slug (`email-invalid`, `store-duplicate`, `http-503`) that
    scripts and tests match on; `message` is the sentence a merchant reads.
    """

    category: Category
    code: str = ""
    message: str = ""
    customer_id: str | None = None


# How a row is filed in the report, whichever stage files it: the sender as answers
# come, the pipeline for rows settled before sending.
Sent = tuple[str, str, str, str]  # what is (or would be) sent: name, email, phone, active
NOT_SENT: Sent = ("", "", "", "")
Filed = tuple[int, list[str], str, Sent]  # a row filed in the report: its number, original cells, warnings, what is sent

GONE = "customer-gone"  # the code of a PUT answered 404: the store no longer has that customer
NO_ROUTE = "no-route"  # the code of a POST answered 404: the base URL does not name the customer API

VALID = Outcome(Category.VALID, "valid", "passed every local check")

# A row that may have reached the store when the run stopped, its answer unknown or
# unproven: the journal keeps it, and the same command looks it up before anything else.
UNCONFIRMED = Outcome(
    Category.PENDING, "unconfirmed", "sent, but the run stopped before an answer proved what became of it; the same command looks it up first"
)
UNPROVEN = Outcome(
    Category.PENDING, "unconfirmed", "sent, then refused as already there by a store whose search did not show it yet; the same command looks it up first"
)


def already_in_store(customer_id: str | None) -> Outcome:
    """The store has a customer with this row's email (its id when known)."""
    return Outcome(Category.DUPLICATE, "store-duplicate", "the store already has this email", customer_id or None)
