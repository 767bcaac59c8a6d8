"""The encoding a CSV was saved in: UTF-8 or UTF-16 when the bytes say so, else the code page Excel wrote it in.

A code page is chosen by the letters it makes of the file's names; when two code
pages read the file soundly with other letters, the import stops and names both
(`--encoding` settles it), rather than create customers with misread names.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, UsageError

# The code pages Excel writes a CSV in, by the language of Windows (and Mac Roman), then the ones other programs
# write the same languages in (ISO, KOI8-R): a Windows one is preferred only where the file does not tell them apart.
CODE_PAGES = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp874", "mac-roman",
    "iso8859-15", "iso8859-2", "iso8859-5", "koi8-r", "iso8859-7", "iso8859-13", "iso8859-8", "iso8859-6", "iso8859-11",
)
# The code pages Excel writes a CSV in on a Japanese, Chinese (simplified, traditional) or Korean Windows,
# and GB18030, which holds GBK and what it lacks; each byte below 0x80 is its ASCII character.
MULTIBYTE_CODE_PAGES = ("cp932", "gbk", "gb18030", "cp950", "cp949")
# The `_sense` of a single-byte reading as clean as names of a language: no misread word, every accented word in one
# alphabet, vowels where words have them, and at most half its words starting with a small letter.
CLEAN_READING = (0, -1.0, 0.1, 0.5)
NOISE_MARGIN = 0.05  # readings this close in charset-normalizer's noise are told apart by no one but the merchant
_EAST_ASIAN = re.compile(r"[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_INSIDE_LATIN_WORD = re.compile(r"(?<=[A-Za-z])[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af](?=[A-Za-z])")  # "M黧ler": Müller misread
# Hangul next to ideographs or kana, half-width kana next to full-width letters: what bytes of another script read as.
_HANGUL_WITH_HAN = re.compile(
    r"[\uac00-\ud7af][\u3040-\u30ff\u3400-\u9fff]|[\u3040-\u30ff\u3400-\u9fff][\uac00-\ud7af]"
    r"|[\uff61-\uff9f][\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][\uff61-\uff9f]"
)
_CELL_BREAK = re.compile(rb'[,;\t"]')  # what ends a cell in any delimiter (no code page uses these bytes inside a character)
_ASCII = bytes(range(0x80))
_WINDOW = 1024  # characters kept either side of a byte the sample shows
# The accented letters of the languages written in those code pages, one alphabet each.
ALPHABETS = tuple(frozenset(letters) for letters in (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú", "áéíóúëïöü", "åäöé", "æøåé", "äöå",
    "áðéíóúýþæö", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "ăâîșțşţ", "čćđšž",
    "çğıöşüâî", "ąčęėįšųūž", "āčēģīķļņšūž", "õäöüšž",
    "".join(map(chr, range(0x430, 0x460))), "".join(map(chr, range(0x3ac, 0x3d0))),
    "".join(map(chr, range(0x5d0, 0x5eb))),  # Hebrew
    "".join(map(chr, [*range(0x620, 0x64b), 0x67e, 0x686, 0x698, 0x6a9, 0x6af, 0x6cc, 0x679, 0x688, 0x691, 0x6ba, 0x6be, 0x6c1, 0x6d2])),  # Arabic, Persian, Urdu
    "".join(c for c in map(chr, range(0xe01, 0xe5c)) if c.isalpha()),  # Thai
))
# The combining marks of those scripts (accents, Hebrew points, Arabic harakat, Thai vowel and tone marks):
# part of the letter before them, a misreading after a letter of another script or where they start a word.
MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
VOWELS = frozenset("aeiouyàâæéèêëîïôœùûüÿáíóúãõìòåäöøőűăąęėįųūāēīōıаеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")
# A symbol glued to letters ("£ukasz", "¯ó³æ") is what text decoded with the wrong code page looks like.
_MISREAD = re.compile(
    rf"(?<=[^\W\d_{MARKS}])[^\w\s,;.\-'’&/@()+\"{MARKS}]|[^\w\s,;.\-'’&/@()+\"{MARKS}](?=[^\W\d_])"
    # a mark that does not follow a letter (or mark) of its own script: "Pr้nom" for Prénom read as Thai
    r"|(?<![A-Za-z\u00c0-\u024f\u0300-\u036f])[\u0300-\u036f]|(?<![\u0591-\u05f4])[\u0591-\u05c7]"
    r"|(?<![\u0610-\u06ff])[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]|(?<![\u0e01-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
    # a script's own digit glued to letters ("ฑ่นฮผ๖")
    r"|(?<=[^\W\d_])[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59]|[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59](?=[^\W\d_])"
)


def _known_encoding(name: str) -> str:
    try:
        found = codecs.lookup(name)
    except LookupError:
        found = None
    if found is not None and getattr(found, "_is_text_encoding", True):
        return found.name
    raise UsageError(f"--encoding {name!r}: not a text encoding Python knows (for example utf-8, cp1250, cp1251, mac_roman)")


def detect_encoding(path: Path, head: bytes) -> str:
    """The encoding the text was saved in; refuse binary data.

    UTF-8 is checked over the whole file (fast, incremental, bounded memory) so that
    a foreign byte deep in the file is not discovered after rows were sent. Any
    other text is one of the code pages Excel writes, chosen by its content.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        sample = head[:4096]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
            return "utf-16-le"
        if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
            return "utf-16-be"
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    if _is_utf8(path):
        return "utf-8"
    return code_page(path, head)


