"""Stop a run cleanly when its user or the system asks it to end.

Ctrl-C, a request to terminate, a closed terminal or SSH session, and on Windows
Ctrl-Break and a closed console window: the run stops sending, lets the requests in
flight finish and writes its report and journal, so the same command resumes it.
Each is caught only where the OS has it, and the handlers in place before are put
back after.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import ExitCode

INTERRUPT_GRACE = 15.0  # seconds in-flight requests get to finish after Ctrl-C
# Windows: a closed console window, a log-off and a shutdown (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT)
CLOSE_EVENTS = frozenset({2, 5, 6})
CLOSE_GRACE = 30.0  # seconds the console handler holds the process; Windows ends it sooner, or the run's exit does
# Ctrl-C, a request to terminate, a closed terminal or SSH session (SIGHUP, POSIX), and on Windows
# Ctrl-Break and a closed console window (both arrive as SIGBREAK); each only where the OS has it.
STOP_SIGNALS = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None), getattr(signal, "SIGBREAK", None)) if s is not None
)


@contextmanager
def stops_caught(workers: list[asyncio.Task[None]], stop: Callable[[], object]) -> Iterator[None]:
    """While inside, the first request to end the run calls `stop` (no new request goes out) and lets requests in
    flight finish; a second one cancels the `workers` at once (their rows are filed as unconfirmed, so the report
    is still complete); a third exits on the spot. Outside the main thread no signal can be caught: nothing is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    signals = 0

    def give_up() -> None:
        for worker in workers:
            worker.cancel()

    def interrupted() -> None:
        nonlocal signals
        signals += 1
        if signals == 1:
            stop()
            loop.call_later(INTERRUPT_GRACE, give_up)
        elif signals == 2:
            give_up()
        else:
            os._exit(ExitCode.INTERRUPTED)  # every row sent has its intent committed: a resumed run looks up the rest

    with signals_to(loop, interrupted), console_closed_to(loop, interrupted):
        yield


@contextmanager
def signals_to(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> Iterator[None]:
    """While inside, each of STOP_SIGNALS runs `callback` on the loop; the handlers in place before are back after.

    The loop's own signal handlers where it has them. Windows' loops have none: there
    plain handlers hand each signal over to the loop, since they run in the main thread
    between two steps of whatever it is doing (the loop's wake-up socket gets it out of
    its wait).
    """
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    on_loop = True
    try:
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, callback)
    except NotImplementedError:  # Windows
        on_loop = False
        for sig in STOP_SIGNALS:
            signal.signal(sig, lambda signum, frame: loop.call_soon_threadsafe(callback))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if on_loop:
                loop.remove_signal_handler(sig)
            if handler is not None:  # None: set outside Python, and cannot be put back from here
                signal.signal(sig, handler)


@contextmanager
def console_closed_to(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> Iterator[None]:
    """Windows: a closed console window (a log-off, a shutdown) runs `callback` on the loop, as Ctrl-Break does.

    Windows ends the process as soon as its console handler returns, so this handler
    does not return at once: it holds the process while the run stops sending, lets
    the requests in flight finish and writes its report and journal (the run's own
    exit ends the wait, or Windows after its few seconds). Elsewhere it does nothing.
    """
    if os.name != "nt":
        yield
        return
    import ctypes  # the console API is Windows' own

    @ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint)  # type: ignore[attr-defined]
    def closed(event: int) -> int:
        if event not in CLOSE_EVENTS:
            return 0  # Ctrl-C and Ctrl-Break: the signal handlers take them
        loop.call_soon_threadsafe(callback)
        time.sleep(CLOSE_GRACE)
        return 1

    console = ctypes.windll.kernel32  # type: ignore[attr-defined]
    console.SetConsoleCtrlHandler(closed, True)
    try:
        yield
    finally:
        console.SetConsoleCtrlHandler(closed, False)
