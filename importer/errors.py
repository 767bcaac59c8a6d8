"""The errors a user can cause, and the exit code each one means.

    ImporterError            exit 2 unless a subclass says otherwise
    ├── UsageError           unusable options
    ├── InputError           unreadable or unrecognisable input file
    ├── TokenError           no token, or a token file that cannot be read
    ├── AuthError            exit 3: the store rejected the token, or the token could not be renewed
    │   └── CertificateError     the store's certificate does not verify (exit 2 before anything is sent)
    ├── UnreachableError     exit 4: the store could not be reached, or asks for a longer pause than the run waits
    │   └── NotTheApiError       the base URL answers, but not as the Salesive API does (exit 2 before anything is sent)
    ├── LockedError          exit 5: another run of the same import is in progress
    └── ReportError          exit 6: the report could not be written (the journal has the answers)

Messages are one line, for a merchant, and never contain the token.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The contract's exit codes."""

    OK = 0
    ROWS_REJECTED = 1
    NOT_STARTED = 2
    AUTH_FAILED = 3
    UNREACHABLE = 4
    LOCKED = 5
    REPORT_UNWRITTEN = 6
    INTERRUPTED = 130


class ImporterError(Exception):
    exit_code = ExitCode.NOT_STARTED
    # Raised while a row was being sent: whether that row may have reached the store.
    # The sender keeps such a row in the journal, to be looked up before it is sent
    # again, unless the client knew better and said False.
    in_doubt = True


class UsageError(ImporterError):
    pass


class InputError(ImporterError):
    pass


class TokenError(ImporterError):
    pass


class AuthError(ImporterError):
    exit_code = ExitCode.AUTH_FAILED


class CertificateError(AuthError):
    pass


class UnreachableError(ImporterError):
    exit_code = ExitCode.UNREACHABLE


class NotTheApiError(UnreachableError):
    pass


class LockedError(ImporterError):
    exit_code = ExitCode.LOCKED


class ReportError(ImporterError):
    exit_code = ExitCode.REPORT_UNWRITTEN
