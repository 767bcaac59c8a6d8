"""Check one row's values and turn them into the body `POST /customers` expects.

Everything here works offline: emails are checked for syntax only (no DNS), so a
dry run needs no network. Reasons are written for a merchant ("email: missing @"),
with a stable code that scripts and tests match on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..columns.layouts import ACTIVE_SPELLINGS, FALSE_WORDS, MULTI_VALUE_SEPARATOR, OBJECT_ID, TICK_MARKS, TRUE_WORDS
from ..columns.words import parse_active
from ..outcomes import Category, Outcome
from ..read.sheet import SPACES

if TYPE_CHECKING:
    import pandas as pd
    from phonenumbers import PhoneNumber

ACTIVE_SHOWN = {True: "true", False: "false"}  # the `active` column of the reports
_ANGLE = re.compile(r"<([^<>]*)>\s*$")
# An ASCII local part that email-validator passes through unchanged: checked here
# so that only the domain needs the library (once per domain, see Checker.email).
# fullmatch, not `$`, which would let a line break before the @ through.
_SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# A lower-case ASCII host name email-validator passes through unchanged: labels of
# letters, digits and inner hyphens (at most 63 characters), at least one dot, and a
# last label that ends in a letter.
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z0-9][a-z0-9-]{0,61})?[a-z]")
# The special-use names email-validator refuses, with their subdomains: its
# SPECIAL_USE_DOMAIN_NAMES (a test keeps the two equal). Copied so that a run whose
# domains are all plain never loads the library, a cost of every run's start-up.
RESERVED_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_RESERVED_SUFFIXES = tuple("." + name for name in RESERVED_DOMAINS)


def simple_address(address: str, local: str) -> bool:
    """Whether email-validator would take this address's length and local part as they are (letters and digits alone: cheaper than the regex)."""
    return len(address) <= 254 and len(local) <= 64 and ((local.isascii() and local.isalnum()) or _SIMPLE_LOCAL.fullmatch(local) is not None)


def plain_domain(domain: str) -> str | None:
    """The domain as email-validator normalises it, when it is a plain ASCII host name; None: ask email-validator.

    Far cheaper than asking the library for each distinct domain (a business list has thousands). Anything
    unusual (non-ASCII, `--` as in Punycode, over-long, reserved names) is left to
    the library, so the verdicts stay identical (a property test compares them).
    """
    if not domain.isascii() or len(domain) > 252 or "--" in domain:  # 252: an address is at most 254, with "x@"
        return None
    lowered = domain.lower()
    if _PLAIN_DOMAIN.fullmatch(lowered) is None:
        return None
    if lowered in RESERVED_DOMAINS or lowered.endswith(_RESERVED_SUFFIXES):
        return None
    return lowered


