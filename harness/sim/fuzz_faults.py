"""The `fuzz-crash-on-optional-field` fault both reference simulators share (FUZZ_ mutants).

A receiver that only handles the required fields of a message and fails on the optional
ones: with the fault on, any incoming CALL whose payload carries an optional top-level field
raises, and the simulator's dispatcher answers CALLERROR InternalError. The FUZZ_*_valid_payloads
cases send such payloads and must catch it.
"""

from __future__ import annotations

from typing import Any, Final

from harness.ocppj.schemas import PayloadKind, load_schema
from harness.ocppj.versions import OcppVersion

NAME: Final = "fuzz-crash-on-optional-field"


class OptionalFieldCrash(RuntimeError):
    """What the faulty receiver raises on an optional field."""


def optional_fields(version: OcppVersion, action: str, payload: dict[str, Any]) -> list[str]:
    """Top-level properties of `payload` its request schema does not require."""
    schema = load_schema(version, action, PayloadKind.REQUEST) or {}
    required = set(schema.get("required", ()))
    return sorted(name for name in payload if name not in required)


def crash_on_optional_field(
    on: bool, version: OcppVersion, action: str, payload: dict[str, Any]
) -> None:
    """Raise OptionalFieldCrash when the fault is `on` and `payload` has an optional field."""
    if not on:
        return
    extra = optional_fields(version, action, payload)
    if extra:
        raise OptionalFieldCrash(f"{NAME}: cannot handle optional field(s) {extra} of {action}")
