"""Keysight (Agilent) programmable DC supply (`keysight_dc`): N5700/N8700/E36xx-style SCPI.

`VOLT <v>`, `VOLT?`, `CURR <a>`, `CURR?`, `OUTP ON|OFF`, `OUTP?` (answers `1`/`0`),
`MEAS:VOLT?`, `MEAS:CURR?`, `SYST:ERR?` (answers `+0,"No error"`). These supplies have no
`MEAS:POW?`, so power is measured voltage times measured current. On setup the over-voltage
protection is set to the rig's max_voltage with `VOLT:PROT <v>` (N5700/N8700/E36xx), so the
supply itself trips if anything drives it beyond the limit; models whose OVP range is narrower
report an error, which is raised.
"""

from __future__ import annotations

from harness.rig.drivers.base import ScpiProperty, format_number
from harness.rig.drivers.source_base import ScpiSource


class KeysightDc(ScpiSource):
    """DC supply: voltage, current limit, hardware OVP at the rig limit; no frequency."""

    measure_power_query = None

    voltage = ScpiProperty(
        query="VOLT?", set="VOLT {value}", unit="V", limits="max_voltage", ramp="voltage_step"
    )
    current_limit = ScpiProperty(
        query="CURR?", set="CURR {value}", unit="A", limits="max_current", ramp="current_step"
    )

    def setup(self) -> None:
        """Arm the supply's own over-voltage protection at the rig's max_voltage."""
        if self.limits.max_voltage is not None:
            self.write(f"VOLT:PROT {format_number(self.limits.max_voltage)}")
