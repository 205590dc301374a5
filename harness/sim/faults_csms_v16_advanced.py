"""Reference CSMS faults proving the 1.6 Security, Reservation and Smart Charging _CSMS cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V16_ADVANCED_FAULTS: dict[str, Fault] = {}