MAX_NAME = 255
MAX_PHONE = 32
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TWO_ADDRESSES = re.compile(r"@[^@]*[\s,;][^@]*@")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
# An address whose local part email-validator takes as it is and whose domain is a
# lower-case plain host name (see plain_domain): local part and domain as groups.
_PLAIN_EMAIL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z0-9][a-z0-9-]{0,61})?[a-z]"
# Printable characters in words separated by single spaces: what clean_name leaves as it is.
# Spaces past Latin-1 are written as themselves: an escape (or \\s) would send pandas
# to Python's regex engine instead of Arrow's.
_WORD = f"[^\\x00-\\x20\\x7f-\\xa0{SPACES}]+"
_PLAIN_NAME = f"{_WORD}(?: {_WORD})*"
# A phone sent as written: digits and the usual punctuation, short enough, no exponent,
# no slash (which may part two numbers); see also _DECIMAL and the zeros rule in screen.
_PLAIN_PHONE = r"(?:[+(]?[0-9][0-9 ().-]{0,30})?"
# A phone cell that reads as a decimal number, as a program writes a number it held as a
# float: `447700900123.0` is its digits; with a fraction it was never a phone.
_DECIMAL = r"[^.,]*[0-9][.,][0-9]+"
_FLOAT_FORM = re.compile(r"([^.,]*\d)[.,]0+")
_FRACTION = re.compile(r"\+?\d+[.,]\d{1,2}")
# Digits a phone number has at least (short codes aside): a shorter piece before a
# slash is an area code (`089/1234567`), not a number of its own.
_WHOLE_NUMBER = 7
# What parts several numbers in one cell, in the languages merchants write: marks, and
# "or"/"and" between spaces.
_SEVERAL = re.compile(
    r"(\s*[/,;&|\n]\s*|\s+(?:or|and|oder|und|ou|et|o|y|e|of|en|eller|och|og|tai|ja|lub|i|nebo|a|alebo|vagy|és|veya|ve"
    r"|sau|și|или|и|або|чи|ή|και|atau|dan|hoặc|または|或)\s+)",
    re.IGNORECASE,
)
# An extension at the end of a phone: `ext. 12`, `x12`, `#12` and other languages' words.
_EXTENSION = re.compile(
    r"[\s,;]*(?:ext|extn|extension|x|#|poste|durchwahl|dw|app|anexo|ramal|interno|int|wew|tst|lok|доб|вн|anknytning"
    r"|mellék|dahili|内線)\.?\s*[:.]?\s*(\d{1,7})\s*$",
    re.IGNORECASE,
)
# A label after a phone number (`0803 123 4567 (home)`, `... mobile`), and a letter within
# a number (`1-800-FLOWERS`), which phonenumbers would read as a keypad digit.
_TRAILING_LABEL = re.compile(r"(?<=\d)(?:\s*\(|\s+)[^\d]*$")
_LETTER_AFTER_DIGIT = re.compile(r"\d.*[^\W\d_]")
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

        def mask(values: pd.Series) -> np.ndarray:
            return values.to_numpy(dtype=bool, na_value=False)

        email = fields["email"].str.strip()
        plain = mask(email.str.fullmatch(_PLAIN_EMAIL))
        domain = email.str.replace(r"^[^@]*@", "", regex=True)
        good = [d for d in domain[plain].unique().tolist() if self._domain_verdict(d) == d]
        length = email.str.len()
        plain &= mask(length.le(254) & (length - domain.str.len()).le(65)) & pc.is_in(pa.array(domain), value_set=pa.array(good, pa.string())).to_numpy(zero_copy_only=False)
        name = fields["name"].str.strip()
        blank = mask(name.eq(""))
        if blank.any():
            spare = (fields["first_name"].str.strip() + " " + fields["last_name"].str.strip()).str.strip()
            name = name.where(~blank, spare)
            for part in ("first_name", "last_name"):
                plain &= ~(blank & mask(fields[part].str.contains(MULTI_VALUE_SEPARATOR, regex=False)))
        plain &= mask(name.str.fullmatch(_PLAIN_NAME) & name.str.len().le(MAX_NAME))
        plain &= ~mask(fields["name"].str.contains(MULTI_VALUE_SEPARATOR, regex=False))
        if not name.str.isascii().all():
            plain &= mask(name.eq(name.str.normalize("NFC")))
        active_cell = fields["active"].str.strip().str.lower()
        plain &= mask(active_cell.isin(ACTIVE_WORDS) & (fields["active"].str.isascii() | active_cell.isin(TICK_MARKS)))  # Arrow and Python fold İ apart
        user = fields["user"].str.strip()
        if mask(user.ne("")).any():
            plain &= mask(user.eq("") | user.str.fullmatch(OBJECT_ID.pattern))
        phone = fields["phone"].str.strip()
        if self.phone_region:
            plain &= mask(phone.eq(""))
        else:
            plain &= mask(phone.str.fullmatch(_PLAIN_PHONE) & (phone.eq("") | phone.str.contains("[1-9]")) & ~phone.str.fullmatch(_DECIMAL))
        given = active_cell.ne("") | (not self.blank_active)  # in a column of ticks a blank says no
        return pd.DataFrame(
            {
                "name": name, "email": email, "phone": phone, "active": ~mask(active_cell.isin(FALSE_WORDS) | (active_cell.eq("") & (not self.blank_active))),
                "user": user.str.lower(), "key": email.str.lower(), "plain": plain,
                "warnings": "", "active_given": mask(given),
            },
            index=fields.index,
        )

    def email(self, raw: str) -> str | Outcome:
        """The normalised address, as email-validator gives it, or why it is not one."""
        address = unwrap_email(raw)
        if not address:
            return invalid("email-missing", "email: missing")
        local, at, domain = address.rpartition("@")
        if at and simple_address(address, local):
            verdict = self._domain_verdict(domain)
            if isinstance(verdict, str):
                return f"{local}@{verdict}"
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
        """The phone as sent under `--phone-region` (set: see `check`): E.164 where it reads as a number of the region
        without changing its digits, else as written or blank, each with a warning in `notes`."""
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
        extension = extension or parsed.extension or ""
        if extension:
            notes.append(f"phone: extension {extension} not sent (an international number has no place for it)")
        if label and (said := label[0].strip(" \t()[],;:-")):
            notes.append(f"phone: label {said!r} not sent (an international number has no place for it)")
        return e164


