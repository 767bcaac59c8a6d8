"""How names look in the languages the code pages are written in: what a reading of a file's bytes makes of them.

A code page read wrongly turns names into words no language has: letters of several
alphabets in one word, a capital inside small letters, a symbol glued to letters, a
mark on no letter, words without vowels. The encoding check (encoding.py) weighs
each reading by these, and by how many languages its names need.
"""

from __future__ import annotations

import re
import unicodedata

# The `sense` of a single-byte reading as clean as names of a language: no misread word, every accented word in one
# alphabet, vowels where words have them, and at most half its words starting with a small letter.
CLEAN_READING = (0, -1.0, 0.1, 0.5)
# Vietnamese letters, their tones included (cp1258 writes most tones as marks after the letter).
VIETNAMESE_LETTERS = "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
VIETNAMESE = frozenset(VIETNAMESE_LETTERS)
_VIETNAMESE_VOWEL = f"[aeiouy{VIETNAMESE_LETTERS.replace('đ', '')}]"
# One Vietnamese syllable, in small letters: a first consonant (or none), one to three vowels, a last consonant (or none).
_SYLLABLE = re.compile(f"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?{_VIETNAMESE_VOWEL}{{1,3}}(?:ch|ng|nh|[cmnpt])?")
# The accented letters of the languages the code pages are written in, one alphabet each.
ALPHABETS = tuple(frozenset(letters) for letters in (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú", "áéíóúëïöü", "åäöé", "æøåé", "äöå",
    "áðéíóúýþæö", "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "ăâîșțşţ", "čćđšž",
    "çğıöşüâî", "ąčęėįšųūž", "āčēģīķļņšūž", "õäöüšž",
    VIETNAMESE,
    # Cyrillic, a language each: Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian (a name misread from
    # Greek bytes as ISO-8859-5, "Эпъяђ Цсїсёпяѕ", needs several of them in one word).
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "абвгдежзийклмнопрстуфхцчшщъьюя", "абвгдђежзијклљмнњопрстћуфхцчџш", "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "".join(map(chr, range(0x3ac, 0x3d0))),
    "".join(map(chr, range(0x5d0, 0x5eb))),  # Hebrew
    "".join(map(chr, [*range(0x620, 0x64b), 0x67e, 0x686, 0x698, 0x6a9, 0x6af, 0x6cc, 0x679, 0x688, 0x691, 0x6ba, 0x6be, 0x6c1, 0x6d2])),  # Arabic, Persian, Urdu
    "".join(c for c in map(chr, range(0xe01, 0xe5c)) if c.isalpha()),  # Thai
))
# The combining marks of those scripts (accents, Hebrew points, Arabic harakat, Thai vowel and tone marks):
# part of the letter before them, a misreading after a letter of another script or where they start a word.
MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
VOWELS = frozenset("aeiouyàâæéèêëîïôœùûüÿáíóúãõìòåäöøőűăąęėįųūāēīōıаеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")
# A mark that does not follow a letter (or mark) of its own script: "Pr้nom" for Prénom read as Thai, "̃ükrü" for
# Şükrü read as Vietnamese. No merchant types one: unlike a symbol, it is never theirs.
_STRAY_MARK = (
    r"(?<![A-Za-z\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff])[\u0300-\u036f]|(?<![\u0591-\u05f4])[\u0591-\u05c7]"
    r"|(?<![\u0610-\u06ff])[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]|(?<![\u0e01-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
)
_STRAY_MARKS = re.compile(_STRAY_MARK)
# A symbol glued to letters ("£ukasz", "¯ó³æ") is what text decoded with the wrong code page looks like; so is a stray mark.
_MISREAD = re.compile(
    rf"(?<=[^\W\d_{MARKS}])[^\w\s,;.\-'’&/@()+\"{MARKS}]|[^\w\s,;.\-'’&/@()+\"{MARKS}](?=[^\W\d_])|{_STRAY_MARK}"
    # a script's own digit glued to letters ("ฑ่นฮผ๖")
    r"|(?<=[^\W\d_])[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59]|[\u0660-\u0669\u06f0-\u06f9\u0e50-\u0e59](?=[^\W\d_])"
)


def sense(text: str) -> tuple[int, float, float, float]:
    """How much a reading looks like names in a language, smaller being better: words a wrong code page makes,
    the share of words whose accented letters no one alphabet holds, how far its words are from having vowels,
    and the share of its words in a script with capitals that start with a small letter (names start with a
    capital: Hebrew read as Greek is "γεγ λδο")."""
    text = unicodedata.normalize("NFC", text)  # a letter and its accent mark as one letter, as cp1258 writes most Vietnamese tones
    return len(_MISREAD.findall(text)) + _mixed_words(text), -_fit(text), _vowels_off(text), _uncapitalised(text)


def letters_off(text: str) -> tuple[int, float]:
    """What no code page the merchant could have meant makes of a name: words that mix scripts or hold a capital inside
    (`_mixed_words`), marks on no letter of their script, and the share of words no one alphabet holds (negated);
    a symbol beside letters is not counted, since it may be the merchant's own (O´Brien)."""
    text = unicodedata.normalize("NFC", text)
    return _mixed_words(text) + len(_STRAY_MARKS.findall(text)), -_fit(text)


def _fit(text: str) -> float:
    """The share of words with accented letters whose accented letters one language's alphabet holds, each word
    its own language, as a list of customers mixes them (José and Œdipe)."""
    words = _accented(text)
    if not words:
        return 1.0
    return round(sum(1 for w, accented in words if any(accented <= alphabet and _shaped(w, alphabet) for alphabet in ALPHABETS)) / len(words), 2)


def _accented(text: str) -> set[tuple[str, frozenset[str]]]:
    """The words of a reading that hold letters past ASCII, in small letters, each with those letters."""
    return {(w, accented) for w in re.findall(r"[^\W\d_]+", text.casefold()) if (accented := frozenset(c for c in w if c.isalpha() and not c.isascii()))}


def languages(text: str) -> int:
    """How many languages' alphabets it takes to hold every accented word of a reading (counted greedily): of two
    readings that each fit, the one in fewer languages is the file ("Szőke, Lőrinc, Fűzfa" is Hungarian in cp1250;
    cp1252 reads "Szõke, Lõrinc, Fûzfa", Portuguese and French letters in one list of names). Each letter is taken
    as the merchant wrote it (`ß` is German, not the `ss` it folds to)."""
    left = {letters for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text).lower()) if (letters := frozenset(c for c in w if c.isalpha() and not c.isascii()))}
    count = 0
    while left:
        best = max(ALPHABETS, key=lambda alphabet: sum(w <= alphabet for w in left))
        held = {w for w in left if w <= best}
        if not held:
            return count + len(left)
        left -= held
        count += 1
    return count


def _shaped(word: str, alphabet: frozenset[str]) -> bool:
    """Whether a word is shaped as words of that alphabet's language are: any shape, but in Vietnamese, which is
    written a syllable a word, one syllable ("Yılmaz" read as "Yưlmaz" has Vietnamese letters, not a Vietnamese word)."""
    return alphabet != VIETNAMESE or _SYLLABLE.fullmatch(word) is not None


def _mixed_words(text: str) -> int:
    """Words that mix Latin letters with Greek or Cyrillic ones ("Josι" for José), or have an accented capital
    inside small letters ("HÈlËne" for Hélène, "MŸller" for Müller, "иВАН" for Иван): what a wrong code page
    makes of names."""
    def script(c: str) -> int:
        return 0 if ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF else 1 if ord(c) < 0x400 else 2  # Latin, its additional letters (Vietnamese) included

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
