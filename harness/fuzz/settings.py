"""Fuzzing effort profiles: `ci` (default), `lab`, `soak` (`--ocpp-fuzz-profile`).

A profile says how many schema-valid CALLs each action gets, how many extra exchanges may be
spent shrinking a failure to a minimal one, and how long the fuzzing may take. The time is also
bounded by the DUT profile: a run uses at most `CASE_SHARE` of `timeouts.case` (the case
deadline covers the boot too), so lab and soak runs need a DUT profile with a long
`timeouts.case`.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class FuzzProfile:
    """Effort of one fuzzing run.

    `seed` None means a fresh seed per run (recorded in the report); a number makes every
    run draw the same examples (ci, so a red build reproduces).
    """

    name: str
    examples: int
    shrink_exchanges: int
    time_budget: float
    seed: int | None


PROFILES: Final = {
    "ci": FuzzProfile("ci", examples=3, shrink_exchanges=25, time_budget=30.0, seed=0),
    "lab": FuzzProfile("lab", examples=100, shrink_exchanges=300, time_budget=1800.0, seed=None),
    "soak": FuzzProfile(
        "soak", examples=2000, shrink_exchanges=1000, time_budget=4 * 3600.0, seed=None
    ),
}
DEFAULT_PROFILE: Final = "ci"
#: Share of the DUT profile's case deadline a fuzz run may use.
CASE_SHARE: Final = 0.6


def fuzz_profile(name: str | None) -> FuzzProfile:
    """The profile called `name` (None or empty: the default); ValueError names the known."""
    chosen = name or DEFAULT_PROFILE
    if chosen not in PROFILES:
        raise ValueError(f"unknown fuzz profile {chosen!r}; known: {', '.join(PROFILES)}")
    return PROFILES[chosen]


def time_budget(profile: FuzzProfile, case_deadline: float) -> float:
    """Seconds a run may fuzz: the profile's budget within CASE_SHARE of the case deadline."""
    return min(profile.time_budget, CASE_SHARE * case_deadline)


def action_seed(seed: int, action: str) -> int:
    """A per-action seed, stable across processes (no `hash()` randomisation)."""
    return zlib.crc32(f"{seed}:{action}".encode()) & 0xFFFFFFFF
