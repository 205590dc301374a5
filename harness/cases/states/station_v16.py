"""Reusable states for a 1.6 charge point under test; the harness plays the Central System.

The 1.6 compliance document is not public; these follow OCPP 1.6 edition 2 §4 and the 2.0.1
Part 6 state of the same purpose.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed, NotApplicable
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


#: Upper bound (s) of a "SHALL NOT send" window; a station acts on a CALLRESULT at once.
QUIET_MAX = 2.0


def quiet_window(dut: Dut) -> float:
    """How long to watch for a message the DUT must not send: the message timeout, capped."""
    return min(dut.timeouts.call, QUIET_MAX)


async def configured(csms: CsmsEmulator, key: str, value: str, *, optional: bool = False) -> None:
    """Precondition ChangeConfiguration.req (1.6 §5.3) answered Accepted.

    Any other answer fails the case for a required key and makes it N/A for an optional one.
    """
    outcome = await csms.call("ChangeConfiguration", key=key, value=value)
    if outcome.get("status") == "Accepted":
        return
    problem = f"ChangeConfiguration {key}={value} answered {outcome.describe()}"
    if optional:
        raise NotApplicable(f"optional key: {problem}")
    raise ExpectationFailed(f"{problem}; expected Accepted", ref="1.6 §5.3")


async def status(
    csms: CsmsEmulator, dut: Dut, value: str, *, since: float, connector: int = 1
) -> Message:
    """StatusNotification `value` for the connector (1.6 §4.9)."""
    return await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(connector, 1), "status": value},
        within=dut.timeouts.action,
        since=since,
    )


async def unavailable(csms: CsmsEmulator, dut: Dut, check: Checks, connector: int = 1) -> None:
    """ChangeAvailability Inoperative Accepted (1.6 §5.2), then status Unavailable.

    `connector` 0 means the whole charge point: every connector reports Unavailable.
    """
    mark = csms.wirelog.now()
    connector_id = 0 if connector == 0 else dut.connector_id(connector, 1)
    out = await csms.call("ChangeAvailability", connectorId=connector_id, type="Inoperative")
    check.equal(out.get("status"), "Accepted", "ChangeAvailability.conf status", ref="1.6 §5.2")
    evses = [e.id for e in dut.profile.evses] if connector == 0 else [connector]
    for number in evses:
        await status(csms, dut, "Unavailable", since=mark, connector=number)


async def session(csms: CsmsEmulator, dut: Dut, check: Checks, connector: int = 1) -> Message:
    """Plug in, present the valid idTag, transaction started, Charging (TC_003_CS flow)."""
    mark = csms.wirelog.now()
    await plugged_in(csms, dut, connector)
    await authorized(csms, dut, check, connector)
    return await charging(csms, dut, check, since=mark, connector=connector)


def transaction_id(start: Message) -> object:
    """The transactionId the harness gave in StartTransaction.conf (1.6 §6.46)."""
    return (start.answer or {}).get("transactionId")


async def stopped(
    csms: CsmsEmulator,
    dut: Dut,
    check: Checks,
    start: Message,
    *,
    since: float,
    reason: str,
    id_tag: str | None = None,
    within: float | None = None,
) -> Message:
    """StopTransaction.req for `start`'s transaction (1.6 §4.10) with its reason and meterStop.

    Reason is a SHOULD (§4.10: absent means Local); meterStop is the energy register, which
    does not run backwards (§6.49, Energy.Active.Import.Register).
    """
    stop = await csms.expect(
        "StopTransaction",
        where={"transactionId": transaction_id(start)},
        within=dut.timeouts.action if within is None else within,
        since=since,
    )
    seen = stop.get("reason", "Local")
    check.should(
        seen == reason,
        f"StopTransaction.req reason: expected {reason}, saw {seen}",
        ref="1.6 §4.10, §7.36",
    )
    check.must(
        stop["meterStop"] >= start["meterStart"],
        f"meterStop {stop['meterStop']} Wh must not be below meterStart {start['meterStart']} Wh",
        ref="1.6 §6.49",
    )
    if id_tag is not None:
        check.equal(stop.get("idTag"), id_tag, "StopTransaction.req idTag", ref="1.6 §6.49")
    return stop


async def unplugged(csms: CsmsEmulator, dut: Dut, connector: int = 1) -> Message:
    """Unplug the EV after the transaction: StatusNotification Available (1.6 §4.9)."""
    mark = csms.wirelog.now()
    await dut.unplug(connector, 1)
    return await status(csms, dut, "Available", since=mark, connector=connector)


async def token_cached(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Memory state "valid idTag cached" (2.0.1 Part 6 IdTokenCached; 1.6 §3.5.1).

    AuthorizationCacheEnabled and LocalPreAuthorize true, then one complete session with the
    valid idTag (Authorize.conf and StartTransaction.conf Accepted fill the cache).
    """
    await configured(csms, "AuthorizationCacheEnabled", "true")
    await configured(csms, "LocalPreAuthorize", "true")
    start = await session(csms, dut, check)
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid)
    await stopped(csms, dut, check, start, since=mark, reason="Local", id_tag=dut.tokens.valid)
    await unplugged(csms, dut)
