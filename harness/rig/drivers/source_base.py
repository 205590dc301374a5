"""The PowerSource role on top of declared SCPI properties; concrete sources only declare."""

from __future__ import annotations

from typing import ClassVar

from harness.rig.drivers.base import ScpiInstrument, ScpiProperty
from harness.rig.errors import InstrumentError, LimitError, NotSupported

#: Frequencies an AC source may be set to: grid frequencies for EV-charger tests with room for
#: frequency-deviation cases. A harness policy against typos, not an instrument range.
GRID_FREQUENCY_HZ: tuple[float, float] = (40.0, 70.0)


class ScpiSource(ScpiInstrument):
    """A source whose settings are ScpiProperty attributes and whose output is a switch.

    Subclasses declare `voltage` (required), and `frequency` / `current_limit` where the
    instrument has them, plus the output and measurement commands below. When the rig gives
    `max_power`, the product of the voltage and current-limit setpoints is checked too.
    """

    output_on_command: ClassVar[str] = "OUTP ON"
    output_off_command: ClassVar[str] = "OUTP OFF"
    output_query: ClassVar[str] = "OUTP?"
    measure_voltage_query: ClassVar[str] = "MEAS:VOLT?"
    measure_current_query: ClassVar[str] = "MEAS:CURR?"
    #: None: power is measured voltage times measured current.
    measure_power_query: ClassVar[str | None] = "MEAS:POW?"

    def _prop(self, name: str) -> ScpiProperty | None:
        prop = getattr(type(self), name, None)
        return prop if isinstance(prop, ScpiProperty) else None

    def output_on(self) -> None:
        """Switch the output on."""
        self.write(self.output_on_command)

    def output_off(self) -> None:
        """Switch the output off."""
        self.write(self.output_off_command)

    def is_output_on(self) -> bool:
        """Whether the instrument reports its output on (`1`/`ON` or `0`/`OFF`)."""
        answer = self.query(self.output_query).upper()
        if answer in ("1", "ON"):
            return True
        if answer in ("0", "OFF"):
            return False
        raise InstrumentError(self.name, self.output_query, f"expected ON/OFF/1/0, got {answer!r}")

    def _check_power(self, volts: float | None, amps: float | None) -> None:
        limit = self.limits.max_power
        if limit is None or volts is None or amps is None:
            return
        if volts * amps > limit:
            raise LimitError(
                self.name,
                "voltage x current limit",
                volts * amps,
                f"0..{limit:g} (rig limit max_power; {volts:g} V x {amps:g} A)",
                "W",
            )

    def set_voltage(self, volts: float) -> None:
        """Set the output voltage (limits and max_power checked first; ramped if configured)."""
        voltage = self._prop("voltage")
        if voltage is None:
            raise NotSupported(f"{self.name}: no voltage setting")
        self.check_limit(voltage, volts)
        current = self._prop("current_limit")
        self._check_power(volts, self.setpoint(current) if current else None)
        self.set_property(voltage, volts)

    def set_frequency(self, hertz: float) -> None:
        """Set the output frequency (AC sources only)."""
        frequency = self._prop("frequency")
        if frequency is None:
            raise NotSupported(f"{self.name}: a {type(self).__name__} has no frequency setting")
        self.set_property(frequency, hertz)

    def set_current_limit(self, amps: float) -> None:
        """Set the current limit (limits and max_power checked first)."""
        current = self._prop("current_limit")
        if current is None:
            raise NotSupported(f"{self.name}: a {type(self).__name__} has no current limit")
        self.check_limit(current, amps)
        voltage = self._prop("voltage")
        self._check_power(self.setpoint(voltage) if voltage else None, amps)
        self.set_property(current, amps)

    def measure_voltage(self) -> float:
        """Measured output voltage in V."""
        return self.query_float(self.measure_voltage_query)

    def measure_current(self) -> float:
        """Measured output current in A."""
        return self.query_float(self.measure_current_query)

    def measure_power(self) -> float:
        """Measured output power in W (V x I where the instrument has no power query)."""
        if self.measure_power_query is None:
            return self.measure_voltage() * self.measure_current()
        return self.query_float(self.measure_power_query)
