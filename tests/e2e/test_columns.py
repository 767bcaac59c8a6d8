"""Which column feeds which field, tried on files made the way programs make them (tests/made_files.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.columns.column_map import map_columns
from importer.columns.header import find_header
from importer.columns.words import meaning
from importer.read.sheet import open_tables

from ..conftest import customers
from ..layouts import (
    ACTIVECAMPAIGN,
    BIGCOMMERCE,
    CONSTANT_CONTACT,
    ECWID,
    KLAVIYO,
    LIGHTSPEED,
    MAGENTO2,
    OPENCART,
    PRESTASHOP,
    SHOPIFY_POS,
    SQUARE,
    SQUARESPACE,
    WIX,
    ZOHO_CRM,
)
from ..made_files import MADE, Made, platform_csv

# What the store holds after importing each platform layout's two rows: email -> (name, phone, active).
LAYOUT_STORED = {
    BIGCOMMERCE.platform: {"raj@example.com": ("Raj Patel", "+91 98765 43210", True), "ann.lee@example.org": ("Ann Lee", "+1 415 555 0100", True)},
    SQUARESPACE.platform: {"noor@example.com": ("Noor Haddad", "+971 50 123 4567", True), "sam.reid@example.org": ("Sam Reid", None, True)},
    MAGENTO2.platform: {"carl@example.com": ("Dr Carl Gustav Jung Jr.", None, True), "maria@example.org": ("Maria Costa", None, True)},
    ZOHO_CRM.platform: {"ada.l@example.com": ("Dr. Ada Lovelace", "+44 7700 900001", True), "alan@example.org": ("Alan Turing", "+44 20 7946 0001", True)},
    KLAVIYO.platform: {"mei@example.com": ("Mei Chen", "+1 604 555 0100", True), "joe@example.org": ("Joe Park", None, True)},
    SQUARE.platform: {"mei.chen@example.com": ("Mei Chen", "+1 604 555 0100", True), "tom.ng@example.org": ("Tom Ng", None, True)},
    WIX.platform: {"omar@example.org": ("Omar Farouk", "+20 100 123 4567", True), "lina@example.com": ("Lina Saad", "+961 3 123 456", True)},
    LIGHTSPEED.platform: {"nina@example.com": ("Nina Holm", "+46 70 123 45 67", True), "per@example.org": ("Per Berg", "+46 8 123 456", True)},
    SHOPIFY_POS.platform: {"kofi@example.com": ("Kofi Mensah", "+233201234567", True), "efe@example.org": ("Efe Ojo", "+2348012345678", True)},
    PRESTASHOP.platform: {"john@example.com": ("Mr. John Doe", None, True), "jane@example.org": ("Mrs. Jane Roe", None, False)},
    OPENCART.platform: {"ngozi@example.com": ("Ngozi Eze", "+234 803 123 4567", True), "tom@example.org": ("Tom Ash", None, False)},
    ECWID.platform: {"li@example.com": ("Li Wei", "+86 138 0013 8000", True), "kai@example.org": ("Kai Lund", "+45 20 12 34 56", True)},
    ACTIVECAMPAIGN.platform: {"rosa@example.com": ("Rosa Diaz", "+1 212 555 0182", True), "ben@example.org": ("Ben Ode", None, True)},
    CONSTANT_CONTACT.platform: {"pat@example.com": ("Pat Kim", "+1 415 555 0111", True), "lee@example.org": ("Lee Cho", "+1 415 555 0112", True)},
}


def test_the_set_is_as_wide_as_asked() -> None:
    assert len(MADE) >= 30
    assert len({m.language for m in MADE}) >= 8
    assert sum(m.kind == "platform" for m in MADE) >= 10
    assert sum(m.kind == "register" for m in MADE) >= 3


@pytest.mark.parametrize("made", MADE, ids=[m.maker for m in MADE])
def test_a_made_file_arrives_as_meant(cli, make_sandbox, tmp_path: Path, made: Made) -> None:
    server = make_sandbox()
    path = made.save(tmp_path)
    result = cli("run", path, "--base-url", server.base_url, token=server.token)
    assert result.code == 0, result.err
    stored = {email: (c["name"], c.get("phone"), c["active"]) for email, c in customers(server).items()}
    assert stored == made.stored, result.err
    summary = result.summary
    for note in made.notes:
        assert any(note in said for said in summary["notes"]), (note, summary["notes"])
        assert note in result.err
    if made.unused:
        assert summary["unused_columns"] == made.unused
    assert made.columns.items() <= summary["columns"].items(), summary["columns"]


NEW_LAYOUTS = {layout.platform: layout for layout in (
    BIGCOMMERCE, SQUARESPACE, MAGENTO2, ZOHO_CRM, KLAVIYO, SQUARE, WIX, LIGHTSPEED, SHOPIFY_POS, PRESTASHOP, OPENCART, ECWID,
    ACTIVECAMPAIGN, CONSTANT_CONTACT,
)}


@pytest.mark.parametrize("platform", list(LAYOUT_STORED))
def test_a_platform_export_arrives_as_meant(cli, make_sandbox, tmp_path: Path, platform: str) -> None:
    layout = NEW_LAYOUTS[platform]
    server = make_sandbox()
    path = tmp_path / "export.csv"
    platform_csv(path, [layout.header, *layout.rows])
    result = cli("run", path, "--base-url", server.base_url, token=server.token)
    assert result.code == 0, result.err
    stored = {email: (c["name"], c.get("phone"), c["active"]) for email, c in customers(server).items()}
    assert stored == LAYOUT_STORED[platform], result.err
    assert {f: h for f, h in layout.expected.items() if f != "phone"}.items() <= result.summary["columns"].items()


def test_a_blank_main_email_takes_the_secondary_with_a_warning(cli, make_sandbox, tmp_path: Path) -> None:
    made = next(m for m in MADE if m.maker == "Zoho CRM contacts")
    server = make_sandbox()
    result = cli("run", made.save(tmp_path), "--base-url", server.base_url, token=server.token)
    warned = {r["sent_email"]: r["warnings"] for r in result.rows("created.csv")}
    assert warned == {"ada.l@example.com": "email: 'Email' is blank; took 'Secondary Email'", "alan@example.org": ""}


def test_several_columns_of_addresses_without_an_email_header_stop_before_sending(cli, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("Who,Home,Work\nAda Obi,ada@example.com,ada@work.example.org\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.code == 2
    assert "'Home', 'Work'" in result.err and "--map email=HEADER" in result.err
    assert cli("validate", path, "--map", "email=Work").code == 0


def test_several_silent_columns_of_phones_stop_before_sending(cli, tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text("Name,Email,Extra 1,Extra 2\nAda Obi,ada@example.com,0803 123 4567,+44 20 7946 0958\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.code == 2 and "'Extra 1', 'Extra 2'" in result.err and "--map phone=HEADER" in result.err
    chosen = cli("validate", path, "--map", "phone=Extra 2")
    assert chosen.code == 0 and chosen.rows("valid.csv")[0]["sent_phone"] == "'+44 20 7946 0958"  # a leading apostrophe keeps a spreadsheet from reading a formula
    assert chosen.summary["unused_columns"] == [{"header": "Extra 1", "looks_like": "phones"}]


def test_the_unused_columns_are_listed_before_sending(cli, tmp_path: Path) -> None:
    made = next(m for m in MADE if m.maker == "German shop")
    path = made.save(tmp_path)
    result = cli("validate", path)
    first_lines = result.err.splitlines()[:3]
    assert any("'Ort' (names)" in line for line in first_lines), first_lines


def test_a_file_column_named_like_the_reports_keeps_its_header_and_is_read_again(cli, make_sandbox, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Name,Email,Status,Row,Reason\nAda Obi,ada@example.com,inactive,A1,vip\nBo Li,not-an-address,active,A2,\n", encoding="utf-8"
    )
    result = cli("validate", path)
    with (result.folder / "invalid.csv").open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header[:8] == ["Name", "Email", "Status", "Row", "Reason", "import_row", "import_status", "import_reason"]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text((result.folder / "invalid.csv").read_text(encoding="utf-8-sig").replace("not-an-address", "bo@example.com"), encoding="utf-8")
    server = make_sandbox()
    again = cli("run", fixed, "--base-url", server.base_url, token=server.token)
    assert again.code == 0, again.err
    assert customers(server)["bo@example.com"]["active"] is True  # the merchant's Status, not the report's "invalid"
    assert again.summary["columns"]["active"] == "Status"
    assert "import_status" not in again.summary["columns"].values()


SHAPES = st.sampled_from(["addresses", "names", "phones", "numbers", "blank", "words"])
CELLS = {
    "addresses": st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,5})?@example\.(com|org)", fullmatch=True),
    "names": st.from_regex(r"[A-Z][a-z]{2,8} [A-Z][a-z]{2,9}", fullmatch=True),
    "phones": st.from_regex(r"\+[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{4}", fullmatch=True),
    "numbers": st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    "blank": st.just(""),
    "words": st.from_regex(r"[a-z]{3,10}", fullmatch=True),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12), min_size=3, max_size=3),
    kinds=st.lists(SHAPES, min_size=2, max_size=2),
    at=st.integers(0, 2),
    data=st.data(),
)
def test_a_column_of_addresses_is_found_under_any_header_and_nothing_filled_is_left_unnamed(
    tmp_path_factory, header: list[str], kinds: list[str], at: int, data: st.DataObject
) -> None:
    """Whatever the header says, the one column of addresses feeds email; every other filled column feeds a field or is listed."""
    kinds = [*kinds[:at], "addresses", *kinds[at:]]
    rows = [[data.draw(CELLS[kind]) for kind in kinds] for _ in range(4)]
    folder = tmp_path_factory.mktemp("any")
    path = folder / "any.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    try:
        found = find_header(open_tables(path))
    except Exception as exc:  # several address-like columns or phones: only a stop that names them is allowed
        assert "--map" in str(exc), exc
        return
    column_map = found.column_map
    assert column_map.fields["email"] == at, column_map.described()
    used = {*column_map.fields.values(), *column_map.phones, *column_map.emails}
    listed = {u["header"] for u in column_map.unused}
    for index, kind in enumerate(kinds):
        if kind != "blank" and index not in used:
            written = column_map.header[index] if index < len(column_map.header) else ""
            assert (written or f"(column {index + 1}, no header)") in listed or (written and not written.strip()), (index, listed)


def test_the_preview_before_sending_names_the_unused_columns(tmp_path: Path) -> None:
    from importer.confirm import preview
    from importer.options import Options

    made = next(m for m in MADE if m.maker == "German shop")
    lines = preview(Options(input=made.save(tmp_path), reports_dir=tmp_path / "reports", progress=False)).lines()
    assert any("'Ort' (names)" in line for line in lines), lines


HEADERS = {
    # email
    "E-Mail-Adresse": "email", "Adresse e-mail": "email", "Courriel": "email", "Correo electrónico": "email",
    "Indirizzo email": "email", "E-mailadres": "email", "Adres e-mail": "email", "E-post": "email", "Sähköposti": "email",
    "Эл. почта": "email", "E-posta": "email", "Secondary Email": "email", "E-mail 2 Address": "email", "*|EMAIL|*": "email",
    # phone
    "Handynummer": "phone", "Téléphone portable": "phone", "Cellulare": "phone", "Teléfono móvil": "phone", "Celular": "phone",
    "Telefoonnummer": "phone", "Telefon komórkowy": "phone", "Mobilnummer": "phone", "Matkapuhelin": "phone",
    "Мобильный телефон": "phone", "Cep Telefonu": "phone", "Contact No.": "phone", "Phone #": "phone", "Tel. Nr.": "phone",
    "GSM": "phone", "Nº de teléfono": "phone", "Address Phone - 1": "phone", "Billing Phone Number": "phone",
    # name parts
    "Vorname": "first_name", "Prénom": "first_name", "Given Name(s)": "first_name", "*|FNAME|*": "first_name", "Förnamn": "first_name",
    "Imię": "first_name", "Etunimi": "first_name", "Voornaam": "first_name", "Nachname": "last_name", "Nom de famille": "last_name",
    "Cognome": "last_name", "Apellidos": "last_name", "Sobrenome": "last_name", "Nazwisko": "last_name", "Фамилия": "last_name",
    "Příjmení": "last_name", "Efternamn": "last_name", "middlename": "middle_name", "Middle Name": "middle_name",
    "Zweiter Vorname": "middle_name", "Tussenvoegsel": "middle_name", "Отчество": "middle_name", "Other Names": "middle_name",
    "Segundo apellido": "second_last_name", "Apellido materno": "second_last_name", "Salutation": "prefix", "Anrede": "prefix",
    "Civilité": "prefix", "Name Suffix": "suffix", "Full Name": "name", "Nom complet": "name", "Imię i nazwisko": "name",
    "Adı Soyadı": "name", "ФИО": "name", "Kunde": "name",
    # active
    "Active": "active", "Aktiv": "active", "Account Status": "active", "Kundenstatus": "active",
}
NOTHING = [
    "Company Phone", "Phonetic First Name", "MailingStreet", "To Email Address", "Email Type", "Fax", "Last Active",
    "Customer No.", "Kundennummer", "Email status", "Title", "Job Title", "Card Name", "Assistant's Phone", "Ort",
    "Accepts Email Marketing", "Newsletter", "Email Opt Out",
]


@pytest.mark.parametrize("header", list(HEADERS))
def test_a_header_is_read_by_its_words(header: str) -> None:
    found = meaning(header)
    assert found is not None and found[0] == HEADERS[header], found


@pytest.mark.parametrize("header", NOTHING)
def test_a_header_that_names_something_else_feeds_nothing_by_its_words(header: str) -> None:
    assert header in {"Accepts Email Marketing", "Newsletter", "Email Opt Out"} or meaning(header) is None
    assert map_columns(["Email", header]).columns == {"email": "Email"}


def test_a_middle_name_column_is_chosen_with_map(cli, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("First,Other,Last,Email\nAda,Chioma,Obi,ada@example.com\n", encoding="utf-8")
    result = cli("validate", path, "--map", "middle_name=Other")
    assert result.rows("valid.csv")[0]["sent_name"] == "Ada Chioma Obi"
    assert result.summary["columns"] == {"first_name": "First", "middle_name": "Other", "last_name": "Last", "email": "Email"}


def test_half_a_name_beside_a_column_of_names_stops_before_sending(cli, make_sandbox, tmp_path: Path) -> None:
    """A family name alone would cut every name in half for good, when the given name may be the column the tool could not read."""
    path = tmp_path / "half.csv"
    path.write_text("Nachname;E-Mail;Rufname;Ort\nWeber;klaus@example.com;Klaus;Berlin\nRoth;eva@example.org;Eva;Köln\n", encoding="utf-8")
    stopped = cli("validate", path)
    assert stopped.code == 2
    assert "the name has a family name column ('Nachname') and no given name, and 'Rufname', 'Ort' hold names feeding nothing" in stopped.err
    assert "--map first_name=HEADER" in stopped.err and "--map first_name=" in stopped.err
    server = make_sandbox()
    chosen = cli("run", path, "--map", "first_name=Rufname", "--base-url", server.base_url, token=server.token)
    assert chosen.code == 0, chosen.err
    assert {e: c["name"] for e, c in customers(server).items()} == {"klaus@example.com": "Klaus Weber", "eva@example.org": "Eva Roth"}
    alone = cli("validate", path, "--map", "first_name=")
    assert alone.code == 0 and [r["sent_name"] for r in alone.rows("valid.csv")] == ["Weber", "Roth"]
    assert alone.summary["unused_columns"] == [{"header": "Rufname", "looks_like": "names"}, {"header": "Ort", "looks_like": "names"}]


def test_a_name_in_han_kana_or_hangul_is_sent_family_name_first_under_any_header(cli, make_sandbox, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("First Name,Last Name,Email\n太郎,山田,taro@example.jp\nAda,Obi,ada@example.com\n민수,김,minsu@example.kr\n", encoding="utf-8")
    server = make_sandbox()
    result = cli("run", path, "--base-url", server.base_url, token=server.token)
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(server).items()} == {
        "taro@example.jp": "山田 太郎", "ada@example.com": "Ada Obi", "minsu@example.kr": "김 민수",
    }


def test_a_filled_column_past_the_last_header_is_named_as_unused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email"])
    sheet.append(["Ada Obi", "ada@example.com", "VIP"])
    sheet.append(["Bola Ade", "bola@example.com", "VIP"])
    book.save(tmp_path / "unheaded.xlsx")
    column_map = find_header(open_tables(tmp_path / "unheaded.xlsx")).column_map
    assert column_map.unused == ({"header": "(column 3, no header)", "looks_like": "other"},)


def _judged(path: Path, rows: int) -> tuple[object, ...]:
    """What the header search makes of a file read `rows` at a time: the mapping, its notes and every row it gives."""
    import pandas as pd

    found = find_header(open_tables(path), rows=rows)
    frames = list(found.frames)
    whole = pd.concat(frames) if frames else None
    given = (list(whole.index), whole.to_numpy().tolist()) if whole is not None else ([], [])
    return found.column_map.fields, found.column_map.header, found.notes, given, found.passed_over


def test_the_header_and_columns_are_judged_alike_whatever_the_chunk_size(tmp_path: Path) -> None:
    """Title lines, blank lines between rows, ticks that begin past the rows judged and a footer: the same reading
    read one row, a few rows, a few hundred or a whole sheet at a time."""
    lines = [["Customer register 2026"], ["kept by the front desk"], [], ["Branch: Lagos"], ["Printed 2026-12-01"], [], ["Name", "E-mail", "Newsletter"]]
    for i in range(1_300):
        lines.append([f"Customer {i}", f"c{i}@example.com", "x" if i > 1_100 and i % 3 == 0 else ""])
        if i % 97 == 0:
            lines.append([])
    lines.append(["Total: 1300 customers"])
    register = tmp_path / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(lines)
    made = [m.save(tmp_path) for m in MADE]
    for path, sizes in ((register, (5, 500)), *((path, (1, 7)) for path in made)):  # the register's header is past its first five rows
        whole = _judged(path, 65_536)
        for rows in sizes:
            assert _judged(path, rows) == whole, (path.name, rows)
