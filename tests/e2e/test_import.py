"""End-to-end imports into a real sandbox: what the store holds, what the report says, exit codes."""

from __future__ import annotations

import csv
import functools
import subprocess
import sys
from pathlib import Path

import httpx
import openpyxl
import pytest

from importer.send.retry import RetryPolicy
from importer.outcomes import Category
from importer.report.csv_files import formula_safe
from importer.report.workbook import sheet_row_limit
from importer.sandbox import READ, Faults, SandboxServer

from ..conftest import SAMPLES, customers

SAMPLE_COUNTS = {"created": 43, "in_file_duplicate": 3, "invalid": 4}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize("sample", ["customers.csv", "customers.xlsx"])
def test_sample_imports_with_exact_counts_and_store_content(cli, sandbox: SandboxServer, sample: str) -> None:
    result = cli("run", SAMPLES / sample, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 1  # the sample has rows to fix on purpose
    summary = result.summary
    assert nonzero(summary["counts"]) == SAMPLE_COUNTS and summary["rows"] == 50
    assert summary["exit_code"] == 1 and summary["dry_run"] is False
    assert summary["columns"] == {"first_name": "First Name", "last_name": "Last Name", "email": "E-mail", "phone": "Phone Number", "active": "Active"}
    store = customers(sandbox)
    assert len(store) == 43 and sandbox.store.stats.creations == 43
    jose = store["jose.alvarez@example.es"]
    assert (jose["name"], jose["phone"], jose["active"]) == ("José Álvarez", "+34612345678", True)
    assert store["francois.lefevre@example.fr"]["active"] is False
    assert store["gbenga.adebayo@example.com"]["active"] is False  # "FALSE"
    assert store["kelechi.uche@example.com"]["active"] is True  # blank
    assert store["emeka.nwosu@example.com"]["phone"] is None
    assert store["adaeze.okonkwo@example.com"]["name"] == "Adaeze Okonkwo"  # the first row won
    # every created row names its customer, and each id is in the store
    created = result.rows("created.csv")
    assert len(created) == 43 and {r["customer_id"] for r in created} == set(sandbox.store.customers)
    invalid = {r["row"]: r for r in result.rows("invalid.csv")}
    assert invalid["46"]["reason"] == "email: missing @" and invalid["46"]["reason_code"] == "email-invalid"
    assert invalid["48"]["reason_code"] == "name-missing"
    duplicates = result.rows("in_file_duplicates.csv")
    assert [(r["row"], r["reason"]) for r in duplicates] == [("49", "same email as row 2"), ("50", "same email as row 3"), ("51", "same email as row 4")]
    assert result.out.strip().splitlines()[-1] == str(result.folder)


def test_csv_and_xlsx_give_the_same_store(cli, make_sandbox) -> None:
    stores = []
    for sample in ("customers.csv", "customers.xlsx"):
        server = make_sandbox()
        cli("run", SAMPLES / sample, "--base-url", server.base_url, token=server.token)
        stores.append({e: (c["name"], c["phone"], c["active"]) for e, c in customers(server).items()})
    assert stores[0] == stores[1]


def test_report_files_follow_the_contract(cli, sandbox: SandboxServer) -> None:
    result = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, token=sandbox.token)
    names = sorted(p.name for p in result.folder.iterdir())
    assert names == ["created.csv", "in_file_duplicates.csv", "invalid.csv", "report.xlsx", "summary.json"]
    summary = result.summary
    for key in ("run_id", "input", "dry_run", "started_at", "finished_at", "rows", "counts", "exit_code", "version", "columns"):
        assert key in summary
    assert set(summary["counts"]) == {"created", "duplicate", "in_file_duplicate", "invalid", "auth_failed", "failed", "updated", "skipped", "unchanged", "valid", "pending"}
    raw = (result.folder / "created.csv").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"First Name",')  # one BOM, so Excel reads the accents right
    header = next(csv.reader((result.folder / "created.csv").open(encoding="utf-8-sig")))
    assert header[:6] == ["First Name", "Last Name", "E-mail", "Phone Number", "Active", "Notes"]
    assert header[6:9] == ["row", "status", "reason"] and "customer_id" in header
    book = openpyxl.load_workbook(result.folder / "report.xlsx")
    # Summary first, then the categories as they first occurred; each sheet holds its CSV's rows
    assert book.sheetnames[0] == "Summary"
    assert sorted(book.sheetnames[1:]) == ["created", "in_file_duplicates", "invalid"]
    for title in book.sheetnames[1:]:
        on_disk = list(csv.reader((result.folder / f"{title}.csv").open(encoding="utf-8-sig")))
        # the CSVs guard cells against running as formulas; the workbook holds them as text
        assert [[formula_safe(str(c or "")) for c in r] for r in book[title].iter_rows(values_only=True)] == on_disk
    sheet = book["invalid"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:O5"
    assert sheet["A1"].font.bold and sheet.column_dimensions["C"].width > 10
    assert sheet.max_row == 5
    summary_sheet = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary_sheet["created"] == 43 and summary_sheet["invalid"] == 4


def test_a_fixed_invalid_file_imports_again_as_it_is(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    first = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, token=sandbox.token)
    rows = list(csv.reader((first.folder / "invalid.csv").open(encoding="utf-8-sig")))
    email_column = rows[0].index("E-mail")
    for row in rows[1:]:
        row[email_column] = row[email_column].replace(" ", ".").replace("omoregie.example", "omoregie@example").replace("@akindele", "@akindele.com")
        row[0] = row[0] or "Nameless"
    fixed = write_csv(tmp_path / "fixed.csv", rows)
    second = cli("run", fixed, "--base-url", sandbox.base_url, token=sandbox.token)
    assert second.code == 0 and nonzero(second.summary["counts"]) == {"created": 4}
    assert "status" not in second.summary["columns"].values()  # the old report columns are not data
    assert len(sandbox.store.customers) == 47


def test_formulas_in_cells_stay_text_in_the_workbook(cli, tmp_path: Path) -> None:
    hostile = write_csv(tmp_path / "hostile.csv", [["name", "email"], ['=HYPERLINK("http://evil.example","x")', "bad"]])
    result = cli("validate", hostile)
    cell = openpyxl.load_workbook(result.folder / "report.xlsx")["invalid"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("status", [409, 400])
def test_store_duplicates_in_both_flavours(cli, make_sandbox, tmp_path: Path, status: int) -> None:
    server = make_sandbox(Faults(duplicate_status=status))
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}) as http:
        for email in ("ZOE.MUELLER@example.de", "bisi.ojo@example.com"):
            assert http.post("/customers", json={"name": "Earlier", "email": email}).status_code == 201
    result = cli("run", SAMPLES / "customers.csv", "--base-url", server.base_url, token=server.token)
    counts = nonzero(result.summary["counts"])
    assert counts == {"created": 41, "duplicate": 2, "in_file_duplicate": 3, "invalid": 4}
    assert sorted(r["E-mail"] for r in result.rows("duplicates.csv")) == ["bisi.ojo@example.com", "zoe.mueller@example.de"]
    assert all(r["reason_code"] == "store-duplicate" for r in result.rows("duplicates.csv"))
    assert customers(server)["bisi.ojo@example.com"]["name"] == "Earlier"


