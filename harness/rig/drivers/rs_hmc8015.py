"""Rohde & Schwarz HMC8015 power analyzer (`rs_hmc8015`), single channel.

Readings: the first five cells of numeric page 1 are set to URMS, IRMS, P, WH, TIME with
`VIEW:NUMeric:PAGE1:CELL<n>:FUNCtion <f>` (R&S's own HMC8015 examples), then
`CHANnel1:MEASurement:DATA?` returns the page's cells comma-separated, in that order.
Integration: `INTegrator:STATe ON` enables the integrator, `INTegrator:MODE MANual`,
`INTegrator:RESet`, `INTegrator:STARt`, `INTegrator:STOP`. The readings path is confirmed by
R&S example scripts; the INTegrator mnemonics are from memory of the HMC8015 SCPI manual and
not confirmed here: check them against your firmware before relying on this driver. Errors:
`SYST:ERR?`. TIME is read in seconds; an `h,m,s` answer is accepted too.
"""

from __future__ import annotations

from harness.rig.drivers.meter_base import IntegratingMeter, parse_reading, parse_seconds
from harness.rig.errors import InstrumentError

CELLS: tuple[str, ...] = ("URMS", "IRMS", "P", "WH", "TIME")
DATA_QUERY = "CHANnel1:MEASurement:DATA?"


class Hmc8015(IntegratingMeter):
    """HMC8015 with page 1 cells 1..5 as U, I, P, Wh and integration time."""

    def setup(self) -> None:
        """Assign the cells and put the integrator in manual mode."""
        for cell, function in enumerate(CELLS, start=1):
            self.write(f"VIEW:NUMeric:PAGE1:CELL{cell}:FUNCtion {function}")
        self.write("INTegrator:STATe ON")
        self.write("INTegrator:MODE MANual")

    def _cell(self, function: str) -> float:
        answer = self.query(DATA_QUERY)
        values = answer.split(",")
        index = CELLS.index(function)
        if function == "TIME" and len(values) == len(CELLS) + 2:
            return parse_seconds(self.name, DATA_QUERY, ",".join(values[index : index + 3]))
        if len(values) < len(CELLS):
            raise InstrumentError(
                self.name, DATA_QUERY, f"expected {len(CELLS)} values, got {answer!r}"
            )
        if function == "TIME":
            return parse_seconds(self.name, DATA_QUERY, values[index])
        return parse_reading(self.name, DATA_QUERY, values[index])

    def integration_reset(self) -> None:
        """Zero the integrator."""
        self.write("INTegrator:RESet")

    def integration_start(self) -> None:
        """Start integrating."""
        self.write("INTegrator:STARt")

    def integration_stop(self) -> None:
        """Stop integrating."""
        self.write("INTegrator:STOP")

    def energy_wh(self) -> float:
        """Integrated energy in Wh."""
        return self._cell("WH")

    def elapsed_s(self) -> float:
        """Elapsed integration time in s."""
        return self._cell("TIME")

    def voltage_v(self) -> float:
        """True rms voltage in V."""
        return self._cell("URMS")

    def current_a(self) -> float:
        """True rms current in A."""
        return self._cell("IRMS")

    def power_w(self) -> float:
        """Active power in W."""
        return self._cell("P")
