"""Soft checks a case records while it runs (`check.must/should/info`)."""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable

from harness.report.record import CheckResult


class Checks:
    """Collect check results; a failed check does not stop the case (DESIGN.md "Verdicts").

    MUST failures make the verdict FAIL, SHOULD failures NON-STRICT, INFO failures
    INFORMATIONAL. Each method returns the condition so a case can branch on it.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.results: list[CheckResult] = []

    def _add(self, level: str, condition: object, message: str, ref: str | None) -> bool:
        passed = bool(condition)
        if not message:
            message = _caller_source()
        self.results.append(CheckResult(level, passed, message, ref, self._clock()))
        return passed

    def must(self, condition: object, message: str = "", *, ref: str | None = None) -> bool:
        """Record a requirement worded SHALL/MUST."""
        return self._add("MUST", condition, message, ref)

    def should(self, condition: object, message: str = "", *, ref: str | None = None) -> bool:
        """Record a requirement worded SHOULD."""
        return self._add("SHOULD", condition, message, ref)

    def info(self, condition: object, message: str = "", *, ref: str | None = None) -> bool:
        """Record an observation that informs but does not judge."""
        return self._add("INFO", condition, message, ref)

    def equal(self, seen: object, expected: object, what: str, *, ref: str | None = None) -> bool:
        """MUST check that `seen == expected`, saying both in the message."""
        return self.must(seen == expected, f"{what}: expected {expected!r}, saw {seen!r}", ref=ref)

    @property
    def failed(self) -> list[CheckResult]:
        """Failed checks, in order."""
        return [r for r in self.results if not r.passed]


def _caller_source() -> str:
    """The source line of the case that made the check, as its default message."""
    frame = sys._getframe(3)
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return line or f"{frame.f_code.co_name}:{frame.f_lineno}"
