"""The virtual lab's EV emulator (`virtual_ev`): a small SCPI-style set over TCP.

`CP:STATE A..F`, `CP:STATE?`, `CP:DUTY?` (percent, 0 without PWM), `CP:VOLT?`, `EV:CURR <a>`,
`EV:CURR?`, `FAULT:DIODE ON|OFF`, `FAULT:PE ON|OFF`, `SYST:ERR?`. Also fits any lab EV emulator
that accepts the same commands (a thin SCPI front end on a vendor box).
"""

from __future__ import annotations

from harness.rig.drivers.base import ScpiInstrument, ScpiProperty
from harness.rig.errors import InstrumentError
from harness.rig.ev import checks


class VirtualEv(ScpiInstrument):
    """EvEmulator over the virtual EV command set."""

    requested = ScpiProperty(
        query="EV:CURR?", set="EV:CURR {value}", unit="A", limits="max_current"
    )

    def set_cp_state(self, state: str) -> None:
        """Present state A..F."""
        self.write(f"CP:STATE {checks.cp_state(self.name, state)}")

    def cp_state(self) -> str:
        """The state the emulator presents."""
        answer = self.query("CP:STATE?").upper()
        if answer not in ("A", "B", "C", "D", "E", "F"):
            raise InstrumentError(self.name, "CP:STATE?", f"expected A..F, got {answer!r}")
        return answer

    def pwm_duty_percent(self) -> float:
        """The EVSE's PWM duty in percent (0: no PWM)."""
        return self.query_float("CP:DUTY?")

    def cp_voltage(self) -> float:
        """The control-pilot plateau voltage in V."""
        return self.query_float("CP:VOLT?")

    def request_current(self, amps: float) -> None:
        """Draw `amps` (refused beyond the rig's max_current)."""
        self.set_property(VirtualEv.requested, checks.ev_current(self.name, self.limits, amps))

    def requested_current(self) -> float:
        """The current the EV is set to draw, in A."""
        return self.get_property(VirtualEv.requested)

    def inject_fault(self, kind: str, on: bool) -> None:
        """Switch the diode or PE fault on or off."""
        self.write(f"FAULT:{checks.fault_kind(self.name, kind).upper()} {'ON' if on else 'OFF'}")

    def plug_in(self) -> None:
        """State B."""
        self.set_cp_state("B")

    def unplug(self) -> None:
        """State A."""
        self.set_cp_state("A")

    def safe_state(self) -> None:
        """State A, then both faults off, then no current; every step attempted."""
        checks.run_all(
            self.name,
            [
                ("CP:STATE A", lambda: self.write("CP:STATE A")),
                ("FAULT:DIODE OFF", lambda: self.write("FAULT:DIODE OFF")),
                ("FAULT:PE OFF", lambda: self.write("FAULT:PE OFF")),
                ("EV:CURR 0", lambda: self.write("EV:CURR 0")),
            ],
        )
