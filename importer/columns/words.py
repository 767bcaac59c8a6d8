"""A header's words and what they mean: which customer field a header names.

Headers are compared after folding case, accents, spaces and punctuation, against
the spellings that the platforms merchants leave actually export (`layouts.py`),
so "E-mail", "Email Address" and "EMAIL" all feed `email`; a header not among them
is read by its words, in the languages Excel ships in. Also the patterns of the
values a column may hold, and the words a cell of the active column says yes or no
with (`parse_active`), which the judging of columns and the row check share.
"""

from __future__ import annotations

import re
import unicodedata

from .layouts import (
    ALIASES,
    BARE_NAMES,
    FALSE_WORDS,
    FAMILY_FIRST,
    NUMBER_WORDS,
    OTHER_WORDS,
    OTHERS,
    PHRASES,
    TITLE_HEADERS,
    TRUE_WORDS,
    WORDS,
)

# The fields a column can feed (`--map FIELD=HEADER`), and those the row check reads:
# a name in parts reaches it already built (see ColumnMap.fields_of).
FIELDS = ("name", "prefix", "first_name", "middle_name", "last_name", "suffix", "email", "phone", "active", "inactive", "user")
CHECKED = ("name", "first_name", "last_name", "email", "phone", "active", "user")
# In the order people write them; a second family name (Spanish "Segundo apellido",
# Mexican "Apellido materno") follows the first.
NAME_PARTS = ("prefix", "title", "first_name", "middle_name", "last_name", "second_last_name", "suffix")  # title: a second prefix (Herr Dr.)
# Fields in which a program's mark for a missing value (`layouts.MISSING_VALUES`) is read as blank.
MISSING_READ = ("name", *NAME_PARTS, "active", "inactive")
WORD_RANK = 100_000  # a header read by its words ranks after every spelling of layouts.py
HEADER_SEARCH_ROWS = 20
ENOUGH_CUSTOMERS = 3  # rows with an address that make a list of customers rather than an example
JUDGED_ROWS = 1_000  # data rows a column's values are judged on (fewer than the smallest chunk holds)
ORDER_NUMBER = re.compile(r"#?\d+")
# The columns a report adds after the original ones, each possibly written
# `import_<name>` (see report.own_columns): a fixed report file re-imported as it
# is reads the merchant's columns only, never the report's `status`.
REPORT_TAIL = ("row", "status", "reason", "sentname", "sentemail", "sentphone", "sentactive")
_REPORT_PREFIX = re.compile(r"^(?:import)*")
# What a column's values look like, judged on its filled cells (Arrow's regex engine).
ADDRESS = r"\s*(?:[^<>@]*<)?(?:mailto:)?[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+>?\s*[;,]?\s*"
# A phone: an international or trunk prefix, or digits in groups; a bare run of digits is as often an id. A trunk
# prefix of one digit other than 0 starts a group of its own, as Russia, Belarus and Kazakhstan write it (8 916 765-43-21, 8 (495) 111-22-33).
PHONE = (
    r"\s*(?:(?:\+|00)[\s(]*\d[\d\s().\-/]{5,20}\d|\(?0[\d\s().\-/]{6,20}\d|\(?\d{2,5}\)?[\s.\-/]\d[\d\s.\-/]{4,18}\d"
    r"|[1-9][\s.\-]?\(\d{2,5}\)[\s.\-]?\d[\d\s.\-]{4,16}\d|[1-9][\s.\-]\d{2,5}[\s.\-]\d[\d\s.\-]{4,16}\d)\s*"
)
DATE = r"\s*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}(?:[ T].*)?"
PERSON = r"\s*[^\p{Ll}\P{L}][\p{L}\p{M}'’.\-]*(?:\s+[\p{L}\p{M}'’.\-]+){0,4}\s*"
CODE = r"[\p{Lu}\d\s'.\-]+"  # upper-case codes (NGN, LA, VIP): not names
TWO_WORDS = r"\s*\S+\s+\S.*"  # a whole name, not one part of it
CALLING_CODE = r"\s*(?:\+|00)?\s*[1-9]\d{0,2}\s*"  # a country's calling code, as a column of them writes it
AREA_CODE = r"\s*\(?\d{1,5}\)?\s*"  # an area code, as a column of them writes it
EAST_ASIAN = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"  # kana, Han and Hangul: names written family name first


