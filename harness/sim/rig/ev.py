"""Virtual EV emulator on one EVSE's connector: the EV side of the control pilot.

Command set of the `virtual_ev` driver (harness/rig/drivers/README.md): `CP:STATE A..F`,
`CP:STATE?`, `CP:DUTY?` (the EVSE's PWM duty, 0 without PWM), `CP:VOLT?` (positive plateau,
IEC 61851-1 A +12, B +9, C +6, D +3, E 0, F -12 V), `EV:CURR <A>` / `EV:CURR?` (what the EV
draws at most; it never draws more than the PWM duty allows), `FAULT:DIODE ON|OFF`,
`FAULT:PE ON|OFF`, `SYST:ERR?`. `*RST`: state A, no faults, no current requested.
"""

from __future__ import annotations

from harness.sim.rig.scpi import ILLEGAL_PARAMETER, ScpiError, ScpiInstrument, boolean, number
from harness.sim.station.electrical import CP_STATES
from harness.sim.station.physical import Plant

#: Largest current an EV may request (A per phase; IEC 61851-1 PWM tops out at 80 A).
MAX_REQUEST_A = 80.0


class VirtualEv(ScpiInstrument):
    """The EV on EVSE `evse` of `plant`."""

    def __init__(self, plant: Plant, evse: int, serial: str | None = None) -> None:
        super().__init__(f"OCPP Harness,Virtual EV,{serial or f'VIRT-EV-{evse}'},1.0")
        self.plant = plant
        self.evse = evse
        electrical = plant.evse(evse)
        self.add("CP:STATe", query=lambda _a, _s: electrical.cp, write=self._set_state)
        self.add("CP:DUTY", query=lambda _a, _s: _plain(electrical.duty_percent))
        self.add("CP:VOLTage", query=lambda _a, _s: _plain(electrical.cp_voltage))
        self.add("EV:CURRent", query=lambda _a, _s: _plain(electrical.request_a), write=self._curr)
        self.add("FAULT:DIODE", query=lambda _a, _s: _onoff(electrical.diode_fault))
        self.add("FAULT:DIODE", write=lambda a, _s: self.plant.set_faults(evse, diode=boolean(a)))
        self.add("FAULT:PE", query=lambda _a, _s: _onoff(electrical.pe_fault))
        self.add("FAULT:PE", write=lambda a, _s: self.plant.set_faults(evse, pe=boolean(a)))
        self.add_error_queue("SYSTem:ERRor[:NEXT]")

    def reset(self) -> None:
        """`*RST`: state A, faults off, nothing requested."""
        self.plant.reset_ev(self.evse)

    def _set_state(self, args: list[str], _suffixes: list[int]) -> None:
        state = args[0].upper() if args else ""
        if state not in CP_STATES:
            raise ScpiError(*ILLEGAL_PARAMETER)
        self.plant.set_pilot(self.evse, state)

    def _curr(self, args: list[str], _suffixes: list[int]) -> None:
        self.plant.evse(self.evse).set_request(number(args, low=0.0, high=MAX_REQUEST_A))


def _plain(value: float) -> str:
    return format(value, ".9g")


def _onoff(value: bool) -> str:
    return "ON" if value else "OFF"