def code_page(path: Path, head: bytes) -> str:
    """Which code page a non-UTF-8 text is in; stop (InputError) when two of them read it with other letters and
    nothing in the file tells which.

    charset-normalizer gives the code pages that read the text cleanly; of those that give no control
    character for any byte of the file, the one whose words each keep to one language's alphabet wins
    ("Jiří Dvořák" is Czech in cp1250, while cp1252 reads it "Jiøí Dvoøák", letters no one language has
    together), after setting aside a reading that glues symbols to letters ("£ukasz ¯ó³æ" for Łukasz Żółć).
    Then charset-normalizer's coherence, then the order of CODE_PAGES (what Excel writes first). A reading
    as sound as the winner's that gives other letters is a doubt the merchant settles (see `_rivals`).
    """
    import charset_normalizer  # only files that are not UTF-8 need it

    multibyte = _multibyte_code_page(path, head)
    present, sample = _foreign_text(path, head)
    readings: dict[str, tuple[str, float]] = {}
    for match in charset_normalizer.from_bytes(sample, cp_isolation=list(CODE_PAGES)):
        for name in match.could_be_from_charset:
            encoding = codecs.lookup(name).name
            if encoding in CODE_PAGES and encoding not in readings:
                readings[encoding] = (str(match), match.coherence)
    sound = {e: r for e, r in readings.items() if _reads_as_text(present, e)}
    if multibyte is not None:  # unless a single-byte code page reads it as cleanly, as names of a language
        clean = [e for e in sound if _sense(sound[e][0]) <= CLEAN_READING]
        if clean:
            raise InputError(_doubt(path, sample, [multibyte, clean[0]]))
        return multibyte
    if not readings:
        for encoding in CODE_PAGES:  # too little text to weigh: the first code page that reads it
            if _decodes(sample, encoding):
                return encoding
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    winner = min(sound or readings, key=lambda e: (*_sense(readings[e][0]), -round(readings[e][1], 2), CODE_PAGES.index(e)))
    rivals = _rivals(winner, present, sample)
    if rivals:
        raise InputError(_doubt(path, sample, sorted([winner, *rivals], key=CODE_PAGES.index)))
    return winner


def _multibyte_code_page(path: Path, head: bytes) -> str | None:
    """The East Asian code page the file is in (see MULTIBYTE_CODE_PAGES), None when it is in none of them;
    stop (InputError) when two of them read it alike well with other characters.

    A candidate decodes the whole file, as text of its script: its characters past ASCII ideographs,
    kana, hangul or full-width forms, not inside Latin words (what Western text these bytes also decode
    in looks like). Of those, the reading with the fewest words that join hangul to ideographs or kana
    (what Chinese or Japanese bytes read as Korean look like) and then the least of charset-normalizer's
    noise wins; another as good that gives other characters is a doubt the merchant settles.
    """
    import charset_normalizer

    candidates = [e for e in MULTIBYTE_CODE_PAGES if _decodes_whole(path, e)]
    if not candidates:
        return None
    text = head[: head.rfind(b"\n") + 1] or head  # whole lines: no character cut in two
    readings = {e: t for e in candidates if _east_asian(t := text.decode(e, errors="replace"))}
    if not readings:
        return None
    noise: dict[str, float] = {}
    for match in charset_normalizer.from_bytes(text, cp_isolation=list(readings)):
        for name in match.could_be_from_charset:
            if (encoding := codecs.lookup(name).name) in readings:
                noise.setdefault(encoding, match.chaos)
    readings = {e: t for e, t in readings.items() if e in noise}
    if not readings:
        return None
    mixed = {e: len(_HANGUL_WITH_HAN.findall(t)) for e, t in readings.items()}
    winner = min(readings, key=lambda e: (mixed[e], round(noise[e], 2), MULTIBYTE_CODE_PAGES.index(e)))
    close = sorted((e for e in readings if mixed[e] <= mixed[winner] and noise[e] - noise[winner] < NOISE_MARGIN), key=MULTIBYTE_CODE_PAGES.index, reverse=True)
    rivals = {readings[e]: e for e in close}  # one code page per reading, the first of MULTIBYTE_CODE_PAGES
    rivals.pop(readings[winner], None)
    if rivals:
        raise InputError(_doubt(path, text, sorted([winner, *rivals.values()], key=MULTIBYTE_CODE_PAGES.index)))
    return winner


