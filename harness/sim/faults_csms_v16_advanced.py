"""Reference CSMS faults proving the 1.6 Security, Reservation, Trigger, Smart Charging cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V16_ADVANCED_FAULTS: dict[str, Fault] = {}
