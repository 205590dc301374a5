"""Rig exceptions: a bad rig file, a refused setpoint, an instrument that reports an error."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

_UNSET = object()


class RigError(Exception):
    """The rig (not the DUT) failed: the case ends INCONCLUSIVE."""


class RigFileError(RigError):
    """A rig description is unreadable or invalid: names the file, the dotted key, the need."""

    exit_code: ClassVar[int] = 4

    def __init__(self, path: Path | str, key: str, expected: str, value: object = _UNSET) -> None:
        self.path = Path(path)
        self.key = key
        self.expected = expected
        self.value = None if value is _UNSET else value
        seen = "" if value is _UNSET else f", got {value!r}"
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(f"{where}expected {expected}{seen}")


class LimitError(RigError):
    """A setpoint beyond the rig's limits; raised before anything is written."""

    def __init__(
        self, instrument: str, quantity: str, value: float, limit: str, unit: str = ""
    ) -> None:
        self.instrument = instrument
        self.quantity = quantity
        self.value = value
        self.limit = limit
        unit_text = f" {unit}" if unit else ""
        super().__init__(
            f"{instrument}: {quantity} = {value:g}{unit_text} refused: outside {limit}; "
            "nothing was written"
        )


class InstrumentError(RigError):
    """The instrument reported an error, did not answer, or answered something unreadable."""

    def __init__(self, instrument: str, command: str, detail: str) -> None:
        self.instrument = instrument
        self.command = command
        self.detail = detail
        super().__init__(f"{instrument}: {command!r}: {detail}")


class NotSupported(RigError):
    """The instrument has no such function (e.g. frequency on a DC supply)."""


class SafeStateError(RigError):
    """Some step of reaching the safe state failed; lists every failed step."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = list(failures)
        super().__init__("safe state not confirmed: " + "; ".join(failures))
