"""Reference station faults proving the physical (rig) cases."""

from __future__ import annotations

from harness.sim.fault import Fault

STATION_PHYSICAL_FAULTS: dict[str, Fault] = {}
