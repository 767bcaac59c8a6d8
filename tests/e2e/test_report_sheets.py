"""A dry run whose CSV lines cannot be written stops with the exit code of a report that could not be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_machine import wide_rows


@pytest.mark.skipif(os.name != "posix", reason="a file size limit (RLIMIT_FSIZE)")
def test_a_dry_run_whose_csv_cannot_be_written_stops_with_exit_6(tmp_path: Path) -> None:
    import resource

    path = wide_rows(tmp_path / "wide.csv")
    limit = 2_000_000  # valid.csv grows past it; its lines are written on the report's own thread

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "importer", "validate", str(path), "--reports-dir", str(reports), "--no-progress"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=limited)
    assert done.returncode == 6, done.stderr
    assert "the report could not be written" in done.stderr and "Traceback" not in done.stderr
    (folder,) = reports.iterdir()
    assert json.loads((folder / "summary.json").read_text())["exit_code"] == 6
