"""The field rules: what makes an email, a name or a row's result, each written once.

Everything here works offline: emails are checked for syntax only (no DNS), so a
dry run needs no network. Reasons are written for a merchant ("email: missing @"),
with a stable code that scripts and tests match on. Each pattern and limit here is
used both by the row check and by the column-wise screen (see checker.py), so a rule
changed here changes both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..columns.layouts import FALSE_WORDS, TRUE_WORDS
from ..outcomes import Category, Outcome
from ..read.cells import SPACES

ACTIVE_SHOWN = {True: "true", False: "false"}  # the `active` column of the reports
_ANGLE = re.compile(r"<([^<>]*)>\s*$")
# The longest address email-validator takes, and the longest local part the standard
# allows: a longer one is left to email-validator, which takes it unless told to be strict.
MAX_ADDRESS = 254
MAX_LOCAL = 64
# An ASCII local part that email-validator passes through unchanged: checked here
# so that only the domain needs the library (once per domain, see Checker.email).
# fullmatch, not `$`, which would let a line break before the @ through. A `?` is left to the row
# check, which sets it aside as a letter lost when the file was saved (see LOST_LETTERS).
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=^_`{|}~-]+)*"
_SIMPLE_LOCAL = re.compile(_LOCAL)
# A lower-case ASCII host name email-validator passes through unchanged: labels of
# letters, digits and inner hyphens (at most 63 characters), at least one dot, and a
# last label that ends in a letter.
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z0-9][a-z0-9-]{0,61})?[a-z]"
_PLAIN_DOMAIN = re.compile(_DOMAIN)
# An address whose local part email-validator takes as it is and whose domain is a
# lower-case plain host name (see plain_domain): the two patterns above, joined.
_PLAIN_EMAIL = f"{_LOCAL}@{_DOMAIN}"
# The special-use names email-validator refuses, with their subdomains: its
# SPECIAL_USE_DOMAIN_NAMES (a test keeps the two equal). Copied so that a run whose
# domains are all plain never loads the library, a cost of every run's start-up.
RESERVED_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_RESERVED_SUFFIXES = tuple("." + name for name in RESERVED_DOMAINS)
# Of the addresses _PLAIN_EMAIL matches, those whose domain `plain_domain` may not give back as it is: one with `--`
# (anywhere: a local part with it costs a look at its domain) or ending in a special-use name. Every other one's
# domain is its own verdict, so a column of addresses needs a verdict per domain only for these.
DOMAIN_TO_JUDGE = "--|[@.](?:" + "|".join(RESERVED_DOMAINS) + ")$"


def simple_address(address: str, local: str) -> bool:
    """Whether email-validator would take this address's length and local part as they are (letters and digits alone: cheaper than the regex)."""
    return len(address) <= MAX_ADDRESS and len(local) <= MAX_LOCAL and ((local.isascii() and local.isalnum()) or _SIMPLE_LOCAL.fullmatch(local) is not None)


def plain_domain(domain: str) -> str | None:
    """The domain as email-validator normalises it, when it is a plain ASCII host name; None: ask email-validator.

    Far cheaper than asking the library for each distinct domain (a business list has thousands). Anything
    unusual (non-ASCII, `--` as in Punycode, over-long, reserved names) is left to
    the library, so the verdicts stay identical (a property test compares them).
    """
    if not domain.isascii() or len(domain) > MAX_ADDRESS - 2 or "--" in domain:  # the shortest address there is "x@" + domain
        return None
    lowered = domain.lower()
    if _PLAIN_DOMAIN.fullmatch(lowered) is None:
        return None
    if lowered in RESERVED_DOMAINS or lowered.endswith(_RESERVED_SUFFIXES):
        return None
    return lowered


