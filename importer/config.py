"""Options from a TOML file, for scheduled runs: `--config FILE`.

Any option of run/validate may be set there, under its long name (`base_url` or
`base-url`). The command line wins over the environment, which wins over the
file, which wins over the defaults. Relative paths are relative to the file. The
token itself is never read from the file: only `token_file`, a path.
"""

from __future__ import annotations

import os
from pathlib import Path
from dataclasses import dataclass
from typing import Any

from .errors import UsageError

PATH_KEYS = {"reports_dir", "token_file", "credentials_file", "log_file", "input", "summary_json"}
# Settings the environment can give; a set variable wins over the file (a token in SALESIVE_TOKEN over both the
# token file and the credentials file the file names).
ENVIRONMENT = {"base_url": ("SALESIVE_BASE_URL",), "token_file": ("SALESIVE_TOKEN",), "credentials_file": ("SALESIVE_TOKEN",)}


@dataclass(frozen=True)
class Setting:
    """What the command line accepts for one option: its type (bool for a flag) and its choices."""

    kind: type | None
    choices: tuple[str, ...] | None = None


def load_config(path: Path, allowed: dict[str, Setting]) -> dict[str, Any]:
    """The file's settings as option values, checked as the command line checks them (`allowed`: name -> Setting)."""
    import tomllib  # only a run with --config reads TOML

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad's BOM is no part of the settings
    except OSError as exc:
        raise UsageError(f"cannot read the config file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name in ("token", "access_token", "refresh_token"):
            raise UsageError(f"{path}: the token is never read from the config file; put it in a file named by token_file, or in SALESIVE_TOKEN")
        if name not in allowed:
            raise UsageError(f"{path}: unknown setting {key!r}; the settings are: {', '.join(sorted(allowed))}")
        if name in values:
            raise UsageError(f"{path}: {key!r} sets {name} a second time (its other spelling is there too); keep one")
        values[name] = _convert(path, key, value, allowed[name])
    for name, variables in ENVIRONMENT.items():
        if any(os.environ.get(v) for v in variables):
            values.pop(name, None)
    return values


def _convert(path: Path, key: str, value: Any, setting: Setting) -> Any:
    name, kind = key.replace("-", "_"), setting.kind
    if name == "map":
        if isinstance(value, dict):
            return [f"{field}={header}" for field, header in value.items()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise UsageError(f"{path}: {key} must be a table of field = \"header\" or a list of \"FIELD=HEADER\"")
    if name in PATH_KEYS:
        if not isinstance(value, str):
            raise UsageError(f"{path}: {key} must be a path in quotes")
        if name == "summary_json" and value == "-":
            return value
        return (path.parent / value).resolve() if not Path(value).is_absolute() else Path(value)
    if kind is bool and not isinstance(value, bool):
        raise UsageError(f"{path}: {key} must be true or false")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise UsageError(f"{path}: {key} must be a whole number, as on the command line")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise UsageError(f"{path}: {key} must be a number")
    if name in ("sheet", "table") and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a sheet or table by its position, as the command line takes it
    if kind is str and not isinstance(value, str):
        raise UsageError(f"{path}: {key} must be text in quotes")
    if setting.choices is not None and value not in setting.choices:
        raise UsageError(f"{path}: {key} = {value!r} is not one of {', '.join(map(repr, setting.choices))}")
    return float(value) if kind is float else value
