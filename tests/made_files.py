"""Files made the way the programs merchants use make them, for the column mapping.

Each `Made` is one file: who or what writes it, its header and rows, how its bytes
are written (Excel's CSV flavours in the language's code page, CSV UTF-8, Unicode
Text, a workbook, a script's CSV), what the store must hold after importing it,
and what the run must say. Platform header rows here are spelled as each
platform's export documentation and merchants' questions show them; they are not
copied from exported files, so they stand for the platform's spelling, not its
every column. Addresses are at example.com and example.org.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

Stored = dict[str, tuple[str, str | None, bool]]  # email -> name, phone, active


def excel_csv(delimiter: str = ";", encoding: str = "cp1252") -> Callable[[Path, list[list[str]]], None]:
    """Excel's "CSV (delimited)": the list separator of the language, its Windows code page, CRLF."""

    def write(path: Path, lines: list[list[str]]) -> None:
        with path.open("w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(lines)

    return write


def csv_utf8(path: Path, lines: list[list[str]]) -> None:
    """Excel's "CSV UTF-8" (and Google Sheets' download): commas, a byte-order mark."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(lines)


def unicode_text(path: Path, lines: list[list[str]]) -> None:
    """Excel's "Unicode Text": UTF-16 with its mark, tabs."""
    with path.open("w", encoding="utf-16", newline="") as f:
        csv.writer(f, delimiter="\t", lineterminator="\r\n").writerows(lines)


def platform_csv(path: Path, lines: list[list[str]]) -> None:
    """A web platform's export: UTF-8 without a mark, every cell quoted, LF."""
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(lines)


def r_write_csv(path: Path, lines: list[list[str]]) -> None:
    """R's `write.csv`: every string quoted, a missing value written NA without quotes, the row names first."""
    with path.open("w", encoding="utf-8", newline="") as f:
        for number, line in enumerate(lines):
            cells = ['""' if number == 0 else f'"{number}"'] + ["NA" if cell == "NA" else '"' + cell.replace('"', '""') + '"' for cell in line]
            f.write(",".join(cells) + "\n")


def workbook(path: Path, lines: list[list[str]]) -> None:
    """A workbook kept by hand: one sheet, every cell typed as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Kunden"
    for line in lines:
        sheet.append(line)
    book.save(path)


@dataclass(frozen=True)
class Made:
    """One file: what makes it, its language, its lines, and what an import of it must give."""

    maker: str
    language: str
    kind: str  # "platform" (an export not in tests/layouts.py), "language" (a shop's export in a language), "register" (kept by hand), "script"
    header: list[str]
    rows: list[list[str]]
    stored: Stored
    write: Callable[[Path, list[list[str]]], None] = csv_utf8
    suffix: str = ".csv"
    notes: tuple[str, ...] = ()  # text each of some notes of the run holds
    unused: list[dict[str, str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # part of summary.json's `columns` that must hold

    def save(self, folder: Path) -> Path:
        path = folder / f"{self.maker.lower().replace(' ', '-').replace('/', '-')}{self.suffix}"
        self.write(path, [self.header, *self.rows])
        return path


MADE: tuple[Made, ...] = (
    # Shops' exports and lists in the languages Excel ships in.
    Made("German shop", "de", "language", ["Vorname", "Nachname", "E-Mail-Adresse", "Handynummer", "Ort"],
         [["Anna", "Schmidt", "anna@example.com", "0151 2345678", "Berlin"], ["Jörg", "Müller", "joerg@example.org", "0160 9876543", "München"]],
         {"anna@example.com": ("Anna Schmidt", "0151 2345678", True), "joerg@example.org": ("Jörg Müller", "0160 9876543", True)},
         excel_csv(), unused=[{"header": "Ort", "looks_like": "names"}],
         columns={"first_name": "Vorname", "last_name": "Nachname", "email": "E-Mail-Adresse", "phone": "Handynummer"}),
    Made("German register Name Vorname", "de", "register", ["Name", "Vorname", "E-Mail", "Telefon privat", "Telefon geschäftlich"],
         [["Weber", "Klaus", "klaus@example.com", "", "030 1234567"], ["Müller", "Jörg", "joerg@example.com", "089 7654321", ""]],
         {"klaus@example.com": ("Klaus Weber", "030 1234567", True), "joerg@example.com": ("Jörg Müller", "089 7654321", True)}, excel_csv(),
         notes=("column 'Name' read as the family name, beside 'Vorname'",)),
    Made("French shop", "fr", "language", ["Civilité", "Prénom", "Nom de famille", "Adresse e-mail", "Téléphone portable"],
         [["Mme", "Élodie", "Durand", "elodie@example.com", "06 12 34 56 78"], ["M.", "Rémi", "Petit", "remi@example.org", ""]],
         {"elodie@example.com": ("Mme Élodie Durand", "06 12 34 56 78", True), "remi@example.org": ("M. Rémi Petit", None, True)},
         excel_csv(), columns={"prefix": "Civilité", "first_name": "Prénom", "last_name": "Nom de famille"}),
    Made("French Prenom Nom", "fr", "language", ["Prénom", "Nom", "Courriel"],
         [["Luc", "Martin", "luc@example.com"]], {"luc@example.com": ("Luc Martin", None, True)}, excel_csv(),
         notes=("column 'Nom' read as the family name",)),
    Made("Italian shop", "it", "language", ["Nome", "Cognome", "Indirizzo email", "Cellulare"],
         [["Giulia", "Rossi", "giulia@example.com", "+39 347 123 4567"]], {"giulia@example.com": ("Giulia Rossi", "+39 347 123 4567", True)},
         excel_csv(), notes=("column 'Nome' read as the given name, beside 'Cognome'",)),
    Made("Spanish shop", "es", "language", ["Nombre", "Apellidos", "Correo electrónico", "Teléfono móvil"],
         [["José Luis", "García Pérez", "jose@example.com", "612 34 56 78"]], {"jose@example.com": ("José Luis García Pérez", "612 34 56 78", True)},
         excel_csv()),
    Made("Brazilian shop", "pt", "language", ["Nome", "Sobrenome", "E-mail", "Celular"],
         [["João", "Silva", "joao@example.com", "(11) 91234-5678"]], {"joao@example.com": ("João Silva", "(11) 91234-5678", True)},
         csv_utf8),
    Made("Dutch shop", "nl", "language", ["Voornaam", "Tussenvoegsel", "Achternaam", "E-mailadres", "Telefoonnummer"],
         [["Jan", "van der", "Berg", "jan@example.com", "06 12345678"], ["Sanne", "", "Jansen", "sanne@example.org", ""]],
         {"jan@example.com": ("Jan van der Berg", "06 12345678", True), "sanne@example.org": ("Sanne Jansen", None, True)},
         excel_csv(), columns={"middle_name": "Tussenvoegsel"}),
    Made("Polish shop", "pl", "language", ["Imię", "Nazwisko", "Adres e-mail", "Telefon komórkowy"],
         [["Łukasz", "Kowalski", "lukasz@example.com", "512 345 678"]], {"lukasz@example.com": ("Łukasz Kowalski", "512 345 678", True)},
         excel_csv(encoding="cp1250")),
    Made("Swedish shop", "sv", "language", ["Förnamn", "Efternamn", "E-post", "Mobilnummer"],
         [["Åsa", "Lindqvist", "asa@example.com", "070-123 45 67"]], {"asa@example.com": ("Åsa Lindqvist", "070-123 45 67", True)},
         excel_csv()),
    Made("Danish shop", "da", "language", ["Fornavn", "Efternavn", "E-mail", "Mobil"],
         [["Søren", "Nielsen", "soren@example.com", "+45 20 12 34 56"], ["Åse", "Kjærgaard", "aase@example.com", "+45 20 12 34 57"]],
         {"soren@example.com": ("Søren Nielsen", "+45 20 12 34 56", True), "aase@example.com": ("Åse Kjærgaard", "+45 20 12 34 57", True)},
         excel_csv()),
    Made("Norwegian shop", "no", "language", ["Fornavn", "Etternavn", "E-post", "Mobiltelefon"],
         [["Kari", "Nordmann", "kari@example.com", "+47 912 34 567"]], {"kari@example.com": ("Kari Nordmann", "+47 912 34 567", True)},
         excel_csv()),
    Made("Finnish shop", "fi", "language", ["Etunimi", "Sukunimi", "Sähköposti", "Matkapuhelin"],
         [["Matti", "Virtanen", "matti@example.com", "040 123 4567"]], {"matti@example.com": ("Matti Virtanen", "040 123 4567", True)},
         excel_csv()),
    Made("Russian shop", "ru", "language", ["Фамилия", "Имя", "Отчество", "Эл. почта", "Мобильный телефон"],
         [["Иванов", "Иван", "Петрович", "ivan@example.com", "+7 912 345-67-89"]],
         {"ivan@example.com": ("Иван Петрович Иванов", "+7 912 345-67-89", True)}, excel_csv(encoding="cp1251"),
         columns={"middle_name": "Отчество"}),
    Made("Turkish shop", "tr", "language", ["Adı Soyadı", "E-posta", "Cep Telefonu"],
         [["Ayşe Yılmaz", "ayse@example.com", "0532 123 45 67"]], {"ayse@example.com": ("Ayşe Yılmaz", "0532 123 45 67", True)},
         csv_utf8, columns={"name": "Adı Soyadı"}),
    Made("Czech shop", "cs", "language", ["Jméno", "Příjmení", "E-mail", "Telefon"],
         [["Jiří", "Novák", "jiri@example.com", "+420 601 123 456"]], {"jiri@example.com": ("Jiří Novák", "+420 601 123 456", True)},
         excel_csv(encoding="cp1250")),
    Made("British register", "en", "register", ["Given Name(s)", "Family Name", "Email", "Contact No."],
         [["Mary Jane", "Watson", "mj@example.com", "07700 900123"]], {"mj@example.com": ("Mary Jane Watson", "07700 900123", True)},
         excel_csv(","), columns={"first_name": "Given Name(s)", "last_name": "Family Name", "phone": "Contact No."}),
    # Platforms' exports not in tests/layouts.py.
    Made("PrestaShop customers", "en", "platform",
         ["ID", "Social title", "First name", "Last name", "Email", "Sales", "Enabled", "Newsletter", "Partner offers", "Registration", "Last visit"],
         [["1", "Mr.", "John", "Doe", "john@example.com", "120.00", "1", "1", "0", "2024-01-02 10:00:00", "2024-05-01 09:00:00"],
          ["2", "Mrs.", "Jane", "Roe", "jane@example.org", "0.00", "0", "0", "0", "2024-02-03 11:00:00", ""]],
         {"john@example.com": ("Mr. John Doe", None, True), "jane@example.org": ("Mrs. Jane Roe", None, False)},
         excel_csv(), notes=("column 'Social title' holds titles",), columns={"prefix": "Social title", "active": "Enabled"}),
    Made("OpenCart customers", "en", "platform",
         ["customer_id", "firstname", "lastname", "email", "telephone", "fax", "newsletter", "status", "date_added"],
         [["7", "Ngozi", "Eze", "ngozi@example.com", "+234 803 123 4567", "", "1", "1", "2024-03-01"],
          ["8", "Tom", "Ash", "tom@example.org", "", "+44 20 7946 0000", "0", "0", "2024-03-02"]],
         {"ngozi@example.com": ("Ngozi Eze", "+234 803 123 4567", True), "tom@example.org": ("Tom Ash", None, False)},
         platform_csv, columns={"active": "status"}),
    Made("Ecwid customers", "en", "platform", ["Email", "Name", "Phone", "Billing Phone", "Total Orders", "Accepts Marketing"],
         [["li@example.com", "Li Wei", "", "+86 138 0013 8000", "2", "true"]], {"li@example.com": ("Li Wei", "+86 138 0013 8000", True)},
         platform_csv),
    Made("ActiveCampaign contacts", "en", "platform", ["Email", "First Name", "Last Name", "Phone", "Organization", "Tags", "Date Created"],
         [["rosa@example.com", "Rosa", "Diaz", "+1 212 555 0182", "Diaz & Co", "vip", "2024-04-01"]],
         {"rosa@example.com": ("Rosa Diaz", "+1 212 555 0182", True)}, platform_csv),
    Made("Constant Contact contacts", "en", "platform",
         ["Email address", "First name", "Last name", "Email status", "Email permission status", "Phone - mobile", "Phone - home"],
         [["pat@example.com", "Pat", "Kim", "Active", "Unsubscribed", "", "+1 415 555 0111"]],
         {"pat@example.com": ("Pat Kim", "+1 415 555 0111", True)}, csv_utf8),
    Made("Zoho CRM contacts", "en", "platform",
         ["Contact Id", "Salutation", "First Name", "Last Name", "Email", "Secondary Email", "Phone", "Mobile", "Email Opt Out"],
         [["zcrm_1", "Dr.", "Ada", "Lovelace", "", "ada.l@example.com", "", "+44 7700 900001", "false"],
          ["zcrm_2", "", "Alan", "Turing", "alan@example.org", "alan.t@example.org", "+44 20 7946 0001", "", "true"]],
         {"ada.l@example.com": ("Dr. Ada Lovelace", "+44 7700 900001", True), "alan@example.org": ("Alan Turing", "+44 20 7946 0001", True)},
         csv_utf8, columns={"prefix": "Salutation"}),
    Made("Outlook contacts E-mail 2", "en", "platform", ["First Name", "Last Name", "E-mail Address", "E-mail 2 Address", "Mobile Phone"],
         [["Emma", "Stone", "", "emma@example.com", "+1 310 555 0100"]], {"emma@example.com": ("Emma Stone", "+1 310 555 0100", True)},
         csv_utf8),
    Made("Squarespace customers", "en", "platform", ["First Name", "Last Name", "Email", "Accepts Marketing", "Billing Phone Number"],
         [["Noor", "Haddad", "noor@example.com", "yes", "+971 50 123 4567"]], {"noor@example.com": ("Noor Haddad", "+971 50 123 4567", True)},
         platform_csv),
    Made("BigCommerce customers", "en", "platform",
         ["Customer ID", "First Name", "Last Name", "Email", "Company", "Phone", "Address Phone - 1"],
         [["11", "Raj", "Patel", "raj@example.com", "", "", "+91 98765 43210"]], {"raj@example.com": ("Raj Patel", "+91 98765 43210", True)},
         platform_csv),
    Made("Magento 2 customers", "en", "platform",
         ["email", "_website", "_store", "firstname", "middlename", "lastname", "prefix", "suffix", "group_id", "telephone"],
         [["carl@example.com", "base", "default", "Carl", "Gustav", "Jung", "Dr", "Jr.", "1", "+41 44 123 45 67"]],
         {"carl@example.com": ("Dr Carl Gustav Jung Jr.", "+41 44 123 45 67", True)}, platform_csv,
         columns={"middle_name": "middlename", "prefix": "prefix", "suffix": "suffix"}),
    Made("Square customers", "en", "platform",
         ["Square Customer ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname", "Company Name", "Email Subscription Status"],
         [["SQ1", "Mei", "Chen", "mei@example.com", "+1 604 555 0100", "", "", "subscribed"]],
         {"mei@example.com": ("Mei Chen", "+1 604 555 0100", True)}, csv_utf8),
    Made("Wix contacts", "en", "platform", ["First Name", "Last Name", "Email 1", "Email 2", "Phone 1", "Phone 2", "Email subscriber status"],
         [["Omar", "Farouk", "", "omar@example.org", "", "+20 100 123 4567", "unsubscribed"]],
         {"omar@example.org": ("Omar Farouk", "+20 100 123 4567", True)}, csv_utf8),
    Made("Mailchimp merge tags", "en", "platform", ["Email Address", "*|FNAME|*", "*|LNAME|*", "*|PHONE|*", "Status"],
         [["kim@example.com", "Kim", "Lee", "+82 10 1234 5678", "subscribed"], ["ray@example.org", "Ray", "Park", "", "unsubscribed"]],
         {"kim@example.com": ("Kim Lee", "+82 10 1234 5678", True), "ray@example.org": ("Ray Park", None, True)}, csv_utf8,
         notes=("are newsletter states",)),
    Made("Apple Numbers contacts", "en", "platform", ["Prefix", "First", "Middle", "Last", "Suffix", "Email (home)", "Email (work)", "Phone (mobile)"],
         [["", "Steve", "Paul", "Jobs", "", "", "steve@example.com", "+1 408 555 0100"]],
         {"steve@example.com": ("Steve Paul Jobs", "+1 408 555 0100", True)}, csv_utf8),
    # Registers kept by hand.
    Made("Workbook register", "de", "register", ["Kunde", "Mail", "Tel."],
         [["Hans Berger", "hans@example.com", "0171 1234567"], ["Eva Roth", "eva@example.org", ""]],
         {"hans@example.com": ("Hans Berger", "0171 1234567", True), "eva@example.org": ("Eva Roth", None, True)}, workbook, ".xlsx",
         columns={"name": "Kunde", "email": "Mail", "phone": "Tel."}),
    Made("Register with a contact column", "en", "register", ["Customer", "Contact", "Notes"],
         [["Ada Obi", "ada@example.com", "met at the fair"], ["Bo Li", "bo@example.org", ""]],
         {"ada@example.com": ("Ada Obi", None, True), "bo@example.org": ("Bo Li", None, True)}, unicode_text, ".txt",
         notes=("column 'Contact' holds the email addresses",), unused=[{"header": "Notes", "looks_like": "other"}]),
    Made("Mexican register", "es", "register", ["Nombre", "Apellido Paterno", "Apellido Materno", "Correo", "Celular"],
         [["Juan", "García", "López", "juan@example.com", "55 1234 5678"], ["Ana", "Ruiz", "", "ana@example.org", ""]],
         {"juan@example.com": ("Juan García López", "55 1234 5678", True), "ana@example.org": ("Ana Ruiz", None, True)}, excel_csv(","),
         columns={"first_name": "Nombre", "last_name": "Apellido Paterno", "second_last_name": "Apellido Materno"}),
    Made("Register with an empty mobile column", "en", "register", ["Customer", "E-mail", "Mobile", "Home", "Work"],
         [["Ada Obi", "ada@example.com", "", "", "+44 20 7946 0000"], ["Bo Li", "bo@example.org", "", "", ""]],
         {"ada@example.com": ("Ada Obi", "+44 20 7946 0000", True), "bo@example.org": ("Bo Li", None, True)}, csv_utf8,
         notes=("column 'Work' holds phones and 'Mobile', headed as the phone, is empty in the first rows",)),
    Made("Register with swapped columns", "en", "register", ["Name", "Email", "Telefon"],
         [["Ada Obi", "0803 123 4567", "ada@example.com"]], {"ada@example.com": ("Ada Obi", None, True)}, csv_utf8,
         notes=("column 'Telefon' holds the email addresses: read as the email ('Email', headed as the email, holds none)",),
         unused=[{"header": "Email", "looks_like": "phones"}]),
    Made("German register with a Status", "de", "register", ["Kunde", "E-Mail", "Telefon", "Status"],
         [["Hans Berger", "hans@example.com", "0171 1234567", "aktiv"], ["Eva Roth", "eva@example.org", "", "inaktiv"]],
         {"hans@example.com": ("Hans Berger", "0171 1234567", True), "eva@example.org": ("Eva Roth", None, False)}, excel_csv(),
         columns={"active": "Status"}),
    Made("Polish shop with an active flag", "pl", "language", ["Imię", "Nazwisko", "E-mail", "Aktywny"],
         [["Anna", "Nowak", "anna@example.pl", "nieaktywny"], ["Piotr", "Zieliński", "piotr@example.pl", "aktywny"]],
         {"anna@example.pl": ("Anna Nowak", None, False), "piotr@example.pl": ("Piotr Zieliński", None, True)}, csv_utf8,
         columns={"active": "Aktywny"}),
    Made("Register with names under Telefon", "de", "register", ["E-Mail", "Telefon", "Handy"],
         [["ada@example.com", "Ada Obi", "0151 2345678"], ["bo@example.org", "Bo Li", ""]],
         {"ada@example.com": ("Ada Obi", "0151 2345678", True), "bo@example.org": ("Bo Li", None, True)}, excel_csv(),
         notes=("column 'Telefon' is headed as a phone but holds names: left out of the phone",), columns={"name": "Telefon", "phone": "Handy"}),
    Made("Japanese shop", "ja", "language", ["姓", "名", "姓（フリガナ）", "名（フリガナ）", "メールアドレス", "携帯電話番号"],
         [["山田", "太郎", "ヤマダ", "タロウ", "taro@example.jp", "090-1234-5678"], ["鈴木", "花子", "スズキ", "ハナコ", "hanako@example.jp", ""]],
         {"taro@example.jp": ("山田 太郎", "090-1234-5678", True), "hanako@example.jp": ("鈴木 花子", None, True)}, csv_utf8,
         notes=("the name is sent family name first ('姓', then '名')",), columns={"last_name": "姓", "first_name": "名"}),
    Made("Korean shop", "ko", "language", ["성", "이름", "이메일", "휴대폰 번호"],
         [["김", "민수", "minsu@example.kr", "010-1234-5678"]], {"minsu@example.kr": ("김 민수", "010-1234-5678", True)}, csv_utf8,
         columns={"last_name": "성", "first_name": "이름", "phone": "휴대폰 번호"}),
    Made("Hungarian shop", "hu", "language", ["Vezetéknév", "Keresztnév", "E-mail cím", "Telefonszám", "Aktív"],
         [["Kovács", "Anna", "anna@example.hu", "+36 30 123 4567", "igen"], ["Nagy", "Béla", "bela@example.hu", "", "nem"]],
         {"anna@example.hu": ("Kovács Anna", "+36 30 123 4567", True), "bela@example.hu": ("Nagy Béla", None, False)}, excel_csv(";", "utf-8-sig")),
    Made("Indonesian register", "id", "register", ["Nama Lengkap", "Email", "No. HP", "Status"],
         [["Budi Santoso", "budi@example.id", "0812-3456-7890", "Aktif"], ["Siti Aminah", "siti@example.id", "", "Tidak Aktif"]],
         {"budi@example.id": ("Budi Santoso", "0812-3456-7890", True), "siti@example.id": ("Siti Aminah", None, False)}, workbook, ".xlsx",
         columns={"name": "Nama Lengkap", "phone": "No. HP", "active": "Status"}),
    # Files written by scripts.
    Made("R write.csv", "en", "script", ["first_name", "last_name", "email", "phone"],
         [["Ada", "Obi", "ada@example.com", "NA"], ["Bo", "NA", "bo@example.org", "+44 20 7946 0000"]],
         {"ada@example.com": ("Ada Obi", None, True), "bo@example.org": ("Bo", "+44 20 7946 0000", True)}, r_write_csv,
         unused=[{"header": "(column 1, no header)", "looks_like": "other"}]),
    Made("Register with silent headers", "en", "register", ["Who", "Where to write", "Call"],
         [["Ada Obi", "ada@example.com", "+234 801 234 5678"], ["Bo Li", "bo@example.org", "0803 123 4567"]],
         {"ada@example.com": ("Ada Obi", "+234 801 234 5678", True), "bo@example.org": ("Bo Li", "0803 123 4567", True)}, csv_utf8,
         notes=("column 'Where to write' holds the email addresses", "column 'Call' holds phones", "column 'Who' holds names")),
)


# Platforms' export header rows, each with the header every field it fills is expected to come from.
PLATFORMS = {
    "shopify": (
        ["First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company", "Default Address Address1",
         "Default Address City", "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
         "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags"],
        {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
    ),
    "woocommerce": (
        ["customer_id", "first_name", "last_name", "email", "date_created", "billing_first_name", "billing_last_name",
         "billing_company", "billing_email", "billing_phone", "shipping_phone"],
        {"first_name": "first_name", "last_name": "last_name", "email": "email", "phone": "billing_phone"},
    ),
    "mailchimp": (
        ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday", "MEMBER_RATING", "OPTIN_TIME", "TAGS"],
        {"email": "Email Address", "first_name": "First Name", "last_name": "Last Name", "phone": "Phone Number"},
    ),
    "hubspot": (
        ["Record ID", "First Name", "Last Name", "Email", "Mobile Phone Number", "Phone Number", "Lead Status", "Lifecycle Stage", "Create Date"],
        {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone Number"},
    ),
    "klaviyo": (
        ["Email", "Phone Number", "First Name", "Last Name", "Organization", "Title", "Klaviyo ID", "Email Marketing Consent"],
        {"email": "Email", "phone": "Phone Number", "first_name": "First Name", "last_name": "Last Name"},
    ),
    "square": (
        ["Square Customer ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname", "Company Name",
         "Email Subscription Status", "Reference ID"],
        {"first_name": "First Name", "last_name": "Last Name", "email": "Email Address", "phone": "Phone Number"},
    ),
    "wix": (
        ["First Name", "Last Name", "Email 1", "Email 2", "Phone 1", "Phone 2", "Company", "Labels", "Email subscriber status"],
        {"first_name": "First Name", "last_name": "Last Name", "email": "Email 1", "phone": "Phone 1"},
    ),
    "bigcommerce": (
        ["Customer ID", "First Name", "Last Name", "Email", "Company", "Phone", "Notes", "Store Credit", "Customer Group"],
        {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
    ),
    "salesforce": (
        ["FirstName", "LastName", "Account Name", "Title", "Email", "MobilePhone", "Phone", "Mailing City"],
        {"first_name": "FirstName", "last_name": "LastName", "email": "Email", "phone": "Phone"},
    ),
}



def windows_encoded(text: str, encoding: str) -> bytes:
    """Text in a code page as Windows writes it: a letter the code page lacks as the letter with the marks it has a
    letter for, then the other marks (cp1258 keeps `ễ` as `ê` and a combining tilde)."""
    out = bytearray()
    for letter in text:
        base, *marks = unicodedata.normalize("NFD", letter)
        for kept in range(len(marks), -1, -1):
            try:
                out += (unicodedata.normalize("NFC", base + "".join(marks[:kept])) + "".join(marks[kept:])).encode(encoding)
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(f"{letter!r} has no place in {encoding}")
    return bytes(out)
