"""What merchants' files hold arrives in the store as they see it in Excel: real export layouts and each quirk."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from importer.sandbox import SandboxServer

from ..conftest import customers
from ..made_files import windows_encoded
from ..layouts import (
    GOOGLE_CONTACTS,
    GOOGLE_CONTACTS_2020,
    HUBSPOT,
    MAILCHIMP,
    OUTLOOK,
    PAYPAL,
    SALESFORCE,
    SHOPIFY_CUSTOMERS,
    SHOPIFY_CUSTOMERS_2022,
    SHOPIFY_ORDERS,
    STRIPE,
    WOOCOMMERCE_CUSTOMERS,
    WORDPRESS_USERS,
)

# What the store holds after importing each layout's two rows: email -> (name, phone, active).
STORED = {
    SHOPIFY_CUSTOMERS.platform: {"ada.obi@example.com": ("Ada Obi", "+2348012345678", True), "bola@example.org": ("Bola Ade", "+14155550100", True)},
    SHOPIFY_CUSTOMERS_2022.platform: {"chidi.eze@example.com": ("Chidi Eze", "+2348012345678", True)},
    SHOPIFY_ORDERS.platform: {"ngozi@example.com": ("Ngozi Okafor", "+2348012345678", True), "tunde@example.org": ("Tunde Bello", None, True)},  # Kemi Bello's shipping phone is not his
    WOOCOMMERCE_CUSTOMERS.platform: {"amaka@example.com": ("Amaka Nwosu", "+2348012345678", True), "grace.lee@example.org": ("Grace Lee", "+1 415 555 0100", True)},
    WORDPRESS_USERS.platform: {"femi@example.com": ("Femi Adewale", None, True), "joy.ibe@example.org": ("Joy Ibe", None, True)},
    MAILCHIMP.platform: {"ifeoma@example.com": ("Ifeoma Chukwu", None, True)},
    HUBSPOT.platform: {"kelechi@example.com": ("Kelechi Umeh", "+2348012345678", True), "dana@example.org": ("Dana Cole", "+1 415 555 0100", True)},
    GOOGLE_CONTACTS_2020.platform: {"zainab@example.com": ("Zainab Musa", "+234 801 234 5678", True), "omar@example.org": ("Omar Haddad", "+1 415 555 0100", True)},
    GOOGLE_CONTACTS.platform: {"hauwa@example.com": ("Hauwa Bello", "+234 801 234 5678", True), "lena.fischer@example.org": ("Lena M Fischer", "+1 415 555 0100", True)},
    OUTLOOK.platform: {"emeka@example.com": ("Emeka Obi", "+2348012345678", True), "ruth.park@example.org": ("Ruth Park", "+1 415 555 0100", True)},
    PAYPAL.platform: {"yusuf@example.com": ("Yusuf Ali", "+2348012345678", True), "mia.wong@example.org": ("Mia Wong", None, True)},
    STRIPE.platform: {"tolu@example.com": ("Tolu Bankole", None, True), "alex.kim@example.org": ("Alex Kim", None, True)},
    SALESFORCE.platform: {"idara@example.com": ("Idara Okon", "+2348012345678", True), "bao.nguyen@example.org": ("Bao Nguyen", "+1 415 555 0100", True)},
}

BY_PLATFORM = {layout.platform: layout for layout in (
    SHOPIFY_CUSTOMERS, SHOPIFY_CUSTOMERS_2022, SHOPIFY_ORDERS, WOOCOMMERCE_CUSTOMERS, WORDPRESS_USERS, MAILCHIMP, HUBSPOT,
    GOOGLE_CONTACTS_2020, GOOGLE_CONTACTS, OUTLOOK, PAYPAL, STRIPE, SALESFORCE,
)}


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", first_line: str = "") -> Path:
    text = io.StringIO(newline="")
    text.write(first_line)
    csv.writer(text).writerows(rows)
    path.write_bytes(windows_encoded(text.getvalue(), encoding))
    return path


def stored(server: SandboxServer) -> dict[str, tuple[object, object, object]]:
    return {email: (c["name"], c["phone"], c["active"]) for email, c in customers(server).items()}


@pytest.mark.parametrize("platform", list(STORED))
def test_a_real_export_arrives_in_the_store_as_the_merchant_means_it(cli, sandbox: SandboxServer, tmp_path: Path, platform: str) -> None:
    layout = BY_PLATFORM[platform]
    path = write_csv(tmp_path / "export.csv", [layout.header, *layout.rows])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert stored(sandbox) == STORED[platform], result.err
    assert result.summary["counts"]["created"] == len(STORED[platform])


def test_the_notes_say_which_columns_were_left_out_and_why(cli, tmp_path: Path) -> None:
    wordpress = cli("validate", write_csv(tmp_path / "users.csv", [WORDPRESS_USERS.header, *WORDPRESS_USERS.rows]))
    assert "column ' User ID ' left out: its values are not Salesive user ids" in wordpress.err
    orders = cli("validate", write_csv(tmp_path / "orders.csv", [SHOPIFY_ORDERS.header, *SHOPIFY_ORDERS.rows]))
    assert orders.summary["columns"]["name"] == "Billing Name"
    paypal = cli("validate", write_csv(tmp_path / "paypal.csv", [PAYPAL.header, *PAYPAL.rows]))
    assert "column 'Status' left out" in paypal.err and "active" not in paypal.summary["columns"]


def test_several_values_in_one_cell_take_the_first_with_a_warning(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "google.csv", [GOOGLE_CONTACTS_2020.header, *GOOGLE_CONTACTS_2020.rows])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    warned = {r["E-mail 1 - Value"]: r["warnings"] for r in result.rows("created.csv")}
    assert "email: several values in one cell; the first was taken" in warned["zainab@example.com ::: zainab.musa@example.org"]
    assert "phone: several values" in warned["zainab@example.com ::: zainab.musa@example.org"]
    assert warned["omar@example.org"] == "" and result.summary["rows_with_warnings"] == 1


def test_excels_text_mark_and_a_phone_that_lost_its_digits(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Phone"], ["Ada Obi", "ada@example.com", "'+2348012345678"], ["Bo Li", "bo@example.com", "2.34801E+12"], ["'Cy Ng", "'cy@example.com", "'08031234567"]]
    result = cli("run", write_csv(tmp_path / "c.csv", rows), "--base-url", sandbox.base_url, token=sandbox.token)
    assert stored(sandbox) == {"ada@example.com": ("Ada Obi", "+2348012345678", True), "cy@example.com": ("Cy Ng", "08031234567", True)}
    (lost,) = result.rows("invalid.csv")
    assert lost["reason_code"] == "phone-scientific" and "format the column as text" in lost["reason"]


def test_bad_values_are_invalid_with_a_reason_and_names_are_cleaned(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    rows = [
        ["Name", "Email", "Phone"],
        ["Ada Obi", "ada@example.com, ada.obi@example.org", ""],
        ["Bo\x07 Li\x1b", "bo@example.com", ""],
        ["x" * 5000, "long@example.com", ""],
        ["Cy Ng", "cy@example.com", "1" * 40],
    ]
    result = cli("run", write_csv(tmp_path / "c.csv", rows), "--base-url", sandbox.base_url, token=sandbox.token)
    assert stored(sandbox) == {"bo@example.com": ("Bo Li", None, True)}
    assert result.rows("created.csv")[0]["warnings"] == "name: control characters removed"
    reasons = {r["row"]: (r["reason_code"], r["reason"]) for r in result.rows("invalid.csv")}
    assert reasons["2"][0] == "email-several" and "more than one address" in reasons["2"][1]
    assert reasons["4"][0] == "name-too-long" and reasons["5"][0] == "phone-too-long"


@pytest.mark.parametrize("encoding, name", [
    ("cp1250", "Łukasz Żółć"), ("cp1250", "Jiří Dvořák"), ("cp1251", "Алексей Смирнов"), ("cp1253", "Γιώργος Παπαδόπουλος"),
    ("cp1254", "Şükrü Yılmaz"), ("cp1252", "Hélène Lefèvre"), ("mac-roman", "François Müller"),
    ("cp1258", "Nguyễn Văn Đức"), ("cp1254", "Ayla Kılıç Doğan"), ("cp1250", "Lőrinc Fűzfa"),
])
def test_a_csv_excel_saved_in_a_windows_code_page_reads_as_written(cli, sandbox: SandboxServer, tmp_path: Path, encoding: str, name: str) -> None:
    rows = [["Name", "Email"], [name, "one@example.com"], ["Ada Obi", "two@example.com"]]
    result = cli("run", write_csv(tmp_path / "c.csv", rows, encoding), "--base-url", sandbox.base_url, token=sandbox.token)
    assert customers(sandbox)["one@example.com"]["name"] == name
    assert result.summary["encoding"] == encoding and f"({encoding})" in result.err


@pytest.mark.parametrize("encoding, names", [
    ("cp850", ["Jürgen Müller", "Hélène Lefèvre", "José Muñoz"]), ("cp437", ["Björn Groß", "Käthe Schäfer"]),
    ("cp852", ["Łukasz Żółć", "Jiří Dvořák"]), ("cp866", ["Иван Петров", "Ольга Смирнова"]), ("cp857", ["Çağrı Yılmaz", "Şule Öztürk"]),
    ("cp737", ["Γιώργος Παπαδόπουλος", "Μαρία Αλεξίου"]), ("cp865", ["Søren Kjær", "Åse Møller"]),
])
def test_a_csv_saved_as_csv_ms_dos_reads_as_written(cli, sandbox: SandboxServer, tmp_path: Path, encoding: str, names: list[str]) -> None:
    """Excel's "CSV (MS-DOS)", and the point-of-sale and accounting programs that still write it, use the DOS code page
    of the language: every name arrives as written (a DOS code page that reads the file the same way may be named)."""
    rows = [["Name", "Email"], *([name, f"c{i}@example.com"] for i, name in enumerate(names))]
    result = cli("run", write_csv(tmp_path / "c.csv", rows, encoding), "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {f"c{i}@example.com": n for i, n in enumerate(names)}
    assert result.summary["encoding"].startswith("cp")


SCRIPT_LISTS = {  # Excel's CSV on a Japanese, Chinese (simplified, traditional), Korean, Hebrew, Arabic and Thai Windows
    "cp932": [["氏名", "メールアドレス", "備考"], ["山田 太郎", "taro@example.com", "VIP顧客"], ["佐藤 花子", "hanako@example.com", "Tシャツ"],
              ["ｽｽﾞｷ ｲﾁﾛｳ", "ichiro@example.com", ""], ["John Smith", "john@example.com", ""]],
    "gbk": [["姓名", "电子邮件", "电话"], ["王小明", "wang@example.com", ""], ["李华", "lihua@example.com", ""], ["张伟", "zhang@example.com", ""]],
    "cp950": [["姓名", "電子郵件"], ["王小明", "wang@example.com"], ["陳美玲", "mei@example.com"], ["林志豪", "lin@example.com"]],
    "cp949": [["이름", "이메일"], ["김민수", "minsu@example.com"], ["이지은", "jieun@example.com"], ["박서준", "seojun@example.com"]],
    "cp1255": [["שם", "אימייל"], ["דוד כהן", "david@example.com"], ["שרה לוי", "sara@example.com"]],
    "cp1256": [["الاسم", "البريد الإلكتروني"], ["محمد علي", "mohamed@example.com"], ["فاطمة حسن", "fatima@example.com"]],
    "cp874": [["ชื่อ", "อีเมล"], ["สมชาย ใจดี", "somchai@example.com"], ["สมหญิง รักไทย", "somying@example.com"]],
}


@pytest.mark.parametrize("header", ["its language", "English"])
@pytest.mark.parametrize("encoding", list(SCRIPT_LISTS))
def test_a_csv_in_the_code_page_of_another_script_arrives_as_written(cli, sandbox: SandboxServer, tmp_path: Path, encoding: str, header: str) -> None:
    rows = SCRIPT_LISTS[encoding] if header == "its language" else [["Name", "Email", "Notes"], *SCRIPT_LISTS[encoding][1:]]
    result = cli("run", write_csv(tmp_path / "c.csv", rows, encoding), "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0, result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {row[1]: row[0] for row in rows[1:]}
    assert result.summary["encoding"] == encoding


def test_a_short_east_asian_list_that_reads_two_ways_stops_and_asks(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """Two ideographs under an English header read as Chinese in GBK and as other characters in Big5 or as Korean:
    nothing tells them apart, so the import stops before sending and names each reading."""
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["张伟", "zhang@example.com"]], "gbk")
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 2 and customers(sandbox) == {}
    assert "'张伟' in gbk" in result.err and "--encoding gbk" in result.err and "--encoding cp949" in result.err
    assert cli("run", path, "--encoding", "gbk", "--base-url", sandbox.base_url, token=sandbox.token).code == 0
    assert customers(sandbox)["zhang@example.com"]["name"] == "张伟"


def test_a_cyrillic_name_that_also_reads_as_chinese_stops_and_asks(cli, tmp_path: Path) -> None:
    """`Иван` in cp1251 is four bytes that GBK reads as two ideographs: with nothing else in the file, both readings stand."""
    result = cli("validate", write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Иван", "ivan@example.com"]], "cp1251"))
    assert result.code == 2 and "'Иван' in cp1251" in result.err and "--encoding gbk" in result.err


def test_encoding_can_be_named(cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Łukasz Żółć", "l@example.com"]], "cp1250")
    forced = cli("validate", path, "--encoding", "iso8859_2")
    assert forced.summary["encoding"] == "iso8859-2" and forced.rows("valid.csv")[0]["sent_name"] == "Łukasz Żółć"
    unknown = cli("validate", path, "--encoding", "klingon")
    assert unknown.code == 2 and "--encoding 'klingon'" in unknown.err


def test_excels_sep_line_is_not_a_row(cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name;Email"], ["Ada;ada@example.com"], ["Bo;not-an-email"]], first_line="sep=;\r\n")
    result = cli("validate", path)
    assert [r["row"] for r in result.rows("invalid.csv")] == ["3"]  # Excel shows the header as row 1, Bo as row 3
    assert [r["row"] for r in result.rows("valid.csv")] == ["2"]


def test_validate_shows_what_would_be_sent(cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Email", "Phone", "Active"], ["  Ada   Obi ", "Ada@Example.com", "08031234567", "no"]])
    (row,) = cli("validate", path, "--phone-region", "NG").rows("valid.csv")
    assert (row["sent_name"], row["sent_email"], row["sent_phone"], row["sent_active"]) == ("Ada Obi", "Ada@example.com", "'+2348031234567", "false")


def test_map_with_nothing_after_the_equals_sign_leaves_a_field_out(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Email", "Phone"], ["Ada Obi", "ada@example.com", "+2348012345678"]])
    result = cli("run", path, "--map", "phone=", "--base-url", sandbox.base_url, token=sandbox.token)
    assert "phone" not in result.summary["columns"] and stored(sandbox) == {"ada@example.com": ("Ada Obi", None, True)}


def workbook(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> Path:
    """A workbook as Excel saves it: sheets in order, some hidden, number formats on cells (`Sheet!D2` -> format)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    for where, number_format in (formats or {}).items():
        title, cell = where.split("!")
        book[title][cell].number_format = number_format
    book.save(path)
    return path


