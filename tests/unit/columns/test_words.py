"""A header's words and an active cell's words, in the languages merchants write their lists in.

A header is read by what its words mean, however it abbreviates them ("Моб.", "No. HP",
"SĐT", "Tel. kom."), and an active cell by its word in any case a keyboard gives it
("AKTİF", "HAYIR", "Desactive"): each language's words for phone, mobile, number,
status, enabled and disabled, and their yes and no.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from importer.columns.layouts import FALSE_WORDS, OFF_STATES, ON_STATES, TRUE_WORDS, WORDS
from importer.columns.column_map import switched_off
from importer.columns.words import PHONE, _plain, meaning, parse_active

# Phone headers as registers in each language write them, abbreviations and punctuation included.
PHONE_HEADERS = [
    # Russian, Ukrainian
    "Моб. телефон", "Моб.", "Моб. тел.", "Сот. телефон", "Номер телефона", "Контактный телефон", "Мобільний телефон", "Номер телефону",
    # Indonesian, Malay
    "Nomor HP", "No. HP", "No HP", "Nomer HP", "Nomor Telepon", "No. Telp.", "Telp.", "Ponsel", "Handphone", "No. WA", "Nomor WhatsApp",
    "No. Telefon", "Nombor Telefon", "Telefon Bimbit", "No. H/P",
    # Vietnamese, with and without its marks
    "Số điện thoại", "SĐT", "ĐT", "Di động", "So dien thoai", "SDT", "Dien thoai",
    # Thai, Japanese, Chinese, Korean
    "เบอร์โทร", "เบอร์มือถือ", "โทรศัพท์", "携帯番号", "携帯電話番号", "TEL", "联系电话", "手機", "手機號碼", "聯絡電話", "移动电话",
    "핸드폰", "휴대폰 번호", "전화번호",
    # Arabic, Hebrew, Hindi, Swahili
    "رقم الجوال", "الهاتف", "تليفون", "פלאפון", "מס' טלפון", "טל'", "मोबाइल नंबर", "फ़ोन नंबर", "Namba ya simu", "Simu",
    # Nigerian and Indian English habits
    "GSM No", "Phone No", "Mob No", "Mobile No.", "WhatsApp", "WhatsApp No", "Ph. No.", "Contact No.",
    # German, French, Spanish, Portuguese, Italian, Dutch, Polish, Turkish, Czech, Finnish
    "Tel.", "Handynr.", "Festnetz", "Natel", "Tél. portable", "Numéro de téléphone", "Tfno.", "Teléf.", "Nro. de teléfono", "Tlm.",
    "Nº telemóvel", "Num. cellulare", "Mobiele nummer", "Tel. kom.", "Nr tel.", "Cep Tel.", "Telefon No", "Telefonní číslo", "Puh.",
]
ACTIVE_HEADERS = [
    "Enabled", "有効", "启用", "啟用", "활성", "Aktiviert", "Habilitado", "Abilitato", "Ingeschakeld", "Włączony", "Включен", "Etkin",
    "Kích hoạt", "פעיל", "सक्रिय", "مفعل", "是否启用", "활성여부", "사용여부",
    # A state, whose values say whether it is the active flag.
    "Trạng thái", "Trang thai", "状态", "狀態", "状態", "ステータス", "상태", "สถานะ", "الحالة", "סטטוס", "स्थिति", "Состояние", "Стан",
    "Estatus", "Durum", "Durumu", "Status Pelanggan", "Status Akun", "Estado del cliente", "客户状态",
]
INACTIVE_HEADERS = [
    "Is Disabled", "Account Disabled", "Deshabilitado", "Desabilitado", "Disabilitato", "Uitgeschakeld", "Wyłączony", "Отключен", "Вимкнено",
    "Nonaktif", "Non-aktif", "Devre dışı", "Engellendi", "Vô hiệu hóa", "已禁用", "是否禁用", "無効", "비활성화", "معطل", "מושבת", "निष्क्रिय",
]
PARTICLE_HEADERS = ["Namenszusatz", "Vorsatzwort", "Namensvorsatz", "Tussenvoegsel", "Tussenvoegsels", "Voorvoegsel"]
# Headers that name something else, or too little to tell: their values decide, never their words. A bare
# "Disabled" or "Engelli" in a list of people says a person has a disability.
SILENT = [
    "Disabled", "Engelli", "Last Active", "Disabled Date", "Status Date", "有効期限", "Ph.", "PH", "WA", "DT", "No", "Kullanıcı Adı", "用户名", "客户名",
    "Phone Country Code", "Company Phone", "Fax",
]


@pytest.mark.parametrize("header", PHONE_HEADERS)
def test_a_phone_header_is_read_by_its_words_however_abbreviated(header: str) -> None:
    found = meaning(header)
    assert found is not None and found[0] == "phone", found


@pytest.mark.parametrize("header", ACTIVE_HEADERS)
def test_an_enabled_or_status_header_feeds_active(header: str) -> None:
    found = meaning(header)
    assert found is not None and found[0] == "active", found


@pytest.mark.parametrize("header", INACTIVE_HEADERS)
def test_a_disabled_header_feeds_its_opposite(header: str) -> None:
    found = meaning(header)
    assert found is not None and found[0] == "inactive", found


@pytest.mark.parametrize("header", PARTICLE_HEADERS)
def test_a_name_particle_goes_between_the_given_and_the_family_name(header: str) -> None:
    found = meaning(header)
    assert found is not None and found[0] == "middle_name", found


@pytest.mark.parametrize("header", SILENT)
def test_a_header_that_names_something_else_or_too_little_is_silent(header: str) -> None:
    found = meaning(header)
    assert found is None or header in {"Company Phone", "Fax"} and found[0] != "phone", found


CELLS = {
    True: [
        "1.0", "AKTİF", "Aktif", "aktif", "EVET", "Evet", "Etkin", "ETKİN", "启用", "正常", "有効", "はい", "활성", "사용", "예", "Hoạt động",
        "Hoat dong", "Kích hoạt", "Có", "ใช้งาน", "เปิดใช้งาน", "نشط", "مفعل", "פעיל", "सक्रिय", "Haan", "Ndiyo", "Bẹ́ẹ̀ni", "Ya", "Alta",
        "Включен", "Увімкнено", "Włączony", "Activé", "ACTIVÉ", "Habilitado", "Abilitato", "Ingeschakeld", "Ein", "AAN", "Açık",
    ],
    False: [
        "PASİF", "Pasif", "HAYIR", "Hayır", "hayir", "Devre dışı", "DEVRE DIŞI", "ENGELLİ", "禁用", "冻结", "無効", "いいえ", "停止", "退会", "비활성",
        "미사용", "탈퇴", "Không", "Khong", "Không hoạt động", "Khong hoat dong", "Đã khóa", "ไม่ใช้งาน", "ปิดใช้งาน", "غير نشط", "معطل", "לא פעיל",
        "חסום", "निष्क्रिय", "Nahi", "Hapana", "Rárá", "Tidak", "Tidak Aktif", "Nonaktif", "NON-AKTIF", "Baja", "Отключен", "Вимкнено",
        "Wyłączony", "WYŁĄCZONY", "Désactivé", "DÉSACTIVÉ", "Desactive", "Deshabilitado", "Disabilitato", "Uitgeschakeld", "Aus", "Disabled",
        "Não", "NÃO", "NAO", "0.0",  # pandas writes a float column of 1 and 0 as 1.0 and 0.0
    ],
}


@pytest.mark.parametrize(("cell", "meant"), [(cell, meant) for meant, cells in CELLS.items() for cell in cells])
def test_an_active_cell_reads_in_any_case_and_composition(cell: str, meant: bool) -> None:
    for written in (cell, unicodedata.normalize("NFD", cell), f"  {cell} "):
        assert parse_active(written) is meant, written


def test_a_turkish_capital_i_reads_as_the_word_it_capitalises() -> None:
    """`str.casefold()` turns İ into i and a combining dot: every word of the sets is held in that form too."""
    for word in ("aktif", "pasif", "evet", "etkin", "engelli", "inactive", "disabled", "tidak", "nie", "si"):
        turkish = word.replace("i", "İ").upper()
        assert parse_active(turkish) is parse_active(word) is not None, turkish
        assert turkish.casefold() in (TRUE_WORDS | FALSE_WORDS)


def test_no_word_reads_both_ways() -> None:
    assert not TRUE_WORDS & FALSE_WORDS
    assert not ON_STATES & OFF_STATES
    assert ON_STATES <= TRUE_WORDS and OFF_STATES <= FALSE_WORDS


def test_a_header_word_of_an_enabled_or_disabled_account_reads_so_in_a_cell_too() -> None:
    """A column of states may hold the words another list heads its column with ("Status: Disabled")."""
    for word in ("enabled", "aktiviert", "habilitado", "włączony", "启用", "有効", "활성", "etkin", "פעיל", "مفعل"):
        assert word in WORDS["active"] and parse_active(word) is True, word
    for word in ("deactivated", "deshabilitado", "uitgeschakeld", "wyłączony", "nonaktif", "已禁用", "비활성화", "معطل", "מושבת"):
        assert word in WORDS["inactive"] and parse_active(word) is False, word


def test_a_column_of_disabled_accounts_reads_its_cells_in_any_case() -> None:
    import pandas as pd

    said = pd.Series(["EVET", "HAYIR", "PASİF", "AKTİF", "ja", "nein", "Deaktiviert", "Hapana"], dtype="string[pyarrow]")
    active = switched_off(pd.Series([""] * len(said), dtype="string[pyarrow]"), said)
    assert [parse_active(cell) for cell in active.tolist()] == [False, True, False, True, False, True, False, True]


def test_every_header_word_has_one_meaning() -> None:
    tags: dict[str, set[str]] = {}
    for tag, words in WORDS.items():
        for word in words:
            tags.setdefault(_plain(word), set()).add(tag)
    assert {word for word, found in tags.items() if len(found) > 1} <= {"additional"}  # a middle name, or a second phone


@pytest.mark.parametrize("cell", ["8 916 765-43-21", "8 (495) 111-22-33", "8(916)765-43-21", "8-916-765-43-21", "8 800 555 35 35", "1 415 555 0100"])
def test_a_phone_written_after_a_one_digit_trunk_prefix_looks_like_a_phone(cell: str) -> None:
    assert re.fullmatch(PHONE, cell)


@pytest.mark.parametrize("cell", ["1 234 567", "1 250 000", "3 500", "7 12", "1.12.2023"])
def test_an_amount_or_a_date_does_not_look_like_a_phone(cell: str) -> None:
    assert not re.fullmatch(PHONE, cell)