def _east_asian(text: str) -> bool:
    """Whether the characters past ASCII of a reading are East Asian text: ideographs, kana, hangul, full-width
    forms and their punctuation, next to each other and to Latin letters as such text has them."""
    foreign = [c for c in text if not c.isascii()]
    if not foreign:
        return False
    east_asian = sum(1 for c in foreign if _EAST_ASIAN.match(c))
    odd = len(_INSIDE_LATIN_WORD.findall(text)) + len(_HANGUL_WITH_HAN.findall(text))
    return east_asian >= 0.9 * len(foreign) and odd <= 0.05 * east_asian


def _sense(text: str) -> tuple[int, float, float, float]:
    """How much a reading looks like names in a language, smaller being better: words a wrong code page makes,
    the share of words whose accented letters no one alphabet holds, how far its words are from having vowels,
    and the share of its words in a script with capitals that start with a small letter (names start with a
    capital: Hebrew read as Greek is "γεγ λδο")."""
    return len(_MISREAD.findall(text)) + _mixed_words(text), -_fit(text), _vowels_off(text), _uncapitalised(text)


def _rivals(winner: str, present: frozenset[int], sample: bytes) -> list[str]:
    """The code pages that read the file as soundly as `winner` and with other letters, so that the bytes do not
    say which one was meant (one for each other reading, in the order of CODE_PAGES).

    Only code pages that share most letters with the winner's are its rivals (cp1252 and ISO-8859-15, cp1250
    and ISO-8859-2): the language cannot tell them apart, as they differ where one has a letter and the other
    a symbol (`Š` or `¦`) that may be the merchant's own (`O´Brien`), or another letter. Code pages that
    differ in nearly every letter (cp1251 and KOI8-R, Mac Roman and cp1252) are told apart by the language
    the letters make, as the detector ranks them. A rival gives no control character for any byte of the
    file (in ISO-8859 a byte from 0x80 to 0x9F is one, so a file holding one is in a Windows code page), no
    word a wrong code page makes, and as many words of one language's letters as the winner's reading.
    """
    ours = sample.decode(winner, errors="replace")
    others: dict[str, str] = {}  # each other reading, by the first code page that gives it
    for encoding in CODE_PAGES:
        if encoding != winner and _near(winner, encoding) and _reads_as_text(present, encoding):
            others.setdefault(sample.decode(encoding, errors="replace"), encoding)
    others.pop(ours, None)
    bar = (_mixed_words(ours), -_fit(ours))
    return sorted((e for text, e in others.items() if (_mixed_words(text), -_fit(text)) <= bar), key=CODE_PAGES.index)


def _fit(text: str) -> float:
    """The share of words with accented letters whose accented letters one language's alphabet holds, each word
    its own language, as a list of customers mixes them (José and Œdipe)."""
    words = {accented for w in re.findall(r"[^\W\d_]+", text.casefold()) if (accented := frozenset(c for c in w if c.isalpha() and not c.isascii()))}
    if not words:
        return 1.0
    return round(sum(1 for w in words if any(w <= alphabet for alphabet in ALPHABETS)) / len(words), 2)


def _near(one: str, other: str) -> bool:
    """Whether two code pages give the same character for all but a few of the bytes above 0x9F."""
    return sum(_char(b, one) != _char(b, other) for b in range(0xA0, 0x100)) <= 16


