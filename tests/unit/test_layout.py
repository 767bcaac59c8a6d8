"""The package's layout: stages import only earlier stages, and no module grows past a size one can read.

Data flows read -> columns -> check -> send -> report. A stage may import an earlier one and
the shared base modules; a base module imports no stage, so that any stage may import it;
the modules at the top (the CLI, the options, the pipeline, the confirmation step, the configuration) and
the sandbox may import anything. Every import counts: at the top of a module, inside a
function, and under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[2] / "importer"
STAGES = ("read", "columns", "check", "send", "report")
BASE = ("errors", "outcomes", "private", "terminal")
# A module longer than this is due a split; the aim is well below it.
MAX_LINES = 350

def _modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that `name` imports, wherever in it the import stands."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            source = ".".join(part for part in (base, node.module or "") if part)
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)  # `from . import x`: a module x
    return {module for module in found if module in MODULES}


def _rank(module: str) -> int | None:
    """Where a module stands in the flow: the package itself (which every module loads first) and the base modules
    first, then each stage; None for the top, which may import anything."""
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in BASE):
        return 0
    if len(parts) >= 2 and parts[1] in STAGES:
        return 1 + STAGES.index(parts[1])
    return None


def _breaches() -> dict[str, str]:
    """Each import of a later stage by an earlier one (or of a stage by a base module), and each module over the bound, with what it is."""
    found = {}
    for name, path in MODULES.items():
        rank = _rank(name)
        for imported in sorted(_imports(name, path)):
            theirs = _rank(imported)
            if rank is not None and (theirs is None or theirs > rank):
                found[f"{name} imports {imported}"] = "a later stage" if theirs is not None else "the top of the package"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found[f"{name}: over the bound"] = f"{lines} lines, over {MAX_LINES}"
    return found


BREACHES = _breaches()


def test_every_stage_imports_only_earlier_stages_and_every_module_is_within_the_bound() -> None:
    broken = [f"{breach} ({what})" for breach, what in BREACHES.items()]
    assert not broken, "stage order or module size broken:\n" + "\n".join(broken)


def test_the_walk_sees_imports_inside_functions_and_under_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..check.rules import Checked\n"
        "def f():\n    from ..report import writer\n    import importer.send.retry\n",
        encoding="utf-8",
    )
    assert _imports("importer.columns.probe", source) == {"importer.check.rules", "importer.report.writer", "importer.report", "importer.send.retry"}
