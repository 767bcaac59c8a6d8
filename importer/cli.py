"""The `salesive-import` command: parse options, call the pipeline, map errors to exit codes.

Nothing else lives here; every behaviour is in a module usable without the CLI.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .columns.column_map import parse_overrides
from .config import load_config
from .confirm import confirm, in_terminal
from .errors import ExitCode, ImporterError, TokenError, UsageError
from .flags import flags_of
from .options import DEFAULT_BASE_URL, Options, one_spelling
from .pipeline import run_import
from .private import POSIX_MODES, check_file, check_folder, open_text, write_text
from .read.snapshot import read_once
from .send.credentials import Credentials
from .send.retry import RetryPolicy
from .terminal import courteous_streams


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser, and the run/validate sub-parsers (a config file sets their defaults)."""
    parser = argparse.ArgumentParser(
        prog="salesive-import", description="Import a customer spreadsheet into a Salesive store."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    imports: dict[str, argparse.ArgumentParser] = {}

    for name, helptext in (
        ("run", "import every row of INPUT into the store"),
        ("validate", "check INPUT and write the report without sending anything (no token needed)"),
    ):
        sub = imports[name] = commands.add_parser(name, help=helptext, description=helptext)
        for flag in flags_of(name):
            flag.add_to(sub)
        sub.set_defaults(handler=command_import, validate_only=name == "validate")

    sandbox = commands.add_parser("sandbox", help="serve a local Salesive-compatible API", description="Serve a local Salesive-compatible API.")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8787)
    sandbox.add_argument("--token", help="the app token it accepts (default app_sandbox)")
    sandbox.add_argument("--scopes", help="comma-separated scopes of that token (default WRITE_CUSTOMERS)")
    sandbox.add_argument("--latency-ms", type=float, default=0.0, help="delay before each API answer")
    sandbox.add_argument("--duplicate-status", type=int, choices=(409, 400), default=409, help="status of the duplicate-email answer")
    sandbox.add_argument("--error-rate", type=float, default=0.0, help="share of API requests answered 503")
    sandbox.add_argument("--throttle-rate", type=float, default=0.0, help="share of API requests answered 429")
    sandbox.add_argument("--retry-after", type=float, default=1.0, help="Retry-After seconds sent with 429")
    sandbox.add_argument("--drop-before-rate", type=float, default=0.0, help="share of creates whose connection drops before storing")
    sandbox.add_argument("--drop-after-rate", type=float, default=0.0, help="share of creates whose connection drops after storing")
    sandbox.add_argument("--revoke-after", type=int, help="revoke the token after N creations")
    sandbox.add_argument("--redirect-to", metavar="URL", help="answer every API request with a 301 to URL (a wrong --base-url)")
    sandbox.add_argument("--seed", type=int, default=0, help="seed of the fault draws")
    sandbox.set_defaults(handler=command_sandbox)
    return parser, imports


def config_defaults(command: str, sub: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Let `--config FILE` set the defaults of run/validate, so the command line still wins."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config", type=Path)
    known, _ = pre.parse_known_args(argv)
    if known.config is None:
        return
    allowed = {flag.dest: flag.setting for flag in flags_of(command) if flag.dest != "config"}
    settings = load_config(known.config, allowed)
    sub.set_defaults(**settings, from_config=frozenset(settings))


