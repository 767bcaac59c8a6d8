"""Email checks agree with email-validator, and what is settled column by column is what each row alone gives."""

from __future__ import annotations

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from importer.check.checker import Checker
from importer.check.rules import RESERVED_DOMAINS, describe_email_error, plain_domain
from importer.columns.column_map import map_columns


TRICKY_EMAILS = [
    "plain@example.com", "UPPER@EXAMPLE.COM", "dots.in.local@example.co.uk", "plus+tag@example.com",
    "o'brien@example.ie", "x@sub.domain.example.org", "a@b.c", "user@localhost", "user@example", "user@-example.com",
    "user@example-.com", "user@exa_mple.com", ".lead@example.com", "trail.@example.com", "two..dots@example.com",
    "quoted\"@example.com", "\"quoted local\"@example.com", "spa ce@example.com", "user@@example.com", "@example.com",
    "user@", "user@[127.0.0.1]", "user@123.123.123.123", "ünïcödé@example.com", "user@exämple.com", "user@xn--exmple-cua.com",
    "x" * 64 + "@example.com", "x" * 65 + "@example.com", "a@" + "b" * 63 + ".com", "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["c" * 60] * 5) + ".com", "user@example.invalid", "user@example.local", "user@test", "user@example.com.",
    "user@EXAMPLE.com", "user@example.c0m", "user@example.123", "user%example.com@example.org",
    "#!$%&'*+-/=?^_`{}|~@example.org", "user@sub_domain.example.com", "user@ex ample.com", "用户@例子.广告",
    "line\n@example.com", "in\nside@example.com", "tab\t@example.com", "user123@example.com", "Ünï@example.com",
]


def validator_says(address: str) -> str:
    """What email-validator makes of an address: its normalised form, or the reason the row check gives for it."""
    import email_validator

    try:
        return email_validator.validate_email(address, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as exc:
        return f"email: {describe_email_error(str(exc))}"


def checker_says(checker: Checker, address: str) -> str:
    got = checker.email(address)
    return got if isinstance(got, str) else got.message


def test_email_checks_match_email_validator_exactly() -> None:
    """Every verdict is email-validator's, but for a `?` in the local part: a letter the file lost when it was saved."""
    checker = Checker()
    for address in TRICKY_EMAILS * 2:  # the second pass is served from the per-domain cache
        if "?" in address.rpartition("@")[0]:
            assert "has ? where letters were" in checker_says(checker, address), address
        else:
            assert checker_says(checker, address) == validator_says(address), address


# Domains close to the edge of what the fast path takes: case, hyphens, digit-only
# labels, the Kelvin sign and long s (which lower-case to ASCII), reserved names, length.
domain_labels = st.text(alphabet=st.sampled_from(list("aZx0-9_é\u212a\u017f")), min_size=0, max_size=5) | st.sampled_from(
    ["com", "local", "test", "invalid", "arpa", "localhost", "xn--bcher-kva", "ab--c", "a" * 63, "b" * 64, "c" * 60]
)


def test_the_reserved_domain_names_are_email_validators() -> None:
    import email_validator

    assert sorted(RESERVED_DOMAINS) == sorted(email_validator.SPECIAL_USE_DOMAIN_NAMES)


@settings(max_examples=400, deadline=None)
@given(st.lists(domain_labels, min_size=1, max_size=6).map(".".join))
@example("0.test." + "a" * 63 + "." + ".".join(["c" * 60] * 3))  # 253 characters: too long for any address
def test_plain_domain_fast_path_agrees_with_email_validator(domain: str) -> None:
    import email_validator

    try:
        expected: str | None = email_validator.validate_email("a@" + domain, check_deliverability=False).domain
    except email_validator.EmailNotValidError:
        expected = None
    fast = plain_domain(domain)
    assert fast is None or fast == expected, domain
    got = Checker().email("a@" + domain)
    assert (got.removeprefix("a@") if isinstance(got, str) else None) == expected, domain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ada", "Ada.Obi", "x_1", "o'brien", "a" * 64, "a" * 65, "b..c", "ünï", ""]), min_size=1, max_size=4),
       st.lists(domain_labels, min_size=1, max_size=6).map(".".join) | st.sampled_from(["", "[127.0.0.1]", "example.com>", "ex ample.com"]))
def test_an_address_at_a_domain_seen_before_gets_email_validators_own_reason(locals_: list[str], domain: str) -> None:
    """Rows at one domain share its verdict: each still gets the reason email-validator gives its whole address."""
    checker = Checker()
    for local in locals_ * 2:
        assert checker_says(checker, f"{local}@{domain}") == validator_says(f"{local}@{domain}"), (local, domain)