def test_dry_run_sends_nothing_and_needs_no_token(cli, sandbox: SandboxServer) -> None:
    for args in (("validate",), ("run", "--dry-run")):
        result = cli(*args[:1], SAMPLES / "customers.xlsx", *args[1:], "--base-url", sandbox.base_url)
        assert result.code == 1
        assert nonzero(result.summary["counts"]) == {"valid": 43, "in_file_duplicate": 3, "invalid": 4}
        assert result.summary["dry_run"] is True and len(result.rows("valid.csv")) == 43
    assert sandbox.store.stats.requests == 0


def test_clean_file_exits_0(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["Full Name", "Email Address", "Mobile", "Status"], ["Ada Obi", "ada@example.com", "2348012345678", "inactive"]])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0 and nonzero(result.summary["counts"]) == {"created": 1}
    ada = customers(sandbox)["ada@example.com"]
    assert (ada["name"], ada["phone"], ada["active"]) == ("Ada Obi", "2348012345678", False)


def test_header_without_rows_exits_0_with_a_warning(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "empty.csv", [["name", "email"]])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0 and result.summary["rows"] == 0
    assert "no rows" in result.err


def test_workbook_numbers_become_their_digits(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email", "Phone", "Active"])
    book.active.append(["Ada Obi", "ada@example.com", 2348012345678, True])
    book.active.append(["Bo Li", "bo@example.com", 8012345678.0, False])
    book.save(tmp_path / "numbers.xlsx")
    result = cli("run", tmp_path / "numbers.xlsx", "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0
    store = customers(sandbox)
    assert store["ada@example.com"]["phone"] == "2348012345678" and store["ada@example.com"]["active"] is True
    assert store["bo@example.com"]["phone"] == "8012345678" and store["bo@example.com"]["active"] is False


def test_map_overrides_recognition(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["Client", "Contact", "Email"], ["Ada Obi", "ada@example.com", "office@example.com"]])
    result = cli("run", path, "--map", "name=Client", "--map", "email=contact", "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0
    assert list(customers(sandbox)) == ["ada@example.com"]
    assert result.summary["columns"] == {"name": "Client", "email": "Contact"}


def test_body_is_exactly_the_api_fields(sandbox: SandboxServer, cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", [["name", "email", "user", "notes"], ["Ada", "ada@example.com", "665A1F2C9B1E4A0012AB34CD", "secret note"]])
    result = cli("run", path, "--base-url", sandbox.base_url, token=sandbox.token)
    assert result.code == 0
    stored = customers(sandbox)["ada@example.com"]
    assert stored["user"]["_id"] == "665a1f2c9b1e4a0012ab34cd"
    assert "secret note" not in str(stored)


@pytest.mark.parametrize(
    "args, words",
    [
        (("run", "missing.csv"), "no such file"),
        (("run", "{samples}/customers.csv", "--map", "colour=Name"), "unknown field"),
        (("run", "{samples}/customers.csv", "--map", "email=Nope"), "no column 'Nope'"),
        (("run", "{samples}/customers.csv", "--concurrency", "0"), "--concurrency"),
        (("run", "{samples}/customers.csv", "--concurrency", "99999999999999999999"), "--concurrency must be from 1 to 1,000"),
        (("run", "{samples}/customers.csv", "--max-wait", "nan"), "--max-wait must be 0 or more seconds"),
        (("run", "{samples}/customers.csv", "--max-rps", "nan"), "--max-rps must be a number above 0"),
        (("run", "{samples}/customers.csv", "--sheet", "2"), "--sheet applies to workbooks"),
        (("run", "{samples}/customers.xlsx", "--sheet", "Nope"), "no sheet 'Nope'"),
        (("run", "{samples}/customers.csv"), "SALESIVE_TOKEN"),
        (("run", "{samples}/customers.csv", "--token-file", "/nonexistent/token"), "cannot read the token file"),
    ],
)
def test_unusable_input_exits_2_with_one_line(cli, sandbox: SandboxServer, args: tuple[str, ...], words: str) -> None:
    argv = [a.format(samples=SAMPLES) for a in args]
    result = cli(*argv, "--base-url", sandbox.base_url)
    assert result.code == 2
    assert words in result.err and "Traceback" not in result.err
    assert sandbox.store.stats.posts_per_email == {}


def test_no_email_column_lists_the_headers(cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Name", "Phone"], ["Ada", "1"]])
    result = cli("validate", path)
    assert result.code == 2 and "no email column" in result.err and "'Name', 'Phone'" in result.err


@pytest.mark.parametrize("scopes, words", [(None, "(401)"), (set(), "lacks the WRITE_CUSTOMERS scope")])
def test_rejected_token_exits_3_before_any_post(cli, sandbox: SandboxServer, scopes: set[str] | None, words: str) -> None:
    if scopes is not None:
        sandbox.store.add_token("app_other", scopes)
    result = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, token="app_other")
    assert result.code == 3 and "the token was rejected" in result.err and words in result.err
    assert sandbox.store.stats.posts_per_email == {}
    assert not (result.out.strip() and Path(result.out.strip()).exists())  # no run folder for a run that never started


def test_a_redirecting_address_exits_2_before_any_post(cli, make_sandbox) -> None:
    # An http:// address that the store redirects to https://: a followed POST can
    # turn into a GET, so nothing is followed and nothing is sent.
    server = make_sandbox(faults=Faults(redirect_to="http://127.0.0.1:9/api/v1/customers"))
    result = cli("run", SAMPLES / "customers.csv", "--base-url", server.base_url, token=server.token)
    assert result.code == 2 and "answered with a redirect (HTTP 301 to http://127.0.0.1:9/api/v1/customers); check --base-url" in result.err
    assert server.store.stats.posts_per_email == {} and "Traceback" not in result.err
    assert result.err.strip().splitlines()[-1].startswith("salesive-import: error: ")


def test_read_only_token_stops_at_the_first_refusal(cli, sandbox: SandboxServer) -> None:
    sandbox.store.add_token("app_reader", {READ})
    result = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, "--concurrency", "3", token="app_reader")
    assert result.code == 3 and "lacks the WRITE_CUSTOMERS scope" in result.err
    assert 1 <= sum(sandbox.store.stats.posts_per_email.values()) <= 3
    assert result.summary["counts"]["auth_failed"] == 43 and sandbox.store.customers == {}


def test_token_revoked_mid_run_stops_and_exits_3(cli, make_sandbox) -> None:
    server = make_sandbox(Faults(revoke_after=10))
    result = cli("run", SAMPLES / "customers.csv", "--base-url", server.base_url, "--concurrency", "4", token=server.token)
    assert result.code == 3
    counts = result.summary["counts"]
    assert counts["created"] == 10 and counts["auth_failed"] == 33
    posts_after_revoke = sum(server.store.stats.posts_per_email.values()) - 10
    assert 1 <= posts_after_revoke <= 4
    not_sent = [r for r in result.rows("auth_failures.csv") if r["reason_code"] == "not-sent-auth"]
    assert len(not_sent) == 33 - posts_after_revoke
    assert not_sent[0]["reason"] == "not sent: the run stopped after the store rejected the token"


def test_unreachable_store_exits_4(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("importer.cli.RetryPolicy", functools.partial(RetryPolicy, unreachable_after=0.5))
    with SandboxServer() as gone:
        base_url = gone.base_url
    result = cli("run", SAMPLES / "customers.csv", "--base-url", base_url, token="app_x")
    assert result.code == 4 and "could not be reached" in result.err
    # the last line of stdout names the run folder, as after any other stop
    counts = {k: v for k, v in result.summary["counts"].items() if v}
    assert result.summary["exit_code"] == 4 and counts == {"pending": 43, "invalid": 4, "in_file_duplicate": 3}


@pytest.mark.parametrize("base_url", ["ftp://shop.example.com/api/v1", "shop.example.com/api/v1", "https://[shop/api/v1", "https://shop.example.com:99999/api/v1"])
def test_a_base_url_that_is_not_a_web_address_exits_2_before_anything(cli, tmp_path: Path, base_url: str) -> None:
    result = cli("run", SAMPLES / "customers.csv", "--base-url", base_url, token="app_x")
    assert result.code == 2 and "is not an http:// or https:// address" in result.err
    assert len(result.err.strip().splitlines()) == 1 and not (tmp_path / "reports").exists()


def test_an_address_the_http_client_cannot_parse_exits_2_with_nothing_sent(cli) -> None:
    # A host name with a space passes the first check but not the HTTP client's own parser.
    result = cli("run", SAMPLES / "customers.csv", "--base-url", "https://shop example.com/api/v1", token="app_x")
    assert result.code == 2 and "is not a valid web address" in result.err


def test_token_never_appears_in_output_or_files(cli, tmp_path: Path) -> None:
    secret = "app_s3cret-token-value-9f8e7d"
    with SandboxServer(token=secret) as server:
        result = cli("run", SAMPLES / "customers.csv", "--base-url", server.base_url, "--concurrency", "3", token=secret)
    assert result.code == 1
    assert secret not in result.out + result.err
    for path in (tmp_path / "reports").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_sandbox_rehearsal_and_python_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "importer", "run", str(SAMPLES / "customers.xlsx"), "--sandbox", "--reports-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path and (folder / "created.csv").exists()
    assert "app_sandbox" not in done.stdout + done.stderr


@pytest.mark.parametrize("category, make_row", [
    ("valid", lambda i: [f"Customer {i}", f"c{i}@example.com"]),
    ("invalid", lambda i: [f"Customer {i}", f"c{i}.example.com"]),
])
def test_a_long_category_is_cut_in_the_workbook_but_whole_in_its_csv(cli, tmp_path: Path, category, make_row) -> None:
    limit = sheet_row_limit(Category(category))
    rows = [["name", "email"], *(make_row(i) for i in range(limit + 5))]
    result = cli("validate", write_csv(tmp_path / "long.csv", rows))
    assert result.summary["counts"][category] == limit + 5
    with (result.folder / f"{category}.csv").open(encoding="utf-8-sig") as f:
        assert sum(1 for _ in f) == limit + 6
    book = openpyxl.load_workbook(result.folder / "report.xlsx", read_only=True)
    sheet = list(book[category].iter_rows(values_only=True))
    assert len(sheet) == limit + 1 and sheet[-1][:2] == tuple(make_row(limit - 1))
    notes = [r[0] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]]
    assert f"the {category} sheet shows the first {limit:,} rows; {category}.csv has all" in notes


def test_a_dry_run_loads_no_http_client(tmp_path: Path) -> None:
    # A dry run never talks to a store, so it starts without pyreqwest and uvloop.
    script = (
        "import sys; from importer.cli import main; "
        f"code = main(['validate', {str(SAMPLES / 'customers.csv')!r}, '--reports-dir', {str(tmp_path)!r}, '-q']); "
        "print(code, sorted(m for m in ('pyreqwest', 'uvloop', 'httpx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "1 []"


@pytest.mark.parametrize(("domain", "loaded"), [("shop.example.com", False), ("bücher.example", True)])
def test_email_validator_loads_only_for_an_address_that_needs_it(tmp_path: Path, domain: str, loaded: bool) -> None:
    # Plain ASCII domains are checked without it: ~35 ms less start-up for most runs.
    path = write_csv(tmp_path / "p.csv", [["Name", "Email"], ["Ada Obi", f"ada@{domain}"], ["Bo Obi", f"bo@{domain}"]])
    script = (
        "import sys; from importer.cli import main; "
        f"code = main(['validate', {str(path)!r}, '--reports-dir', {str(tmp_path)!r}, '-q']); "
        "print(code, 'email_validator' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == f"0 {loaded}"
