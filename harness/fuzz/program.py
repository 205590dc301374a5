"""A fuzz program: the steps one stateful example ran, and a failure found with it.

Kept free of Hypothesis so that reading a replay file is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Steps a program may contain (`Step.name`).
STEPS = (
    "plug_in",
    "unplug",
    "start_session",
    "remote_start",
    "remote_stop",
    "connection_loss",
    "change_availability",
)

#: Steps of a program played against a CSMS under test (the harness is the station).
CSMS_STEPS = (
    "authorize",
    "start_transaction",
    "meter_values",
    "stop_transaction",
    "status",
    "heartbeat",
    "connection_loss",
    "remote_stop",
)

#: The steps a program may contain, by the role of the DUT it was played against.
STEPS_BY_ROLE = {"station": STEPS, "csms": CSMS_STEPS}


@dataclass(frozen=True)
class Step:
    """One step of a program: a name from STEPS and its parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON form used in reports and replay files."""
        return {"step": self.name, **self.params}


@dataclass(frozen=True)
class Failure:
    """A program whose run broke an invariant, with what the station sent meanwhile."""

    steps: tuple[Step, ...]
    violation: str
    frames: tuple[str, ...]