# Cells near every edge of what a dry run settles column by column.
email_cells = st.sampled_from(TRICKY_EMAILS) | st.builds(
    "{}{}@{}{}".format,
    st.sampled_from(["", " ", "\t", "mailto:", "Ada <", '"Ada Obi" <', "\u200b", "\ufeff"]),
    st.sampled_from(["ada", "Ada.Obi", "x+tag", "o'brien", "a..b", "ü", "a--b"]),
    st.sampled_from([
        "example.com", "Example.COM", "shop-1.example.org", "localhost", "ex--ample.com", "xn--bcher-kva.com", "shop.test", "mail.local",
        "x.onion", "localhost.example.com", "example.invalid", "a.b.arpa", "example.testing",
    ]),
    st.sampled_from(["", " ", ">", "\u00a0", ";", ">;", " ,", "\u00ad"]),
)
name_cells = st.sampled_from(["", " ", "Ada", "Bó", "  Ada   Obi ", "\t", "\u00a0", "x", "Kontakt: Ada", "Tel\uff1a Bo"])
row_cells = st.tuples(
    name_cells, name_cells, name_cells, email_cells,
    st.sampled_from(["", "yes", " No ", "maybe", "TRUE", "inactive", "x", "✓", "☑", "SANT", "FALSKT", "ЛОЖЬ", "☐", "✗"]),
    st.sampled_from(["", "0123456789abcdef01234567", " 0123456789ABCDEF01234567 ", "xyz"]),
    st.sampled_from([
        "", "+2348031234567", "call me", "N/A", "0", "-", "000 000", "0918 303 7785 / 0705 987 6501", "0803 123 4567, 0805 765 4321",
        "447700900123.0", "8031234567.5", "+1 212 555 0102 ext. 12", "089/1234567", "2348031234567", "+234 234 803 123 4567", "0803.123.4567",
    ]),
).map(list)
HEADER = ["Name", "First Name", "Last Name", "Email", "Active", "User", "Phone"]


def frame_of(rows: list[list[str]], header: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in rows], columns=range(len(header)), dtype="string[pyarrow]")
    frame.index = pd.RangeIndex(2, 2 + len(rows))
    return frame


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(row_cells | row_cells.map(lambda r: r[:4]), min_size=1, max_size=12),
    region=st.sampled_from([None, "NG", "US"]),
    blank_active=st.booleans(),
)
def test_what_the_column_wise_check_settles_is_what_checking_each_row_alone_gives(rows: list[list[str]], region: str | None, blank_active: bool) -> None:
    from importer.check.rules import Checked

    column_map = map_columns(HEADER)
    checker = Checker(region, blank_active)
    fields, _ = column_map.fields_of(column_map.original(frame_of(rows, HEADER)))
    screened = checker.screen(fields)
    for row, values in zip(fields.index, fields.itertuples(index=False, name=None)):
        alone = checker.check(dict(zip(fields.columns, values)))
        if screened.at[row, "plain"]:
            columns = ("name", "email", "phone", "active", "user", "key", "warnings", "active_given")
            assert Checked.plain(*(screened.at[row, c] for c in columns)) == alone


def test_plain_rows_are_settled_column_by_column() -> None:
    header = ["First Name", "Last Name", "Email", "Active"]
    rows = [["Ada", "Obi", " ada@example.com", "yes"], ["Bo", "", "Bo@Shop.example.com", ""]]
    column_map = map_columns(header)
    screened = Checker().screen(column_map.fields_of(frame_of(rows, header))[0])
    assert screened["plain"].tolist() == [True, False]  # the second is normalised, so `check` takes it
    assert screened.loc[2, ["name", "email", "key"]].tolist() == ["Ada Obi", "ada@example.com", "ada@example.com"]


def test_per_domain_check_keeps_local_part_errors_first() -> None:
    checker = Checker()
    assert checker.email("ok@example.com") == "ok@example.com"
    bad = checker.email("bad..local@example.com")
    assert not isinstance(bad, str) and "two periods" in bad.message


def test_a_plain_address_is_settled_column_by_column_only_where_its_domain_is_its_own_verdict() -> None:
    """Special-use names at the end of the domain, `--` anywhere, and names that only look like those: each address
    is settled by the column-wise check exactly when checking its row alone takes it unchanged."""
    from importer.check.rules import RESERVED_DOMAINS, Checked

    domains = [
        *(f"shop.{name}" for name in RESERVED_DOMAINS), *(f"mail.{name}.example.com" for name in RESERVED_DOMAINS),
        "example.testing", "ab--cd.example.com", "xn--bcher-kva.com", "a-b.example.com",
    ]
    rows = [["Ada Obi", "", "", f"{local}@{domain}", "", "", ""] for domain in domains for local in ("ada", "ada--obi")]
    column_map = map_columns(HEADER)
    checker = Checker()
    fields, _ = column_map.fields_of(column_map.original(frame_of(rows, HEADER)))
    screened = checker.screen(fields)
    for row, values in zip(fields.index, fields.itertuples(index=False, name=None)):
        alone = Checker().check(dict(zip(fields.columns, values)))
        taken = isinstance(alone, Checked) and alone.body["email"] == values[list(fields.columns).index("email")].strip()
        assert bool(screened.at[row, "plain"]) == taken, values
