"""The interfaces the rest of the harness uses for each part an instrument plays.

Every method is synchronous and bounded by the instrument's timeout; failures raise RigError
subclasses (LimitError before anything is written, InstrumentError for what the instrument
reported). Async code reaches these through one boundary (a worker thread), never directly.
"""

from __future__ import annotations

from typing import Literal, Protocol

CpState = Literal["A", "B", "C", "D", "E", "F"]
CP_STATES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
FaultKind = Literal["diode", "pe"]
FAULT_KINDS: tuple[str, ...] = ("diode", "pe")


class Instrument(Protocol):
    """What every opened instrument offers."""

    name: str

    def close(self) -> None:
        """Release the connection (does not change the instrument's state)."""


class PowerSource(Instrument, Protocol):
    """A mains (AC grid simulator) or DC supply feeding the station."""

    def output_on(self) -> None:
        """Switch the output on."""

    def output_off(self) -> None:
        """Switch the output off."""

    def is_output_on(self) -> bool:
        """Whether the output is on, as the instrument reports it."""

    def set_voltage(self, volts: float) -> None:
        """Set the output voltage (V rms for AC), ramped if the rig says so."""

    def set_frequency(self, hertz: float) -> None:
        """Set the output frequency (AC sources; DC ones raise NotSupported)."""

    def set_current_limit(self, amps: float) -> None:
        """Set the current limit (NotSupported where the instrument has none)."""

    def measure_voltage(self) -> float:
        """Measured output voltage in V."""

    def measure_current(self) -> float:
        """Measured output current in A."""

    def measure_power(self) -> float:
        """Measured real output power in W."""


class PowerMeter(Instrument, Protocol):
    """The reference meter: integrates energy and reads U, I, P."""

    accuracy_percent: float
    reference_uncertainty_percent: float

    def integration_reset(self) -> None:
        """Zero the integrated energy and time."""

    def integration_start(self) -> None:
        """Start (or resume) integrating."""

    def integration_stop(self) -> None:
        """Stop integrating; the values hold."""

    def energy_wh(self) -> float:
        """Integrated active energy in Wh."""

    def elapsed_s(self) -> float:
        """Elapsed integration time in s."""

    def voltage_v(self) -> float:
        """Voltage in V rms."""

    def current_a(self) -> float:
        """Current in A rms."""

    def power_w(self) -> float:
        """Active power in W."""


class EvEmulator(Instrument, Protocol):
    """The EV side of the control pilot (IEC 61851-1 Annex A)."""

    def set_cp_state(self, state: str) -> None:
        """Present control-pilot state A..F."""

    def cp_state(self) -> str:
        """The control-pilot state the emulator presents."""

    def pwm_duty_percent(self) -> float:
        """The EVSE's PWM duty cycle in percent; 0 when it sends no PWM."""

    def cp_voltage(self) -> float:
        """The control-pilot positive plateau voltage in V."""

    def request_current(self, amps: float) -> None:
        """Make the EV draw `amps` (bounded by the rig's max_current)."""

    def requested_current(self) -> float:
        """The current the EV is set to draw, in A."""

    def inject_fault(self, kind: str, on: bool) -> None:
        """Switch a fault on or off: `diode` (shorted CP diode) or `pe` (lost protective earth)."""

    def plug_in(self) -> None:
        """Connect the vehicle: state B."""

    def unplug(self) -> None:
        """Disconnect the vehicle: state A."""

    def safe_state(self) -> None:
        """State A, faults off, no current drawn; every step attempted."""
