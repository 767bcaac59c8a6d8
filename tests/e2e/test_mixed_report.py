"""A list as merchants have them (broken addresses, repeats, warnings, blank names, customers the store has,
cells a spreadsheet would run as formulas), in many small chunks: every report file is exactly the one
kept in tests/data/mixed, so nothing a script reads changes when the way rows are filed does.

The kept files were written by the importer itself from `mixed_rows`; SALESIVE_WRITE_EXPECTED=1 writes
them again (only when the report's format changes on purpose).
"""

from __future__ import annotations

import csv
import json
import os
import random
from pathlib import Path

import openpyxl
import pytest

from importer import pipeline
from importer.report import filing
from importer.sandbox import SandboxServer

from ..conftest import ROOT, customers

EXPECTED = ROOT / "tests" / "data" / "mixed"
CHUNK = 37  # rows a chunk: the list spans many chunks
HEADER = ["First Name", "Last Name", "Email", "Phone", "Active", "Notes"]
STORED = [f"stored{k}@example.com" for k in range(12)]  # customers the store has before the run
# Fields of the Summary sheet that differ from run to run.
VOLATILE = {"run_id", "input", "started_at", "finished_at"}


def mixed_rows(count: int = 420, seed: int = 26) -> list[list[str]]:
    """A deterministic list with every kind of row a real one has, spread through it."""
    rng = random.Random(seed)
    firsts = ["Ada", "José", "Łukasz", "李", "Zoë", "Ngozi", "Émile", "O'Brien", "Ærø", "Bo"]
    lasts = ["Obi", "Żółć", "Dvořák", "雷", "Müller", "Okafor", "Smith", "Nguyễn", "Li", "Ho"]
    notes = ["", "", "", "=SUM(A1:A2)", "+44 call", "-minus", "@home", "'quoted", "\tTab", "line\nbreak", "ok, fine", '"quoted"']
    emitted: list[str] = []
    rows: list[list[str]] = []
    for i in range(count):
        first, last = rng.choice(firsts), rng.choice(lasts)
        email = f"user{i}@shop{i % 7}.example.com"
        phone = rng.choice(["", f"+23480{i:08d}", f"080{i:08d}", f"(0{i % 10}) 555 {i:04d}"])
        active = rng.choice(["yes", "no", "", "TRUE", "inactive", "1"])
        note = rng.choice(notes)
        kind = rng.random()
        if kind < 0.06:
            email = rng.choice(["no-at-sign", "a@b", "x y@example.com", "", "a@@b.com", "two@a.com, three@b.com", "dot.@example.com", "user@-bad-.com"])
        elif kind < 0.12 and emitted:
            email = rng.choice([str.upper, str.lower, lambda e: f"  {e} "])(rng.choice(emitted))
        elif kind < 0.16:
            email = rng.choice(STORED).upper() if rng.random() < 0.5 else rng.choice(STORED)
        elif kind < 0.19:
            first, last = rng.choice([("", ""), (" ", ""), ("", "Solo")])
        elif kind < 0.22:
            email = rng.choice([f"mailto:{email}", f"{first} <{email}>", f"{email} ::: other{i}@example.com"])
        elif kind < 0.25:
            first = rng.choice(["Jose\u0301", "Ann  Marie", "Bad\x07Bell", "=HYPERLINK(\"x\")", "+Plus", "Ann ::: Anna"])
        elif kind < 0.27:
            phone = rng.choice(["2.35E+12", "1" * 40])
        elif kind < 0.29:
            active = rng.choice(["maybe", "İ"])
        rows.append([first, last, email, phone, active, note])
        emitted.append(email)
        if rng.random() < 0.02:
            rows.append(["", "", "", "", "", ""])  # a blank line: not a row, but the numbers after it count it
    return rows


def write_mixed(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *mixed_rows()])
    return path


def sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Every sheet of a report.xlsx in order, by its title and cell values (the Summary's run-specific values left out)."""
    book = openpyxl.load_workbook(path, read_only=True)
    found = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if sheet.title == "Summary":
            rows = [row for row in rows if not row or row[0] not in VOLATILE]
        found.append((sheet.title, rows))
    return found


def stable(text: str, ids: dict[str, str]) -> str:
    """A report's text with the store's customer ids (new each run) written as the email they belong to."""
    for email, customer_id in ids.items():
        text = text.replace(customer_id, f"<id of {email}>")
    return text


def compare(case: str, folder: Path, err: str, ids: dict[str, str]) -> None:
    """The run folder's CSVs byte for byte, its workbook cell by cell, its counts and verbose lines, against the kept ones."""
    expected = EXPECTED / case
    found = {p.name: stable(p.read_bytes().decode("utf-8"), ids) for p in sorted(folder.glob("*.csv"))}
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    facts = {"counts": summary["counts"], "rows": summary["rows"], "rows_with_warnings": summary["rows_with_warnings"], "exit_code": summary["exit_code"]}
    lines = [line for line in err.splitlines() if line.startswith("row ")]
    book = json.loads(stable(json.dumps(sheets(folder / "report.xlsx"), ensure_ascii=False), ids))
    if os.environ.get("SALESIVE_WRITE_EXPECTED") == "1":
        expected.mkdir(parents=True, exist_ok=True)
        for name, text in found.items():
            (expected / name).write_bytes(text.encode("utf-8"))
        (expected / "summary.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
        (expected / "verbose.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (expected / "report.json").write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert sorted(found) == sorted(p.name for p in expected.glob("*.csv"))
    for name, text in found.items():
        assert text.encode("utf-8") == (expected / name).read_bytes(), name
    assert facts == json.loads((expected / "summary.json").read_text(encoding="utf-8"))
    assert "\n".join(lines) + "\n" == (expected / "verbose.txt").read_text(encoding="utf-8")
    assert book == json.loads((expected / "report.json").read_text(encoding="utf-8"))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "DRY_CHUNK", CHUNK)
    monkeypatch.setattr(pipeline, "SEND_CHUNK", CHUNK)


@pytest.fixture
def stocked(sandbox: SandboxServer) -> SandboxServer:
    for k, email in enumerate(STORED):
        sandbox.store.create({"name": f"Stored {k}", "email": email})
    return sandbox


@pytest.mark.parametrize("gathered", [1, 5, filing.GATHER_ROWS])
def test_a_dry_run_of_a_mixed_list_writes_the_same_report(cli, small_chunks, stocked: SandboxServer, tmp_path: Path, monkeypatch, gathered: int) -> None:
    """Each category's small frames filed at once (1), gathered a few at a time (5), or all at the end."""
    monkeypatch.setattr(filing, "GATHER_ROWS", gathered)
    path = write_mixed(tmp_path / "mixed.csv")
    result = cli("validate", path, "-v", "--check-existing", "--base-url", stocked.base_url, token=stocked.token)
    assert result.code == 1
    assert stocked.store.stats.posts_per_email == {}
    compare("validate", result.folder, result.err, {e: str(c["_id"]) for e, c in customers(stocked).items()})


def test_a_dry_run_with_phone_warnings_writes_the_same_report(cli, small_chunks, tmp_path: Path) -> None:
    path = write_mixed(tmp_path / "mixed.csv")
    result = cli("validate", path, "--phone-region", "NG")
    assert result.code == 1
    compare("validate-region", result.folder, result.err, {})


def test_an_import_of_a_mixed_list_writes_the_same_report(cli, small_chunks, stocked: SandboxServer, tmp_path: Path) -> None:
    path = write_mixed(tmp_path / "mixed.csv")
    result = cli("run", path, "-v", "--concurrency", "1", "--base-url", stocked.base_url, token=stocked.token)
    assert result.code == 1
    compare("run", result.folder, result.err, {e: str(c["_id"]) for e, c in customers(stocked).items()})
