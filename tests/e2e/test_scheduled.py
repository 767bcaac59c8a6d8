"""Scheduled runs: a config file, no terminal, answers a script can read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importer.options import Options
from importer.pipeline import run_import
from importer.sandbox import SandboxServer

from ..conftest import SAMPLES


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_config_file_run_without_a_terminal(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text(sandbox.token)
    (tmp_path / "token.txt").chmod(0o600)
    config = write_config(
        tmp_path / "nightly.toml",
        f'input = "{SAMPLES / "customers.csv"}"\nbase_url = "{sandbox.base_url}"\ntoken_file = "token.txt"\n'
        'reports-dir = "runs"\nconcurrency = 4\n',
    )
    done = subprocess.run(
        [sys.executable, "-m", "importer", "run", "--config", str(config), "--summary-json", "-"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)  # stdout is exactly the one JSON document
    folder = Path(summary["run_folder"])
    assert folder.parent == tmp_path / "runs"  # relative to the config file
    assert summary["counts"]["created"] == 43 and summary["options"]["concurrency"] == 4
    assert summary["duration_s"] > 0 and summary["rows_per_s"] > 0 and summary["version"]
    assert "importing:" not in done.stderr and "\r" not in done.stderr  # no bar without a terminal
    assert sandbox.token not in done.stdout + done.stderr + (folder / "summary.json").read_text()


def test_command_line_beats_environment_beats_config(cli, make_sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_config, in_environment, on_command_line = make_sandbox(), make_sandbox(), make_sandbox()
    config = write_config(tmp_path / "c.toml", f'base_url = "{in_config.base_url}"\n')
    path = SAMPLES / "customers.csv"
    cli("run", path, "--config", config, token="app_sandbox")
    monkeypatch.setenv("SALESIVE_BASE_URL", in_environment.base_url)
    cli("run", path, "--config", config, token="app_sandbox")
    cli("run", path, "--config", config, "--base-url", on_command_line.base_url, token="app_sandbox")
    assert [len(s.store.customers) for s in (in_config, in_environment, on_command_line)] == [43, 43, 43]



def test_a_token_given_on_the_command_line_or_in_the_environment_beats_the_configs(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """The config names a stale credentials file and a stale token file; the night's token comes from --token-file,
    or from SALESIVE_TOKEN: that one is used, as the command line wins over the environment, which wins over the file."""
    stale = tmp_path / "stale.txt"
    stale.write_text("app_stale")
    good = tmp_path / "good.txt"
    good.write_text(sandbox.token)
    for path in (stale, good):
        path.chmod(0o600)
    (tmp_path / "creds.json").write_text(json.dumps({"access_token": "app_stale", "refresh_token": "r", "client_id": "c", "client_secret": "s"}))
    (tmp_path / "creds.json").chmod(0o600)
    for key, value in (("credentials_file", "creds.json"), ("token_file", "stale.txt")):
        config = write_config(tmp_path / f"{key}.toml", f'base_url = "{sandbox.base_url}"\n{key} = "{value}"\nreports_dir = "runs"\n')
        on_line = cli("validate", SAMPLES / "customers.csv", "--config", config, "--check-existing", "--token-file", good)
        from_env = cli("validate", SAMPLES / "customers.csv", "--config", config, "--check-existing", token=sandbox.token)
        assert on_line.code == 1 and from_env.code == 1, (key, on_line.err, from_env.err)

@pytest.mark.parametrize(
    "text, words",
    [
        ("concurency = 4\n", "unknown setting 'concurency'"),
        ('token = "app_x"\n', "never read from the config file"),
        ("concurrency = 'many'\n", "must be a whole number"),
        ("concurrency = [\n", "not valid TOML"),
        ('on_existing = "updates"\n', "is not one of 'skip', 'update'"),
        ("concurrency = 4.7\n", "must be a whole number"),
        ('reports_dir = "a"\nreports-dir = "b"\n', "'reports-dir' sets reports_dir a second time"),
    ],
)
def test_bad_config_exits_2_naming_the_problem(cli, tmp_path: Path, text: str, words: str) -> None:
    config = write_config(tmp_path / "bad.toml", text)
    result = cli("validate", SAMPLES / "customers.csv", "--config", config)
    assert result.code == 2 and words in result.err and "Traceback" not in result.err


def test_a_config_saved_by_notepad_with_a_sheet_by_position_is_read(cli, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Notes"])
    second = workbook.create_sheet("Customers")
    second.append(["Name", "Email"])
    second.append(["Ada Obi", "ada@example.com"])
    workbook.save(book)
    config = tmp_path / "nightly.toml"
    config.write_bytes(b"\xef\xbb\xbf" + f'input = "{book.name}"\r\nsheet = 2\r\n'.encode())
    result = cli("validate", "--config", config)
    assert result.code == 0, result.err
    assert result.summary["sheet"] == "Customers" and result.summary["counts"]["valid"] == 1

def test_log_lines_instead_of_a_bar(sandbox: SandboxServer, tmp_path: Path) -> None:
    lines: list[str] = []
    options = Options(input=SAMPLES / "customers.csv", base_url=sandbox.base_url, reports_dir=tmp_path, progress=False, log_interval=0.0)
    run_import(options, sandbox.token, say=lines.append)
    progress = [line for line in lines if "rows done" in line]
    assert progress and "rows/s" in progress[-1] and "created=" in progress[-1]


def test_quiet_prints_only_the_folder_and_verbose_every_row(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    quiet = cli("run", SAMPLES / "customers.csv", "-q", "--base-url", sandbox.base_url, token=sandbox.token)
    assert quiet.err == "" and quiet.out.strip() == str(quiet.folder)
    log = tmp_path / "import.log"
    verbose = cli("validate", SAMPLES / "customers.csv", "-v", "--log-file", log)
    assert verbose.err == ""
    text = log.read_text()
    assert "row 46: invalid (email-invalid) email: missing @" in text and text.count(": valid (valid)") == 43



def test_a_quiet_scheduled_run_logs_its_lines_and_the_error_that_stopped_it(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """The README's nightly line runs with -q and a log file: the log gets the run's lines, and a refused token's error."""
    log = tmp_path / "nightly.log"
    done = cli("run", SAMPLES / "customers.csv", "-q", "--log-file", log, "--base-url", sandbox.base_url, token=sandbox.token)
    assert done.code == 1 and done.err == "" and "Imported 50 rows" in log.read_text()
    refused = cli("run", SAMPLES / "customers.csv", "-q", "--log-file", log, "--base-url", sandbox.base_url, token="app_refused")
    assert refused.code == 3 and log.read_text().splitlines()[-1].endswith("error: " + refused.err.strip().removeprefix("salesive-import: error: "))