def test_numbers_in_a_workbook_arrive_as_excel_shows_them(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Phone"], ["Ada Obi", "ada@example.com", 8031234567], ["Bo Li", "bo@example.com", 447700900123],
            ["Cy Ng", "cy@example.com", 2348012345678], ["Di Ho", "di@example.com", 4155550100]]
    formats = {"People!C2": "00000000000", "People!C3": "+0", "People!C4": '"+"0', "People!C5": "(000) 000-0000"}
    path = workbook(tmp_path / "book.xlsx", {"People": rows}, formats=formats)
    assert cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token).code == 0
    assert {e: c["phone"] for e, c in customers(sandbox).items()} == {
        "ada@example.com": "08031234567", "bo@example.com": "+447700900123", "cy@example.com": "+2348012345678", "di@example.com": "(415) 555-0100",
    }


def test_hidden_and_instruction_sheets_are_passed_over_and_other_customer_sheets_named(cli, tmp_path: Path) -> None:
    people = [["Name", "Email"], ["Ada Obi", "ada@example.com"]]
    path = workbook(tmp_path / "book.xlsx", {
        "Old list": [["Name", "Email"], ["Old One", "old@example.com"]],
        "How to": [["Name", "Email"], ["Type the name here", "and the email here"]],
        "Customers": people,
        "New signups": [["Name", "Email"], ["Bo Li", "bo@example.com"]],
    }, hidden=("Old list",))
    result = cli("validate", path)
    assert result.code == 0 and result.summary["sheet"] == "Customers"
    assert [r["sent_email"] for r in result.rows("valid.csv")] == ["ada@example.com"]
    assert "hidden sheets passed over: 'Old list'" in result.err
    assert "sheets with customers: 'Customers', 'New signups'; reading 'Customers'" in result.err
    assert "passed over sheets without email addresses: 'How to'" in result.err
    by_name = cli("validate", path, "--sheet", "new SIGNUPS")
    assert [r["sent_email"] for r in by_name.rows("valid.csv")] == ["bo@example.com"]
    hidden = cli("validate", path, "--sheet", "old list")
    assert [r["sent_email"] for r in hidden.rows("valid.csv")] == ["old@example.com"]


