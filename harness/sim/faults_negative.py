"""Simulator faults proving the negative-conformance (NEG_) cases, one table per role."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_NEGATIVE_FAULTS: dict[str, Fault] = {}
STATION_NEGATIVE_FAULTS: dict[str, Fault] = {}
