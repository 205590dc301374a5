"""Input checks every EV-emulator backend applies before it acts."""

from __future__ import annotations

import math
from collections.abc import Callable

from harness.rig.errors import LimitError, RigError
from harness.rig.model import Limits
from harness.rig.roles import CP_STATES, FAULT_KINDS


def cp_state(name: str, state: str) -> str:
    """The state letter, upper-case; RigError unless A..F."""
    letter = str(state).strip().upper()
    if letter not in CP_STATES:
        raise RigError(f"{name}: control-pilot state {state!r} is not one of A..F")
    return letter


def fault_kind(name: str, kind: str) -> str:
    """`diode` or `pe`; RigError otherwise."""
    if kind not in FAULT_KINDS:
        raise RigError(f"{name}: fault {kind!r} is not one of {', '.join(FAULT_KINDS)}")
    return kind


def ev_current(name: str, limits: Limits, amps: float) -> float:
    """The requested current, refused (LimitError) beyond 0..max_current before any action."""
    value = float(amps)
    limit = limits.max_current
    if not math.isfinite(value) or value < 0 or (limit is not None and value > limit):
        allowed = f"0..{limit:g} (rig limit max_current)" if limit is not None else "0.."
        raise LimitError(name, "requested current", value, allowed, "A")
    return value


def run_all(name: str, steps: list[tuple[str, Callable[[], None]]]) -> None:
    """Attempt every step even if one fails; raise one RigError listing the failures."""
    failures: list[str] = []
    for label, step in steps:
        try:
            step()
        except Exception as exc:
            failures.append(f"{label}: {exc}")
    if failures:
        raise RigError(f"{name}: safe state incomplete: " + "; ".join(failures))