MAX_NAME = 255
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TWO_ADDRESSES = re.compile(r"@[^@]*[\s,;][^@]*@")
# Printable characters in words separated by single spaces: what clean_name leaves as it is,
# a `?` or `\ufffd` aside (see LOST_LETTERS), and a colon (see Checker.check). Spaces past Latin-1 are written as
# themselves: an escape (or \\s) would send pandas to Python's regex engine instead of Arrow's.
_WORD = f"[^\\x00-\\x20\\x7f-\\xa0{SPACES}?\ufffd:\uff1a]+"
# Letters the program that saved the file could not write: Excel's "CSV (Comma delimited)" and
# "CSV (Macintosh)" put `?` for each letter their code page lacks (`???? ??????`, `Nguy?n`), and
# a conversion before may have left the replacement character. No name has a `?` within a word, at its edge, or
# as a word of its own after one (`Silva ?`); a `?` in a link's query (`/?x=`) is none of these.
LOST_LETTERS = re.compile(r"\ufffd|\?\?|\w\?\w|(?<!\S)\?\w|\w\?(?!\S)|(?<=\w )\?(?!\S)")
_PLAIN_NAME = f"{_WORD}(?: {_WORD})*"
# A label before a value (`Kontakt: Petra Schmidt`, `Hinweis:`, `連絡先：山田`): a word, then a colon and more. No person's
# name has one; a note or a footer line does (a name with a colon otherwise, `=HYPERLINK("http://...")`, is taken as it is).
LABEL = re.compile(r"[^\W\d_][\w .'’-]{0,30}[:\uff1a]\s*\S")
# Characters that do not show, pasted into an address from mail programs and web pages:
# soft hyphen, format and directional marks, zero-width spaces and joiners, BOM, and
# the no-break spaces.
_INVISIBLE = re.compile("[\u00a0\u00ad\u061c\u180e\u2007\u200b-\u200f\u202a-\u202f\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(slots=True)
class Checked:
    """A row that passed: the API body, the key it is deduplicated on, any warnings.

    Not frozen: one is made per row, and a frozen dataclass takes longer to build.
    """

    body: dict[str, object]
    key: str
    warnings: str = ""
    provided: frozenset[str] = frozenset({"name", "email"})  # fields whose cells were not blank

    @classmethod
    def plain(cls, name: str, email: str, phone: str, active: bool, user: str, key: str, warnings: str, active_given: bool) -> Checked:
        """A row `Checker.screen` settled, from its columns."""
        body: dict[str, object] = {"name": name, "email": email, "phone": phone or None, "active": bool(active)}
        if user:
            body["user"] = user
        return cls(body, key, warnings, _PROVIDED[phone != "", bool(active_given), user != ""])

    @property
    def sent(self) -> tuple[str, str, str, str]:
        """What is sent, as the report shows it: name, email, phone, active."""
        body = self.body
        return str(body["name"]), str(body["email"]), str(body.get("phone") or ""), ACTIVE_SHOWN[bool(body["active"])]

    def update_body(self, blank_clears: bool) -> dict[str, object]:
        """The fields an update sends: only those the file gives, unless blanks should clear.

        Never the email: the stored customer was found by it, so the two differ at most
        in case or spaces, and the store's spelling stays.
        """
        return {k: v for k, v in self.body.items() if k != "email" and (blank_clears or k in self.provided)}


# The fields a row fills in, by whether its phone, active and user cells are filled
# (name and email always are): a lookup, since it is asked for every row.
_PROVIDED = {
    (phone, active, user): frozenset({"name", "email"} | {f for f, filled in (("phone", phone), ("active", active), ("user", user)) if filled})
    for phone in (False, True) for active in (False, True) for user in (False, True)
}


ACTIVE_WORDS = frozenset({"", *TRUE_WORDS, *FALSE_WORDS})


def invalid(code: str, message: str) -> Outcome:
    return Outcome(Category.INVALID, code, message)


def tidy_email(raw: str, notes: list[str]) -> str:
    """An address cell without the characters that do not show and one trailing list separator (`;` or `,`, as
    Outlook writes a list); what was removed unseen is named in `notes`."""
    invisible = _INVISIBLE.findall(raw.strip())
    if invisible:
        names = ", ".join(dict.fromkeys(unicodedata.name(c, f"U+{ord(c):04X}") for c in invisible))
        notes.append(f"email: invisible characters removed ({names})")
        raw = _INVISIBLE.sub("", raw)
    raw = raw.strip()
    return raw[:-1] if raw.endswith((";", ",")) else raw


def display_name(raw: str) -> str:
    """The name of a `"Ada Obi" <ada@example.com>` address cell; "" when it has none."""
    address = raw.strip()
    if "<" not in address or not _ANGLE.search(address):
        return ""
    return address[: address.rindex("<")].strip().strip("\"'").strip()


def unwrap_email(raw: str) -> str:
    """Strip spaces, quotes around the whole address (a CSV's `, "ada@example.com"`, whose space before the quote
    keeps it in the cell), a `mailto:` prefix and a `Name <addr>` wrapper."""
    address = raw.strip()
    if address[:1] == '"' and address[-1:] == '"' and address.count('"') == 2:
        address = address[1:-1].strip()
    if "<" in address and (wrapped := _ANGLE.search(address)):
        address = wrapped.group(1).strip()
    if ":" in address and address[:7].lower() == "mailto:":
        address = address[7:].split("?", 1)[0].strip()
    return address


def describe_email_error(message: str) -> str:
    """email-validator's sentence, shortened where a merchant has a simpler word."""
    if "must have an @-sign" in message:
        return "missing @"
    return message[0].lower() + message[1:] if message else "not a valid address"


def clean_name(raw: str) -> tuple[str, bool]:
    """Trimmed, inner spaces collapsed, control characters removed, Unicode NFC (so accents compare and display right); and whether control characters were removed."""
    stripped = _CONTROL.sub("", raw) if _CONTROL.search(raw) else raw
    name = " ".join(stripped.split())  # str.split and the regex \s agree on what is a space
    return (name if name.isascii() else unicodedata.normalize("NFC", name)), stripped is not raw
