"""Which column feeds which field, tried on files made the way programs make them (tests/made_files.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ..conftest import customers, import_file, write_csv
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


@pytest.mark.parametrize("header", ["Sales Rep Email", "Contact Owner Email", "Account Manager E-mail", "Referrer Email", "Parent email"])
def test_the_only_addresses_under_a_header_that_may_name_someone_else_stop_before_sending(cli, sandbox, tmp_path: Path, header: str) -> None:
    """A CRM's list whose one column of addresses is the sales rep's or the owner's: creating the customers with them would give
    every customer their rep's address (and drop the second customer of each rep as a repeat). The merchant says whose they are."""
    path = write_csv(tmp_path / "leads.csv", [["First Name", "Last Name", "Phone", header], ["Ada", "Obi", "08031111111", "jane@myshop.com"],
                                              ["Bo", "Eze", "08032222222", "jane@myshop.com"], ["Cy", "Ama", "08033333333", "tom@myshop.com"]])
    refused = import_file(cli, sandbox, path)
    assert refused.code == 2 and f"--map email='{header}'" in refused.err and "someone else's" in refused.err
    assert customers(sandbox) == {} and sandbox.store.stats.requests == 0
    chosen = import_file(cli, sandbox, path, "--map", f"email={header}")
    assert chosen.code == 0 and sorted(customers(sandbox)) == ["jane@myshop.com", "tom@myshop.com"]  # the merchant said so: Bo is a repeat


@pytest.mark.parametrize("header", ["Username", "Login", "Guest email", "Customer Mail Addr"])
def test_the_only_addresses_under_a_header_of_the_customers_are_their_email(cli, tmp_path: Path, header: str) -> None:
    """A header that says nothing of whose the addresses are (a login, a guest's) takes them by their values, with a note."""
    path = write_csv(tmp_path / "list.csv", [["Name", header], ["Ada Obi", "ada@example.com"], ["Bo Eze", "bo@example.com"]])
    result = cli("validate", path)
    assert result.code == 0 and result.summary["columns"]["email"] == header, result.err
    assert f"column {header!r} holds the email addresses: read as the email" in result.err


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


def test_a_middle_name_column_is_chosen_with_map(cli, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("First,Other,Last,Email\nAda,Chioma,Obi,ada@example.com\n", encoding="utf-8")
    result = cli("validate", path, "--map", "middle_name=Other")
    assert result.rows("valid.csv")[0]["sent_name"] == "Ada Chioma Obi"
    assert result.summary["columns"] == {"first_name": "First", "middle_name": "Other", "last_name": "Last", "email": "Email"}


@pytest.mark.parametrize("header", ["Disabled", "Disabled (Y/N)"])
def test_a_bare_disabled_column_of_yes_and_no_stops_until_the_merchant_says_what_it_means(cli, tmp_path: Path, header: str) -> None:
    """`Disabled` alone may say a person has a disability (beside `Wheelchair` in a club's list) or that an account is
    switched off: the run stops before sending, and --map says which."""
    rows = [["First Name", "Last Name", "Email", header, "Wheelchair"], ["Ada", "Obi", "ada@example.com", "Yes", "No"], ["Bo", "Li", "bo@example.com", "No", "No"]]
    path = write_csv(tmp_path / "members.csv", rows)
    stopped = cli("validate", path)
    assert stopped.code == 2 and f"--map inactive={header!r}" in stopped.err and "--map inactive=" in stopped.err and len(stopped.err.strip().splitlines()) == 1
    disability = cli("validate", path, "--map", "inactive=")
    assert disability.code == 0, disability.err
    assert [r["sent_active"] for r in disability.rows("valid.csv")] == ["true", "true"] and "inactive" not in disability.summary["columns"]
    account = cli("validate", path, "--map", f"inactive={header}")
    assert account.code == 0, account.err
    assert [r["sent_active"] for r in account.rows("valid.csv")] == ["false", "true"]


@pytest.mark.parametrize(
    ("header", "flags"),
    [
        (["First Name", "Last Name", "Email", "Blocked"], ["Yes", "No", "", "N/A"]),
        (["FirstName", "LastName", "Email", "IsDeleted"], ["true", "false", "", "null"]),  # Salesforce's Data Loader
        (["First Name", "Last Name", "Email", "Archived"], ["Yes", "No", "", ""]),  # Lightspeed Retail
        (["Vorname", "Nachname", "E-Mail", "Gesperrt"], ["ja", "nein", "", ""]),
        (["First Name", "Last Name", "Email", "Active", "Account Disabled"], ["yes|1", "yes|0", "no|", "|"]),
        (["First Name", "Last Name", "Email", "Blocked"], ["Blocked", "Active", "", ""]),  # the state named, not a yes or no
        (["First Name", "Last Name", "Email", "Account Disabled"], ["Disabled", "Enabled", "", ""]),
        (["First Name", "Last Name", "Email", "Inactive"], ["Inactive", "Active", "", ""]),
    ],
)
def test_a_column_of_switched_off_accounts_sends_them_not_active(cli, sandbox, tmp_path: Path, header: list[str], flags: list[str]) -> None:
    people = [["Mateo", "Rodríguez", "mateo@example.cl"], ["Valentina", "Gómez", "vale@example.cl"], ["Ana", "Pérez", "ana@example.cl"], ["Rosa", "Díaz", "rosa@example.cl"]]
    rows = [header, *(person + flag.split("|") for person, flag in zip(people, flags)), ["Luis", "Soto", "luis@example.cl", *(["spam"] * (len(header) - 3))]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "flags.csv", rows))
    assert result.code == 1, result.err
    assert {email: c["active"] for email, c in customers(sandbox).items()} == {"mateo@example.cl": False, "vale@example.cl": True, "ana@example.cl": header[3] != "Active", "rosa@example.cl": True}
    assert [(r["row"], r["reason"][:30]) for r in result.rows("invalid.csv")] == [("6", "active: 'spam' is not a word r")]
    assert result.summary["columns"]["inactive"] == header[-1]


