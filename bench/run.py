"""Measure the importer against the local sandbox: throughput, client CPU, memory, dry-run speed.

    python bench/run.py            # the full table (a few minutes)
    python bench/run.py --quick    # smaller inputs
    python bench/run.py --repeat 1 # each 50 ms import, start-up and validate row once (default: the median of 3)
    python bench/run.py --only import,validate   # some parts: import, floor, apart, startup, naive, bulk, validate, waits, nightly
    python bench/run.py --only nightly --nightly-rows 1000   # the nightly case, smaller

Starts the sandbox as its own process (so its CPU is not counted), writes the
inputs to a temporary folder, runs the real CLI as a subprocess and reads its
CPU time and peak memory from the operating system. The processes run as on a
merchant's machine, with Python's bytecode cache on (a warm-up run fills it), even
where the environment sets PYTHONDONTWRITEBYTECODE. Only 127.0.0.1; every loop is
bounded by its row count.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

LATENCY_MS = 50
# "apart": the sandbox on one core and the client on the other, as a store runs on a
# machine of its own (Linux); otherwise both go wherever the OS puts them.
SANDBOX_CORE, CLIENT_CORE = 1, 0


def on_core(core: int | None):  # type: ignore[no-untyped-def]
    """For Popen's preexec_fn: keep the process, and every thread it starts, on one core (None: anywhere)."""
    return None if core is None else lambda: os.sched_setaffinity(0, {core})


# A real list: one row in twenty broken or repeated (two broken addresses for three repeats),
# spread through the file evenly ("even") or at random ("random"); None: every row valid and distinct.
MIXES = (None, "even", "random")
BROKEN = ("user{i}.shop{d}.example.com", "user{i}@shop{d}", "user {i}@shop{d}.example.com", "user{i}@@shop{d}.example.com")


