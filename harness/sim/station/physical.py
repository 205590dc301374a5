"""The station's physical side as the virtual rig sees it, and how it reaches the protocol.

`Plant` holds the mains and one `Electrical` per EVSE; the virtual instruments act on it.
`StationPlant` also turns physical events into the station's local events, the way a charger's
firmware watches its pilot and supply:

* pilot A -> B/C/D: EV plugged in (1.6 Preparing, 2.0.1 Occupied); C/D <-> B during a session:
  the EV resumes / suspends (Charging <-> SuspendedEV); back to A: unplugged (Available);
* pilot E/F, a shorted EV diode or a missing protective earth: the connector is Faulted
  (1.6 §4.9 ChargePointErrorCode EVCommunicationError / GroundFailure; 2.0.1 G01 Faulted);
* mains off: power loss (transactions end by PowerLoss per configuration, no connection);
  mains on: boot with reason PowerUp (2.0.1 B01.FR.01).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.sim.station.electrical import Electrical, Mains
from harness.sim.station.model import EvseModel

if TYPE_CHECKING:
    from harness.sim.station.station import Station

log = logging.getLogger("harness.sim.station")


class Plant:
    """Mains and per-EVSE physics; physical changes only (no protocol)."""

    def __init__(self, evses: dict[int, EvseModel], fault: Callable[[str], bool]) -> None:
        self.mains = Mains()
        self.electrical = {n: Electrical(evse, self.mains, fault) for n, evse in evses.items()}
        self.fault = fault

    def evse(self, number: int) -> Electrical:
        """The physics of EVSE `number` (KeyError naming the known ones)."""
        if number not in self.electrical:
            raise KeyError(f"no EVSE {number}; known: {sorted(self.electrical)}")
        return self.electrical[number]

    def set_pilot(self, number: int, state: str) -> None:
        """The EV emulator presents pilot `state`."""
        electrical = self.evse(number)
        electrical.driven = True
        electrical.set_pilot(state)
        self.pilot_changed(number)

    def set_faults(self, number: int, *, diode: bool | None = None, pe: bool | None = None) -> None:
        """The EV emulator injects or clears a diode / PE fault."""
        self.evse(number).set_faults(diode=diode, pe=pe)
        self.pilot_changed(number)

    def reset_ev(self, number: int) -> None:
        """EV emulator `*RST`: state A, no faults, no current requested."""
        electrical = self.evse(number)
        electrical.set_faults(diode=False, pe=False)
        electrical.set_request(0.0)
        self.set_pilot(number, "A")

    def switch_mains(self, on: bool) -> None:
        """The AC source output goes on or off."""
        self.mains.switch(on)

    def pilot_changed(self, number: int) -> None:
        """Hook: the pilot or an EV fault changed on EVSE `number`."""


def error_code(electrical: Electrical) -> str | None:
    """The ChargePointErrorCode a pilot/earth fault raises (1.6 §7.6), None when healthy."""
    if electrical.pe_fault:
        return "GroundFailure"
    if electrical.cp in ("E", "F") or electrical.diode_fault:
        return "EVCommunicationError"
    return None


class StationPlant(Plant):
    """The plant of a running station: physical events become the station's local events."""

    def __init__(self, station: Station) -> None:
        super().__init__(station.evses, station.config.fault)
        self.station = station
        self._errors: dict[int, str | None] = {n: None for n in station.evses}
        self.mains.listeners.append(self._mains_switched)

    def pilot_changed(self, number: int) -> None:
        """Queue the protocol reaction behind the EVSE's earlier events."""
        self.station.evse_event(number, self._follow_pilot)

    async def _follow_pilot(self, evse: EvseModel) -> None:
        """Bring the station's view in line with the pilot as it is now."""
        electrical = self.electrical[evse.id]
        behaviour = self.station.behaviour
        code = error_code(electrical)
        if code != self._errors[evse.id]:
            self._errors[evse.id] = code
            await behaviour.connector_fault(evse, code)
        state = electrical.cp
        if state in ("E", "F"):
            return
        if state == "A":
            if evse.plugged:
                await behaviour.unplug(evse)
            return
        suspended = state == "B"
        if suspended and evse.plugged and self.fault("phy-charging-in-state-b"):
            suspended = evse.ev_suspended  # breaks 1.6 §4.9 / 2.0.1 E: B is not charging
        if not evse.plugged:
            evse.ev_suspended = suspended
            await behaviour.plug_in(evse)
        elif suspended != evse.ev_suspended:
            if evse.energized:
                await behaviour.ev_suspend(evse, suspended)
            else:
                evse.ev_suspended = suspended

    def _mains_switched(self, on: bool) -> None:
        log.info("mains %s", "on" if on else "off")
        if on:
            self.station.power_up()
            if self.fault("phy-resumes-after-power-loss"):
                for evse in self.station.evses.values():
                    if evse.plugged:
                        evse.energized = True  # breaks 1.6 §4.10 / 2.0.1 E: no transaction
        else:
            self.station.spawn(self.station.power_down())
