"""Windows and macOS as well as Linux: the package installs there, and imports run there as here.

CI runs on Linux, so it proves what it can from here: pip resolves the built wheel's
dependencies for Windows and macOS wheels, and the import, Ctrl-C-and-resume and lock
tests run again in a Python that lacks what a Windows Python lacks (tests/windows).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from importer.pipeline import run_import
from importer.sandbox import SandboxServer

from ..conftest import ROOT
from .test_delivery import options, people, quiet

AS_ON_WINDOWS = ROOT / "tests" / "windows"  # its sitecustomize.py takes away what Windows lacks

# The marker environment of each platform a merchant installs on (PEP 508 names).
CPYTHON_311 = {"python_version": "3.11", "python_full_version": "3.11.0", "implementation_name": "cpython",
               "platform_python_implementation": "CPython"}
PLATFORMS = {
    "win_amd64": {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows", "platform_machine": "AMD64"},
    "macosx_11_0_arm64": {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin", "platform_machine": "arm64"},
    "macosx_12_0_x86_64": {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin", "platform_machine": "x86_64"},
}
# pip picks wheels for another platform with --platform, but evaluates environment markers
# (`uvloop; sys_platform != 'win32'`) for the Python running it, by design (pypa/pip#10050):
# from Linux it would ask for uvloop on Windows. So pip runs with the target's markers.
PIP_AS_ON = """
import json, sys
from pip._vendor.packaging import markers
here, target = markers.default_environment, json.loads(sys.argv[1])
markers.default_environment = lambda: {**here(), **target}
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


@dataclass(frozen=True)
class Resolution:
    code: int
    installed: set[str]  # distribution names, lower case
    errors: list[str]


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Resolution]:
    """What `pip install --dry-run` of the built wheel would install on each platform.

    This asks the package index (PyPI). With --dry-run pip reads only the index and the
    wheels' metadata, and the platforms are resolved side by side: a few seconds in all.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(ROOT / "importer", source / "importer", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work), str(source)], check=True, timeout=120, capture_output=True)
    (wheel,) = work.glob("*.whl")
    started = {}
    for platform, markers in PLATFORMS.items():
        report = work / f"{platform}.json"
        command = [sys.executable, "-c", PIP_AS_ON, json.dumps({**CPYTHON_311, **markers}),
                   "install", "--dry-run", "--quiet", "--report", str(report), "--target", str(work / platform),
                   "--platform", platform, "--python-version", "3.11", "--implementation", "cp", "--only-binary=:all:", str(wheel)]
        started[platform] = (report, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    done = {}
    for platform, (report, process) in started.items():
        _, err = process.communicate(timeout=120)
        installed = {i["metadata"]["name"].lower() for i in json.loads(report.read_text())["install"]} if report.exists() else set()
        done[platform] = Resolution(process.returncode, installed, [line for line in err.splitlines() if "ERROR" in line])
    return done


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_package_installs_from_its_wheel_on_windows_and_macos(resolved: dict[str, Resolution], platform: str) -> None:
    done = resolved[platform]
    assert done.code == 0, done.errors
    assert {"salesive-import", "pandas", "pyreqwest", "python-calamine", "filelock", "uvicorn", "httptools"} <= done.installed
    assert ("uvloop" in done.installed) is (platform != "win_amd64")  # Windows imports run on asyncio's own loop


def test_the_signal_handlers_in_place_before_an_import_are_back_after_it(sandbox: SandboxServer, tmp_path: Path) -> None:
    def mine(signum: int, frame: object) -> None:
        pass

    before = signal.signal(signal.SIGTERM, mine)
    try:
        result = run_import(options(people(tmp_path / "p.csv", 3), sandbox, tmp_path), sandbox.token, say=quiet)
        assert result.exit_code == 0 and sandbox.store.stats.creations == 3
        assert signal.getsignal(signal.SIGTERM) is mine and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)


def as_on_windows() -> dict[str, str]:
    """The environment of a process, and of every process it starts, that runs as on Windows."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(AS_ON_WINDOWS), os.environ.get("PYTHONPATH")]))}


def test_every_module_of_the_package_loads_without_what_windows_lacks() -> None:
    script = """
import asyncio, importlib, os, pkgutil, importer
for module in pkgutil.walk_packages(importer.__path__, "importer."):
    if module.name != "importer.__main__":  # that one runs the command
        importlib.import_module(module.name)
for name in ("fcntl", "uvloop"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
    else:
        raise SystemExit(name + " is importable")
loop = asyncio.new_event_loop()
try:
    loop.add_signal_handler(2, print)
except NotImplementedError:
    print("as on Windows:", hasattr(os, "fchmod"), hasattr(os, "getuid"))
"""
    done = subprocess.run([sys.executable, "-c", script], env=as_on_windows(), capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "as on Windows: False False"), done.stderr


# The import, Ctrl-C-and-resume and lock tests, with everything they start, as on Windows.
AGAIN_AS_ON_WINDOWS = (
    "tests/e2e/test_import.py::test_sample_imports_with_exact_counts_and_store_content",
    "tests/e2e/test_delivery.py::test_interrupted_run_reports_pending_rows_and_resumes",
    "tests/e2e/test_delivery.py::test_killed_run_resumes_without_creating_twice",
    "tests/e2e/test_delivery.py::test_a_second_run_of_the_same_import_is_refused",
    "tests/e2e/test_delivery.py::test_lock_exit_code_from_the_command_line",
    "tests/e2e/test_scheduled.py::test_expired_token_is_renewed_and_every_row_created_once",
    "tests/e2e/test_portable.py::test_the_signal_handlers_in_place_before_an_import_are_back_after_it",
)


def test_imports_interruptions_and_locks_work_as_on_windows(tmp_path: Path) -> None:
    # --basetemp: pytest's own default temporary folder is found with os.getuid on Linux
    command = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'tests'}", *AGAIN_AS_ON_WINDOWS]
    done = subprocess.run(command, cwd=ROOT, env=as_on_windows(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-4000:]
    assert f"{len(AGAIN_AS_ON_WINDOWS) + 1} passed" in done.stdout  # the sample import runs for its CSV and its workbook


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps a file name's bytes that are no UTF-8")
def test_a_file_name_that_is_no_utf8_gets_a_whole_report(make_sandbox, tmp_path: Path) -> None:
    """A list unzipped from an old Windows archive is named in its code page (`clients\\xe9.csv`): the import runs and
    its report names the file with a replacement character where the byte was."""
    named = Path(os.fsdecode(bytes(tmp_path) + b"/clients\xe9.csv"))
    people(tmp_path / "p.csv", 3).rename(named)
    server = make_sandbox()
    result = run_import(options(named, server, tmp_path), server.token, say=quiet)
    assert result.exit_code == 0 and result.summary["counts"]["created"] == 3
    assert json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))["input"].endswith("clients\ufffd.csv")
    assert (result.folder / "report.xlsx").stat().st_size > 0
