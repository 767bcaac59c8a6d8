"""Which column feeds which field, judged from a header and its columns without sending anything."""

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

from ...made_files import MADE


def test_the_set_is_as_wide_as_asked() -> None:
    assert len(MADE) >= 30
    assert len({m.language for m in MADE}) >= 8
    assert sum(m.kind == "platform" for m in MADE) >= 10
    assert sum(m.kind == "register" for m in MADE) >= 3


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