def test_a_token_file_others_can_read_is_warned_about(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_text(sandbox.token)
    token_file.chmod(0o644)
    result = cli("run", SAMPLES / "customers.csv", "--token-file", token_file, "--base-url", sandbox.base_url)
    assert result.code == 1 and "can be read by other users" in result.err
    assert sandbox.token not in result.err



def test_a_token_file_as_windows_tools_save_it_is_read(cli, make_sandbox, tmp_path: Path) -> None:
    """Notepad's BOM and CRLF, PowerShell's UTF-16: the token in them is the token."""
    for name, data in {"notepad": lambda t: b"\xef\xbb\xbf" + t.encode() + b"\r\n", "powershell": lambda t: (t + "\r\n").encode("utf-16")}.items():
        server = make_sandbox()
        token_file = tmp_path / f"{name}.txt"
        token_file.write_bytes(data(server.token))
        token_file.chmod(0o600)
        result = cli("run", SAMPLES / "customers.csv", "--token-file", token_file, "--base-url", server.base_url)
        assert result.code == 1 and result.summary["counts"]["created"] == 43, (name, result.err)


def test_a_token_with_more_than_the_token_stops_and_is_never_shown(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """A note under the token in its file, or a line break in SALESIVE_TOKEN: exit 2 before anything is read, one
    line that names where the token came from, and the token in no output."""
    token_file = tmp_path / "token.txt"
    token_file.write_text(f"{sandbox.token}\nrotated 2026-12-01\n")
    token_file.chmod(0o600)
    from_file = cli("run", SAMPLES / "customers.csv", "--token-file", token_file, "--base-url", sandbox.base_url)
    from_env = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, token=f"{sandbox.token}\nsecond line")
    for result, where in ((from_file, str(token_file)), (from_env, "SALESIVE_TOKEN")):
        assert result.code == 2 and where in result.err and "keep the token alone" in result.err, result.err
        assert sandbox.token not in result.err + result.out and len(result.err.strip().splitlines()) == 1
    assert sandbox.store.stats.posts_per_email == {}

def credentials_file(path: Path, server: SandboxServer, client) -> Path:
    path.write_text(json.dumps({"access_token": server.token, "refresh_token": client.refresh_token,
                                "client_id": client.client_id, "client_secret": client.client_secret}))
    path.chmod(0o600)
    return path


def test_expired_token_is_renewed_and_every_row_created_once(cli, make_sandbox, tmp_path: Path) -> None:
    from importer.sandbox import Faults

    server = make_sandbox(Faults(revoke_after=12))
    client = server.sandbox.add_oauth_client({"WRITE_CUSTOMERS"})
    old_refresh = client.refresh_token
    path = credentials_file(tmp_path / "credentials.json", server, client)
    result = cli("run", SAMPLES / "customers.csv", "--credentials-file", path, "--concurrency", "4", "--base-url", server.base_url)
    assert result.code == 1 and result.summary["counts"]["created"] == 43 and result.summary["counts"]["auth_failed"] == 0
    assert server.store.stats.creations == 43 and len(server.store.customers) == 43
    saved = json.loads(path.read_text())
    assert saved["access_token"] != server.token and saved["refresh_token"] == client.refresh_token != old_refresh
    assert server.store.scopes_of(saved["access_token"]) and (path.stat().st_mode & 0o777) == 0o600
    secrets = [server.token, saved["access_token"], old_refresh, saved["refresh_token"], client.client_secret]
    files = [p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    for secret in secrets:
        assert secret not in result.out + result.err and not any(secret in f for f in files)


def test_a_credentials_file_as_notepad_saves_it_is_read_and_a_damaged_one_is_one_line(cli, make_sandbox, tmp_path: Path) -> None:
    server = make_sandbox()
    client = server.sandbox.add_oauth_client({"WRITE_CUSTOMERS"})
    path = credentials_file(tmp_path / "credentials.json", server, client)
    path.write_bytes("\ufeff".encode() + path.read_bytes())  # Notepad's UTF-8 begins with a BOM
    saved = cli("run", SAMPLES / "customers.csv", "--credentials-file", path, "--base-url", server.base_url)
    assert saved.code == 1 and saved.summary["counts"]["created"] == 43, saved.err
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    damaged = cli("run", SAMPLES / "customers.csv", "--credentials-file", nested, "--base-url", server.base_url)
    assert damaged.code == 2 and damaged.err.strip() == f"salesive-import: error: the credentials file {nested} is not valid JSON"


def test_failed_renewal_ends_with_exit_3(cli, make_sandbox, tmp_path: Path) -> None:
    from importer.sandbox import Faults

    server = make_sandbox(Faults(revoke_after=5))
    client = server.sandbox.add_oauth_client({"WRITE_CUSTOMERS"})
    path = credentials_file(tmp_path / "credentials.json", server, client)
    client.client_secret = "rotated-elsewhere"
    result = cli("run", SAMPLES / "customers.csv", "--credentials-file", path, "--concurrency", "2", "--base-url", server.base_url)
    assert result.code == 3 and result.summary["counts"]["created"] == 5
    assert result.summary["counts"]["auth_failed"] == 38


def test_a_dry_run_keeps_the_input_order_in_verbose_lines_and_sheets(cli, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "mixed.csv"
    path.write_text("Name,Email\nAda,ada@example.com\nBo,not-an-email\nCy,cy@example.com\nAda again,ADA@example.com\nDi,di@example.com\n", encoding="utf-8")
    log = tmp_path / "check.log"
    result = cli("validate", path, "-v", "--log-file", log)
    assert result.code == 1
    rows = [line.split(" ", 1)[1].split(":")[0] for line in log.read_text().splitlines() if " row " in line]
    assert rows == ["row 2", "row 3", "row 4", "row 5", "row 6"]
    book = openpyxl.load_workbook(result.folder / "report.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", "valid", "invalid", "in_file_duplicates"]


def test_summary_json_on_stdout_is_one_document_naming_the_run_folder(cli, sandbox: SandboxServer) -> None:
    result = cli("run", SAMPLES / "customers.csv", "--summary-json", "-", "-q", "--base-url", sandbox.base_url, token=sandbox.token)
    summary = json.loads(result.out)
    assert summary["counts"]["created"] == 43 and result.code == 1
    assert json.loads((Path(summary["run_folder"]) / "summary.json").read_text(encoding="utf-8"))["counts"] == summary["counts"]


def test_a_relative_summary_json_in_a_config_file_is_relative_to_the_file(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "jobs").mkdir()
    config = write_config(tmp_path / "jobs" / "nightly.toml", f'base_url = "{sandbox.base_url}"\nsummary_json = "last.json"\n')
    result = cli("run", SAMPLES / "customers.csv", "--config", config, token=sandbox.token)
    assert result.code == 1
    assert json.loads((tmp_path / "jobs" / "last.json").read_text(encoding="utf-8"))["counts"]["created"] == 43


@pytest.mark.parametrize("option", ["--summary-json", "--log-file", "--reports-dir"])
def test_an_unwritable_output_path_exits_2_before_any_request(cli, sandbox: SandboxServer, tmp_path: Path, option: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, option, blocker / "missing" / "out", token=sandbox.token, reports=option != "--reports-dir")
    assert result.code == 2 and option in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert sandbox.store.stats.requests == 0


def test_an_unknown_phone_region_exits_2(cli, tmp_path: Path) -> None:
    result = cli("validate", SAMPLES / "customers.csv", "--phone-region", "Nigeria")
    assert result.code == 2 and "--phone-region 'Nigeria' is not a region code" in result.err


def test_rows_with_warnings_are_counted_and_mentioned(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Email,Phone\nAda,ada@example.com,08031234567\nBo,bo@example.com,12\n", encoding="utf-8")
    result = cli("validate", path, "--phone-region", "NG")
    assert result.code == 0 and result.summary["rows_with_warnings"] == 1
    assert "1 rows have warnings" in result.err.strip().splitlines()[-1]


@pytest.mark.parametrize("mapping", ['map = { name = "Who", email = "Reach at" }', 'map = ["name=Who", "email=Reach at"]'])
def test_a_config_file_maps_columns_as_map_does(sandbox: SandboxServer, tmp_path: Path, mapping: str) -> None:
    """`map` in a config file, as a table or as a list of FIELD=HEADER, chooses the columns the headers alone would not
    (they would take `Name` and `Email`, the shop's contact, for the customer's)."""
    data = tmp_path / "list.csv"
    data.write_text(
        "Name,Email,Who,Reach at\nCorner Shop,shop@example.com,Ada Obi,ada@example.com\nCorner Shop,shop@example.com,Bola Ade,bola@example.com\n",
        encoding="utf-8",
    )
    config = write_config(tmp_path / "nightly.toml", f'input = "{data}"\nbase_url = "{sandbox.base_url}"\n{mapping}\n')
    done = subprocess.run(
        [sys.executable, "-m", "importer", "run", "--config", str(config), "--summary-json", "-"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, env={**os.environ, "SALESIVE_TOKEN": sandbox.token},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["columns"] == {"name": "Who", "email": "Reach at"}
    assert sorted((c["name"], c["email"]) for c in sandbox.store.customers.values()) == [("Ada Obi", "ada@example.com"), ("Bola Ade", "bola@example.com")]


def test_a_run_that_stops_before_its_report_still_answers_summary_json(cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    """Last night's summary must not pass for tonight's: a refused token (exit 3) or a missing input (exit 2) writes
    --summary-json with the exit code, the error and no run folder; with `-`, stdout is that one document."""
    last = tmp_path / "last.json"
    last.write_text('{"exit_code": 0}\n')
    refused = cli("run", SAMPLES / "customers.csv", "--base-url", sandbox.base_url, "--summary-json", last, token="app_refused")
    assert refused.code == 3
    error = refused.err.strip().splitlines()[-1].removeprefix("salesive-import: error: ")
    assert json.loads(last.read_text()) == {"exit_code": 3, "error": error, "run_folder": None} and "rejected" in error
    missing = cli("run", tmp_path / "gone.csv", "--summary-json", "-", token=sandbox.token)
    assert missing.code == 2 and json.loads(missing.out)["exit_code"] == 2 and json.loads(missing.out)["run_folder"] is None


@pytest.mark.skipif(sys.platform == "win32", reason="closes a standard stream as a POSIX shell's >&- does")
@pytest.mark.parametrize("closed", [1, 2])
def test_a_stream_closed_before_the_run_changes_nothing(tmp_path: Path, closed: int) -> None:
    """`>&-` or `2>&-` in a cron line: the run does what it would have done, and exits with the code its rows earn."""
    clean = tmp_path / "clean.csv"
    clean.write_text("Name,Email\nAda Obi,ada@example.com\nBo Li,bo@example.com\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "importer", "validate", str(clean), "--reports-dir", str(tmp_path / "runs")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: os.close(closed), timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0
    summaries = list((tmp_path / "runs").glob("*/summary.json"))
    assert len(summaries) == 1 and json.loads(summaries[0].read_text())["counts"]["valid"] == 2
