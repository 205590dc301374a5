"""The PowerMeter role for analyzers that read numbered items and integrate energy."""

from __future__ import annotations

from typing import ClassVar

from harness.rig.drivers.base import ScpiInstrument
from harness.rig.errors import InstrumentError

#: What instruments send for "no data" / over-range in ASCII numeric output.
NO_DATA = frozenset({"NAN", "INF", "-INF", "+INF", "9.91E+37", "9.9100E+37", "9.910E+37"})


def parse_reading(instrument: str, command: str, answer: str) -> float:
    """One numeric reading; `NAN`, `INF` or 9.91E+37 (no data, over range) is an error."""
    text = answer.strip().upper()
    try:
        value = float(text)
    except ValueError as exc:
        raise InstrumentError(instrument, command, f"expected a number, got {answer!r}") from exc
    if text in NO_DATA or value != value or abs(value) >= 9.9e37:
        raise InstrumentError(instrument, command, f"no valid data ({answer!r}: over range?)")
    return value


def parse_seconds(instrument: str, command: str, answer: str) -> float:
    """Elapsed time: seconds (NR1/NR3), or an `h,m,s` triple as older meters send it."""
    parts = answer.strip().split(",")
    if len(parts) == 3:
        try:
            hours, minutes, seconds = (float(p) for p in parts)
        except ValueError as exc:
            raise InstrumentError(instrument, command, f"expected h,m,s, got {answer!r}") from exc
        return hours * 3600 + minutes * 60 + seconds
    return parse_reading(instrument, command, answer)


class IntegratingMeter(ScpiInstrument):
    """A meter with accuracy figures from the rig file; subclasses give the commands."""

    #: Integration states, normalised to these words (what `integration_state()` returns).
    STATES: ClassVar[tuple[str, ...]] = ("RESET", "START", "STOP", "ERROR", "TIMEUP")

    accuracy_percent: float = 0.0
    reference_uncertainty_percent: float = 0.0

    def configure_accuracy(self, accuracy_percent: float, uncertainty_percent: float) -> None:
        """Record the accuracy the rig file gives (used by the physical checks)."""
        self.accuracy_percent = accuracy_percent
        self.reference_uncertainty_percent = uncertainty_percent
