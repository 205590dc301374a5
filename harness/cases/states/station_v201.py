"""Reusable states for a 2.0.1 charging station under test; the harness plays the CSMS.

Each function follows its Part 6 table (CS side) and records the table's tool validations
as MUST checks.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message
from harness.roles.matching import Where

#: How long to wait for a freshly connected station to start booting.
SETTLE = 2.0


def connector_status(evse: int, connector: int, status: str) -> list[tuple[str, Where]]:
    """A connector status report: StatusNotification or the NotifyEvent equivalent."""
    return [
        (
            "StatusNotification",
            {"evseId": evse, "connectorId": connector, "connectorStatus": status},
        ),
        (
            "NotifyEvent",
            {
                "eventData": [
                    {
                        "trigger": "Delta",
                        "actualValue": status,
                        "component": {
                            "name": "Connector",
                            "evse": {"id": evse, "connectorId": connector},
                        },
                        "variable": {"name": "AvailabilityState"},
                    }
                ]
            },
        ),
    ]


async def all_connectors(
    csms: CsmsEmulator, dut: Dut, status: str, *, since: float, within: float
) -> None:
    """Expect a status report with `status` for every connector of the DUT profile."""
    for evse in dut.profile.evses:
        for connector in evse.connectors:
            await csms.expect_any(
                connector_status(evse.id, connector, status), within=within, since=since
            )


async def idle(csms: CsmsEmulator, dut: Dut) -> None:
    """Wait until the station is connected; if it boots on connecting, until it is idle."""
    await csms.wait_connected(within=dut.timeouts.connect)
    mark = 0.0
    try:
        await csms.expect("BootNotification", within=SETTLE)
    except ExpectationFailed:
        return  # reconnected without booting: it is already idle
    await all_connectors(csms, dut, "Available", since=mark, within=dut.timeouts.boot)


async def booted(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, via: str = "power_cycle"
) -> Message:
    """Reusable State Booted (Table 423): power cycle (or Reset), boot, statuses, event."""
    if via == "reset":
        await idle(csms, dut)
    mark = csms.wirelog.now()
    if via == "reset":
        reset = await csms.call("Reset", type="Immediate")
        check.must(
            reset.get("status") == "Accepted",
            "ResetResponse status Accepted",
            ref="Part 6 Table 423 step 2",
        )
    else:
        await dut.power_cycle()
    boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=mark)
    await all_connectors(csms, dut, "Available", since=mark, within=dut.timeouts.call)
    await csms.expect(
        "SecurityEventNotification",
        where=lambda p: p["type"] in ("StartupOfTheDevice", "ResetOrReboot"),
        within=dut.timeouts.call,
        since=mark,
    )
    return boot


async def tx_start_points(csms: CsmsEmulator) -> set[str]:
    """Read TxCtrlr.TxStartPoint (2.0.1 E01); an unreadable value means the default set."""
    answer = await csms.call(
        "GetVariables",
        getVariableData=[{"component": {"name": "TxCtrlr"}, "variable": {"name": "TxStartPoint"}}],
    )
    results = answer.get("getVariableResult") or []
    if results and results[0].get("attributeStatus") == "Accepted":
        return {p.strip() for p in str(results[0].get("attributeValue", "")).split(",") if p}
    return {"PowerPathClosed"}


async def ev_connected_pre_session(
    csms: CsmsEmulator, dut: Dut, check: Checks, start_points: set[str], evse: int = 1
) -> Message | None:
    """Reusable State EVConnectedPreSession (Table 427): plug in; status; maybe tx started."""
    mark = csms.wirelog.now()
    await dut.plug_in(evse, 1)
    await csms.expect_any(
        connector_status(evse, 1, "Occupied"), within=dut.timeouts.action, since=mark
    )
    if not start_points & {"EVConnected", "ParkingBayOccupancy"}:
        return None
    event = await csms.expect(
        "TransactionEvent", where={"evse": {"id": evse}}, within=dut.timeouts.action, since=mark
    )
    check.must(
        event["triggerReason"] in ("CablePluggedIn", "ChargingStateChanged", "RemoteStart"),
        f"TransactionEvent triggerReason is CablePluggedIn, saw {event['triggerReason']}",
        ref="Part 6 Table 427 step 3",
    )
    check.must(
        event["transactionInfo"].get("chargingState") in ("EVConnected", "SuspendedEVSE"),
        f"chargingState EVConnected, saw {event['transactionInfo'].get('chargingState')}",
        ref="Part 6 Table 427 step 3",
    )
    if "EVConnected" in start_points:
        check.equal(
            event["eventType"],
            "Started",
            "eventType at TxStartPoint EVConnected",
            ref="Part 6 Table 427 step 3",
        )
    return event


async def authorized_local(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, transaction_started: bool, evse: int = 1
) -> Message | None:
    """Reusable State Authorized, main A (Table 428): present the valid idToken."""
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid, evse)
    authorize = await csms.expect("Authorize", within=dut.timeouts.action, since=mark)
    token = authorize["idToken"]
    table = "Part 6 Table 428 step 1"
    check.equal(
        token.get("idToken"), dut.tokens.valid, "AuthorizeRequest idToken.idToken", ref=table
    )
    check.equal(
        token.get("type"), dut.tokens.token_type, "AuthorizeRequest idToken.type", ref=table
    )
    if not transaction_started:
        return None
    event = await csms.expect(
        "TransactionEvent",
        where={"triggerReason": "Authorized"},
        within=dut.timeouts.action,
        since=mark,
    )
    check.equal(
        (event.get("idToken") or {}).get("idToken"),
        dut.tokens.valid,
        "TransactionEvent idToken.idToken",
        ref="Part 6 Table 428 step 3",
    )
    return event


async def energy_transfer_started(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, since: float
) -> Message:
    """Reusable State EnergyTransferStarted, part 2 (Table 430): charging begins."""
    event = await csms.expect(
        "TransactionEvent",
        where={
            "triggerReason": "ChargingStateChanged",
            "transactionInfo": {"chargingState": "Charging"},
        },
        within=dut.timeouts.action,
        since=since,
    )
    check.must(
        event["eventType"] in ("Started", "Updated"),
        f"eventType Started or Updated, saw {event['eventType']}",
        ref="Part 6 Table 430 step 9",
    )
    return event
