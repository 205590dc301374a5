"""OCPP 1.6 Core, charge point under test: Cold Boot (01) and Start Charging Session (02).

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of the
same purpose (named in its docstring), translated to 1.6 messages.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: BootNotification.conf interval (s) while Pending: the earliest next boot attempt.
PENDING_INTERVAL = 1
#: ConnectionTimeOut (s) configured for the time-out cases.
CONNECTION_TIMEOUT = 1
#: How long (s) to watch that no transaction starts once the authorization expired.
HOLD = 0.5


@ocpp_case(
    "TC_002_CS",
    version="1.6",
    refs=("1.6 §4.2", "1.6 §4.9", "1.6 §5.8", "2.0.1 Part 6 TC_B_02_CS"),
    needs=("power_cycle",),
)
async def test_cold_boot_pending(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Pending boot: no other request until Accepted, answers while Pending, boots again.

    Modelled on 2.0.1 TC_B_02_CS: the CSMS answers Pending, reads configuration while
    Pending, and accepts the next BootNotification (sent no earlier than the interval, 1.6 §4.2);
    then every connector reports its status.
    """
    await station_v16.idle(csms, dut)
    csms.on("BootNotification", once=True).respond(status="Pending", interval=PENDING_INTERVAL)
    mark = csms.wirelog.now()
    await dut.power_cycle()
    pending = await csms.expect("BootNotification", within=dut.timeouts.boot, since=mark)
    answer = await csms.call("GetConfiguration", key=["HeartbeatInterval"], allow_no_answer=True)
    check.should(
        answer.payload is not None,
        f"GetConfiguration while Pending answered: {answer.describe()}",
        ref="1.6 §4.2",
    )
    accepted = await csms.expect(
        "BootNotification", within=PENDING_INTERVAL + dut.timeouts.boot, since=pending.at + 1e-6
    )
    gap = accepted.at - pending.at
    check.should(
        gap >= PENDING_INTERVAL * 0.9,
        f"next BootNotification not before the Pending interval {PENDING_INTERVAL} s: {gap:.2f} s",
        ref="1.6 §4.2",
    )
    early = [
        m.summary()
        for m in csms.received()
        if pending.at < m.at < accepted.at and m.action != "BootNotification"
    ]
    check.must(
        not early, f"no request other than BootNotification while Pending: {early}", ref="1.6 §4.2"
    )
    await station_v16.all_connectors(
        csms, dut, "Available", since=accepted.at, within=dut.timeouts.call
    )


@ocpp_case(
    "TC_004_1_CS",
    version="1.6",
    refs=("1.6 §4.1", "1.6 §4.8", "1.6 §4.9", "2.0.1 Part 6 TC_E_04_CS"),
    needs=("plug_in", "present_token"),
)
async def test_charging_session_identification_first(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Present the valid idTag (Authorize, Preparing), then plug in: transaction, Charging."""
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.authorized(csms, dut, check)
    await station_v16.status(csms, dut, "Preparing", since=mark)
    await dut.plug_in()
    await station_v16.charging(csms, dut, check, since=mark)


@ocpp_case(
    "TC_004_2_CS",
    version="1.6",
    refs=("1.6 §9.1.6", "1.6 §4.9", "2.0.1 Part 6 TC_E_05_CS"),
    needs=("plug_in", "present_token"),
)
async def test_identification_first_connection_timeout(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Authorized but no cable within ConnectionTimeOut: back to Available, nothing starts.

    1.6 §9.1.6: the incipient transaction is cancelled and the charge point goes back to
    Available; as in 2.0.1 TC_E_05_CS the connector then works for a new session.
    """
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "ConnectionTimeOut", str(CONNECTION_TIMEOUT))
    mark = csms.wirelog.now()
    await station_v16.authorized(csms, dut, check)
    preparing = await station_v16.status(csms, dut, "Preparing", since=mark)
    await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1), "status": "Available"},
        within=CONNECTION_TIMEOUT + dut.timeouts.action,
        since=preparing.at,
    )
    replug = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await csms.expect_none("StartTransaction", during=HOLD)
    await station_v16.authorized(csms, dut, check)
    await station_v16.charging(csms, dut, check, since=replug)