@pytest.mark.parametrize(
    ("header", "row", "sent"),
    [
        (["First Name", "Last Name", "Email", "Phone", "Contact 2 First Name", "Contact 2 Last Name", "Contact 2 Phone"],
         ["Amelia", "Clarke", "amelia@example.co.uk", "", "Harry", "Clarke", "+44 7700 900123"], ("Amelia Clarke", None)),
        (["First Name", "Last Name", "First Name 2", "Last Name 2", "Email"], ["Lukas", "Novak", "Eva", "Novak", "lukas@example.si"], ("Lukas Novak", None)),
        (["First Name", "Last Name", "Email", "Address First Name - 2", "Address Last Name - 2", "Address Phone - 2"],  # BigCommerce
         ["Sarah", "O'Brien", "sarah@example.ie", "Declan", "O'Brien", "+353 1 234 5678"], ("Sarah O'Brien", None)),
        (["Name", "Second Name", "Email"], ["Siobhan", "Kelly", "siobhan@example.ie"], ("Siobhan Kelly", None)),
        (["Vorname", "Vorname 2", "Nachname", "E-Mail", "Telefon 2", "Telefon"],  # a second forename, and the customer's second phone
         ["Hans", "Peter", "Müller", "hans@example.de", "+49 171 1234567", ""], ("Hans Peter Müller", "+49 171 1234567")),
        (["Nombre", "Apellido 1", "Apellido 2", "Email", "Teléfono 2"], ["José", "García", "López", "jose@example.es", "+34 612 345 678"], ("José García López", "+34 612 345 678")),
        (["Nombre 1", "Nombre 2", "Apellido 1", "Apellido 2", "Email"], ["Juan", "Carlos", "Pérez", "Gómez", "juan@example.co"], ("Juan Carlos Pérez Gómez", None)),
        (["Primer Nombre", "Segundo Nombre", "Primer Apellido", "Segundo Apellido", "Email"], ["Ana", "María", "Ruiz", "Díaz", "ana@example.co"], ("Ana María Ruiz Díaz", None)),
    ],
)
def test_columns_numbering_another_person_feed_nothing_of_the_customer(cli, sandbox, tmp_path: Path, header: list[str], row: list[str], sent: tuple) -> None:
    result = import_file(cli, sandbox, write_csv(tmp_path / "people.csv", [header, row]))
    assert result.code == 0, result.err
    assert [(c["name"], c.get("phone")) for c in customers(sandbox).values()] == [sent]


