"""How likely a reading of a file's bytes is as names a merchant typed: what tells two code pages apart when each
gives letters, and neither glues symbols to them.

Two code pages of the Latin script often give, for the same byte, letters that each
belong to some language (`è` in cp1252, `č` in cp1250; `ı` in cp1254, `ż` in cp1257).
The names then say which was meant. A customer list is written in few languages, so
the reading whose names need fewer alphabets is the file ("Lefèvre, Téléphone, Cœur"
is French; "Lefčvre, Téléphone, Cśur" needs French, Czech and Polish), and of two that
need as many, the one whose letters its main language's alphabet holds. And words of
every language written with vowel letters alternate vowels and consonants, so a byte
a name needs between two consonants is a vowel: a consonant read there ("Lefčvre",
"Nśńez", "Yżlmaz") piles up a cluster no name has. Where none of these says, the
merchant does (`--encoding`).
"""

from __future__ import annotations

import re
import unicodedata

from .letters import ALPHABETS, VOWELS, languages, sense

Likeness = tuple[int, float, int, int, int, float, float]
# The longest run of vowels, or of consonants, that syllables leave in a name without strain.
_EASY_RUN = 2
_WORD = re.compile(r"[^\W\d_]+")


def likeness(text: str) -> Likeness:
    """How far a reading is from names as a language writes them, smaller being better: words a wrong code page
    makes (a superscript or a fraction inside a name among them: "Ma³gorzata", "T¾th"), the share of accented
    words no one alphabet holds (negated), how many languages its names need, how far its words strain syllables,
    how many of its letters the alphabet of its main language lacks, how far the share of vowels in a script
    other than Latin is from any language's (Greek read as Cyrillic is nearly all consonants), and the share of
    words that start with a small letter."""
    misread, unfit, vowels_off, uncapitalised = sense(text)
    return misread + _glued_numbers(text), unfit, languages(text), strain(text), foreign_letters(text), 0.0 if _latin(text) else vowels_off, uncapitalised


def _glued_numbers(text: str) -> int:
    """The superscripts and fractions (`¹`, `³`, `¾`) that touch a letter: a letter of another code page, since no
    merchant types one inside a name, and one that splits a word hides its accented letters from the rest."""
    return sum(
        1 for i, c in enumerate(text)
        if unicodedata.category(c) == "No" and ((i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()))
    )


def foreign_letters(text: str) -> int:
    """How many of a reading's letters past ASCII the alphabet that holds most of them lacks: a list's names are
    mostly in one language, and the letters a wrong code page makes are another's ("José Álvarez, Zoë Müller-Øst"
    is Dutch letters and a Danish one; cp1257 reads "Įlvarez, Zoė, Ųst", Lithuanian letters beside é and ü)."""
    letters = _letters(text)
    return min((len(letters - alphabet) for alphabet in ALPHABETS), default=0)


def _letters(text: str) -> frozenset[str]:
    """A reading's letters past ASCII, in small letters, each with its accents as one letter."""
    return frozenset(c for c in unicodedata.normalize("NFC", text).lower() if c.isalpha() and not c.isascii())


def strain(text: str) -> int:
    """How far the words of a reading that hold letters past ASCII pile up vowels or consonants beyond what
    syllables have: each run of either longer than two counts by its excess. Only scripts written with vowel
    letters (Latin, Greek, Cyrillic) are weighed; Hebrew, Arabic and Thai words leave their vowels unwritten."""
    total = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        if word.isascii() or not all(ord(c) < 0x530 or 0x1E00 <= ord(c) <= 0x1EFF for c in word):
            continue
        kinds = "".join("v" if _vowel(c) else "c" for c in word)
        total += sum(max(0, len(run) - _EASY_RUN) for run in re.findall(r"v+|c+", kinds))
    return total


def _vowel(letter: str) -> bool:
    """Whether a small letter is a vowel: itself, or the letter its accents sit on (`ï` is `i`, `ễ` is `e`);
    Cyrillic letters are taken whole, since `й` is `и` with a mark and yet a consonant."""
    if letter in VOWELS:
        return True
    if 0x400 <= ord(letter) < 0x530:
        return False
    return unicodedata.normalize("NFD", letter)[0] in VOWELS


def scripts(text: str) -> frozenset[str]:
    """The scripts of a reading's letters past ASCII (LATIN, GREEK, CYRILLIC, HEBREW ...)."""
    return frozenset(unicodedata.name(c, "?").split()[0] for c in set(text) if c.isalpha() and not c.isascii())


def _latin(text: str) -> bool:
    """Whether every letter past ASCII of a reading is a Latin one: such readings differ from each other by a letter
    for a letter, which the share of vowels in a short list cannot weigh (Anaïs and Anaďs)."""
    return scripts(text) <= {"LATIN"}
