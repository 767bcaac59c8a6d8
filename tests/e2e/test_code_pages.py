"""Single-byte code pages: a list saved by Excel in its language's Windows code page arrives as written, or the
import stops before sending and names the code pages to choose from with `--encoding`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from importer.sandbox import SandboxServer

from ..conftest import customers, import_file, write_csv

ENGLISH = ["First Name", "Last Name", "Email"]  # for languages whose header words the tool does not read
# Each language's header and names, in the code page Excel writes it in on a Windows of that language.
LISTS = {
    "French": ("cp1252", ["Prénom", "Nom", "Courriel"], ["Zoé", "Anaïs", "Noël", "Hélène", "Loïc", "Maëlle"], ["Lefèvre", "Cœur", "Garçon", "Chrétien", "Lemaître"]),
    "Spanish": ("cp1252", ["Nombre", "Apellidos", "Correo electrónico"], ["José", "Íñigo", "María", "Sofía", "Begoña"], ["García López", "Núñez", "Muñoz", "Ibáñez"]),
    "Portuguese": ("cp1252", ["Nome", "Sobrenome", "E-mail"], ["João", "Lúcia", "Fábio", "Inês"], ["Magalhães", "Guimarães", "Falcão", "Simões"]),
    "Italian": ("cp1252", ["Nome", "Cognome", "Email"], ["Niccolò", "Giosuè", "Lucia"], ["Bellà", "Fabbrì", "Contè"]),
    "Turkish": ("cp1254", ["Adı", "Soyadı", "E-posta"], ["Ayşe", "İbrahim", "Çağla", "Işıl", "Barış"], ["Yılmaz", "Öztürk", "Şahin", "Kılıç", "Doğan"]),
    "Polish": ("cp1250", ["Imię", "Nazwisko", "Adres e-mail"], ["Małgorzata", "Łukasz", "Paweł", "Grzegorz"], ["Kowalska", "Wójcik", "Zieliński", "Kaczmarek"]),
    "Czech": ("cp1250", ["Jméno", "Příjmení", "E-mail"], ["Jiří", "Šárka", "Zdeněk", "Květa"], ["Dvořák", "Němec", "Růžička", "Křížek"]),
    "Lithuanian": ("cp1257", ENGLISH, ["Rūta", "Eglė", "Šarūnas", "Jūratė"], ["Žukauskas", "Šimkutė", "Stankevičius"]),
    "Latvian": ("cp1257", ENGLISH, ["Jānis", "Līga", "Ģirts", "Māra"], ["Bērziņš", "Kalniņa", "Ozoliņš", "Vītols"]),
    "Icelandic": ("cp1252", ENGLISH, ["Guðrún", "Þórður", "Sigríður", "Ásdís"], ["Jónsdóttir", "Sigurðsson", "Þórðarson"]),
    "Greek": ("cp1253", ENGLISH, ["Γιώργος", "Μαρία", "Νίκος", "Ελένη"], ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου"]),
    "Russian": ("cp1251", ["Имя", "Фамилия", "Эл. почта"], ["Иван", "Ольга", "Алексей", "Наталья"], ["Петров", "Смирнова", "Соловьёва", "Кузнецов"]),
}


def _customers_list(language: str, count: int) -> tuple[list[list[str]], dict[str, str]]:
    """A list of `count` customers in the language, and the name each email should arrive with."""
    _, header, given, family = LISTS[language]
    pick = random.Random(language)
    rows = [[given[i % len(given)] if i < len(given) else pick.choice(given), family[i % len(family)]] for i in range(count)]
    return [header] + [[g, f, f"c{i}@example.com"] for i, (g, f) in enumerate(rows)], {f"c{i}@example.com": f"{g} {f}" for i, (g, f) in enumerate(rows)}


@pytest.mark.parametrize(("language", "count"), [*((language, 12) for language in LISTS), *((language, 2000) for language in ("French", "Turkish", "Lithuanian", "Greek"))])
def test_a_list_in_its_languages_code_page_arrives_as_written(cli, sandbox: SandboxServer, tmp_path: Path, language: str, count: int) -> None:
    """The code page whose letters make names of one language wins over one that makes the same bytes into letters
    of several (French è, ï, œ read in cp1250 as č, ď, ś) or piles up consonants where a name has a vowel."""
    encoding = LISTS[language][0]
    rows, expected = _customers_list(language, count)
    path = write_csv(tmp_path / "c.csv", rows, ";", encoding)
    if count > 100:  # a long list is read the same way: its dry run shows what each row would send
        checked = cli("validate", path)
        assert checked.code == 0, checked.err
        assert checked.summary["encoding"] == encoding
        assert {r["sent_email"]: r["sent_name"] for r in checked.rows("valid.csv")} == expected
        return
    result = import_file(cli, sandbox, path)
    assert result.code == 0, result.err
    assert result.summary["encoding"] == encoding
    assert {email: c["name"] for email, c in customers(sandbox).items()} == expected


@pytest.mark.parametrize("encoding, header, names", [
    ("cp1252", ["Nom complet", "E-mail", "Téléphone"], ["Zoé Lefèvre", "Anaïs Cœur", "Noël Garçon"]),  # was read as cp1250
    ("cp1252", ["Nombre", "Correo electrónico"], ["José García López", "Ana Núñez", "Iñigo Ruiz"]),  # was read as cp1257
    ("cp1254", ["Ad Soyad", "E-posta"], ["Ayşe Yılmaz", "Çağrı Doğan", "Işıl Kılıç"]),
    ("cp1252", ["Name", "Email"], ["Hélène Lefèvre"]),  # "Hélčne Lefčvre" in cp1250: a consonant between consonants
    ("cp1250", ["Name", "Email"], ["Małgorzata Kowalska", "Grzegorz Kaczmarek"]),  # "Ma³gorzata" in cp1252: a superscript in a name
    ("cp1250", ["Name", "Email"], ["Peter Tóth", "Zuzana Dudáš"]),  # "T¾th" in cp850: a fraction in a name
    ("cp437", ["Name", "Email"], ["Björn Groß", "Käthe Schäfer"]),  # "Bjõrn Groß, Kãthe" in cp860: German with Portuguese letters
    ("cp1253", ["Name", "Email"], ["John Smith", "Mary Jones", "Νίκος Ζαχαρίου"]),  # "Эпъяђ Цсїсёпяѕ" in iso8859-5: letters of three Cyrillic languages
    ("cp1251", ["Name", "Email"], ["John Smith", "Олена Ґудзь"]),  # Ukrainian, not "Îëåíà" or Greek
    ("cp1250", ["Name", "Email"], ["John Smith", "Mary Jones", "Łucja Ślęzak"]),  # not "｣ucja 畦黝ak" in cp932: a half-width kana glued to a Latin word
])
def test_a_short_list_arrives_as_written(cli, sandbox: SandboxServer, tmp_path: Path, encoding: str, header: list[str], names: list[str]) -> None:
    rows = [header] + [[name, f"c{i}@example.com"] + [""] * (len(header) - 2) for i, name in enumerate(names)]
    result = import_file(cli, sandbox, write_csv(tmp_path / "c.csv", rows, ";", encoding))
    assert result.code == 0, result.err
    assert {email: c["name"] for email, c in customers(sandbox).items()} == {f"c{i}@example.com": n for i, n in enumerate(names)}


def test_turkish_headers_are_read_in_turkish_so_the_name_columns_are_found(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """cp1257 reads `Adı`, `Soyadı` as `Adż`, `Soyadż`: no name column, every row set aside."""
    rows = [["Adı", "Soyadı", "E-posta", "Cep Telefonu", "Aktif"], ["Ayşe", "Yılmaz", "ayse@example.com.tr", "0532 123 45 67", "EVET"],
            ["İbrahim", "Öztürk", "ibo@example.com.tr", "0533 765 43 21", "HAYIR"], ["Çağla", "Şahin", "cagla@example.com.tr", "0532 111 22 33", "DOĞRU"],
            ["Umut", "Kaya", "umut@example.com.tr", "0532 111 22 34", "YANLIŞ"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "c.csv", rows, ";", "cp1254"))
    assert result.code == 0, result.err
    assert result.summary["encoding"] == "cp1254"
    assert {email: c["name"] for email, c in customers(sandbox).items()} == {
        "ayse@example.com.tr": "Ayşe Yılmaz", "ibo@example.com.tr": "İbrahim Öztürk", "cagla@example.com.tr": "Çağla Şahin", "umut@example.com.tr": "Umut Kaya",
    }


@pytest.mark.parametrize("encoding, names, message", [
    ("cp1250", ["Győző Szőke", "Ernő Pintér"], "'Gyõzõ Szõke' in cp1252 or 'Győző Szőke' in cp1250; name the right one with --encoding cp1252 or --encoding cp1250"),
    ("cp1252", ["Søren Møller"], "'Søren Møller' in cp1252 or 'Sųren Mųller' in cp1257; name the right one with --encoding cp1252 or --encoding cp1257"),
])
def test_a_list_two_code_pages_read_as_names_alike_stops_and_asks(cli, sandbox: SandboxServer, tmp_path: Path, encoding: str, names: list[str], message: str) -> None:
    """Hungarian ő is Portuguese õ in cp1252 and Danish ø is Lithuanian ų in cp1257: each reading is names of one
    language with the same syllables, so nothing in the file says which was meant; the merchant does."""
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"]] + [[n, f"c{i}@example.com"] for i, n in enumerate(names)], ";", encoding)
    stopped = import_file(cli, sandbox, path)
    assert stopped.code == 2 and customers(sandbox) == {}
    assert stopped.err.strip() == f"salesive-import: error: {path}: the text is not UTF-8 and reads more than one way: {message}"
    named = import_file(cli, sandbox, path, "--encoding", encoding)
    assert named.code == 0, named.err
    assert {email: c["name"] for email, c in customers(sandbox).items()} == {f"c{i}@example.com": n for i, n in enumerate(names)}


def test_a_name_in_a_single_byte_code_page_is_never_read_as_an_east_asian_one(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """`Ayşe Kaya` alone in cp1254 decodes in gb18030 too, as `Ay㧐 Kaya`: an ideograph glued to the end of a Latin
    word is what a misreading looks like, so the run offers the single-byte readings, cp1254's among them."""
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Ayşe Kaya", "ayse@example.com"]], ";", "cp1254")
    stopped = import_file(cli, sandbox, path)
    assert stopped.code == 2 and "'Ayşe Kaya' in cp1254" in stopped.err and "gb18030" not in stopped.err and customers(sandbox) == {}
