"""Chroma 61800-series regenerative grid simulator (`chroma_61800`), single phase.

Commands follow Chroma's 61500/61600/61800 AC-source command tree (short forms):
`OUTP ON|OFF`, `OUTP?`, `SOUR:VOLT:AC <v>` / `SOUR:VOLT:AC?`, `SOUR:FREQ <hz>` / `SOUR:FREQ?`,
`SOUR:CURR:LIM <a>`, `FETC:VOLT:AC?`, `FETC:CURR:AC?`, `FETC:POW:AC?`, `SYST:ERR?`.
Established from the 61600-series command set (as used by libsigrok's scpi-pps profile); not
checked against a 61800 programming manual: the 61800 may want `SOUR:CURR:LIM:RMS` on some
firmware and, in three-phase mode, an `INST:COUP`/`INST:NSEL` phase selection first, which this
driver does not send. The exact subset is pinned in drivers/README.md and tests/rig.
"""

from __future__ import annotations

from harness.rig.drivers.base import ScpiProperty
from harness.rig.drivers.source_base import GRID_FREQUENCY_HZ, ScpiSource


class Chroma61800(ScpiSource):
    """AC grid simulator: voltage (ramped if the rig asks), frequency, current limit."""

    measure_voltage_query = "FETC:VOLT:AC?"
    measure_current_query = "FETC:CURR:AC?"
    measure_power_query = "FETC:POW:AC?"

    voltage = ScpiProperty(
        query="SOUR:VOLT:AC?",
        set="SOUR:VOLT:AC {value}",
        unit="V",
        limits="max_voltage",
        ramp="voltage_step",
    )
    frequency = ScpiProperty(
        query="SOUR:FREQ?", set="SOUR:FREQ {value}", unit="Hz", limits=GRID_FREQUENCY_HZ
    )
    current_limit = ScpiProperty(set="SOUR:CURR:LIM {value}", unit="A", limits="max_current")