def _plain(text: str) -> str:
    """Text without accents or other marks (Й and ı too, and the vowel signs of Thai and Indic scripts, which would
    cut a word in two), in one case: how a header's words and the vocabulary are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).casefold().replace("ı", "i")
# A person's name as written in a cell: up to five words of letters joined by spaces, hyphens or apostrophes.
PERSON_NAME = re.compile(r"[^\W\d_]+(?:(?:\.?\s|[-'’])[^\W\d_]+){0,4}\.?")


def fold(header: str) -> str:
    """Compare headers without case, accents, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", _plain(header))


_LOOKUP = {alias: (field, rank) for field, aliases in ALIASES.items() for rank, alias in enumerate(aliases)}
_TAG = {_plain(word): tag for tag, words in WORDS.items() for word in words}
_OTHER = frozenset(map(_plain, OTHER_WORDS))
# Words that say whose a value is, when it is not the customer's: another person of the business or the customer's circle, or a
# company. An address under such a header (`Sales Rep Email`, `Contact Owner Email`, `Parent email`) is never taken as the customer's
# by its values alone (see values._found_by_values).
OTHER_PEOPLE: frozenset[str] = frozenset(
    "rep reps representative sales salesperson seller staff employee employees advisor adviser consultant supervisor recruiter sponsor "
    "parent parents guardian mother father betreuer ansprechpartner vertreter mitarbeiter verkaufer berater commercial conseiller vendeur "
    f"vendedor asesor ejecutivo representante commerciale venditore referente {OTHERS}".split()
)
_PEOPLE = frozenset(map(_plain, OTHER_PEOPLE))
_PHRASES = {(_plain(a), _plain(b)): meant for (a, b), meant in PHRASES.items()}
_KNOWN = frozenset(_TAG) | _OTHER
_LONGEST = max(map(len, _KNOWN))
_BARE = frozenset(map(fold, BARE_NAMES))
_NUMBER = frozenset(map(_plain, NUMBER_WORDS))
_FAMILY_FIRST = frozenset(map(_plain, FAMILY_FIRST))
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MERGE_TAG = re.compile(r"^\s*(?:\*\||\{\{|\[\[?|%)\s*(.*?)\s*(?:\|\*|\}\}|\]\]?|%)\s*$")


def words(header: str) -> list[str]:
    """A header as the words it is made of: merge-tag marks, case, accents and punctuation
    gone, camelCase and letters-digits split, `#`/`No.`/`Nr` as `number`, "e-mail",
    "e-post" and "e-pasts" one word, and a compound of two known words ("Handynummer") split in two."""
    text = _MERGE_TAG.sub(r"\1", header).replace("#", " number ").replace("№", " number ")
    tokens = re.findall(r"[^\W\d_]+|\d+", _plain(_CAMEL.sub(" ", text)))
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] == "e" and token.startswith(("mail", "post", "mel", "pasts")):
            joined[-1] = "e" + token
        else:
            joined.append(token)
    split: list[str] = []
    for token in joined:
        split.extend("number" if part in _NUMBER else part for part in _compound(token))
    read: list[str] = []
    for token in split:
        if read and (read[-1], token) in _PHRASES:
            read[-1] = _PHRASES[(read[-1], token)]
        else:
            read.append(token)
    return read


def _compound(token: str) -> list[str]:
    """A word, or the two known words it is written as one of ("telefonnummer": telefon, nummer; "携帯番号": 携帯, 番号).

    Chinese, Japanese and Korean write words of two characters without spaces, so four make a compound there
    ("联系电话", "是否启用"); elsewhere a word that short is one word. Each part has two characters at least.
    """
    shortest = 4 if re.match(EAST_ASIAN, token) else 5
    if token in _KNOWN or len(token) < shortest or len(token) > 2 * _LONGEST:  # no two known words make a longer one
        return [token]
    for cut in range(2, len(token) - 1):
        if token[:cut] in _KNOWN and token[cut:] in _KNOWN:
            return [token[:cut], token[cut:]]
    return [token]


