"""The terminal is a courtesy: output nobody can read any more never stops or changes an import.

A reader that goes away (`salesive-import run ... | head -1`), a terminal closed
under the run (an SSH session that drops) or a full disk under a redirected log
makes every later write fail, and a stream may be closed before the run starts (`>&-`). The import must still go on, write its report and
journal, and exit with the code its rows earn; so the standard streams are
wrapped for the length of a command, and a write that fails ends that stream's
output quietly (it is not retried: the reader is gone).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class Courteous:
    """A text stream that drops what it can no longer write, instead of raising."""

    def __init__(self, stream: TextIO | None) -> None:
        self.gone = stream is None  # a write failed, or the stream was closed before the run (`>&-`): nothing is written
        self._stream: TextIO = stream if stream is not None else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the command

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self._stream.write(text)
            except (OSError, ValueError):  # ValueError: the stream was closed
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self.gone = True

    def isatty(self) -> bool:
        try:
            return not self.gone and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def courteous_streams() -> Iterator[None]:
    """While inside, stdout and stderr are `Courteous`; the streams in place before are back after."""
    before = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Courteous(sys.stdout), Courteous(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before
