"""Reference CSMS faults proving the OCPP 2.0.1 blocks A, B and C _CSMS cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V201_ABC_FAULTS: dict[str, Fault] = {}
