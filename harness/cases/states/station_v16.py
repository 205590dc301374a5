"""Reusable states for a 1.6 charge point under test; the harness plays the Central System.

The 1.6 compliance document is not public; these follow OCPP 1.6 edition 2 §4 and the 2.0.1
Part 6 state of the same purpose.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

#: How long to wait for a freshly connected charge point to start booting.
SETTLE = 2.0


async def all_connectors(
    csms: CsmsEmulator, dut: Dut, status: str, *, since: float, within: float
) -> None:
    """Expect StatusNotification `status` for every connector (1.6 §4.9)."""
    for evse in dut.profile.evses:
        for connector in evse.connectors:
            await csms.expect(
                "StatusNotification",
                where={"connectorId": dut.connector_id(evse.id, connector), "status": status},
                within=within,
                since=since,
            )


async def idle(csms: CsmsEmulator, dut: Dut) -> None:
    """Wait until the charge point is connected and, if it boots on connecting, idle."""
    await csms.wait_connected(within=dut.timeouts.connect)
    try:
        await csms.expect("BootNotification", within=SETTLE)
    except ExpectationFailed:
        return
    await all_connectors(csms, dut, "Available", since=0.0, within=dut.timeouts.boot)


async def booted(csms: CsmsEmulator, dut: Dut, check: Checks) -> Message:
    """Power cycle; BootNotification (1.6 §4.2) accepted; every connector Available."""
    mark = csms.wirelog.now()
    await dut.power_cycle()
    boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=mark)
    await all_connectors(csms, dut, "Available", since=mark, within=dut.timeouts.call)
    return boot


async def plugged_in(csms: CsmsEmulator, dut: Dut, connector: int = 1) -> Message:
    """Plug in: StatusNotification Preparing (1.6 §4.9, Available -> Preparing)."""
    mark = csms.wirelog.now()
    await dut.plug_in(connector, 1)
    return await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(connector, 1), "status": "Preparing"},
        within=dut.timeouts.action,
        since=mark,
    )


async def authorized(csms: CsmsEmulator, dut: Dut, check: Checks, connector: int = 1) -> Message:
    """Present the valid idTag: Authorize.req with it (1.6 §4.1), answered Accepted."""
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid, connector)
    authorize = await csms.expect("Authorize", within=dut.timeouts.action, since=mark)
    check.equal(authorize["idTag"], dut.tokens.valid, "Authorize.req idTag", ref="1.6 §4.1")
    return authorize


async def charging(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, since: float, connector: int = 1
) -> Message:
    """StartTransaction.req for the connector and idTag (1.6 §4.8), then status Charging."""
    connector_id = dut.connector_id(connector, 1)
    start = await csms.expect(
        "StartTransaction",
        where={"connectorId": connector_id},
        within=dut.timeouts.action,
        since=since,
    )
    check.equal(start["idTag"], dut.tokens.valid, "StartTransaction.req idTag", ref="1.6 §4.8")
    check.must(start["meterStart"] >= 0, "StartTransaction.req meterStart >= 0 Wh", ref="1.6 §6.45")
    await csms.expect(
        "StatusNotification",
        where={"connectorId": connector_id, "status": "Charging"},
        within=dut.timeouts.action,
        since=since,
    )
    return start