def test_a_phone_of_another_person_or_a_fax_is_passed_over_for_the_next(cli, sandbox, tmp_path: Path) -> None:
    """Shopify's orders: the recipient's phone is the customer's only where the recipient is the customer; Google
    Contacts: a phone labelled as a fax is no phone to reach them on."""
    orders = [
        ["Name", "Email", "Billing Name", "Billing Phone", "Shipping Name", "Shipping Phone"],
        ["#1003", "seun@example.com", "Oluwaseun Adebayo", "", "Folake Adebayo", "+234 802 555 0199"],
        ["#1004", "ada@example.com", "Ada Obi", "", "Ada Chioma Obi", "+234 803 123 4567"],
        ["#1005", "bola@example.com", "Bola Ade", "+234 805 000 0001", "Tunde Ade", "+234 805 000 0002"],
        ["#1006", "femi@example.com", "Femi Ola", "", "FEMI OLA.", "+234 806 000 0001"],  # the same person, written otherwise
        ["#1007", "dayo@example.com", "Dayo Ojo", "", "Mr. D. Ojo", "+234 806 000 0002"],
        ["#1008", "chidi@example.com", "Chidi Eze", "", "Chidi Eze-Okafor", "+234 806 000 0003"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "orders.csv", orders))
    assert result.code == 0, result.err
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {
        "seun@example.com": None, "ada@example.com": "+234 803 123 4567", "bola@example.com": "+234 805 000 0001",
        "femi@example.com": "+234 806 000 0001", "dayo@example.com": "+234 806 000 0002", "chidi@example.com": "+234 806 000 0003",
    }
    warned = {r["sent_email"]: r["warnings"] for r in result.rows("created.csv")}
    assert warned["seun@example.com"] == "phone: 'Shipping Phone' is Folake Adebayo's, not the customer's: not sent"
    contacts = [
        ["First Name", "Last Name", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value"],
        ["Ana", "Souza", "* Home", "ana@example.com.br", "Work Fax", "+55 11 3333-4444", "Mobile", "+55 11 98765-4321"],
        ["Tomás", "Reis", "* Home", "tomas@example.com.br", "Mobile", "+55 11 91234-5678", "Home Fax", "+55 11 3333-5555"],
        ["Rita", "Luz", "* Work", "rita@example.com.br", "Tel/Fax", "+55 11 3333-6666", "", ""],  # a line for both is a phone
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "contacts.csv", contacts))
    assert result.code == 0, result.err
    assert {e: customers(sandbox)[e]["phone"] for e in ("ana@example.com.br", "tomas@example.com.br", "rita@example.com.br")} == {
        "ana@example.com.br": "+55 11 98765-4321", "tomas@example.com.br": "+55 11 91234-5678", "rita@example.com.br": "+55 11 3333-6666",
    }
    business = [["First Name", "Last Name", "Business Name", "Email", "Business Phone"], ["Ada", "Obi", "Obi Textiles Ltd", "ada@textiles.example", "+2348031234567"]]
    assert import_file(cli, sandbox, write_csv(tmp_path / "b2b.csv", business)).code == 0
    assert customers(sandbox)["ada@textiles.example"]["phone"] == "+2348031234567"  # a company names no person


def test_a_billing_name_beside_the_customers_own_names_is_not_their_name(cli, sandbox, tmp_path: Path) -> None:
    """Squarespace's profiles: `Billing Name` holds the company that pays; the customer is First and Last Name."""
    rows = [["First Name", "Last Name", "Email", "Billing Name", "Billing Phone Number", "Shipping Name", "Shipping Phone Number"],
            ["William", "Brown", "will@example.co.uk", "Brown Design Ltd", "020 7946 0123", "William Brown", "07700 900123"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "profiles.csv", rows))
    assert result.code == 0, result.err
    assert [(c["name"], c["phone"]) for c in customers(sandbox).values()] == [("William Brown", "07700 900123")]
    assert "name" not in result.summary["columns"] and {"header": "Billing Name", "looks_like": "names"} in result.summary["unused_columns"]


