"""Cells checked one by one and screened column by column: placeholders, ticks, phones and each limit."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from importer.check.checker import Checker
from importer.check.phones import MAX_PHONE
from importer.check.rules import MAX_ADDRESS, MAX_LOCAL, MAX_NAME, Checked
from importer.columns.header import find_header
from importer.check.dedupe import Deduper
from importer.columns.layouts import FALSE_WORDS, TICK_MARKS, TRUE_WORDS
from importer.check.screen import screened
from importer.outcomes import Outcome
from importer.read.sheet import open_tables

from ...conftest import PLACEHOLDERS, write_csv


# -- properties -------------------------------------------------------------------
no_digit_text = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="\x00"), max_size=12)
zeros = st.text(alphabet=st.sampled_from("0 -()+./٠"), min_size=1, max_size=12).filter(lambda s: "0" in s or "٠" in s)
placeholders = st.sampled_from(PLACEHOLDERS) | no_digit_text | zeros


@settings(max_examples=200, deadline=None)
@given(cell=placeholders, region=st.sampled_from([None, "NG", "US"]))
def test_a_placeholder_never_reaches_the_store(cell: str, region: str | None) -> None:
    rows = pd.DataFrame({"name": ["Ada"], "first_name": [""], "last_name": [""], "email": ["ada@example.com"], "phone": [cell], "active": [""], "user": [""]}, dtype="string[pyarrow]")
    checker = Checker(region)
    result = checker.check(rows.iloc[0].to_dict())
    assert isinstance(result, Checked) and result.body["phone"] is None
    screen = checker.screen(rows)
    assert not screen.at[0, "plain"] or screen.at[0, "phone"] == ""


ticks = st.sampled_from(sorted({"x", "X", "yes", "Yes", "1", "y", "ja", "oui", "SANT", "WAHR", *TICK_MARKS}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tick=ticks, filled=st.lists(st.booleans(), min_size=1, max_size=30).filter(any))
def test_a_tick_column_never_turns_a_blank_into_active(tmp_path_factory, tick: str, filled: list[bool]) -> None:
    path = tmp_path_factory.mktemp("ticks") / "ticks.csv"
    write_csv(path, [["Name", "Email", "Active"]] + [[f"N {i}", f"n{i}@example.com", tick if f else ""] for i, f in enumerate(filled)])
    found = find_header(open_tables(path))
    checker = Checker(blank_active=found.column_map.blank_active)
    for chunk in screened(found.frames, found.column_map, checker, Deduper()):
        blank = chunk.cells[2].str.strip().eq("")
        assert not chunk.sent.loc[blank[blank].index, "active"].any()
        assert chunk.sent.loc[blank[~blank].index, "active"].all()


def test_the_active_words_never_read_both_ways() -> None:
    assert not TRUE_WORDS & FALSE_WORDS


# Cells that look plain beside cells that do not, in rows that are otherwise plain, so the
# column-wise screen meets each of them.
mixed_phones = st.sampled_from([
    "", "+2348031234567", "0803 123 4567", "0", "000 000", "N/A", "-", "0918 303 7785 / 0705 987 6501", "0803 123 4567, 0805 765 4321",
    "447700900123.0", "8031234567.5", "+1 212 555 0102 ext. 12", "089/1234567", "2348031234567", "(0803) 123-4567", "0803.123.4567",
    "+44 (0)20 7946 0000", "80312.5", "12345.0", "0803\u200b123 4567", "\u202a+234 803 123 4567\u202c", "0803\u00a0123\u00a04567",
])
mixed_actives = st.sampled_from(["", "yes", "no", "x", "X", "✓", "☑", "☐", "SANT", "falskt", "ЛОЖЬ", "Evet", "1", "0", "maybe", "✗", "NA", "null", "aktiv", "Inaktiv", "активен"])
mixed_emails = st.sampled_from(["ada@example.com", "ada@example.com;", "ada\u200b@example.com", '"Ada Obi" <ada@example.com>', "Ada@Example.com", " ada@example.com "])
HEADER = ["Name", "First Name", "Last Name", "Email", "Active", "User", "Phone"]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from(["Ada Obi", "", "NA", "null"]), mixed_emails, mixed_actives, mixed_phones), min_size=1, max_size=8),
    region=st.sampled_from([None, "NG", "US"]),
    blank_active=st.booleans(),
)
def test_a_plain_looking_row_is_sent_as_the_row_check_sends_it(rows: list[tuple[str, str, str, str]], region: str | None, blank_active: bool) -> None:
    from importer.columns.column_map import map_columns

    column_map = map_columns(HEADER)
    cells = [[name, "", "", email, active, "", phone] for name, email, active, phone in rows]
    frame = pd.DataFrame(cells, columns=range(len(HEADER)), dtype="string[pyarrow]")
    fields, _ = column_map.fields_of(frame)
    checker = Checker(region, blank_active)
    screen = checker.screen(fields)
    columns = ("name", "email", "phone", "active", "user", "key", "warnings", "active_given")
    for row, values in zip(fields.index, fields.itertuples(index=False, name=None)):
        if screen.at[row, "plain"]:
            assert Checked.plain(*(screen.at[row, c] for c in columns)) == checker.check(dict(zip(fields.columns, values)))


# Cells on either side of each limit and pattern that the row check and the column-wise screen
# share: (name, email, active, user, phone), whether the screen settles the row, and the code
# the row check gives ("" when it passes). Past a limit the screen must leave the row to the
# check, and the check must refuse it for that limit: a limit changed on one side only fails here.
_LONG_DOMAIN = ".".join(["a" * 63, "b" * 63, "c" * 59]) + ".com"  # 189 characters
EDGE_ROWS = [
    (("A" * MAX_NAME, "ada@example.com", "", "", ""), True, ""),
    (("A" * (MAX_NAME + 1), "ada@example.com", "", "", ""), False, "name-too-long"),
    (("Ada  Obi", "ada@example.com", "", "", ""), False, ""),
    (("Zoe\u0301", "ada@example.com", "", "", ""), False, ""),
    (("Ada\tObi", "ada@example.com", "", "", ""), False, ""),
    (("Ada Obi", "a" * MAX_LOCAL + "@example.com", "", "", ""), True, ""),
    (("Ada Obi", "a" * (MAX_LOCAL + 1) + "@example.com", "", "", ""), False, ""),  # email-validator's own, not strict
    (("Ada Obi", "a" * (MAX_ADDRESS - len(_LONG_DOMAIN) - 1) + "@" + _LONG_DOMAIN, "", "", ""), True, ""),
    (("Ada Obi", "a" * (MAX_ADDRESS - len(_LONG_DOMAIN)) + "@" + _LONG_DOMAIN, "", "", ""), False, "email-invalid"),
    (("Ada Obi", "ada@" + "a" * 63 + ".com", "", "", ""), True, ""),
    (("Ada Obi", "ada@" + "a" * 64 + ".com", "", "", ""), False, "email-invalid"),
    (("Ada Obi", "ada@example.test", "", "", ""), False, "email-invalid"),
    (("Ada Obi", "ada.@example.com", "", "", ""), False, "email-invalid"),
    (("Ada Obi", "ada@example.com", "yes", "", ""), True, ""),
    (("Ada Obi", "ada@example.com", "maybe", "", ""), False, "active-invalid"),
    (("Ada Obi", "ada@example.com", "", "a" * 24, ""), True, ""),
    (("Ada Obi", "ada@example.com", "", "A" * 24, ""), True, ""),
    (("Ada Obi", "ada@example.com", "", "a" * 23, ""), False, "user-invalid"),
    (("Ada Obi", "ada@example.com", "", "a" * 25, ""), False, "user-invalid"),
    (("Ada Obi", "ada@example.com", "", "", "1" * MAX_PHONE), True, ""),
    (("Ada Obi", "ada@example.com", "", "", "+" + "1" * (MAX_PHONE - 1)), True, ""),
    (("Ada Obi", "ada@example.com", "", "", "1" * (MAX_PHONE + 1)), False, "phone-too-long"),
    (("Ada Obi", "ada@example.com", "", "", "+" + "1" * MAX_PHONE), False, "phone-too-long"),
    (("Ada Obi", "ada@example.com", "", "", "000 000"), False, ""),
    (("Ada Obi", "ada@example.com", "", "", "12345.0"), False, ""),
    (("Ada Obi", "ada@example.com", "", "", "1.2e10"), False, "phone-scientific"),
]


@pytest.mark.parametrize(("cells", "plain", "code"), EDGE_ROWS)
def test_the_screen_and_the_row_check_agree_at_each_limit(cells: tuple[str, str, str, str, str], plain: bool, code: str) -> None:
    from importer.columns.column_map import map_columns

    name, email, active, user, phone = cells
    column_map = map_columns(HEADER)
    frame = pd.DataFrame([[name, "", "", email, active, user, phone]], columns=range(len(HEADER)), dtype="string[pyarrow]")
    fields, _ = column_map.fields_of(frame)
    checker = Checker()
    screen = checker.screen(fields)
    row = fields.index[0]
    checked = checker.check(dict(zip(fields.columns, next(fields.itertuples(index=False, name=None)))))
    assert bool(screen.at[row, "plain"]) is plain
    assert (checked.code if isinstance(checked, Outcome) else "") == code
    if plain:
        columns = ("name", "email", "phone", "active", "user", "key", "warnings", "active_given")
        assert Checked.plain(*(screen.at[row, c] for c in columns)) == checked


# Phone cells as people and programs write them: prefixes, groups of digits, labels and extensions.
written_phones = st.builds(
    "{}{}{}".format,
    st.sampled_from(["", "+", "00", "0", "+44 (0)", "+234 ", "Tel: ", "(0", "+1 "]),
    st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1, max_size=5).map(" ".join)
    | st.lists(st.text(alphabet="0123456789", min_size=2, max_size=4), min_size=2, max_size=4).map("-".join),
    st.sampled_from(["", " (home)", " ext. 12", " x7", ")", ".0", "/68", " mobile"]),
)


@settings(max_examples=400, deadline=None)
@given(cell=written_phones, region=st.sampled_from(["NG", "GB", "US", "DE", "FR", "IN"]))
@example(cell="+67 2000 00", region="NG")
@example(cell="001100 0 00 00 000", region="GB")  # 00, 1 and the US trunk prefix 1: a digit too many
@example(cell="0049 49", region="GB")  # written with its country code (Norfolk Island), a number keeps its digits
def test_a_phone_keeps_its_digits_but_for_the_e164_rules(cell: str, region: str) -> None:
    """What is stored is the cell as written, or its E.164 form whose national digits end the digits written, with
    nothing before them but a trunk 0, the country code, an international prefix or `(0)`."""
    import phonenumbers

    result = Checker(region).check({"name": "Ada", "email": "ada@example.com", "phone": cell})
    if not isinstance(result, Checked):
        assert result.code == "phone-too-long" and len(cell) > 32
        return
    sent = result.body["phone"]
    if sent is None or "sent as written" in result.warnings:
        assert sent is None or cell.startswith(str(sent)), (cell, sent)
        return
    cc = str(phonenumbers.parse(str(sent)).country_code)
    national = str(sent)[1 + len(cc) :]
    written = "".join(c for c in re.sub(r"(?:ext\.|x)\s*\d+$", "", cell.removesuffix(".0")) if c.isdigit())
    assert national in written, (cell, sent)
    before = written[: written.rindex(national)]  # the last place: the national digits may also be those of the country code
    dialled = phonenumbers.PhoneMetadata.metadata_for_region(region).international_prefix  # the region's own, as its numbering plan has it
    assert before in ("", "0", cc, cc + "0") or (before.endswith(cc) and re.fullmatch(dialled, before[: -len(cc)])), (cell, sent)


@pytest.mark.parametrize("cell, region, sent", [
    ("0098 1310 00 0000", "NG", None),  # Nigeria dials 009 abroad: Japan there, Iran after a 00
    ("0098 21 1234 5678", "GB", "+982112345678"),
    ("011 44 20 7946 0958", "US", "+442079460958"),
])
def test_digits_after_an_international_prefix_that_read_two_ways_are_not_rewritten(cell: str, region: str, sent: str | None) -> None:
    result = Checker(region).check({"name": "Ada", "email": "ada@example.com", "phone": cell})
    assert isinstance(result, Checked) and result.body["phone"] == sent
    assert ("could be" in result.warnings) == (sent is None)
