"""Steps the physical cases share: start a charging session, stop it, edge timings.

The EV is the rig's emulator (the `rig` action backend plugs it in: state B, then C with its
maximum current); tokens and OCPP commands are the usual ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from harness.cases.checks import Checks
from harness.cases.rig_session import AsyncEv, AsyncMeter, PhysicalRig
from harness.cases.states import station_v16, station_v201
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

#: The register measurand of both versions.
REGISTER = "Energy.Active.Import.Register"
#: Measurands the power/current and limit cases ask the station to sample.
SAMPLED = f"{REGISTER},Power.Active.Import,Current.Import,Current.Offered"


async def start_16(csms: CsmsEmulator, dut: Dut, check: Checks, evse: int = 1) -> Message:
    """1.6: idle, plug in (Preparing), present the valid idTag, StartTransaction, Charging."""
    await station_v16.idle(csms, dut)
    return await station_v16.session(csms, dut, check, evse)


async def start_201(csms: CsmsEmulator, dut: Dut, check: Checks, evse: int = 1) -> Message:
    """2.0.1: idle, plug in (Occupied), authorize; return the event that says Charging."""
    await station_v201.idle(csms, dut)
    mark = csms.wirelog.now()
    points = await station_v201.tx_start_points(csms)
    await station_v201.ev_connected_pre_session(csms, dut, check, points, evse)
    await station_v201.authorized_local(
        csms, dut, check, transaction_started=bool(points & {"Authorized", "EVConnected"})
    )
    return await station_v201.energy_transfer_started(csms, dut, check, since=mark)


async def variable_201(csms: CsmsEmulator, component: str, variable: str, value: str) -> None:
    """Precondition SetVariables (2.0.1 B05) answered Accepted, else the case fails."""
    from harness.outcomes import ExpectationFailed

    answer = await csms.call(
        "SetVariables",
        setVariableData=[
            {
                "component": {"name": component},
                "variable": {"name": variable},
                "attributeValue": value,
            }
        ],
    )
    results = answer.get("setVariableResult") or [{}]
    if results[0].get("attributeStatus") != "Accepted":
        raise ExpectationFailed(
            f"SetVariables {component}.{variable}={value} answered {answer.describe()}; "
            "expected Accepted",
            ref="2.0.1 B05",
        )


def transaction_of_201(csms: CsmsEmulator, evse: int = 1) -> str:
    """The transactionId of the latest transaction the station reported for `evse`."""
    events = csms.received("TransactionEvent", where={"evse": {"id": evse}})
    if not events:
        raise AssertionError(f"no TransactionEvent for EVSE {evse}")
    return str(events[-1]["transactionInfo"]["transactionId"])


def register_201(event: Message) -> float | None:
    """The Energy.Active.Import.Register in a TransactionEvent's meterValue, if any."""
    from harness.cases.physical import sampled

    return sampled(event.get("meterValue") or [], REGISTER)


@dataclass(frozen=True)
class Edge:
    """How long a physical change took after a command, measured in one worker thread."""

    took_s: float | None
    last: float
    bound_s: float

    @property
    def within(self) -> bool:
        """True when the change was seen within the bound."""
        return self.took_s is not None and self.took_s <= self.bound_s

    def describe(self, what: str) -> str:
        """`what` within the bound, with the time seen (an upper bound: I/O included)."""
        seen = "never" if self.took_s is None else f"after {self.took_s * 1000:.0f} ms"
        return f"{what} within {self.bound_s * 1000:g} ms: seen {seen} (last reading {self.last:g})"


def edge(
    act: Callable[[], None],
    read: Callable[[], float],
    ok: Callable[[float], bool],
    bound_s: float,
    watch_s: float,
    period_s: float = 0.002,
) -> Edge:
    """Do `act`, then read until `ok`: the time from before `act` to the first good answer.

    Runs synchronously in one worker thread (no event-loop hops inside the measurement), so
    the time is an upper bound of the DUT's reaction plus two instrument round trips.
    """
    start = time.monotonic()
    act()
    value = read()
    while not ok(value):
        if time.monotonic() - start > watch_s:
            return Edge(None, value, bound_s)
        time.sleep(period_s)
        value = read()
    return Edge(time.monotonic() - start, value, bound_s)


async def pilot_edge(
    rig: PhysicalRig,
    ev: AsyncEv,
    meter: AsyncMeter,
    state: str,
    bound_s: float,
    watch_s: float,
) -> Edge:
    """Put the pilot in `state`; time until the analyzer reads no current and no voltage."""
    ev_driver, meter_driver = ev.driver, meter.driver
    rig.note(f"{ev.name}: pilot -> {state}, timing the contactor (bound {bound_s:g} s)")
    return await rig.call(
        edge,
        lambda: ev_driver.set_cp_state(state),
        lambda: max(meter_driver.current_a(), meter_driver.voltage_v()),
        lambda value: value == 0.0,
        bound_s,
        watch_s,
    )
