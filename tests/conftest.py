"""Shared fixtures and helpers of both suites: a real sandbox store on 127.0.0.1, the CLI run in-process, files and cells."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from importer.cli import main
from importer.sandbox import Faults, SandboxServer

ROOT = Path(__file__).resolve().parent.parent  # the project folder
SAMPLES = ROOT / "sample_data"


@pytest.fixture(autouse=True)
def created_rows_are_in_the_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """After every test that imports into a sandbox of its own process: each row a report files
    `created` is a customer that store holds, under that email (any case) and with that id. A test
    that empties a store by hand says so with `@pytest.mark.store_emptied`."""
    if request.node.get_closest_marker("store_emptied"):
        yield
        return
    servers: list[SandboxServer] = []
    started = SandboxServer.__init__

    def remember(server: SandboxServer, *args: object, **kwargs: object) -> None:
        started(server, *args, **kwargs)  # type: ignore[arg-type]
        servers.append(server)

    monkeypatch.setattr(SandboxServer, "__init__", remember)
    folder: Path | None = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if not servers or folder is None:
        return
    for path in folder.rglob("created.csv"):
        summary = path.parent / "summary.json"
        base_url = json.loads(summary.read_text(encoding="utf-8")).get("base_url") if summary.exists() else None
        stores = [s.store for s in servers if s.base_url == base_url]
        if not stores:  # a store in another process (a rehearsal run as a command)
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            email = max(i for i, name in enumerate(header) if name.endswith("sent_email"))  # the report's own come last
            key = max(i for i, name in enumerate(header) if name.endswith("customer_id"))
            for row in reader:
                held = [s.customers.get(row[key]) for s in stores]
                assert any(c is not None and str(c["email"]).casefold() == row[email].casefold() for c in held), (
                    f"{path} files {row[email]} as created with id {row[key]!r}, which the store does not hold under that email"
                )


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def make_sandbox() -> Iterator:
    """Start sandboxes with faults or scopes of a test's choosing; all stopped at the end."""
    started: list[SandboxServer] = []

    def start(faults: Faults | None = None, **kwargs: object) -> SandboxServer:
        server = SandboxServer(faults=faults, **kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    @property
    def folder(self) -> Path:
        """The run folder: the last line printed on stdout."""
        return Path(self.out.strip().splitlines()[-1])

    @property
    def summary(self) -> dict:
        return json.loads((self.folder / "summary.json").read_text(encoding="utf-8"))

    def rows(self, filename: str) -> list[dict[str, str]]:
        path = self.folder / filename
        if not path.exists():
            return []
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `salesive-import ARGS` in-process with reports under tmp_path."""
    monkeypatch.delenv("SALESIVE_TOKEN", raising=False)
    monkeypatch.delenv("SALESIVE_BASE_URL", raising=False)

    def run(*args: str, token: str | None = None, reports: bool = True) -> CliRun:
        if token is not None:
            monkeypatch.setenv("SALESIVE_TOKEN", token)
        argv = [str(a) for a in args]
        if reports and argv and argv[0] in ("run", "validate"):
            argv += ["--reports-dir", str(tmp_path / "reports"), "--no-progress"]
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def import_file(cli, server: SandboxServer, path: Path, *args: str):
    """`salesive-import run PATH` into the server's store, with its address and token."""
    return cli("run", path, "--base-url", server.base_url, *args, token=server.token)


def customers(server: SandboxServer) -> dict[str, dict]:
    """The sandbox store's customers by lower-cased email."""
    return {str(c["email"]).lower(): c for c in server.store.customers.values()}


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Rows written to a CSV file the way Excel ends its lines."""
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


# Cells that stand for no phone number, in the languages and programs merchants use.
PLACEHOLDERS = ["N/A", "n/a", "-", "—", "none", "TBC", "unknown", "0", "000-000", "k.A.", "brak", "нет", "なし", "#N/A", "?"]