def _changed_reading(number: str, parsed: PhoneNumber, e164: str, region: str) -> str:
    """Why reading the `number` as written as `e164` would change the number the merchant wrote; "" when it would not.

    Changes: the country code twice, an international number that lost its `+` (or
    digits that read as one as well as a number of the region), digits after `00` or
    `011` that the region's own international prefix reads as another country's, and
    any digit added, dropped or turned beyond a country code, a trunk prefix (`0`,
    `(0)`) or an international prefix (`00`, `011`), except the rewrites the
    numbering plan of a valid number's region prescribes for numbers dialled within it
    (Argentina's `15`); written with its country code, a number keeps its digits.
    """
    import phonenumbers

    written = phonenumbers.normalize_digits_only(number)
    cc, national = str(parsed.country_code), phonenumbers.national_significant_number(parsed)
    valid = phonenumbers.is_valid_number(parsed)
    abroad = international(written) if written == national else None  # digits with nothing before them
    if abroad is not None and abroad != e164:
        if valid:
            return f"could be {abroad} or {e164} (write it with its + or its trunk prefix)"
        return f"is no {region} number as {e164}, but is one as {abroad} (write it with its +)"
    for prefix in ("00", "011"):  # the international prefixes most of the world dials: another reading of the same digits
        elsewhere = international(written[len(prefix):]) if written.startswith(prefix) else None
        if elsewhere is not None and elsewhere != e164:
            return f"could be {elsewhere} or {e164} (write it with its +)"
    if not valid and national.startswith(cc) and national != cc:
        return f"would read as {e164}, with the country code {cc} twice"
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_number(parsed) or region)
    if _same_digits(written, cc, national, metadata) or (valid and getattr(metadata, "national_prefix_transform_rule", None) and _dialled_at_home(number, region)):
        return ""
    return f"would change its digits if read as a {region} number ({e164})"


def _dialled_at_home(number: str, region: str) -> bool:
    """Whether `number` is written as dialled within `region`, without a country code."""
    import phonenumbers

    source = phonenumbers.parse(number, region, keep_raw_input=True).country_code_source
    return source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY


def international(digits: str) -> str | None:
    """The number `digits` are as an international number that lost its `+` (`447700900123`), when that is a valid one."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if phonenumbers.is_valid_number(parsed) else None


def _same_digits(written: str, cc: str, national: str, metadata: object) -> bool:
    """Whether a number read as `cc` + `national` keeps the digits written: only a country code, a trunk prefix
    (the region's own before the number, `0` or `(0)` after the country code) or an international prefix
    (`00`, `011`) added or dropped. Another trunk prefix after the country code (`+1 1 212 ...`) is a digit
    too many, not a convention."""
    if not written.endswith(national):
        return False
    prefix = written[: len(written) - len(national)]
    trunk = getattr(metadata, "national_prefix", None) or "0"
    return prefix in ("", cc, trunk, cc + "0") or (prefix.endswith(cc) and prefix[: -len(cc)] in ("00", "011", "0011", "010", "001", "810"))


def split_extension(phone: str) -> tuple[str, str]:
    """The number and the extension written after it (`ext. 12`, `x12`, `#12`, `poste 12`), or "" when there is none."""
    found = _EXTENSION.search(phone)
    if found is None or _digits(phone[: found.start()]) < _WHOLE_NUMBER:
        return phone, ""
    return phone[: found.start()].rstrip(), found[1]


def _digits(text: str) -> int:
    return sum(c.isdecimal() for c in text)


def read_phone(cell: str, notes: list[str]) -> str | Outcome:
    """The phone a cell means, as written; blank when it holds none; or why the row must be set aside.

    A cell with no digit other than 0 is a placeholder (`N/A`, `-`, `TBC`, `0`); the
    float form of a whole number (`447700900123.0`) is its digits; a decimal fraction
    or scientific notation was never a phone. Of several numbers in one cell the first
    is sent and the others named. Each choice leaves a warning in `notes`.
    """
    if not cell.isascii():  # what does not show is no part of a number; a no-break space is a space
        cell = _INVISIBLE.sub(lambda found: " " if found[0].isspace() else "", cell).strip()
    if not cell:
        return ""
    if _SCIENTIFIC.fullmatch(cell):
        return invalid("phone-scientific", f"phone: {cell!r} lost its digits to scientific notation; format the column as text in the spreadsheet and export it again")
    if not any(c.isdecimal() and unicodedata.digit(c, 0) for c in split_extension(cell)[0]):
        notes.append(f"phone: {cell!r} is not a phone number: left blank")
        return ""
    if whole := _FLOAT_FORM.fullmatch(cell):
        notes.append(f"phone: {cell!r} read as {whole[1]!r} (a whole number written with a decimal point)")
        return whole[1]
    if _FRACTION.fullmatch(cell):
        notes.append(f"phone: {cell!r} is a number with a fraction, not a phone number: left blank")
        return ""
    number, extension = split_extension(cell)
    parts = _SEVERAL.split(number)
    first, i = parts[0], 1
    while _digits(first) < _WHOLE_NUMBER and i < len(parts):  # an area code before a slash belongs to the number
        first, i = first + parts[i] + parts[i + 1], i + 2
    others = [part.strip() for part in parts[i + 1 :: 2] if _digits(part)]
    if not others:
        return cell
    notes.append(f"phone: {cell!r} holds more than one number: the first was sent, not {', '.join(map(repr, others))}")
    return first.strip()


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
    """Strip spaces, a `mailto:` prefix and a `Name <addr>` wrapper."""
    address = raw.strip()
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
