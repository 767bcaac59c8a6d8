"""The encoding a CSV was saved in: UTF-8 or UTF-16 when the bytes say so, else the code page Excel wrote it in.

A code page is chosen by the letters it makes of the file's names; when two code
pages read the file soundly with other letters, the import stops and names both
(`--encoding` settles it), rather than create customers with misread names.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, UsageError
from .letters import CLEAN_READING, letters_off, sense
from .likeness import Likeness, likeness, scripts

# The code pages Excel writes a CSV in, by the language of Windows (and Mac Roman), then the ones other programs
# write the same languages in (ISO, KOI8-R), then the DOS ones of Excel's "CSV (MS-DOS)" and of the point-of-sale
# and accounting programs that still write them: a Windows one is preferred only where the file does not tell them apart.
CODE_PAGES = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp874", "cp1258", "mac-roman",
    "iso8859-15", "iso8859-2", "iso8859-5", "koi8-r", "iso8859-7", "iso8859-13", "iso8859-8", "iso8859-6", "iso8859-11",
    "cp850", "cp437", "cp852", "cp866", "cp857", "cp737", "cp775", "cp862", "cp720", "cp860", "cp865",
)
# The code pages Excel writes a CSV in on a Japanese, Chinese (simplified, traditional) or Korean Windows,
# and GB18030, which holds GBK and what it lacks; each byte below 0x80 is its ASCII character.
MULTIBYTE_CODE_PAGES = ("cp932", "gbk", "gb18030", "cp950", "cp949")
NOISE_MARGIN = 0.05  # readings this close in charset-normalizer's noise are told apart by no one but the merchant
_EAST_ASIAN = r"[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
# One ideograph, kana or hangul inside a Latin word, or alone at its end or start: "M黧ler" is Müller misread, "Ay㧐
# Kaya" Ayşe Kaya, "Michaｳ Wｹs" Michał Wąs (East Asian text glues a Latin letter to a word of its script, "Tシャツ",
# never one character to a Latin word).
_INSIDE_LATIN_WORD = (
    r"(?<=[A-Za-z])[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff61-\uff9f](?=[A-Za-z])"
    r"|(?<=[A-Za-z]{2})[\u3400-\u9fff\uac00-\ud7af\uff61-\uff9f](?![\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef])"
    r"|(?<![\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef])[\uff61-\uff9f](?=[A-Za-z]{2})"
)
# Hangul next to ideographs or kana, half-width kana next to full-width letters: what bytes of another script read as.
# (These three are compiled where used, by `re`'s own cache: only a file that is not UTF-8 needs them.)
_HANGUL_WITH_HAN = (
    r"[\uac00-\ud7af][\u3040-\u30ff\u3400-\u9fff]|[\u3040-\u30ff\u3400-\u9fff][\uac00-\ud7af]"
    r"|[\uff61-\uff9f][\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][\uff61-\uff9f]"
)
_CELL_BREAK = re.compile(rb'[,;\t"]')  # what ends a cell in any delimiter (no code page uses these bytes inside a character)
_ASCII = bytes(range(0x80))
_WINDOW = 1024  # characters kept either side of a byte the sample shows


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
    Every other code page that reads the file as text is weighed the same way. Then the reading whose names need the
    fewest languages, whose words keep the syllables names have, whose letters its main language's alphabet holds
    (see `likeness`: "Lefèvre, Cœur" is French in cp1252, "Lefčvre, Cśur" in cp1250 is Czech and Polish letters in
    French words), then charset-normalizer's coherence, then the order of CODE_PAGES (what Excel writes first). A
    reading as sound as the winner's that gives other letters is a doubt the merchant settles: in a code page that
    differs from the winner's in a few letters (see `_rivals`), or one as likely in every way `likeness` weighs, in
    the same script (see `_as_likely`).
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
        clean = [e for e in sound if sense(sound[e][0]) <= CLEAN_READING]
        if clean:
            raise InputError(_doubt(path, sample, [multibyte, clean[0]]))
        return multibyte
    for encoding in CODE_PAGES if readings else ():  # charset-normalizer sets aside some sound readings (Hebrew in cp862)
        if encoding not in readings and _reads_as_text(present, encoding):
            readings[encoding] = sound[encoding] = (sample.decode(encoding), 0.0)
    if not readings:
        for encoding in CODE_PAGES:  # too little text to weigh: the first code page that reads it
            if _decodes(sample, encoding):
                return encoding
        raise InputError(f"{path}: binary data, not a CSV or a workbook")
    weighed = {text: likeness(text) for text in {readings[e][0] for e in sound or readings}}  # code pages that read it alike, once
    likely = {e: weighed[readings[e][0]] for e in sound or readings}
    winner = min(likely, key=lambda e: (*likely[e], -round(readings[e][1], 2), CODE_PAGES.index(e)))
    rivals = _rivals(winner, present, sample) + _as_likely(winner, {e: r[0] for e, r in readings.items()}, set(sound), likely)
    if rivals:
        raise InputError(_doubt(path, sample, _one_each(sample, [winner, *rivals])))
    return winner


def _as_likely(winner: str, texts: dict[str, str], sound: set[str], likely: dict[str, Likeness]) -> list[str]:
    """The code pages whose reading reads as text (`sound`), has letters past ASCII in the script of the winner's,
    differs from it and is as likely in every way `likeness` weighs: nothing in the names says which the merchant
    meant ("Szőke" in cp1250 and "Szõke" in cp1252 are each a name of one language, with the same syllables). A
    reading in another script puts another alphabet's letters in whole words, which `likeness` weighs, and one with
    no such letters holds no name to weigh: in a tie the code page Excel writes first wins, as before."""
    ours, script = texts[winner], scripts(texts[winner])
    return [e for e in sound if texts[e] != ours and likely[e] == likely[winner] and scripts(texts[e]) == script] if script else []


def _one_each(sample: bytes, encodings: list[str]) -> list[str]:
    """One code page for each reading of the sample (the first of CODE_PAGES that gives it), in the order of CODE_PAGES."""
    chosen: dict[str, str] = {}
    for encoding in sorted(set(encodings), key=CODE_PAGES.index):
        chosen.setdefault(sample.decode(encoding, errors="replace"), encoding)
    return list(chosen.values())


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
    mixed = {e: len(re.findall(_HANGUL_WITH_HAN, t)) for e, t in readings.items()}
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
    one = re.compile(_EAST_ASIAN)
    east_asian = sum(1 for c in foreign if one.match(c))
    odd = len(re.findall(_INSIDE_LATIN_WORD, text)) + len(re.findall(_HANGUL_WITH_HAN, text))
    return east_asian >= 0.9 * len(foreign) and odd <= 0.05 * east_asian


def _rivals(winner: str, present: frozenset[int], sample: bytes) -> list[str]:
    """The code pages that read the file as soundly as `winner` and with other letters, so that the bytes do not
    say which one was meant (one for each other reading, in the order of CODE_PAGES).

    Only code pages that share most letters with the winner's are its rivals (cp1252 and ISO-8859-15, cp1250
    and ISO-8859-2): the language cannot tell them apart, as they differ where one has a letter and the other
    a symbol (`Š` or `¦`) that may be the merchant's own (`O´Brien`), or another letter. Code pages that
    differ in nearly every letter (cp1251 and KOI8-R, Mac Roman and cp1252) are told apart by the language
    the letters make, as the detector ranks them. A rival gives no control character for any byte of the
    file (in ISO-8859 a byte from 0x80 to 0x9F is one, so a file holding one is in a Windows code page), and is as
    sound as the winner's reading: in its letters (`letters_off`), or in all (`sense`, where a symbol beside
    letters counts against a reading as much as a wrong letter does: "O´Brien" or "OŽBrien").
    """
    ours = sample.decode(winner, errors="replace")
    others: dict[str, str] = {}  # each other reading, by the first code page that gives it
    for encoding in CODE_PAGES:
        if encoding != winner and _near(winner, encoding) and _reads_as_text(present, encoding):
            others.setdefault(sample.decode(encoding, errors="replace"), encoding)
    others.pop(ours, None)
    bar = letters_off(ours), sense(ours)[:2]
    return sorted((e for text, e in others.items() if letters_off(text) <= bar[0] or sense(text)[:2] <= bar[1]), key=CODE_PAGES.index)


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
    return all((c := _char(b, encoding)) is not None and unicodedata.category(c) != "Cc" for b in present)


def _doubt(path: Path, sample: bytes, encodings: list[str]) -> str:
    """The message for a file that reads more than one way: its first cell that differs, in each reading."""
    cell = next((c.strip() for line in sample.splitlines() for c in _CELL_BREAK.split(line) if len({c.decode(e, errors="replace") for e in encodings}) > 1), b"")
    readings = " or ".join(f"{cell.decode(e, errors='replace')!r} in {e}" for e in encodings)
    options = " or ".join(f"--encoding {e}" for e in encodings)
    return f"{path}: the text is not UTF-8 and reads more than one way: {readings}; name the right one with {options}"


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
                text = chunk[start : start + 16 * 1024]
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
