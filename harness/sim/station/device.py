"""Typed configuration values shared by 1.6 configuration keys and 2.0.1 device-model variables.

1.6 §9 types are integer, boolean, string and CSL (comma separated list); 2.0.1 Part 2
(VariableCharacteristicsType.dataType) adds MemberList / OptionList / SequenceList, decimal
and dateTime. A value set by the CSMS is checked against its type, its limits and its list of
allowed members before it is accepted (1.6 §5.3 "Rejected ... out-of-range values", 2.0.1 B05).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from harness.ocppj.clock import parse_timestamp

#: Measurands the meter model can sample (1.6 §7.31 / 2.0.1 MeasurandEnumType).
MEASURANDS: Final = (
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "Current.Offered",
    "Voltage",
)
LIST_KINDS: Final = frozenset({"CSL", "MemberList", "SequenceList"})


@dataclass(frozen=True)
class Constraint:
    """What a value must look like."""

    kind: str
    allowed: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    min_length: int = 0
    max_length: int = 1000


def normalize(constraint: Constraint, text: str) -> str | None:
    """Return `text` in canonical form, or None when it breaks `constraint`."""
    kind = constraint.kind
    if kind == "integer":
        try:
            number = int(text.strip())
        except ValueError:
            return None
        low, high = constraint.minimum, constraint.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return str(number)
    if kind == "decimal":
        try:
            return str(Decimal(text.strip()))
        except InvalidOperation:
            return None
    if kind == "boolean":
        lowered = text.strip().lower()
        return lowered if lowered in ("true", "false") else None
    if kind == "dateTime":
        try:
            parse_timestamp(text)
        except ValueError:
            return None
        return text
    if kind in LIST_KINDS:
        members = [m.strip() for m in text.split(",") if m.strip()]
        if constraint.allowed and any(m not in constraint.allowed for m in members):
            return None
        return ",".join(members)
    if kind == "OptionList":
        return text if text in constraint.allowed else None
    if not constraint.min_length <= len(text) <= constraint.max_length:
        return None
    return text


def members(text: str) -> list[str]:
    """Split a CSL / MemberList value."""
    return [m.strip() for m in text.split(",") if m.strip()]
