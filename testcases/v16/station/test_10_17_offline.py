"""OCPP 1.6 Offline Behavior, non-happy flows (1.6 catalog section 15), charge point under test.

The 1.6 compliance test document is not public: each case follows the 2.0.1 Part 6 case of the
same purpose (E40, E43, E44 offline behaviour) translated to 1.6 messages: transaction-related
messages made offline are queued and delivered in order after the reconnect (1.6 §3.7), and
idTags are authorized offline per §3.5.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

#: Pause (s) for the station to act on local events while offline: there is nothing to observe.
SETTLE = 0.5
#: Tolerance (s) between the station's clock and the harness's when comparing timestamps.
CLOCK_SKEW = 1.0
OFFLINE_NEEDS = ("offline", "plug_in", "present_token")


def _utc(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


async def _go_offline(csms: CsmsEmulator, dut: Dut) -> float:
    """Cut the network and wait, bounded, until the link is down; return the case time."""
    await dut.go_offline()
    deadline = csms.wirelog.now() + dut.timeouts.connect
    while csms.connected:
        if csms.wirelog.now() > deadline:
            raise ExpectationFailed("the connection stayed up after go_offline")
        await asyncio.sleep(0.05)
    return csms.wirelog.now()


async def _go_online(csms: CsmsEmulator, dut: Dut) -> datetime:
    """Restore the network, wait for the reconnect; return the wall clock before restoring."""
    await asyncio.sleep(SETTLE)
    online_at = datetime.now(UTC)
    await dut.go_online()
    await csms.wait_connected(within=dut.timeouts.connect)
    return online_at


async def _valid_id_tag_cached(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Put the valid idTag in the Authorization Cache without starting a transaction (§3.5.1).

    Present it with no EV plugged in: Authorize.req Accepted, then the authorization lapses
    after ConnectionTimeOut (§9.1.6) and the connector returns to Available.
    """
    connector_id = dut.connector_id(1, 1)
    await station_v16.configured(csms, "AuthorizationCacheEnabled", "true", optional=True)
    await station_v16.configured(csms, "LocalAuthorizeOffline", "true")
    await station_v16.configured(csms, "ConnectionTimeOut", "1")
    mark = csms.wirelog.now()
    await station_v16.authorized(csms, dut, check)
    await csms.expect(
        "StatusNotification",
        where={"connectorId": connector_id, "status": "Available"},
        within=dut.timeouts.action,
        since=mark,
    )


async def _started_offline(
    csms: CsmsEmulator, dut: Dut, check: Checks, id_tag: str, *, since: float, online: datetime
) -> Message:
    """The queued StartTransaction.req for `id_tag`, timestamped before the reconnect (§3.7)."""
    start = await csms.expect("StartTransaction", within=dut.timeouts.call, since=since)
    check.equal(start["idTag"], id_tag, "StartTransaction.req idTag", ref="1.6 §4.8")
    check.equal(start["connectorId"], dut.connector_id(1, 1), "connectorId", ref="1.6 §4.8")
    started = _utc(start["timestamp"])
    check.should(
        started <= online + timedelta(seconds=CLOCK_SKEW),
        f"StartTransaction.req timestamp {start['timestamp']} is from the offline period "
        f"(reconnect at {online.isoformat()})",
        ref="1.6 §3.7",
    )
    return start