def token_sources(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """The token file and credentials file a run takes its token from: a token file given on the command line wins
    over a credentials file the config names (SALESIVE_TOKEN wins over both of the config's: config.ENVIRONMENT)."""
    from_config: frozenset[str] = getattr(args, "from_config", frozenset())
    if "credentials_file" in from_config and args.token_file is not None and "token_file" not in from_config:
        return args.token_file, None
    return args.token_file, args.credentials_file


def read_token(token_file: Path | None) -> str | None:
    """The token from --token-file, else from SALESIVE_TOKEN; None when neither is set.

    A file as Windows tools save one is read: with a BOM (Notepad), or in UTF-16 (PowerShell's `>`). A token is one
    word: one holding a line break or a space (a note written under it) stops the run, never shown."""
    if token_file is not None:
        try:
            raw = token_file.read_bytes()
        except OSError as exc:
            raise TokenError(f"cannot read the token file {token_file}: {exc.strerror}") from None
        try:
            token = raw.decode("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig").strip()
        except UnicodeDecodeError:
            raise TokenError(f"the token file {token_file} is not text; save the token alone in it") from None
        if not token:
            raise TokenError(f"the token file {token_file} is empty")
        if POSIX_MODES and token_file.stat().st_mode & 0o077:  # Windows shows every file as 0666: no modes to warn about
            print(f"salesive-import: warning: {token_file} can be read by other users; chmod 600 it", file=sys.stderr)
        return _one_word(token, f"the token file {token_file}")
    token = os.environ.get("SALESIVE_TOKEN", "").strip()
    return _one_word(token, "SALESIVE_TOKEN") if token else None


def _one_word(token: str, where: str) -> str:
    """The token, when it is one word of printable characters; else a TokenError that names where it came from only."""
    if not token.isprintable() or any(c.isspace() for c in token):
        raise TokenError(f"{where} holds more than the token (a line break or a space); keep the token alone in it")
    return token


def log_to(log_file: Path | None, quiet: bool) -> Callable[[str], None]:
    """Where messages go: stderr (nowhere with -q), or appended with a timestamp to --log-file, which -q does not
    silence: a scheduled run's log is where its lines are read."""
    if log_file is None:
        return (lambda message: None) if quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    failed = False

    def append(message: str) -> None:
        """A line the log cannot take (a full disk) is dropped: the import goes on; stderr is told once."""
        nonlocal failed
        try:
            with open_text(log_file, "a") as f:
                f.write(log_line(message))
        except OSError as exc:
            if not failed:
                print(f"salesive-import: warning: cannot write the log file {log_file} ({exc.strerror}); the import goes on", file=sys.stderr, flush=True)
            failed = True

    return append


def log_line(message: str) -> str:
    """A line of --log-file: the time in UTC, then the message."""
    return f"{datetime.now(timezone.utc).isoformat(timespec='seconds')} {message}\n"


def is_web_address(url: str) -> bool:
    """Whether a URL names a host over http or https (checked before the file is read)."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed host, or a port that is not a number from 0 to 65535
        return False


MAX_CONCURRENCY = 1_000  # requests in flight: far past what any store answers faster with, and what a machine's connections bear


def command_import(args: argparse.Namespace) -> int:
    if args.input is None:
        raise UsageError("no input file: name it on the command line, or as input in the --config file")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise UsageError(f"--concurrency must be from 1 to {MAX_CONCURRENCY:,}")
    if args.max_rps is not None and not 0 < args.max_rps < math.inf:  # a NaN fails every comparison
        raise UsageError("--max-rps must be a number above 0")
    if not 0 <= args.max_wait < math.inf:
        raise UsageError("--max-wait must be 0 or more seconds")
    if args.phone_region is not None and args.phone_region.upper() not in supported_regions():
        raise UsageError(f"--phone-region {args.phone_region!r} is not a region code; use two letters, such as NG, GB or US")
    dry_run = args.validate_only or getattr(args, "dry_run", False)
    base_url = args.base_url or os.environ.get("SALESIVE_BASE_URL") or DEFAULT_BASE_URL
    if not is_web_address(base_url):
        raise UsageError(f"the base URL {base_url!r} is not an http:// or https:// address (for example {DEFAULT_BASE_URL})")
    base_url = one_spelling(base_url)
    if args.summary_json not in (None, "-"):
        check_file(Path(args.summary_json), "--summary-json")
    if args.log_file is not None:
        check_file(args.log_file, "--log-file")
    check_folder(args.reports_dir, "--reports-dir")
    with read_once(args.input, args.reports_dir / ".state") as readable:
        return import_from(args, readable, dry_run, base_url)


def import_from(args: argparse.Namespace, readable: Path, dry_run: bool, base_url: str) -> int:
    """Run or validate, reading `readable`: the input itself, or the private copy of one that cannot be read twice."""
    options = Options(
        input=readable,
        input_name=str(args.input),
        base_url=base_url,
        dry_run=dry_run,
        sheet=args.sheet,
        table=args.table,
        overrides=parse_overrides(args.map),
        concurrency=args.concurrency,
        reports_dir=args.reports_dir,
        phone_region=args.phone_region.upper() if args.phone_region else None,
        progress=not args.no_progress,
        max_rps=args.max_rps,
        retry=RetryPolicy(max_wait=args.max_wait),
        on_existing=args.on_existing,
        check_existing=args.check_existing,
        ignore_ledger=args.ignore_ledger,
        blank_clears=args.blank_clears,
        restart=args.restart,
        encoding=args.encoding,
        quiet=args.quiet,
        verbose=args.verbose and not args.quiet,
    )
    say = log_to(args.log_file, args.quiet)
    if getattr(args, "sandbox", False) and not dry_run:
        from .sandbox import SandboxServer  # only rehearsals load the server

        with SandboxServer() as sandbox:
            say(f"Rehearsing against a local sandbox store at {sandbox.base_url}")
            options.base_url = sandbox.base_url
            result = run_import(options, sandbox.token, say=say)
    else:
        token_file, credentials_file = token_sources(args)
        credentials = Credentials(credentials_file, args.reports_dir / ".state") if credentials_file else None
        if credentials is not None:
            token: str | None = credentials.access_token
        else:
            token = None if dry_run and not args.check_existing else read_token(token_file)
        agreed = None
        if asks_first(args, dry_run, token):
            agreed = confirm(options, sys.stdin, sys.stderr)
            if agreed is None:
                return 0  # declined: nothing was sent, so there is no run folder
        checked = (agreed.key, agreed.snapshot) if agreed is not None else (None, None)
        result = run_import(options, token, say=say, credentials=credentials, agreed=checked[0], checked=checked[1])
    document = json.dumps(result.summary, indent=2, ensure_ascii=False)
    if args.summary_json == "-":
        print(document)  # stdout holds this one document; it names the run folder
        return result.exit_code
    if args.summary_json:
        try:
            write_text(Path(args.summary_json), document + "\n")
        except OSError as exc:
            print(f"salesive-import: error: --summary-json {args.summary_json}: cannot write there ({exc.strerror})", file=sys.stderr)
    print(result.folder)
    return result.exit_code


def failed_summary(where: str, code: int, error: str) -> None:
    """For a run that stopped before it had a report (exit 2, 3, 5, 130 ...): --summary-json still answers, with the exit
    code and the error, and no run folder, so a script never reads an earlier night's summary as tonight's."""
    document = json.dumps({"exit_code": code, "error": error, "run_folder": None}, indent=2, ensure_ascii=False)
    if where == "-":
        print(document)
        return
    with contextlib.suppress(OSError):  # the run's own error line already says why it stopped
        write_text(Path(where), document + "\n")


def asks_first(args: argparse.Namespace, dry_run: bool, token: str | None) -> bool:
    """Whether to show what will be sent and ask before creating: a run into a store, by a person at a terminal, without --yes.

    Without a token the run stops at once anyway (exit 2), so there is nothing to ask.
    """
    return not dry_run and token is not None and not args.yes and in_terminal(sys.stdin, sys.stderr)


def supported_regions() -> frozenset[str]:
    """The region codes phonenumbers knows (loaded only when --phone-region is given)."""
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def command_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import DEFAULT_TOKEN, WRITE, Faults, SandboxServer  # imports only the sandbox needs

    given = vars(args)
    faults = Faults(**{f.name: given[f.name] for f in dataclasses.fields(Faults) if f.init and f.name in given})  # each fault's flag is named after it
    scopes = {s.strip() for s in (args.scopes or WRITE).split(",") if s.strip()}
    token = args.token or DEFAULT_TOKEN
    server = SandboxServer(args.host, args.port, token, scopes, faults)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"the sandbox cannot listen on {args.host}:{args.port}: {exc}") from None
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print(f"Sandbox store serving at {server.base_url} (token: {token}); Ctrl-C stops it.", file=sys.stderr)
    print(server.base_url, flush=True)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, imports = build_parser()
    with courteous_streams():
        return _main(parser, imports, argv)


def _main(parser: argparse.ArgumentParser, imports: dict[str, argparse.ArgumentParser], argv: list[str]) -> int:
    args: argparse.Namespace | None = None
    try:
        if argv and argv[0] in imports:
            config_defaults(argv[0], imports[argv[0]], argv[1:])
        args = parser.parse_args(argv)
        return int(args.handler(args))
    except ImporterError as exc:
        print(f"salesive-import: error: {exc}", file=sys.stderr)
        if args is not None and getattr(args, "log_file", None):
            with contextlib.suppress(OSError):  # the log of a scheduled run says why it stopped, where it can be written
                with open_text(args.log_file, "a") as f:
                    f.write(log_line(f"error: {exc}"))
        if args is not None and getattr(args, "summary_json", None):
            failed_summary(args.summary_json, int(exc.exit_code), str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:  # before the run had a report (one that has answers itself, see pipeline.py)
        print("salesive-import: interrupted", file=sys.stderr)
        if args is not None and getattr(args, "summary_json", None):
            failed_summary(args.summary_json, int(ExitCode.INTERRUPTED), "interrupted")
        return int(ExitCode.INTERRUPTED)


def run() -> None:
    """The installed command: the program, then an exit without the interpreter's teardown.

    With pandas, Arrow and the HTTP stack loaded, Python's own teardown takes longer than
    most of a small import. Everything the program writes is closed by then (the report,
    the journal, the log); a last collection closes anything a reference cycle still held.
    """
    code = main()
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # a stream closed before the run, or under it
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