def test_a_name_part_its_neighbour_already_holds_is_written_once(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Title", "First Name", "Middle Name", "Last Name", "Suffix", "E-mail Address"],
            ["Dr.", "Dr. Amara", "", "Nwosu", "", "amara@example.ng"], ["", "Anna Maria", "Maria", "Schmidt", "", "anna@example.de"],
            ["Mr.", "Martin", "Luther", "King Jr.", "Jr.", "mlk@example.com"], ["", "Maria", "Anna", "Maria", "", "maria@example.es"],
            ["", "Mohamed", "Mohamed", "Ali", "", "mo@example.eg"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "outlook.csv", rows))
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {
        "amara@example.ng": "Dr. Amara Nwosu", "anna@example.de": "Anna Maria Schmidt", "mlk@example.com": "Mr. Martin Luther King Jr.",
        "maria@example.es": "Maria Anna Maria",  # a family name like the given one is written, not a repeat
        "mo@example.eg": "Mohamed Mohamed Ali",  # a name given twice is written twice
    }


def test_a_salutation_and_an_academic_title_both_go_before_the_name(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Anrede", "Titel", "Vorname", "Nachname", "E-Mail"], ["Herr", "Dr.", "Hans", "Müller", "hans@example.de"], ["Frau", "", "Petra", "Schulz", "petra@example.de"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "kunden.csv", rows))
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {"hans@example.de": "Herr Dr. Hans Müller", "petra@example.de": "Frau Petra Schulz"}


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


@pytest.mark.parametrize("header, person, sent", [
    (["Όνομα", "Επώνυμο", "Ηλεκτρονικό ταχυδρομείο", "Κινητό"], ["Γιώργος", "Παπαδόπουλος"], "Γιώργος Παπαδόπουλος"),
    (["Họ", "Tên", "Thư điện tử", "Điện thoại"], ["Nguyễn", "Văn An"], "Nguyễn Văn An"),
    (["Họ và tên", "Email", "Số điện thoại"], ["Trần Thị Bình"], "Trần Thị Bình"),
    (["Prenume", "Nume", "Email", "Telefon"], ["Ioana", "Mureșan"], "Ioana Mureșan"),
    (["Vardas", "Pavardė", "El. paštas", "Telefonas"], ["Rūta", "Žukauskienė"], "Rūta Žukauskienė"),
    (["Vārds", "Uzvārds", "E-pasts", "Tālrunis"], ["Jānis", "Bērziņš"], "Jānis Bērziņš"),
    (["שם פרטי", "שם משפחה", "דואר אלקטרוני", "נייד"], ["דוד", "כהן"], "דוד כהן"),
    (["الاسم الأول", "اسم العائلة", "البريد الإلكتروني", "رقم الهاتف"], ["محمد", "علي"], "محمد علي"),
    (["ชื่อ", "นามสกุล", "อีเมล", "เบอร์โทรศัพท์"], ["สมชาย", "ใจดี"], "สมชาย ใจดี"),
    (["Ім'я", "Прізвище", "Електронна пошта", "Телефон"], ["Олена", "Шевченко"], "Олена Шевченко"),
    (["Ime", "Prezime", "E-pošta", "Mobitel"], ["Ana", "Horvat"], "Ana Horvat"),
    (["Nama Depan", "Nama Belakang", "Surel", "No. HP"], ["Siti", "Rahayu"], "Siti Rahayu"),
    (["نام", "نام خانوادگی", "ایمیل", "تلفن همراه"], ["علی", "رضایی"], "علی رضایی"),
])
def test_headers_in_the_languages_excel_ships_in_name_their_fields(cli, sandbox, tmp_path: Path, header: list[str], person: list[str], sent: str) -> None:
    """Each name part, the address and the phone are found by their headers' words, whichever language the sheet is in;
    a Vietnamese name is sent family name first, as it is written."""
    rows = [header, [*person, "one@example.com", "+2348012345678"], [*person[:-1], "Obi" if len(person) > 1 else "Ada Obi", "two@example.com", ""]]
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0, result.err
    stored = customers(sandbox)["one@example.com"]
    assert (stored["name"], stored["phone"]) == (sent, "+2348012345678")
