"""Exceptions that end a case with a verdict other than PASS, shared by every layer."""

from __future__ import annotations


class ExpectationFailed(AssertionError):
    """The DUT did not do what the case requires (a broken MUST): verdict FAIL."""

    def __init__(self, message: str, *, ref: str | None = None, timeline: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.ref = ref
        self.timeline = timeline

    def __str__(self) -> str:
        if not self.timeline:
            return self.message
        return f"{self.message}\n--- timeline (seconds since case start) ---\n{self.timeline}"


class EnvironmentFailure(Exception):
    """The environment failed (DUT unreachable, simulator or rig error, operator timeout).

    The DUT was not judged: verdict INCONCLUSIVE.
    """


class NotApplicable(Exception):
    """The DUT profile says the feature the case needs is absent: verdict N/A."""
