"""Reference CSMS faults proving the OCPP 2.0.1 blocks E, F, G, J and P _CSMS cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V201_EFGJP_FAULTS: dict[str, Fault] = {}
