"""Virtual Chroma 61800 AC grid simulator feeding the reference station's mains.

The SCPI subset the `chroma_61800` driver uses (harness/rig/drivers/README.md), long and short
forms. The output drives the station's supply: `OUTP OFF` is a power loss, `OUTP ON` powers it
up again (it boots with reason PowerUp). Measurements are the station's true draw: phase
voltage, phase current summed over the EVSEs, total real power. `*RST` restores 230 V / 50 Hz
and switches the output off, like the instrument.
"""

from __future__ import annotations

from harness.sim.rig.scpi import ScpiError, ScpiInstrument, boolean, number
from harness.sim.station.model import VOLTAGE_V
from harness.sim.station.physical import Plant

#: Setpoint ranges of a 61800 (V rms L-N, Hz, A rms).
VOLTAGE_RANGE = (0.0, 300.0)
FREQUENCY_RANGE = (30.0, 100.0)
CURRENT_RANGE = (0.0, 200.0)


class VirtualChroma61800(ScpiInstrument):
    """The station's AC source: output state and setpoints, measurements of the true draw."""

    def __init__(self, plant: Plant, serial: str = "VIRT-61800") -> None:
        super().__init__(f"Chroma ATE,61845,{serial},virtual 1.0")
        self.plant = plant
        self.current_limit_a = CURRENT_RANGE[1]
        self.add("OUTPut[:STATe]", query=self._output, write=self._set_output)
        self.add(
            "[SOURce:]VOLTage[:LEVel][:IMMediate][:AMPLitude]:AC",
            query=lambda _a, _s: _plain(self.plant.mains.voltage_v),
            write=self._set_voltage,
        )
        self.add(
            "[SOURce:]FREQuency[:IMMediate]",
            query=lambda _a, _s: _plain(self.plant.mains.frequency_hz),
            write=self._set_frequency,
        )
        self.add(
            "[SOURce:]CURRent:LIMit[:RMS]",
            query=lambda _a, _s: _plain(self.current_limit_a),
            write=self._set_current_limit,
        )
        self.add("FETCh[:SCALar]:VOLTage:AC", query=lambda _a, _s: _plain(self._voltage()))
        self.add("FETCh[:SCALar]:CURRent:AC", query=lambda _a, _s: _plain(self._current()))
        self.add("FETCh[:SCALar]:POWer:AC[:REAL]", query=lambda _a, _s: _plain(self._power()))
        self.add_error_queue("SYSTem:ERRor[:NEXT]")

    def reset(self) -> None:
        """`*RST`: output off, 230 V, 50 Hz, full current limit."""
        self.plant.switch_mains(False)
        self.plant.mains.set_voltage(VOLTAGE_V)
        self.plant.mains.frequency_hz = 50.0
        self.current_limit_a = CURRENT_RANGE[1]

    def _output(self, _args: list[str], _suffixes: list[int]) -> str:
        return "ON" if self.plant.mains.on else "OFF"

    def _set_output(self, args: list[str], _suffixes: list[int]) -> None:
        self.plant.switch_mains(boolean(args))

    def _set_voltage(self, args: list[str], _suffixes: list[int]) -> None:
        self.plant.mains.set_voltage(number(args, low=VOLTAGE_RANGE[0], high=VOLTAGE_RANGE[1]))

    def _set_frequency(self, args: list[str], _suffixes: list[int]) -> None:
        low, high = FREQUENCY_RANGE
        self.plant.mains.frequency_hz = number(args, low=low, high=high)

    def _set_current_limit(self, args: list[str], _suffixes: list[int]) -> None:
        limit = number(args, low=CURRENT_RANGE[0], high=CURRENT_RANGE[1])
        if limit < self._current():
            raise ScpiError(-221, "Settings conflict")  # below the present draw
        self.current_limit_a = limit

    def _voltage(self) -> float:
        mains = self.plant.mains
        return mains.voltage_v if mains.on else 0.0

    def _current(self) -> float:
        return sum(e.true_current_a for e in self.plant.electrical.values())

    def _power(self) -> float:
        return sum(e.true_power_w for e in self.plant.electrical.values())


def _plain(value: float) -> str:
    return format(value, ".9g")
