"""Generic SCPI-1999 programmable source (`scpi_source`), AC or DC.

Uses only the SCPI-1999 standard tree, short forms: `OUTP ON|OFF`, `OUTP?`,
`[SOUR:]VOLT <v>`, `[SOUR:]FREQ <hz>`, `[SOUR:]CURR <a>` (the current limit of a CV supply),
`MEAS:VOLT?`, `MEAS:CURR?`, `MEAS:POW?`, error queue `SYST:ERR?`. Instruments that deviate
(AC sources with `VOLT:AC`, supplies without `MEAS:POW?`) need their own driver.
"""

from __future__ import annotations

from harness.rig.drivers.base import ScpiProperty
from harness.rig.drivers.source_base import GRID_FREQUENCY_HZ, ScpiSource


class ScpiSource99(ScpiSource):
    """Standard SCPI source; `frequency` is only meaningful when the rig says ac_source."""

    voltage = ScpiProperty(
        query="VOLT?", set="VOLT {value}", unit="V", limits="max_voltage", ramp="voltage_step"
    )
    current_limit = ScpiProperty(
        query="CURR?", set="CURR {value}", unit="A", limits="max_current", ramp="current_step"
    )
    frequency = ScpiProperty(query="FREQ?", set="FREQ {value}", unit="Hz", limits=GRID_FREQUENCY_HZ)