@ocpp_case(
    "TC_036_CS",
    version="1.6",
    refs=("1.6 §3.7", "1.6 §4.7", "Part 6 TC_E_40_CS"),
    needs=OFFLINE_NEEDS,
)
async def test_connection_loss_during_transaction(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Offline while charging: the periodic MeterValues sampled offline arrive after the reconnect.

    2.0.1 Part 6 TC_E_40_CS (Table 165): the queued transaction messages carry meter values
    of the offline period; in 1.6 they are MeterValues.req with the transactionId (§3.7, §4.7).
    """
    interval = 1
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "MeterValueSampleInterval", str(interval))
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    start = await station_v16.charging(csms, dut, check, since=mark)
    transaction_id = (start.answer or {}).get("transactionId")
    down = await _go_offline(csms, dut)
    await asyncio.sleep(1.5 * interval)
    online = await _go_online(csms, dut)
    meter = await csms.expect(
        "MeterValues",
        where={"transactionId": transaction_id},
        within=dut.timeouts.call,
        since=down,
    )
    sampled = min(_utc(value["timestamp"]) for value in meter["meterValue"])
    check.must(
        sampled <= online,
        f"first MeterValues.req after the reconnect holds a sample from the offline period: "
        f"{sampled.isoformat()} <= {online.isoformat()}",
        ref="1.6 §3.7",
    )


@ocpp_case(
    "TC_037_1_CS",
    version="1.6",
    refs=("1.6 §3.5", "1.6 §3.7", "1.6 §4.8", "Part 6 TC_E_43_CS"),
    needs=(*OFFLINE_NEEDS, "authorization_cache"),
)
async def test_offline_start_valid_id_tag(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Offline, a cached valid idTag starts a transaction; StartTransaction.req after reconnect.

    The idTag is authorized from the Authorization Cache (1.6 §3.5.1, LocalAuthorizeOffline);
    after the reconnect the queued StartTransaction.req arrives, then status Charging.
    """
    await station_v16.idle(csms, dut)
    await _valid_id_tag_cached(csms, dut, check)
    down = await _go_offline(csms, dut)
    await dut.plug_in(1, 1)
    await dut.present_token(dut.tokens.valid)
    online = await _go_online(csms, dut)
    await _started_offline(csms, dut, check, dut.tokens.valid, since=down, online=online)
    await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1), "status": "Charging"},
        within=dut.timeouts.call,
        since=down,
    )


