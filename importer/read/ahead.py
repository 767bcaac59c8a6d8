"""Reading ahead: the next chunk of a file is read and checked column by column on a thread of its own,
while the caller checks, files or sends the one before.

pandas' parser and Arrow's string kernels do most of their work without Python's global lock,
so on a machine with two cores or more the two overlap. The chunks still arrive one at a time
and in order, an error met while producing one is raised in its place, and a caller that stops
early stops the thread and closes what it was reading before going on.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")

_END = object()  # the producer's last slot: the end of the items, or the exception that ended them
_WAIT = 0.05  # seconds between a blocked producer's looks at whether the caller stopped


def read_ahead(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    """`items`, produced on a thread of their own at most `depth` ahead of the caller (each held in memory meanwhile)."""
    slots: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def offer(item: object, error: BaseException | None = None) -> bool:
        """Hand one item over, unless the caller stopped first (then False)."""
        while not stopped.is_set():
            try:
                slots.put((item, error), timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(_END)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread, in its place
            offer(_END, exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator's files are closed on the thread that read them

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item  # type: ignore[misc]
    finally:
        stopped.set()
        thread.join()