def test_validate_and_run_choose_the_same_columns_however_far_a_column_changes(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = [f"{i:024x}" for i in range(1, 2001)] + [str(i) for i in range(1000)]
    rows = [["Name", "Email", "User ID"], *([f"P{i}", f"p{i}@example.com", user] for i, user in enumerate(ids))]
    path = write_csv(tmp_path / "c.csv", rows)
    checked = cli("validate", path)
    sent = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert checked.summary["columns"] == sent.summary["columns"] == {"name": "Name", "email": "Email", "user": "User ID"}
    assert checked.summary["counts"]["invalid"] == sent.summary["counts"]["invalid"] == 1000


def test_validate_and_run_judge_columns_on_the_same_rows_past_blank_lines(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    lines = ["name,email,user ID", *[""] * 5000, *(f"P{i},p{i}@example.com,{i + 1:024x}" for i in range(1000)), *(f"Q{i},q{i}@example.com,{i}" for i in range(100))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = cli("validate", path)
    sent = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert checked.summary["columns"] == sent.summary["columns"] == {"name": "name", "email": "email", "user": "user ID"}
    assert checked.summary["counts"]["invalid"] == sent.summary["counts"]["invalid"] == 100


def test_what_the_column_wise_check_leaves_alone_goes_through_the_row_check(cli, tmp_path: Path) -> None:
    rows = [
        ["First Name", "Last Name", "Email", "Active"], ["Ann ::: Anna", "Smith", "ann@example.com", "yes"], ["Bo", "Li", "bo@example.com", "İNACTİVE"],
        ["Cem", "Ak", "cem@example.com", "İPTAL"],
    ]
    result = cli("validate", write_csv(tmp_path / "c.csv", rows))
    ann, bo = result.rows("valid.csv")
    assert (ann["sent_name"], ann["warnings"]) == ("Ann Smith", "first_name: several values in one cell; the first was taken")
    assert bo["sent_active"] == "false"  # Arrow and Python fold İ apart: the row check reads it as the word it capitalises
    assert [r["reason_code"] for r in result.rows("invalid.csv")] == ["active-invalid"]
    assert result.summary["rows_with_warnings"] == 1


def test_a_text_encoding_is_needed(cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Name", "Email"], ["Ada", "ada@example.com"]])
    result = cli("validate", path, "--encoding", "rot13")
    assert result.code == 2 and "not a text encoding" in result.err and "Traceback" not in result.err


def test_a_name_column_of_order_numbers_gives_way_to_the_name_parts(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """An orders export's `Name` holds order numbers: it is left out, with a note, and the name comes from its parts."""
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["Name", "Email", "First Name", "Last Name"], ["#1001", "ada@example.com", "Ada", "Obi"], ["#1002", "bola@example.com", "Bola", "Ade"]])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0, result.err
    assert "column 'Name' left out of the name: it holds order numbers" in result.err
    assert {e: c["name"] for e, c in customers(sandbox).items()} == {"ada@example.com": "Ada Obi", "bola@example.com": "Bola Ade"}