def faults(count: int, mix: str | None) -> dict[int, str | int]:
    """Which rows of a list of `count` are not clean: "broken" (an address that is not one), or the row
    (never itself faulty) whose address they repeat, in another case."""
    import random

    rng = random.Random(26)
    if mix == "even":
        draws = {i: "broken" if (i // 20) % 5 < 2 else "repeat" for i in range(19, count, 20)}
    elif mix == "random":
        draws = {i: "broken" if r < 0.02 else "repeat" for i in range(1, count) if (r := rng.random()) < 0.05}
    else:
        draws = {}
    found: dict[int, str | int] = {}
    for i, fault in draws.items():
        target = rng.randrange(i)
        while target in draws:
            target -= 1
        found[i] = fault if fault == "broken" else target
    return found


def email_of(i: int, fault: str | int | None, domain: str) -> str:
    """Row `i`'s address: its own, a broken one, or the address of the row it repeats."""
    if fault == "broken":
        return BROKEN[i % len(BROKEN)].format(i=i, d=i % 3000)
    return f"user{i if fault is None else fault}@{domain}"


def expected(count: int, mix: str | None) -> dict[str, int]:
    """The counts a dry run of that list gives."""
    found = faults(count, mix)
    broken = sum(1 for f in found.values() if f == "broken")
    return {"valid": count - len(found), "invalid": broken, "in_file_duplicate": len(found) - broken}


def write_people(path: Path, count: int, mix: str | None = None, changed_every: int = 0) -> Path:
    """`count` customers (see `faults` for `mix`); with `changed_every`, every such row has another phone (the next night's export)."""
    domains = [f"shop{i}.example.com" for i in range(3000)] + ["gmail.com", "yahoo.com", "outlook.com"]
    found = faults(count, mix)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["First Name", "Last Name", "Email", "Phone", "Active"])
        for i in range(count):
            fault = found.get(i)
            domain = domains[(fault if isinstance(fault, int) else i) % len(domains)]
            phone = f"+44790{i:08d}" if changed_every and i % changed_every == 0 else f"+23480{i:08d}"
            writer.writerow(["Ada", f"Person{i}", email_of(i, fault, domain), phone, "yes"])
    return path


def write_workbook(path: Path, count: int, mix: str | None = None) -> Path:
    """A workbook whose phones are numbers shown through a `+0` number format, as Excel keeps them when typed."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    found = faults(count, mix)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(["First Name", "Last Name", "Email", "Phone", "Active"])
    for i in range(count):
        fault = found.get(i)
        phone = WriteOnlyCell(sheet, value=2348000000000 + i)
        phone.number_format = "+0"
        domain = f"shop{(fault if isinstance(fault, int) else i) % 3000}.example.com"
        sheet.append(["Ada", f"Person{i}", email_of(i, fault, domain), phone, True])
    book.save(path)
    return path


class Sandbox:
    """`salesive-import sandbox` in its own process, on a free port."""

    def __init__(self, latency_ms: float, core: int | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "importer", "sandbox", "--port", "0", "--latency-ms", str(latency_ms)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, preexec_fn=on_core(core),
        )
        self.base_url = self.process.stdout.readline().strip()
        self.origin = self.base_url.removesuffix("/api/v1")

    def stats(self) -> dict:
        return httpx.get(self.origin + "/__sandbox/stats").json()

    def close(self) -> float:
        """Stop it; its CPU seconds (to show the server was not what limited a run)."""
        self.process.terminate()
        _, _, usage = os.wait4(self.process.pid, 0)
        return usage.ru_utime + usage.ru_stime


def in_fresh_process(function, *args):  # type: ignore[no-untyped-def]
    """Run a memory-hungry helper (pandas, a large workbook) in an interpreter of its own.

    A process started from this one inherits its peak RSS (Linux keeps the high-water
    mark of the image it forked from across exec), so the importer's figures would
    show the benchmark's own memory if this process grew.
    """
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def measure(command: list[str], env: dict[str, str], core: int | None = None) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak RSS in MB and exit code of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=on_core(core))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_cli(args: list[str], env: dict[str, str], core: int | None = None) -> tuple[float, float, float, int]:
    """`measure` of one run of the command, as a merchant would type it."""
    return measure([sys.executable, "-m", "importer", *args, "--no-progress"], env, core)


def naive_loop(path: Path, base_url: str, token: str, limit: int) -> float:
    """A plain sequential pandas + HTTP loop, rows per second (the baseline)."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, nrows=limit)
    started = time.perf_counter()
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for row in frame.itertuples(index=False):
            http.post("/customers", json={"name": f"{row[0]} {row[1]}", "email": "naive." + row[2], "phone": row[3], "active": True})
    return len(frame) / (time.perf_counter() - started)


def sent(label: str, rows: int, concurrency: int, latency_ms: float, repeat: int, command, apart: bool = False, created: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run `command(base_url, core)` against a fresh sandbox `repeat` times; print the run of median wall time, with the range of the share of the bound.

    Every run must create `created` customers (all `rows` when not given; the rest are the file's
    broken rows and repeats, which make the run exit 1), and the share of the bound counts those requests. The median keeps one busy moment of
    a shared machine from deciding the figure; the range shows how much runs vary.
    `apart`: the sandbox and the client each on a core of their own.
    """
    created = rows if created is None else created
    runs = []
    for _ in range(repeat):
        sandbox = Sandbox(latency_ms, SANDBOX_CORE if apart else None)
        try:
            wall, cpu, rss, code = command(sandbox.base_url, CLIENT_CORE if apart else None)
            assert code == (0 if created == rows else 1) and sandbox.stats()["creations"] == created, code
        finally:
            server_cpu = sandbox.close()
        runs.append((wall, cpu, rss, server_cpu))
    runs.sort()
    wall, cpu, rss, server_cpu = runs[len(runs) // 2]
    share = ""
    if latency_ms:
        bound = concurrency / (latency_ms / 1000)
        share = f"{created / wall / bound:.2f}"
        if repeat > 1:
            share += f" ({created / runs[-1][0] / bound:.2f}-{created / runs[0][0] / bound:.2f})"
    label += ", sandbox on a core of its own" if apart else ""
    print(f"| {label} | {rows:,} | {rows / wall:,.0f} | {share} | {cpu / rows * 1e6:,.0f} | {rss:.0f} | {server_cpu / rows * 1e6:,.0f} |", flush=True)


FLOORS = {"pyreqwest": "bare pyreqwest POST loop", "httpx": "bare httpx POST loop over pyreqwest's transport"}


def floor_at(rows: int, concurrency: int, latency_ms: float, repeat: int, apart: bool = False) -> None:
    """Each bare loop of bench/floor.py in its own process, measured like the importer."""
    for client, label in FLOORS.items():
        def command(base_url: str, core: int | None, client: str = client) -> tuple[float, float, float, int]:
            floor = Path(__file__).with_name("floor.py")
            return measure([sys.executable, str(floor), client, base_url, "app_sandbox", str(concurrency), str(rows)], dict(os.environ), core)

        sent(f"floor: {label}, C={concurrency}, {latency_ms:g} ms", rows, concurrency, latency_ms, repeat, command, apart)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="import,floor,apart,startup,naive,bulk,validate,waits,nightly", help="comma-separated parts to run")
    parser.add_argument("--nightly-rows", type=int, help="customers the store has before the nightly run (default 100,000; 10,000 with --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each 50 ms import, floor, start-up and validate row (the median is shown)")
    options = parser.parse_args()
    if not hasattr(os, "wait4"):  # the figures are each process's own CPU and peak memory
        sys.exit("the benchmark measures its processes with os.wait4, which Linux and macOS have and Windows does not")
    parts = set(options.only.split(","))
    rows = 1000 if options.quick else 5000
    dry_rows = 100_000 if options.quick else 1_000_000
    xlsx_rows = 20_000 if options.quick else 200_000
    big_rows = 20_000 if options.quick else 200_000

    work = Path(tempfile.mkdtemp(prefix="salesive-bench-"))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # for every process started below
    env = {**os.environ, "SALESIVE_TOKEN": "app_sandbox"}
    subprocess.run([sys.executable, "-c", "import importer.cli, importer.send.client, importer.sandbox"], env=env, check=True)  # fills the cache
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    print("| measure | rows | rows/s | of bound | client CPU µs/row | peak RSS MB | sandbox CPU µs/row |")
    print("|---|---|---|---|---|---|---|")
    for concurrency in (8, 32, 64) if "import" in parts else ():
        for mix in MIXES:
            import_at(work / f"c{concurrency}.csv", rows, concurrency, LATENCY_MS, env, options.repeat, mix=mix)
    for concurrency in (32, 64) if "floor" in parts else ():
        floor_at(rows, concurrency, LATENCY_MS, options.repeat)
    if "apart" in parts and hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:  # Linux, 2 cores or more
        for concurrency in (8, 32, 64):
            import_at(work / f"c{concurrency}.csv", rows, concurrency, LATENCY_MS, env, options.repeat, apart=True)
        for concurrency in (32, 64):
            floor_at(rows, concurrency, LATENCY_MS, options.repeat, apart=True)
    if "startup" in parts:
        startup(work / "one.csv", env, options.repeat)
    if "naive" in parts:
        naive_table(work / "naive.csv")
    if "bulk" in parts:
        import_at(work / "big.csv", big_rows, 32, 0, env)
    if "validate" in parts:
        validate(work, dry_rows, xlsx_rows, env, options.repeat)
    if "waits" in parts:
        waits(work, dry_rows, env, options.repeat)
    if "nightly" in parts:
        nightly(work, options.nightly_rows or (10_000 if options.quick else 100_000), env)


def naive_table(path: Path) -> None:
    sandbox = Sandbox(LATENCY_MS)
    try:
        naive = in_fresh_process(naive_loop, write_people(path, 100), sandbox.base_url, "app_sandbox", 100)
        print(f"| naive sequential pandas + HTTP loop, {LATENCY_MS} ms | 100 | {naive:,.1f} | {naive / (1 / (LATENCY_MS / 1000)):.2f} of C=1 | | | |", flush=True)
    finally:
        sandbox.close()


def import_at(path: Path, rows: int, concurrency: int, latency_ms: float, env: dict[str, str], repeat: int = 1, apart: bool = False, mix: str | None = None) -> None:
    """Real imports of a list of `rows` (`mix`: see MIXES); every valid row must be created."""
    write_people(path, rows, mix)

    def command(base_url: str, core: int | None) -> tuple[float, float, float, int]:
        return run_cli(["run", str(path), "--base-url", base_url, "--concurrency", str(concurrency), "--reports-dir", str(path.parent / "reports")], env, core)

    sent(f"import, C={concurrency}, {latency_ms:g} ms latency{described(mix)}", rows, concurrency, latency_ms, repeat, command, apart, expected(rows, mix)["valid"])


def nightly(work: Path, known: int, env: dict[str, str]) -> None:
    """The next night's run of a growing export: `known` customers in the store, 1% new rows and 1% changed phones.

    With the store's ledger (`--on-existing update`: the new rows POSTed, the changed
    ones PUT, the rest not sent), beside the same file sent as before the ledger
    (`--ignore-ledger`: every row POSTed; each known row answered duplicate), each
    against a store of its own that the first night's file was imported into. The
    `--ignore-ledger` run leaves out `--on-existing update`: with it, each known row
    would also cost a lookup and a PUT, and the sandbox's search reads its whole
    store each time.
    """
    new = changed = max(known // 100, 1)
    first, second = write_people(work / "night1.csv", known), write_people(work / "night2.csv", known + new, changed_every=known // changed)
    print(f"| nightly: {known:,} known, {new:,} new, {changed:,} changed | requests | wall s | counts |")
    print("|---|---|---|---|")
    for number, (label, options) in enumerate((("store's ledger, --on-existing update", ["--on-existing", "update"]), ("every row sent (--ignore-ledger)", ["--ignore-ledger"]))):
        sandbox = Sandbox(LATENCY_MS)
        reports = work / f"nightly-{number}"
        try:
            common = ["--base-url", sandbox.base_url, "--concurrency", "64", "--reports-dir", str(reports)]
            assert run_cli(["run", str(first), *common], env)[3] == 0
            before = sandbox.stats()["requests"]
            wall, _, _, code = run_cli(["run", str(second), *common, *options, "--summary-json", str(work / "nightly.json")], env)
            assert code == 0, code
            counts = {k: v for k, v in json.loads((work / "nightly.json").read_text())["counts"].items() if v}
            print(f"| {label}, C=64, {LATENCY_MS} ms | {sandbox.stats()['requests'] - before:,} | {wall:.1f} | {counts} |", flush=True)
        finally:
            sandbox.close()


def startup(path: Path, env: dict[str, str], repeat: int) -> None:
    """What every run pays before its rows: an import of one row, and loading Python with the HTTP stack alone (each the median of `repeat` runs)."""
    write_people(path, 1)
    runs = []
    for _ in range(repeat):
        sandbox = Sandbox(LATENCY_MS)  # on a port of its own: a new import each time, not a resumed one
        try:
            wall, cpu, rss, code = run_cli(["run", str(path), "--base-url", sandbox.base_url, "--reports-dir", str(path.parent / "reports")], env)
            assert code == 0 and sandbox.stats()["creations"] == 1, code
        finally:
            sandbox.close()
        runs.append((wall, cpu, rss))
    wall, cpu, rss = sorted(runs)[repeat // 2]
    print(f"| start-up: import of 1 row, {LATENCY_MS} ms latency | 1 | ({wall:.2f} s) | | {cpu * 1e6:,.0f} | {rss:.0f} | |", flush=True)
    wall, cpu, rss, code = sorted(measure([sys.executable, "-c", "import httpx, pyreqwest.client, uvloop"], env) for _ in range(repeat))[repeat // 2]
    print(f"| start-up: Python loading httpx, pyreqwest and uvloop, nothing else | | ({wall:.2f} s) | | {cpu * 1e6:,.0f} | {rss:.0f} | |", flush=True)


def validate(work: Path, dry_rows: int, xlsx_rows: int, env: dict[str, str], repeat: int = 1) -> None:
    """The dry runs of the clean list and of the real ones (MIXES), alternating, each the median of `repeat`;
    the CSV beside its floor: pandas alone reading the same file the way the importer does."""
    for kind, rows in (("csv", dry_rows), ("xlsx", xlsx_rows)):
        paths = {mix: write_people(work / f"dry-{mix}.csv", rows, mix) if kind == "csv" else in_fresh_process(write_workbook, work / f"dry-{mix}.xlsx", rows, mix) for mix in MIXES}
        runs: dict[str | None, list[tuple[float, float, float]]] = {mix: [] for mix in MIXES}
        for turn in range(repeat):
            for mix, path in paths.items():
                reports = work / f"{kind}-{mix}-{turn}-reports"
                wall, cpu, rss, code = run_cli(["validate", str(path), "--reports-dir", str(reports)], env)
                assert code == (0 if mix is None else 1) and checked(reports, rows, mix, kind), code
                runs[mix].append((wall, cpu, rss))
        for mix in MIXES:
            wall, cpu, rss = sorted(runs[mix])[repeat // 2]
            label = "validate CSV" if kind == "csv" else "validate XLSX, phones as numbers under a +0 format"
            print(f"| {label}{described(mix)} | {rows:,} | {rows / wall:,.0f} ({wall:.1f} s) | | {cpu / rows * 1e6:,.0f} | {rss:.0f} | |", flush=True)
        if kind == "csv":
            wall, cpu, rss, code = measure([sys.executable, "-c", READ_CSV, str(paths[None])], env)
            assert code == 0, code
            print(f"| floor: pandas reading that CSV in the same chunks, alone | {rows:,} | {rows / wall:,.0f} ({wall:.1f} s) | | {cpu / rows * 1e6:,.0f} | {rss:.0f} | |", flush=True)


def waits(work: Path, rows: int, env: dict[str, str], repeat: int) -> None:
    """How long an import keeps the merchant waiting before it starts: `run` in a terminal until its question, beside
    the dry run of the same list; `run` without one (a scheduled run) until its first request reaches the store, beside
    pandas alone reading the file once. Each the median of `repeat`, the four alternating, for the clean list and a real one."""
    for mix in (None, "even"):
        path = write_people(work / f"wait-{mix}.csv", rows, mix)
        runs: dict[str, list[float]] = {"dry": [], "question": [], "read": [], "request": []}
        for turn in range(repeat):
            wall, _, _, code = run_cli(["validate", str(path), "--reports-dir", str(work / f"wait-{mix}-{turn}")], env)
            assert code == (0 if mix is None else 1), code
            runs["dry"].append(wall)
            runs["question"].append(asked_after(path, work / f"wait-{mix}-{turn}-asked", env))
            runs["read"].append(measure([sys.executable, "-c", READ_CSV, str(path)], env)[0])
            runs["request"].append(first_request_after(path, work / f"wait-{mix}-{turn}-sent", env))
        dry, question, read, request = (sorted(runs[k])[repeat // 2] for k in ("dry", "question", "read", "request"))
        print(f"| wait: `run` in a terminal, until its question{described(mix)} | {rows:,} | ({question:.1f} s) | {question / dry:.2f} of the dry run ({dry:.1f} s) | | | |", flush=True)
        print(f"| wait: `run` without a terminal, until its first request{described(mix)} | {rows:,} | ({request:.1f} s) | {request / read:.2f} of one read ({read:.1f} s) | | | |", flush=True)


def asked_after(path: Path, reports: Path, env: dict[str, str]) -> float:
    """Seconds from the start of `run` in a terminal (a pseudo-terminal) to its question, answered no (nothing is sent)."""
    import pty
    import select

    sandbox = Sandbox(LATENCY_MS)
    terminal, its_end = pty.openpty()
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "importer", "run", str(path), "--base-url", sandbox.base_url, "--reports-dir", str(reports)],
            env=env, stdin=its_end, stdout=its_end, stderr=its_end,
        )
        shown = b""
        while b"[y/N]" not in shown and time.perf_counter() - started < 600 and process.poll() is None:
            if select.select([terminal], [], [], 0.5)[0]:
                shown = (shown + os.read(terminal, 1 << 16))[-4096:]  # the progress bar draws meanwhile: read it all
        asked = time.perf_counter() - started
        os.write(terminal, b"n\n")
        process.wait(60)
        assert b"[y/N]" in shown and sandbox.stats()["requests"] == 0, shown[-300:]
        return asked
    finally:
        os.close(terminal)
        os.close(its_end)
        sandbox.close()


def first_request_after(path: Path, reports: Path, env: dict[str, str]) -> float:
    """Seconds from the start of `run` with no terminal to the first request the store receives (then the run is killed)."""
    sandbox = Sandbox(LATENCY_MS)
    try:
        started = time.time()
        process = subprocess.Popen(
            [sys.executable, "-m", "importer", "run", str(path), "--base-url", sandbox.base_url, "--reports-dir", str(reports), "--no-progress"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        first = None
        while first is None and time.time() - started < 600 and process.poll() is None:
            time.sleep(0.02)
            first = httpx.get(sandbox.origin + "/__sandbox/stats").json()["first_post_at"]
        process.kill()
        process.wait(60)
        assert first is not None
        return float(first) - started
    finally:
        sandbox.close()


def described(mix: str | None) -> str:
    """A workload as the table names it."""
    return "" if mix is None else f", one row in twenty broken or repeated ({mix}ly spread)" if mix == "even" else f", one row in twenty broken or repeated (at {mix})"


def checked(reports: Path, rows: int, mix: str | None, kind: str) -> bool:
    """Whether a dry run counted what the list holds and would send every valid row's phone as Excel shows it
    (the report's cell starts with Excel's text mark)."""
    (folder,) = reports.iterdir()
    counts = {k: v for k, v in json.loads((folder / "summary.json").read_text(encoding="utf-8"))["counts"].items() if v}
    want = {k: v for k, v in expected(rows, mix).items() if v}
    valid = [i for i in (0, rows - 1, rows - 2, rows - 3) if i not in faults(rows, mix)]
    phone = (lambda i: f"'+23480{i:08d}") if kind == "csv" else (lambda i: f"'+{2348000000000 + i}")
    return counts == want and sent_phones(reports, want["valid"]) == (phone(valid[0]), phone(valid[1]))


# pandas alone, reading a CSV as the importer does: every cell as text, in chunks.
READ_CSV = """
import sys, pandas as pd
from importer.table import DRY_CHUNK
for frame in pd.read_csv(sys.argv[1], header=None, dtype="string[pyarrow]", keep_default_na=False, na_filter=False, chunksize=DRY_CHUNK):
    pass
"""


def sent_phones(reports: Path, rows: int) -> tuple[str, str]:
    """The first and last phone a dry run's valid.csv says would be sent (all `rows` of them valid)."""
    (folder,) = reports.iterdir()
    count, first, last = 0, "", ""
    with (folder / "valid.csv").open(encoding="utf-8-sig", newline="") as f:
        for line in csv.DictReader(f):  # streamed: this process's peak memory is inherited by the processes it starts
            count, last = count + 1, line["sent_phone"]
            first = first or last
    assert count == rows
    return first, last


if __name__ == "__main__":
    main()