@lru_cache(maxsize=None)
def _char(byte: int, encoding: str) -> str | None:
    """What one byte reads as in a single-byte code page (None: no character)."""
    try:
        return bytes([byte]).decode(encoding)
    except UnicodeDecodeError:
        return None


def _reads_as_text(present: frozenset[int], encoding: str) -> bool:
    """Whether every byte value of the file is a character, and not a control one, in this code page."""
    import unicodedata

    return all((c := _char(b, encoding)) is not None and unicodedata.category(c) != "Cc" for b in present)


def _doubt(path: Path, sample: bytes, encodings: list[str]) -> str:
    """The message for a file that reads more than one way: its first cell that differs, in each reading."""
    cell = next((c.strip() for line in sample.splitlines() for c in _CELL_BREAK.split(line) if len({c.decode(e, errors="replace") for e in encodings}) > 1), b"")
    readings = " or ".join(f"{cell.decode(e, errors='replace')!r} in {e}" for e in encodings)
    options = " or ".join(f"--encoding {e}" for e in encodings)
    return f"{path}: the text is not UTF-8 and reads more than one way: {readings}; name the right one with {options}"


def _mixed_words(text: str) -> int:
    """Words that mix Latin letters with Greek or Cyrillic ones ("Josι" for José), or have an accented capital
    inside small letters ("HÈlËne" for Hélène, "MŸller" for Müller, "иВАН" for Иван): what a wrong code page
    makes of names."""
    def script(c: str) -> int:
        return 0 if ord(c) < 0x250 else 1 if ord(c) < 0x400 else 2

    return sum(
        1 for w in re.findall(r"[^\W\d_]+", text)
        if not w.isascii() and (len({script(c) for c in w}) > 1 or (not w.isupper() and any(c.isupper() and not c.isascii() for c in w[1:])))
    )


def _uncapitalised(text: str) -> float:
    """The share of words past ASCII in a script with capitals (Latin, Greek, Cyrillic) that start with a small letter."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii() and ord(w[0]) < 0x530 and w[0].lower() != w[0].upper()]
    return round(sum(w[0].islower() for w in words) / len(words), 1) if words else 0.0


def _vowels_off(text: str) -> float:
    """How far the words with accented letters are from the share of vowels words have in any language written with
    vowel letters (about 0.42; Hebrew, Arabic and Thai words are left out):
    a Greek name read as Cyrillic ("Гйюсгпт" for Γιώργος) is nearly all consonants."""
    words = [w for w in re.findall(r"[^\W\d_]+", text.casefold()) if not w.isascii() and all(ord(c) < 0x530 for c in w)]  # scripts that write vowels
    letters = sum(map(len, words))
    if not letters:
        return 0.0
    return round(abs(sum(c in VOWELS for w in words for c in w) / letters - 0.42), 1)


def _foreign_text(path: Path, head: bytes) -> tuple[frozenset[int], bytes]:
    """Every byte value past ASCII the file holds, and the text to judge the code page by: the lines around the
    first such bytes (a long ASCII start says nothing of the code page), then, wherever they are in the file, the
    first place each byte value not seen yet shows (so that a letter deep in the file is weighed too)."""
    present: set[int] = set()
    parts: list[bytes] = []
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            new = set(chunk.translate(None, _ASCII)) - present
            if not new:
                continue
            if not parts:
                first = min(chunk.index(bytes([byte])) for byte in new)
                start = chunk.rfind(b"\n", 0, first) + 1
                text = chunk[start : start + 64 * 1024]
                parts.append(text.rsplit(b"\n", 1)[0] if b"\n" in text[1:] else text)
                new -= set(parts[0])
                present.update(parts[0])
            for byte in sorted(new, key=lambda b: chunk.index(bytes([b]))):
                if byte in present:
                    continue
                at = chunk.index(bytes([byte]))
                start = max(chunk.rfind(b"\n", 0, at) + 1, at - _WINDOW)
                end = chunk.find(b"\n", at)
                window = chunk[start : min(end if end >= 0 else len(chunk), at + _WINDOW)]
                parts.append(window)
                present.update(window)
            present.update(new)
    present.difference_update(_ASCII)
    return frozenset(present), b"\n".join(parts) or head


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8."""
    return _decodes_whole(path, "utf-8")


def _decodes_whole(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in `encoding` (one whose ASCII bytes are themselves); ASCII chunks (most of
    a customer list) skip the decoder."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                if decoder.getstate()[0] or not chunk.isascii():  # bytes left over from a cut character, or non-ASCII
                    decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_sample(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