async def _unknown_id_started_offline(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, stop_on_invalid: bool
) -> Message:
    """Start offline with an idTag unknown to the station; the Central System says Invalid."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "AllowOfflineTxForUnknownId", "true", optional=True)
    await station_v16.configured(
        csms, "StopTransactionOnInvalidId", "true" if stop_on_invalid else "false"
    )
    csms.on("StartTransaction", where={"idTag": dut.tokens.invalid}).respond(
        idTagInfo={"status": "Invalid"}
    )
    down = await _go_offline(csms, dut)
    await dut.plug_in(1, 1)
    await dut.present_token(dut.tokens.invalid)
    online = await _go_online(csms, dut)
    return await _started_offline(csms, dut, check, dut.tokens.invalid, since=down, online=online)


@ocpp_case(
    "TC_037_2_CS",
    version="1.6",
    refs=("1.6 §3.5.4", "1.6 §9.1.24", "1.6 §9.1.1"),
    needs=OFFLINE_NEEDS,
)
async def test_offline_invalid_id_keeps_transaction(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """StopTransactionOnInvalidId false: an offline start found Invalid is not stopped.

    1.6 §3.5.4: with the key false the charge point only stops energy delivery (SHOULD: status
    SuspendedEVSE); §9.1.24: it does not stop the transaction.
    """
    start = await _unknown_id_started_offline(csms, dut, check, stop_on_invalid=False)
    await csms.expect_none("StopTransaction", during=station_v16.quiet_window(dut))
    suspended = csms.received(
        "StatusNotification",
        {"connectorId": start["connectorId"], "status": "SuspendedEVSE"},
    )
    check.should(suspended, "energy delivery stopped: status SuspendedEVSE", ref="1.6 §3.5.4")


@ocpp_case(
    "TC_037_3_CS",
    version="1.6",
    refs=("1.6 §3.5.4", "1.6 §9.1.24", "1.6 §9.1.1"),
    needs=OFFLINE_NEEDS,
)
async def test_offline_invalid_id_stops_transaction(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """StopTransactionOnInvalidId true: an offline start found Invalid is stopped (DeAuthorized).

    1.6 §9.1.24: the charge point stops a transaction whose StartTransaction.conf is not
    Accepted; §3.5.4: the reason should be DeAuthorized.
    """
    start = await _unknown_id_started_offline(csms, dut, check, stop_on_invalid=True)
    transaction_id = (start.answer or {}).get("transactionId")
    stop = await csms.expect(
        "StopTransaction", where={"transactionId": transaction_id}, within=dut.timeouts.call
    )
    check.should(stop.get("reason") == "DeAuthorized", f"reason DeAuthorized: {stop.get('reason')}")


@ocpp_case(
    "TC_038_CS",
    version="1.6",
    refs=("1.6 §3.7", "1.6 §4.10", "Part 6 TC_E_44_CS"),
    needs=OFFLINE_NEEDS,
)
async def test_offline_stop_transaction(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Stopped offline (same idTag, unplug): StopTransaction.req delivered after the reconnect.

    2.0.1 Part 6 TC_E_44_CS (Table 171): the queued Ended event arrives after reconnecting; in
    1.6 the StopTransaction.req with the transactionId, reason Local and meterStop (§4.10).
    """
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    start = await station_v16.charging(csms, dut, check, since=mark)
    transaction_id = (start.answer or {}).get("transactionId")
    down = await _go_offline(csms, dut)
    await dut.present_token(dut.tokens.valid)
    await dut.unplug(1, 1)
    online = await _go_online(csms, dut)
    stop = await csms.expect(
        "StopTransaction",
        where={"transactionId": transaction_id},
        within=dut.timeouts.call,
        since=down,
    )
    check.must(stop.get("reason", "Local") == "Local", f"reason Local: {stop.get('reason')}")
    check.should(
        stop.get("idTag") == dut.tokens.valid, "StopTransaction.req idTag", ref="1.6 §6.49"
    )
    check.must(stop["meterStop"] >= start["meterStart"], "meterStop >= meterStart", ref="1.6 §4.10")
    check.should(
        _utc(stop["timestamp"]) <= online + timedelta(seconds=CLOCK_SKEW),
        f"stop timestamp {stop['timestamp']} is from the offline period",
        ref="1.6 §3.7",
    )


@ocpp_case(
    "TC_039_CS",
    version="1.6",
    refs=("1.6 §3.5", "1.6 §3.7", "Part 6 TC_E_43_CS"),
    needs=(*OFFLINE_NEEDS, "authorization_cache"),
)
async def test_offline_transaction(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """A whole transaction offline: StartTransaction.req then StopTransaction.req, in order.

    2.0.1 Part 6 TC_E_43_CS (Table 170): Started and Ended both arrive after reconnecting; in
    1.6 the StopTransaction.req carries the transactionId of the StartTransaction.conf (§3.7).
    """
    await station_v16.idle(csms, dut)
    await _valid_id_tag_cached(csms, dut, check)
    down = await _go_offline(csms, dut)
    await dut.plug_in(1, 1)
    await dut.present_token(dut.tokens.valid)
    await asyncio.sleep(SETTLE)
    await dut.present_token(dut.tokens.valid)
    await dut.unplug(1, 1)
    online = await _go_online(csms, dut)
    start = await _started_offline(csms, dut, check, dut.tokens.valid, since=down, online=online)
    stop = await csms.expect("StopTransaction", within=dut.timeouts.call, since=down)
    check.must(stop.at > start.at, "StopTransaction.req after StartTransaction.req", ref="1.6 §3.7")
    check.equal(
        stop["transactionId"],
        (start.answer or {}).get("transactionId"),
        "StopTransaction.req transactionId (from StartTransaction.conf)",
        ref="1.6 §4.10",
    )
    check.must(stop["meterStop"] >= start["meterStart"], "meterStop >= meterStart", ref="1.6 §4.10")