def meaning(header: str) -> tuple[str, int] | None:
    """The field a header names and its rank among that field's columns (lower is preferred), or None when it is silent.

    A spelling of layouts.py first; else the header's words: every one of them known
    (a word not known, or one that names something else, leaves the header silent).
    """
    folded = fold(header)
    hit = _LOOKUP.get(folded)
    if hit is not None:
        return hit
    tokens = words(header)
    if not tokens or any(t in _OTHER for t in tokens) or any(t not in _TAG for t in tokens) or folded in TITLE_HEADERS:
        return None  # a bare "Title" may be a job's: its values decide (see _title_as_prefix)
    tags = {_TAG[t] for t in tokens} - {"neutral"}
    if tags == {"person"}:  # "Kunde", "Cliente": the customer's name; "Customer No." is an id
        return None if "number" in tokens else ("name", WORD_RANK + 2)
    tags.discard("person")
    qualified = tags & {"secondary", "home", "work", "billing"}
    found = _field_of(tags, qualified)
    return None if found is None else (found[0], WORD_RANK + found[1])


_GROUPS = ({"email"}, {"phone", "mobile"}, {"given", "family", "middle", "prefix", "suffix", "full", "name"}, {"active", "status", "account", "inactive"})


def _field_of(tags: set[str], qualified: set[str]) -> tuple[str, int] | None:
    """The field and rank a header's kinds of words point to; None when they point to two ("Last Active")."""
    if sum(1 for group in _GROUPS if tags & group) > 1:
        return None
    if "email" in tags:
        return "email", 1 if qualified else 0
    if tags & {"phone", "mobile"}:
        if not qualified and "address" not in tags:
            return "phone", 1 if "mobile" in tags else 0
        return "phone", 3 if qualified <= {"billing"} else 2
    if "full" in tags or {"given", "family"} <= tags:
        return "name", 0
    if "middle" in tags or ("secondary" in tags and tags & {"given", "name"}):
        return "middle_name", 0
    if "family" in tags and qualified == {"secondary"}:
        return "second_last_name", 0
    for tag, field_name in (("given", "first_name"), ("family", "last_name"), ("prefix", "prefix"), ("suffix", "suffix")):
        if tag in tags:
            return field_name, 1 if qualified else 0
    if "name" in tags and tags <= {"name", "billing"}:
        return "name", 1 if qualified else 0
    if "inactive" in tags:
        return ("inactive", 0) if tags <= {"inactive", "account", "status"} else None
    if "active" in tags and tags <= {"active", "account", "status"}:
        return "active", 0
    if "status" in tags and tags <= {"status", "account"}:
        return "active", 1
    return None


def parse_active(raw: str, blank: bool = True) -> bool | None:
    """The `active` flag from the words spreadsheets use; a blank cell is `blank`, None means unreadable.

    A blank means active in a column of yes and no; in a column of ticks (see
    `ticks_only`) it is the unticked box, so the caller passes False. The cell is compared
    casefolded, as every reader of the column compares it: the word sets hold every form
    casefold() leaves a word in (`layouts._cased`: "AKTİF", "HAYIR", "Desactive").
    """
    word = raw.strip().casefold()
    if not word:
        return blank
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def ticks_only(filled: list[str]) -> str | None:
    """The first tick of a column whose filled cells all say yes (`x`, `✓`, `yes`, `1` ...): there a blank is the no.

    None when the column also says no in words, holds anything else, or is blank throughout.
    """
    if not filled or not all(parse_active(value) is True for value in filled):
        return None
    return filled[0]


def silent(header: str) -> bool:
    """Whether a header names nothing the tool knows (no word of a field or of the customer, only
    qualifiers such as "Work" or "Nr"): its values may then say what it is."""
    tokens = words(header)
    said = {_TAG.get(t) for t in tokens} & {tag for group in _GROUPS for tag in group} | ({"person"} & {_TAG.get(t) for t in tokens})
    return meaning(header) is None and not any(t in _OTHER for t in tokens) and not said


def someone_elses(header: str) -> bool:
    """Whether a header says its values are another person's or a company's (`Sales Rep Email`, see OTHER_PEOPLE)."""
    return any(t in _PEOPLE for t in words(header))
