"""Phone rules: which cells are a phone as written, and what a cell means when it is not plainly one.

A cell may hold a placeholder, a number a spreadsheet turned into a float, several
numbers, an extension or a label; each reading here leaves a warning for the
merchant. Under `--phone-region`, a number is written in E.164 only when that keeps
the digits the merchant wrote. The plain-phone pattern and the limits here, and what
makes a placeholder or a decimal number (columns/phone_parts.py), are used both by the
row check and by the column-wise screen, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..columns.phone_parts import decimal_reading, holds_number, international
from ..outcomes import Outcome
from .rules import _INVISIBLE, invalid

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

MAX_PHONE = 32
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
# Digits a phone number has at least written with its country code (Niue's +683 4002), short
# codes aside: a shorter piece before a slash is an area code (`089/1234567`), not a number of
# its own, and a cell of fewer such digits is a calling code a form wrote before a number left
# empty (`+234`). Written without a country code, a number has four digits at least.
_WHOLE_NUMBER = 7
_LOCAL_NUMBER = 4
# A phone the screen lets pass as written: digits and the usual punctuation, no exponent, no slash
# (which may part two numbers), as many digits as any number has; see also MAX_PHONE, and
# NUMBER_DIGIT and DECIMAL in phone_parts. A shorter one goes to `read_phone`.
_PLAIN_PHONE = rf"(?:[+(]?(?:[0-9][ ().-]*){{{_WHOLE_NUMBER},}})?"
# What parts several numbers in one cell, in the languages merchants write: marks, and
# "or"/"and" between spaces.
_SEVERAL = re.compile(
    r"(\s*[/,;&|\n]\s*|\s+(?:or|and|oder|und|ou|et|o|y|e|of|en|eller|och|og|tai|ja|lub|i|nebo|a|alebo|vagy|és|veya|ve"
    r"|sau|și|или|и|або|чи|ή|και|atau|dan|hoặc|または|或)\s+)",
    re.IGNORECASE,
)
# A number shown with thousands separators (`46,701,234,567`, as a `#,##0` format shows it): one number, not a list.
_GROUPED = re.compile(r"\+?\d{1,3}(?:,\d{3}){2,}")
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
# A date or a time as a workbook's date and time cells read (ISO 8601, see read/numbers.cell_text): whatever its
# digits, never a phone (a date typed where the phone goes, or a number Excel turned into one).
_DATE_OR_TIME = re.compile(r"(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T|-?\d+ days?, )?\d{1,2}:\d\d:\d\d(?:\.\d+)?")  # a duration too


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
    dialled_from = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if _same_digits(written, cc, national, metadata, dialled_from) or (valid and getattr(metadata, "national_prefix_transform_rule", None) and _dialled_at_home(number, region)):
        return ""
    return f"would change its digits if read as a {region} number ({e164})"


def _dialled_at_home(number: str, region: str) -> bool:
    """Whether `number` is written as dialled within `region`, without a country code."""
    import phonenumbers

    source = phonenumbers.parse(number, region, keep_raw_input=True).country_code_source
    return source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY


def _same_digits(written: str, cc: str, national: str, metadata: object, dialled_from: object) -> bool:
    """Whether a number read as `cc` + `national` keeps the digits written: only a country code, a trunk prefix
    (the number's region's own before the number, `0` or `(0)` after the country code) or the international
    prefix of the region it is dialled from (`00` in the UK, `011` in the US, `009` in Nigeria) added or
    dropped. Another trunk prefix after the country code (`+1 1 212 ...`, `00 1 1 ...` from the UK) is a digit
    too many, not a convention."""
    if not written.endswith(national):
        return False
    prefix = written[: len(written) - len(national)]
    trunk = getattr(metadata, "national_prefix", None) or "0"
    idd = getattr(dialled_from, "international_prefix", None)
    return prefix in ("", cc, trunk, cc + "0") or bool(idd and prefix.endswith(cc) and re.fullmatch(idd, prefix[: -len(cc)]))


def split_extension(phone: str) -> tuple[str, str]:
    """The number and the extension written after it (`ext. 12`, `x12`, `#12`, `poste 12`), or "" when there is none."""
    found = _EXTENSION.search(phone)
    if found is None or _digits(phone[: found.start()]) < _WHOLE_NUMBER:
        return phone, ""
    return phone[: found.start()].rstrip(), found[1]


def _digits(text: str) -> int:
    return sum(c.isdecimal() for c in text)


def _too_few_digits(number: str) -> bool:
    """Whether `number` has fewer digits than any phone number written as it is: with `+` or `00`, or without."""
    international = number.lstrip().startswith(("+", "00"))
    return _digits(number) < (_WHOLE_NUMBER if international else _LOCAL_NUMBER)


def read_phone(cell: str, notes: list[str]) -> str | Outcome:
    """The phone a cell means, as written; blank when it holds none; or why the row must be set aside.

    A cell with no digit other than 0 is a placeholder (`N/A`, `-`, `TBC`, `0`); the
    float form of a whole number (`447700900123.0`) is its digits; a decimal fraction
    or scientific notation was never a phone; nor is a cell of fewer digits than a number has
    (`+234`, a calling code with no number after it); a number shown with thousands separators is
    its digits. Of several numbers in one cell the first is sent and the others named. Each choice leaves a warning in `notes`.
    """
    cell = cell.removeprefix("'").strip()  # a "keep as text" mark typed into a workbook's text is no part of a number
    if not cell.isascii():  # what does not show is no part of a number; a no-break space is a space
        cell = _INVISIBLE.sub(lambda found: " " if found[0].isspace() else "", cell).strip()
    if not cell:
        return ""
    if _SCIENTIFIC.fullmatch(cell):
        return invalid("phone-scientific", f"phone: {cell!r} lost its digits to scientific notation; format the column as text in the spreadsheet and export it again")
    if _DATE_OR_TIME.fullmatch(cell):
        notes.append(f"phone: {cell!r} is a date or a time, not a phone number: left blank")
        return ""
    number = split_extension(cell)[0]
    if not holds_number(number):
        notes.append(f"phone: {cell!r} is not a phone number: left blank")
        return ""
    if _too_few_digits(number):
        notes.append(f"phone: {cell!r} has too few digits to be a phone number: left blank")
        return ""
    if decimal := decimal_reading(cell):
        whole, was_whole = decimal
        said = f"read as {whole!r} (a whole number written with a decimal point)" if was_whole else "is a number with a fraction, not a phone number: left blank"
        notes.append(f"phone: {cell!r} {said}")
        return whole
    if _GROUPED.fullmatch(cell):
        digits = cell.replace(",", "")
        notes.append(f"phone: {cell!r} read as {digits!r} (a number shown with thousands separators)")
        return digits
    parts = _SEVERAL.split(number)
    first, i = parts[0], 1
    while _digits(first) < _WHOLE_NUMBER and i < len(parts):  # an area code before a slash belongs to the number
        first, i = first + parts[i] + parts[i + 1], i + 2
    others = [part.strip() for part in parts[i + 1 :: 2] if _digits(part)]
    if not others:
        return cell
    notes.append(f"phone: {cell!r} holds more than one number: the first was sent, not {', '.join(map(repr, others))}")
    return first.strip()

