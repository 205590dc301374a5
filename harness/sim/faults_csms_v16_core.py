"""Reference CSMS faults proving the 1.6 Core, Local Auth List and Firmware _CSMS cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V16_CORE_FAULTS: dict[str, Fault] = {}
