"""Deviations: DUT behaviour that breaks a requirement, recorded as data, never raised."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.Enum):
    """How strongly the broken requirement is worded in the spec."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    INFO = "INFO"


@dataclass(frozen=True, slots=True)
class Deviation:
    """One observed departure from the spec, with the requirement it breaks."""

    level: Level
    ref: str
    message: str
    at: float
    frame: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Serializable form for reports."""
        return {
            "level": self.level.value,
            "ref": self.ref,
            "message": self.message,
            "at": round(self.at, 6),
            "frame": self.frame,
        }
