"""The Checker: checks a row's values and turns them into the body `POST /customers` expects.

Two ways in, one set of rules: `check` takes one row, `screen` takes the columns of
many and settles in bulk the rows that plainly pass, leaving the others to `check`.
Both read their patterns, limits and words from rules.py, phones.py and
columns/phone_parts.py, so that a screen and a row check never disagree on a rule.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..columns.layouts import ACTIVE_SPELLINGS, FALSE_WORDS, MULTI_VALUE_SEPARATOR, OBJECT_ID, TICK_MARKS
from ..columns.phone_parts import DECIMAL, NUMBER_DIGIT
from ..columns.words import parse_active
from ..outcomes import Outcome
from ..read.cells import among, arrow_text, flags, fullmatch, texts
from .phones import _LETTER_AFTER_DIGIT, _PLAIN_PHONE, _TRAILING_LABEL, MAX_PHONE, _changed_reading, read_phone, split_extension
from .rules import (
    _PLAIN_EMAIL,
    DOMAIN_TO_JUDGE,
    _PLAIN_NAME,
    _PROVIDED,
    _TWO_ADDRESSES,
    ACTIVE_WORDS,
    LABEL,
    LOST_LETTERS,
    MAX_ADDRESS,
    MAX_LOCAL,
    MAX_NAME,
    Checked,
    clean_name,
    describe_email_error,
    display_name,
    invalid,
    plain_domain,
    simple_address,
    tidy_email,
    unwrap_email,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Checker:
    """Checks rows; remembers each email domain's verdict, since domains repeat across rows."""

    phone_region: str | None = None
    blank_active: bool = True  # False for a column of ticks, where a blank is the unticked box (columns.words.ticks_only)
    _domains: dict[str, str | Exception] = field(default_factory=dict)

    def check(self, values: dict[str, str]) -> Checked | Outcome:
        """The API body for a row's values, or the `invalid` outcome saying what to fix."""
        notes: list[str] = []
        get = values.get

        def first(field_name: str) -> str:
            cell = get(field_name, "")
            if MULTI_VALUE_SEPARATOR in cell:
                notes.append(f"{field_name}: several values in one cell; the first was taken")
                return cell.split(MULTI_VALUE_SEPARATOR, 1)[0]
            return cell

        raw_email = tidy_email(first("email"), notes)
        if _TWO_ADDRESSES.search(raw_email.strip()):
            return invalid("email-several", f"email: {raw_email.strip()!r} holds more than one address; keep one per row (put others in a row of their own)")
        email = self.email(raw_email)
        if isinstance(email, Outcome):
            return email
        name, cleaned = clean_name(first("name"))
        if not name:
            name, cleaned = clean_name(f"{first('first_name')} {first('last_name')}")
        if not name and (shown := display_name(raw_email)):
            name, cleaned = clean_name(shown)
            notes.append(f"name: taken from the email cell {raw_email.strip()!r}")
        if not name:
            return invalid("name-missing", "name: missing (the store needs a name for every customer)")
        if cleaned:
            notes.append("name: control characters removed")
        if LOST_LETTERS.search(name):
            return invalid("name-letters-lost", f"name: {name!r} has ? where letters were, lost when the file was saved; save the list as CSV UTF-8 or as an Excel workbook and import it again")
        if (":" in name or "\uff1a" in name) and LABEL.match(name):  # `Kontakt: Petra Schmidt` under a list's total
            return invalid("name-label", f"name: {name!r} holds a label (a word and ':'), as a note or a footer line does, not a person's name; if it is a customer, write the name alone")
        if len(name) > MAX_NAME:
            return invalid("name-too-long", f"name: {len(name)} characters; the store takes at most {MAX_NAME}")
        active_cell = get("active", "").strip()
        active = parse_active(active_cell, self.blank_active)
        if active is None:
            return invalid("active-invalid", f"active: {active_cell!r} is not a word read as yes or no; it reads {ACTIVE_SPELLINGS}")
        phone = read_phone(first("phone").strip(), notes)
        if isinstance(phone, Outcome):
            return phone
        if len(phone) > MAX_PHONE:
            return invalid("phone-too-long", f"phone: {len(phone)} characters; the store takes at most {MAX_PHONE}")
        if phone and self.phone_region:
            phone = self.phone(phone, notes)
        body: dict[str, object] = {"name": name, "email": email, "phone": phone or None, "active": active}
        user = get("user", "").strip()
        if user:
            if not OBJECT_ID.fullmatch(user):
                return invalid("user-invalid", f"user: {user!r} is not a user id (24 hexadecimal characters)")
            body["user"] = user.lower()
        return Checked(body, email.casefold(), "; ".join(notes), _PROVIDED[phone != "", active_cell != "" or not self.blank_active, user != ""])

    def screen(self, fields: pd.DataFrame) -> pd.DataFrame:
        """Rows given field by field: what `check` would send for each row it passes unchanged with no warning.

        Column by column, with Arrow's string kernels and one email-domain verdict per
        domain, most rows of a file are settled without a Python call each. Only what
        provably passes `check` unchanged is settled here: an address that is its own
        normalised form, a name of printable characters separated by single spaces in
        Unicode NFC, an active cell `parse_active` reads, a blank or well-formed user id,
        and a phone that needs nothing (a digit besides 0, no slash, not a decimal
        number). The result has the columns of what is sent (`name email phone active
        user`), the dedupe `key`, and `plain`; a row with `plain` False needs `check`.
        """
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        def cells(name: str) -> pa.Array:
            return pc.utf8_trim_whitespace(arrow_text(fields[name]))

        def shorter(values: pa.Array, limit: int) -> pa.Array:
            return pc.less_equal(pc.utf8_length(values), limit)

        email = cells("email")
        plain = flags(pc.and_(fullmatch(email, _PLAIN_EMAIL), shorter(email, MAX_ADDRESS)))
        plain &= pc.find_substring(email, "@").to_numpy(zero_copy_only=False) <= MAX_LOCAL  # the local part's length: it is ASCII
        # Each plain address has one @, and a lower-case domain of at most 252 characters (MAX_ADDRESS less the @ and a
        # local part), which is its own verdict unless DOMAIN_TO_JUDGE finds it: only those are judged, once per domain.
        at = np.flatnonzero(plain & flags(pc.match_substring_regex(email, DOMAIN_TO_JUDGE)))
        if len(at):
            domains = pc.list_element(pc.split_pattern(email.take(pa.array(at)), "@"), 1).dictionary_encode()
            taken = np.array([self._domain_verdict(d) == d for d in domains.dictionary.to_pylist()], dtype=bool)
            plain[at] = taken[domains.indices.to_numpy(zero_copy_only=False)]
        name = cells("name")
        blank = flags(pc.equal(name, ""))
        if blank.any():
            spare = pc.utf8_trim_whitespace(pc.binary_join_element_wise(cells("first_name"), cells("last_name"), pa.scalar(" ", pa.large_string())))
            name = spare if blank.all() else pc.if_else(pa.array(blank), spare, name)
            for part in ("first_name", "last_name"):
                plain &= ~(blank & flags(pc.match_substring(arrow_text(fields[part]), MULTI_VALUE_SEPARATOR)))
        plain &= flags(pc.and_(fullmatch(name, _PLAIN_NAME), shorter(name, MAX_NAME)))
        plain &= ~flags(pc.match_substring(arrow_text(fields["name"]), MULTI_VALUE_SEPARATOR))
        accented = np.flatnonzero(plain & ~flags(pc.string_is_ascii(name)))
        if len(accented):
            plain[accented] = [unicodedata.is_normalized("NFC", n) for n in name.take(pa.array(accented)).to_pylist()]
        active_cell = pc.utf8_lower(cells("active"))
        plain &= among(active_cell, ACTIVE_WORDS) & (flags(pc.string_is_ascii(arrow_text(fields["active"]))) | among(active_cell, TICK_MARKS))  # Arrow and Python fold İ apart
        user = cells("user")
        if pc.any(pc.not_equal(user, "")).as_py():
            plain &= flags(pc.or_(pc.equal(user, ""), fullmatch(user, OBJECT_ID.pattern)))
        phone = cells("phone")
        if self.phone_region:
            plain &= flags(pc.equal(phone, ""))
        else:
            plain &= flags(pc.and_(pc.and_(fullmatch(phone, _PLAIN_PHONE), shorter(phone, MAX_PHONE)), pc.or_(pc.equal(phone, ""), pc.match_substring_regex(phone, NUMBER_DIGIT))))
            pointed = np.flatnonzero(plain & (flags(pc.match_substring(phone, ".")) | flags(pc.match_substring(phone, ","))))  # no other reads as a DECIMAL
            if len(pointed):
                plain[pointed] = ~flags(fullmatch(phone.take(pa.array(pointed)), DECIMAL))
        unticked = flags(pc.equal(active_cell, "")) & (not self.blank_active)  # in a column of ticks a blank says no
        index = fields.index
        return pd.DataFrame(
            {
                "name": texts(name, index), "email": texts(email, index), "phone": texts(phone, index),
                "active": ~(among(active_cell, FALSE_WORDS) | unticked), "user": texts(pc.utf8_lower(user), index),
                "key": texts(pc.utf8_lower(email), index), "plain": plain, "warnings": "",
                "active_given": flags(pc.not_equal(active_cell, "")) | (not self.blank_active),
            },
            index=index,
        )

    def email(self, raw: str) -> str | Outcome:
        """The normalised address, as email-validator gives it, or why it is not one."""
        address = unwrap_email(raw)
        if not address:
            return invalid("email-missing", "email: missing")
        local, at, domain = address.rpartition("@")
        if "?" in local or "\ufffd" in address:  # Excel's code-page CSVs write `?` for each letter they lack (`micha?@`, `????@`)
            return invalid("email-letters-lost", f"email: {address!r} has ? where letters were, lost when the file was saved; save the list as CSV UTF-8 or as an Excel workbook and import it again")
        if at and simple_address(address, local):  # the domain alone decides, as it would for any other address there
            verdict = self._domain_verdict(domain)
            if isinstance(verdict, str):
                return f"{local}@{verdict}"
            return invalid("email-invalid", f"email: {describe_email_error(str(verdict))}")
        import email_validator  # loaded by the first address that needs it (see RESERVED_DOMAINS)

        try:
            return email_validator.validate_email(address, check_deliverability=False).normalized
        except email_validator.EmailNotValidError as exc:
            return invalid("email-invalid", f"email: {describe_email_error(str(exc))}")

    def _domain_verdict(self, domain: str) -> str | Exception:
        """The normalised domain, or why an address there is not valid; kept for the next row (up to 100,000 domains)."""
        known = self._domains.get(domain)
        if known is not None:
            return known
        if len(self._domains) >= 100_000:
            self._domains.clear()
        verdict: str | Exception | None = plain_domain(domain)
        if verdict is None:
            import email_validator

            try:
                verdict = email_validator.validate_email("a@" + domain, check_deliverability=False).domain
            except email_validator.EmailNotValidError as exc:
                verdict = exc
        self._domains[domain] = verdict
        return verdict

    def phone(self, phone: str, notes: list[str]) -> str:
        """The phone as sent under `--phone-region` (set: see `check`): E.164 where it reads as a valid number of the
        region without changing its digits, else as written or blank, each with a warning in `notes`. A number of a
        possible length that is no valid one (`555-0142`, a local number without its area code) is never given a
        country code that would make it another number."""
        import phonenumbers  # loaded by the first row that needs it: no start-up cost for the rest

        region = self.phone_region
        assert region is not None  # called only under --phone-region
        number, extension = split_extension(phone)
        label = _TRAILING_LABEL.search(number)
        number = number[: label.start()] if label else number
        try:
            parsed = None if _LETTER_AFTER_DIGIT.search(number) else phonenumbers.parse(number, region)  # its letters would read as digits
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_possible_number(parsed):
            notes.append(f"phone: {phone!r} is not a {region} number; sent as written")
            return phone
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        changed = _changed_reading(number, parsed, e164, region)
        if changed:
            notes.append(f"phone: {phone!r} {changed}: left blank")
            return ""
        if not phonenumbers.is_valid_number(parsed):  # of a possible length, but no number there (a local one without its area code)
            notes.append(f"phone: {phone!r} is not a {region} number; sent as written")
            return phone
        extension = extension or parsed.extension or ""
        if extension:
            notes.append(f"phone: extension {extension} not sent (an international number has no place for it)")
        if label and (said := label[0].strip(" \t()[],;:-")):
            notes.append(f"phone: label {said!r} not sent (an international number has no place for it)")
        return e164

