"""PHY status vs control pilot: what the station reports follows the EV's pilot state.

IEC 61851-1 pilot states against OCPP status, each within the profile's action bound:
B (connected) -> 1.6 Preparing / 2.0.1 Occupied; C during a transaction -> Charging (energy
flows); C -> B -> SuspendedEV (nothing flows); a shorted EV diode or a lost protective earth
-> Faulted (1.6 §4.9/§7.6 EVCommunicationError, GroundFailure; 2.0.1 G01); A -> Available.
The analyzer confirms each physical state (current while Charging, none otherwise).
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.physical import B_TO_C_POWER_S, Trace, poll_until, sampling
from harness.cases.rig_session import AsyncEv, PhysicalRig
from harness.cases.states import station_v16, station_v201
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.report.plots import Panel, Series
from harness.roles.csms import CsmsEmulator
from harness.roles.matching import Where

#: The EV's request during the case (A per phase).
REQUEST_A = 16.0


class Pilot:
    """Drive the EV emulator and expect the station's report of each change."""

    def __init__(self, csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
        self.csms, self.dut, self.check, self.rig = csms, dut, check, rig
        self.ev: AsyncEv = rig.ev(1)
        self.trace = Trace(rig)
        self.reported = Series("reported status", markers=True, steps=True)
        self.names: list[str] = []

    async def step(self, label: str, change: str, options: list[tuple[str, Where]]) -> None:
        """Apply `change` (a pilot state, or `diode`/`pe` +/-), expect one of `options`.

        A report that does not come ends the case (FAIL): later steps build on this one.
        """
        mark = self.rig.now()
        self.trace.event(label)
        if change in ("diode+", "diode-", "pe+", "pe-"):
            await self.ev.inject_fault(change[:-1], change.endswith("+"))
        else:
            await self.ev.set_cp_state(change)
        within = self.dut.timeouts.action
        try:
            message = await self.csms.expect_any(options, within=within, since=mark)
        except ExpectationFailed as missed:
            raise ExpectationFailed(
                f"{label}: {missed.message}",
                ref="1.6 §4.9 / 2.0.1 G01, E; IEC 61851-1 pilot states",
                timeline=missed.timeline,
            ) from missed
        name = _status_of(message.payload)
        if name not in self.names:
            self.names.append(name)
        self.reported.add(message.at, float(self.names.index(name)))
        self.check.must(
            True,
            f"{label}: {message.action} {name} after {message.at - mark:.2f} s",
            ref="1.6 §4.9 / 2.0.1 G01, E",
        )

    async def physically(self, flowing: bool, label: str) -> None:
        """The analyzer agrees within B_TO_C_POWER_S: current flows (or not)."""
        took, current = await poll_until(
            self.rig.meter(1).current_a,
            lambda amps: (amps > 0) == flowing,
            B_TO_C_POWER_S,
            clock=self.rig.now,
        )
        self.check.must(
            took is not None,
            f"{label}: {'current' if flowing else 'no current'} within {B_TO_C_POWER_S:g} s: "
            f"measured {current:g} A",
            ref="IEC 61851-1 (B -> C with PWM: power on within 3 s)",
        )

    def save(self, name: str) -> None:
        """Plot measured current and the reported status sequence."""
        ticks = ", ".join(f"{i}={n}" for i, n in enumerate(self.names))
        self.trace.save(
            "status",
            f"{name}: pilot changes and reported status",
            [
                Panel("current (A)", [self.trace.line("measured I (A)")]),
                Panel(f"status ({ticks})", [self.reported]),
            ],
        )


def _status_of(payload: dict[str, object]) -> str:
    for key in ("status", "connectorStatus"):
        if key in payload:
            return str(payload[key])
    info = payload.get("transactionInfo")
    state = info.get("chargingState") if isinstance(info, dict) else None
    return f"chargingState {state}"


def _status16(dut: Dut, status: str) -> list[tuple[str, Where]]:
    return [("StatusNotification", {"connectorId": dut.connector_id(1, 1), "status": status})]


def _status201(status: str) -> list[tuple[str, Where]]:
    return station_v201.connector_status(1, 1, status)


def _charging201(state: str) -> list[tuple[str, Where]]:
    where = {"evse": {"id": 1}, "transactionInfo": {"chargingState": state}}
    return [("TransactionEvent", where)]


@harness_case(
    "PHY_16_pilot_status",
    version="1.6",
    dut_role="station",
    title="StatusNotification follows the control pilot state",
    section="Physical",
    profile="Physical",
    refs=("1.6 §4.9", "1.6 §7.6", "1.6 §7.7", "IEC 61851-1 Annex A"),
    needs=("plug_in", "present_token"),
)
async def test_pilot_status_16(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """B Preparing, C Charging, B SuspendedEV, faults Faulted, A Available."""
    await station_v16.idle(csms, dut)
    pilot = Pilot(csms, dut, check, rig)
    await pilot.ev.request_current(REQUEST_A)
    try:
        async with sampling(pilot.trace, rig.meter(1), pilot.ev, period=0.1):
            await pilot.step("EV A->B", "B", _status16(dut, "Preparing"))
            await station_v16.authorized(csms, dut, check)
            await pilot.step("EV B->C", "C", _status16(dut, "Charging"))
            await pilot.physically(True, "state C, Charging")
            await pilot.step("EV C->B", "B", _status16(dut, "SuspendedEV"))
            await pilot.physically(False, "state B, SuspendedEV")
            await pilot.step("EV B->C", "C", _status16(dut, "Charging"))
            await pilot.step("diode fault", "diode+", _status16(dut, "Faulted"))
            await pilot.physically(False, "diode fault")
            await pilot.step("diode fault cleared", "diode-", _status16(dut, "Charging"))
            await pilot.step("EV C->B", "B", _status16(dut, "SuspendedEV"))
            await pilot.step("PE lost", "pe+", _status16(dut, "Faulted"))
            await pilot.physically(False, "PE fault")
            await pilot.step("PE restored", "pe-", _status16(dut, "SuspendedEV"))
            await pilot.step("EV B->A", "A", _status16(dut, "Available"))
    finally:
        pilot.save("PHY_16_pilot_status")
    csms.consume_all()


@harness_case(
    "PHY_201_pilot_status",
    version="2.0.1",
    dut_role="station",
    title="Connector status and chargingState follow the control pilot state",
    section="Physical",
    profile="Physical",
    refs=("2.0.1 G01", "2.0.1 E02", "2.0.1 E06", "IEC 61851-1 Annex A"),
    needs=("plug_in", "present_token"),
)
async def test_pilot_status_201(
    csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig
) -> None:
    """B Occupied, C Charging, B SuspendedEV, faults Faulted, A Available."""
    await station_v201.idle(csms, dut)
    pilot = Pilot(csms, dut, check, rig)
    await pilot.ev.request_current(REQUEST_A)
    try:
        async with sampling(pilot.trace, rig.meter(1), pilot.ev, period=0.1):
            await pilot.step("EV A->B", "B", _status201("Occupied"))
            await station_v201.authorized_local(csms, dut, check, transaction_started=True)
            await pilot.step("EV B->C", "C", _charging201("Charging"))
            await pilot.physically(True, "state C, Charging")
            await pilot.step("EV C->B", "B", _charging201("SuspendedEV"))
            await pilot.physically(False, "state B, SuspendedEV")
            await pilot.step("EV B->C", "C", _charging201("Charging"))
            await pilot.step("diode fault", "diode+", _status201("Faulted"))
            await pilot.physically(False, "diode fault")
            await pilot.step("diode fault cleared", "diode-", _status201("Occupied"))
            await pilot.step("PE lost", "pe+", _status201("Faulted"))
            await pilot.step("PE restored", "pe-", _status201("Occupied"))
            await pilot.step("EV C->A", "A", _status201("Available"))
    finally:
        pilot.save("PHY_201_pilot_status")
    csms.consume_all()
