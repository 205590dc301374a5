"""Reusable states for a 1.6 Central System under test; the harness plays the charge point.

They follow OCPP 1.6 edition 2 §4 (the 1.6 compliance document is not public).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome, Message
from harness.roles.station import StationEmulator


def status(connector_id: int, value: str) -> dict[str, Any]:
    """A StatusNotification.req payload."""
    return {
        "connectorId": connector_id,
        "errorCode": "NoError",
        "status": value,
        "timestamp": utc_timestamp(),
    }


async def booted(station: StationEmulator, dut: Dut, check: Checks) -> CallOutcome:
    """Connect, BootNotification accepted (1.6 §4.2), StatusNotification per connector."""
    if not station.connected:
        await station.connect()
    boot = await station.boot()
    check.equal(boot.get("status"), "Accepted", "BootNotification.conf status", ref="1.6 §4.2")
    check.must(
        isinstance(boot.get("interval"), int) and boot.get("interval", -1) >= 0,
        f"BootNotification.conf interval in seconds: {boot.get('interval')}",
        ref="1.6 §6.5",
    )
    for connector_id in range(0, sum(len(e.connectors) for e in dut.profile.evses) + 1):
        answer = await station.call("StatusNotification", status(connector_id, "Available"))
        check.must(answer.ok, f"StatusNotification.conf: {answer.describe()}", ref="1.6 §4.9")
    return boot


async def authorize(station: StationEmulator, dut: Dut, check: Checks) -> CallOutcome:
    """Authorize the valid idTag: idTagInfo.status Accepted (1.6 §4.1)."""
    answer = await station.call("Authorize", idTag=dut.tokens.valid)
    check.equal(
        (answer.get("idTagInfo") or {}).get("status"),
        "Accepted",
        "Authorize.conf idTagInfo.status for the valid idTag",
        ref="1.6 §4.1",
    )
    return answer


async def start_transaction(
    station: StationEmulator, dut: Dut, check: Checks, connector_id: int = 1, meter_start: int = 0
) -> int:
    """StartTransaction.req; the answer accepts the idTag with a transactionId (1.6 §4.8)."""
    answer = await station.call(
        "StartTransaction",
        connectorId=connector_id,
        idTag=dut.tokens.valid,
        meterStart=meter_start,
        timestamp=utc_timestamp(),
    )
    check.equal(
        (answer.get("idTagInfo") or {}).get("status"),
        "Accepted",
        "StartTransaction.conf idTagInfo.status",
        ref="1.6 §4.8",
    )
    transaction_id = answer.get("transactionId")
    check.must(
        isinstance(transaction_id, int) and transaction_id > 0,
        f"StartTransaction.conf transactionId identifies the transaction: {transaction_id}",
        ref="1.6 §4.8",
    )
    return int(transaction_id) if isinstance(transaction_id, int) else 0


async def report_status(
    station: StationEmulator,
    check: Checks,
    connector_id: int,
    value: str,
    error_code: str = "NoError",
    **fields: Any,
) -> CallOutcome:
    """StatusNotification.req; the CSMS answers StatusNotification.conf (1.6 §4.9)."""
    payload = {**status(connector_id, value), "errorCode": error_code, **fields}
    answer = await station.call("StatusNotification", payload)
    check.must(
        answer.ok,
        f"StatusNotification.conf for connector {connector_id} {value}/{error_code}: expected "
        f"a CALLRESULT, saw {answer.describe()}",
        ref="1.6 §4.9",
    )
    return answer


async def charging_session(
    station: StationEmulator, dut: Dut, check: Checks, connector_id: int = 1
) -> int:
    """Booted, Preparing, Authorize, StartTransaction, Charging; return the transactionId."""
    await booted(station, dut, check)
    await report_status(station, check, connector_id, "Preparing")
    await authorize(station, dut, check)
    transaction_id = await start_transaction(station, dut, check, connector_id, meter_start=1000)
    await report_status(station, check, connector_id, "Charging")
    return transaction_id


async def stop_transaction(
    station: StationEmulator,
    check: Checks,
    transaction_id: int,
    *,
    reason: str = "Local",
    id_tag: str | None = None,
    meter_stop: int = 2000,
    timestamp: str | None = None,
    **fields: Any,
) -> CallOutcome:
    """StopTransaction.req; the CSMS SHALL answer, about the idTag when one is sent (1.6 §4.10).

    idTagInfo is optional in StopTransaction.conf (the CSMS MAY inform about the idTag, §4.10):
    its absence for a sent idTag is a SHOULD failure, a status other than Accepted for the
    valid idTag a MUST failure.
    """
    payload: dict[str, Any] = {
        "transactionId": transaction_id,
        "meterStop": meter_stop,
        "timestamp": timestamp or utc_timestamp(),
        "reason": reason,
        **fields,
    }
    if id_tag is not None:
        payload["idTag"] = id_tag
    answer = await station.call("StopTransaction", payload)
    check.must(
        answer.ok,
        f"StopTransaction.conf for transaction {transaction_id} (reason {reason}): expected a "
        f"CALLRESULT, saw {answer.describe()}",
        ref="1.6 §4.10",
    )
    info = answer.get("idTagInfo")
    if id_tag is not None and answer.ok:
        present = check.should(
            isinstance(info, dict),
            f"StopTransaction.conf informs about idTag {id_tag}: idTagInfo {info}",
            ref="1.6 §4.10",
        )
        if present:
            check.equal(
                info.get("status"),
                "Accepted",
                "StopTransaction.conf idTagInfo.status",
                ref="1.6 §4.10",
            )
    return answer


async def command(
    station: StationEmulator,
    dut: Dut,
    action: str,
    payload: dict[str, Any],
    answer: dict[str, Any] | None = None,
) -> Message:
    """Make the CSMS send `action` as the operator asks with `payload`; return its CALL.

    The emulated charge point answers with `answer` over its default answer (1.6 §5).
    """
    if answer is not None:
        station.on(action, once=True).respond(answer)
    mark = station.wirelog.now()
    await dut.trigger(action, payload)
    return await station.expect(action, within=dut.timeouts.call, since=mark)


async def still_served(station: StationEmulator, check: Checks, after: str) -> bool:
    """Check the CSMS still answers the charge point after `after` (Heartbeat.conf, 1.6 §4.6).

    Returns whether it does, so a case can stop playing a session that is gone.
    """
    heartbeat = await station.call("Heartbeat", allow_no_answer=True) if station.connected else None
    if heartbeat is not None:
        seen = heartbeat.describe()
    else:
        reason = station.connection.close_reason if station.connection else "no connection"
        seen = f"the connection closed ({reason})"
    return check.must(
        heartbeat is not None and heartbeat.ok,
        f"Heartbeat.conf after {after}: expected the CSMS to keep serving the charge point "
        f"with a CALLRESULT, saw {seen}",
        ref="1.6 §4.6",
    )
