"""The safe-state guarantee: on any exit every source output is off and every EV is in state A.

`SafeState(bench)` does it when its block ends (normally, by exception, by Ctrl-C); while the
block runs, a `ProcessGuard` does it on SIGTERM/SIGINT and at interpreter exit, then restores
the previous handlers. Every step is attempted even if others fail; all run in parallel and the
whole is bounded by a deadline, so a dead instrument cannot hang the exit.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any

from harness.rig.bench import Bench
from harness.rig.errors import SafeStateError

DEFAULT_DEADLINE_S = 10.0
_log = logging.getLogger(__name__)


@dataclass
class SafeReport:
    """What making the bench safe did: the failed steps, and whether Ctrl-C came meanwhile."""

    failures: list[str] = field(default_factory=list)
    interrupted: bool = False


def _steps(bench: Bench) -> list[tuple[str, Any, Callable[[], None]]]:
    steps: list[tuple[str, Any, Callable[[], None]]] = []
    for source in bench.sources():
        steps.append((f"{source.name}: output off", source, source.output_off))
    for ev in bench.evs():
        steps.append((f"{ev.name}: state A", ev, ev.safe_state))
    return steps


def make_safe(bench: Bench, deadline_s: float = DEFAULT_DEADLINE_S) -> SafeReport:
    """Switch every source off and put every EV in state A, within `deadline_s`.

    Each step runs in its own daemon thread, so one dead instrument delays nothing else; a step
    on an instrument whose I/O the calling thread itself is in the middle of (a signal arrived
    during it) runs inline instead, since waiting for it would deadlock.
    """
    report = SafeReport()
    end = time.monotonic() + deadline_s
    pending: list[tuple[str, threading.Thread, list[BaseException]]] = []
    for label, instrument, action in _steps(bench):
        lock = getattr(instrument, "lock", None)
        if lock is not None and lock.held_here():
            try:
                action()
            except Exception as exc:
                report.failures.append(f"{label}: {exc}")
            continue
        errors: list[BaseException] = []
        thread = threading.Thread(
            target=_attempt, args=(action, errors), name=f"safe-state {label}", daemon=True
        )
        thread.start()
        pending.append((label, thread, errors))
    for label, thread, errors in pending:
        while thread.is_alive() and time.monotonic() < end:
            try:
                thread.join(max(0.0, end - time.monotonic()))
            except KeyboardInterrupt:
                report.interrupted = True  # keep waiting: the outputs matter more
        if thread.is_alive():
            report.failures.append(f"{label}: no confirmation within the {deadline_s:g} s deadline")
        elif errors:
            report.failures.append(f"{label}: {errors[0]}")
    for failure in report.failures:
        _log.error("safe state: %s", failure)
    return report


def _attempt(action: Callable[[], None], errors: list[BaseException]) -> None:
    try:
        action()
    except BaseException as exc:
        errors.append(exc)


class ProcessGuard:
    """Make the bench safe on SIGTERM, SIGINT and interpreter exit, then chain to what was there.

    Signal handlers can only be installed from the main thread; elsewhere only the atexit hook
    is installed. After a signal the previous handler runs (SIGINT: KeyboardInterrupt as usual);
    a default disposition is re-applied and the signal re-raised, so the exit status still says
    which signal ended the process.
    """

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self, bench: Bench, deadline_s: float = DEFAULT_DEADLINE_S) -> None:
        self.bench = bench
        self.deadline_s = deadline_s
        self.handled: SafeReport | None = None
        self._previous: dict[int, Any] = {}
        self._installed = False

    def install(self) -> ProcessGuard:
        """Install the handlers and the atexit hook."""
        if self._installed:
            return self
        atexit.register(self._at_exit)
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        self._installed = True
        return self

    def uninstall(self) -> None:
        """Restore the previous handlers (only where ours is still the one set) and unhook."""
        if not self._installed:
            return
        atexit.unregister(self._at_exit)
        for signum, previous in self._previous.items():
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
        self._installed = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        previous = self._previous.get(signum)
        self.handled = make_safe(self.bench, self.deadline_s)
        _report_to_stderr(f"signal {signal.Signals(signum).name}", self.handled)
        self.uninstall()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    def _at_exit(self) -> None:
        self._installed = False
        report = make_safe(self.bench, self.deadline_s)
        _report_to_stderr("interpreter exit", report)


def _report_to_stderr(when: str, report: SafeReport) -> None:
    if report.failures:
        print(f"rig safe state on {when} FAILED: {'; '.join(report.failures)}", file=sys.stderr)


class SafeState:
    """Context manager: the bench is made safe when the block ends, however it ends."""

    def __init__(
        self,
        bench: Bench,
        *,
        deadline_s: float = DEFAULT_DEADLINE_S,
        guard_process: bool = True,
    ) -> None:
        self.bench = bench
        self.deadline_s = deadline_s
        self.guard = ProcessGuard(bench, deadline_s) if guard_process else None
        self.report: SafeReport | None = None

    def __enter__(self) -> Bench:
        if self.guard is not None:
            self.guard.install()
        return self.bench

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            handled = self.guard.handled if self.guard is not None else None
            if handled is not None and isinstance(exc, KeyboardInterrupt):
                self.report = handled  # the SIGINT handler just did it
            else:
                self.report = make_safe(self.bench, self.deadline_s)
        finally:
            if self.guard is not None:
                self.guard.uninstall()
        failures = self.report.failures
        if exc is not None:
            if failures:
                exc.add_note("rig safe state incomplete: " + "; ".join(failures))
            return
        if failures:
            raise SafeStateError(failures)
        if self.report.interrupted:
            raise KeyboardInterrupt
