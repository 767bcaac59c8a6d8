"""Columns recognised by what their headers mean in the merchant's language, imported into a real sandbox store.

Registers kept by hand head their columns in their own words and abbreviations ("Моб. телефон",
"Nomor HP", "有効", "状态", "Durum", "Disabled", "Namenszusatz") and save them in their code page;
each file below is made so, and the store must hold what the merchant meant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import customers, import_file, write_csv


def stored(server) -> dict[str, tuple[str, str | None, bool]]:
    """The store's customers: email -> (name, phone, active)."""
    return {email: (c["name"], c.get("phone"), c["active"]) for email, c in customers(server).items()}


def test_a_disabled_account_column_of_yes_and_no_sends_the_yes_rows_inactive(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Name", "Email", "Is Disabled"], ["Ada Obi", "ada@example.com", "yes"], ["Ben Eze", "ben@example.com", "no"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "list.csv", rows))
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ada@example.com": ("Ada Obi", None, False), "ben@example.com": ("Ben Eze", None, True)}
    assert result.summary["columns"]["inactive"] == "Is Disabled"


def test_a_japanese_register_in_shift_jis_sends_its_valid_flag(cli, sandbox, tmp_path: Path) -> None:
    rows = [["氏名", "メールアドレス", "携帯番号", "有効"], ["山田 太郎", "taro@example.jp", "090-1234-5678", "はい"], ["佐藤 花子", "hanako@example.jp", "080-2345-6789", "いいえ"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "顧客.csv", rows, encoding="shift_jis"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {"taro@example.jp": ("山田 太郎", "090-1234-5678", True), "hanako@example.jp": ("佐藤 花子", "080-2345-6789", False)}
    assert result.summary["columns"]["active"] == "有効" and result.summary["unused_columns"] == []


def test_a_chinese_register_in_gbk_sends_its_enabled_and_disabled_states(cli, sandbox, tmp_path: Path) -> None:
    rows = [["姓名", "邮箱", "联系电话", "状态"], ["王小明", "wang@example.cn", "138 0013 8000", "启用"], ["李华", "lihua@example.cn", "139 1234 5678", "禁用"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "客户.csv", rows, encoding="gbk"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {"wang@example.cn": ("王小明", "138 0013 8000", True), "lihua@example.cn": ("李华", "139 1234 5678", False)}


def test_turkish_capitals_with_a_dotted_i_read_as_the_words_they_spell(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Ad", "Soyad", "E-posta", "Cep Tel.", "Durum"],
        ["Ayşe", "Yılmaz", "ayse@example.com.tr", "0532 123 45 67", "AKTİF"],
        ["İbrahim", "Öztürk", "ibo@example.com.tr", "0533 765 43 21", "PASİF"],
        ["Çağla", "Şahin", "cagla@example.com.tr", "0532 111 22 33", "Pasif"],
        ["Umut", "Kaya", "umut@example.com.tr", "0532 111 22 34", "Devre dışı"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "musteriler.csv", rows, delimiter=";", encoding="cp1254"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {
        "ayse@example.com.tr": ("Ayşe Yılmaz", "0532 123 45 67", True),
        "ibo@example.com.tr": ("İbrahim Öztürk", "0533 765 43 21", False),
        "cagla@example.com.tr": ("Çağla Şahin", "0532 111 22 33", False),
        "umut@example.com.tr": ("Umut Kaya", "0532 111 22 34", False),
    }


def test_a_turkish_column_of_disabled_accounts_reads_evet_and_hayir_in_capitals(cli, sandbox, tmp_path: Path) -> None:
    rows = [["Adı Soyadı", "E-posta", "Devre Dışı"], ["Ayşe Yılmaz", "ayse@example.com.tr", "EVET"], ["Umut Kaya", "umut@example.com.tr", "HAYIR"]]
    result = import_file(cli, sandbox, write_csv(tmp_path / "liste.csv", rows, delimiter=";", encoding="utf-8-sig"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {"ayse@example.com.tr": ("Ayşe Yılmaz", None, False), "umut@example.com.tr": ("Umut Kaya", None, True)}


def test_a_russian_register_sends_its_mobiles_written_after_the_trunk_8(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["ФИО", "E-mail", "Моб. телефон", "Статус"],
        ["Петров Иван Сергеевич", "ip@example.ru", "+7 (916) 123-45-67", "Активен"],
        ["Сидорова Анна Павловна", "as@example.ru", "8 916 765-43-21", "Заблокирован"],
        ["Кузнецов Олег", "ok@example.ru", "8 (495) 111-22-33", "Отключен"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "клиенты.csv", rows, delimiter=";", encoding="cp1251"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {
        "ip@example.ru": ("Петров Иван Сергеевич", "+7 (916) 123-45-67", True),
        "as@example.ru": ("Сидорова Анна Павловна", "8 916 765-43-21", False),
        "ok@example.ru": ("Кузнецов Олег", "8 (495) 111-22-33", False),
    }


def test_a_phone_column_left_out_is_named_as_phones_when_written_after_the_trunk_8(cli, tmp_path: Path) -> None:
    rows = [["ФИО", "E-mail", "Моб. телефон"], ["Петров Иван", "ip@example.ru", "8 916 765-43-21"], ["Кузнецов Олег", "ok@example.ru", "8 (495) 111-22-33"]]
    result = cli("validate", write_csv(tmp_path / "клиенты.csv", rows), "--map", "phone=")
    assert result.code == 0, result.err
    assert result.summary["unused_columns"] == [{"header": "Моб. телефон", "looks_like": "phones"}]


def test_a_german_name_particle_is_sent_between_the_given_and_the_family_name(cli, sandbox, tmp_path: Path) -> None:
    rows = [
        ["Nachname", "Vorname", "Titel", "Namenszusatz", "E-Mail"],
        ["Müller", "Hans", "Dr.", "von", "hans@example.de"],
        ["Schmidt", "Anna", "", "", "anna@example.de"],
    ]
    result = import_file(cli, sandbox, write_csv(tmp_path / "kunden.csv", rows, delimiter=";", encoding="utf-8-sig"))
    assert result.code == 0, result.err
    assert stored(sandbox) == {"hans@example.de": ("Dr. Hans von Müller", None, True), "anna@example.de": ("Anna Schmidt", None, True)}


# A phone header of each language, as registers abbreviate it, with a number as that country writes it.
PHONES = [
    ("Nomor HP", "0812-3456-7890"), ("No. Telp.", "(021) 1234567"), ("No. WA", "+62 812 3456 7890"), ("No. H/P", "012-345 6789"),
    ("SĐT", "090 123 4567"), ("So dien thoai", "0901 234 567"), ("เบอร์โทร", "081-234-5678"), ("携帯電話番号", "090-1234-5678"),
    ("手機號碼", "0912-345-678"), ("핸드폰", "010-1234-5678"), ("رقم الجوال", "050 123 4567"), ("פלאפון", "050-123-4567"),
    ("मोबाइल नंबर", "098765 43210"), ("Namba ya simu", "0712 345 678"), ("GSM No", "0803 123 4567"), ("WhatsApp", "+234 803 123 4567"),
    ("Номер телефону", "067 123 4567"), ("Tel. kom.", "512 345 678"), ("Tfno.", "912 345 678"), ("Tlm.", "912 345 678"),
]


@pytest.mark.parametrize(("header", "phone"), PHONES, ids=[h for h, _ in PHONES])
def test_a_phone_header_in_the_merchants_words_sends_the_phone(cli, make_sandbox, tmp_path: Path, header: str, phone: str) -> None:
    server = make_sandbox()
    rows = [["Name", "Email", header], ["Ada Obi", "ada@example.com", phone], ["Ben Eze", "ben@example.com", ""]]
    result = import_file(cli, server, write_csv(tmp_path / "list.csv", rows))
    assert result.code == 0, result.err
    assert stored(server) == {"ada@example.com": ("Ada Obi", phone, True), "ben@example.com": ("Ben Eze", None, True)}
    assert result.summary["columns"]["phone"] == header


# An active or state column of each language with its words for yes and no: (header, yes word, no word).
STATES = [
    ("状態", "有効", "無効"), ("是否启用", "是", "否"), ("상태", "활성", "비활성"), ("사용여부", "사용", "미사용"),
    ("Trạng thái", "Hoạt động", "Không hoạt động"), ("สถานะ", "ใช้งาน", "ไม่ใช้งาน"), ("الحالة", "نشط", "غير نشط"), ("סטטוס", "פעיל", "לא פעיל"),
    ("स्थिति", "सक्रिय", "निष्क्रिय"), ("Status Pelanggan", "Aktif", "Nonaktif"), ("Стан", "Активний", "Вимкнено"), ("Estado", "Habilitado", "Deshabilitado"),
    ("Aktywny", "Tak", "Nie"), ("Active", "Ndiyo", "Hapana"), ("Active", "Haan", "Nahi"), ("Aktiviert", "Ja", "Nein"),
]
# A column of switched-off accounts: its yes is the inactive row.
OFF = [("Deaktiviert", "ja", "nein"), ("Uitgeschakeld", "Ja", "Nee"), ("已禁用", "是", "否"), ("Nonaktif", "Ya", "Tidak"), ("معطل", "نعم", "لا")]


@pytest.mark.parametrize(("header", "yes", "no"), STATES + OFF, ids=[h + "-" + y for h, y, _ in STATES + OFF])
def test_an_active_or_disabled_column_in_the_merchants_words_sends_what_it_says(cli, make_sandbox, tmp_path: Path, header: str, yes: str, no: str) -> None:
    server = make_sandbox()
    rows = [["Name", "Email", header], ["Ada Obi", "ada@example.com", yes], ["Ben Eze", "ben@example.com", no]]
    result = import_file(cli, server, write_csv(tmp_path / "list.csv", rows))
    assert result.code == 0, result.err
    off = (header, yes, no) in OFF
    assert stored(server) == {"ada@example.com": ("Ada Obi", None, not off), "ben@example.com": ("Ben Eze", None, off)}
    assert result.summary["columns"]["inactive" if off else "active"] == header
