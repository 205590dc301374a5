"""Each CSMS fault switch visibly changes the reference CSMS's behaviour (mutants)."""

from __future__ import annotations

import asyncio

import pytest

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.app import CsmsApp
from harness.sim.csms.config import CsmsConfig
from harness.sim.faults import FAULTS, faults_for
from harness.transport.client import ClientSecurity
from tests.unit.test_sim_csms_support import (
    V16,
    V201,
    VALID,
    connected,
    id_token,
    make_station,
    running_csms,
)

PASSWORD = "0123456789abcdef0123"
MALFORMED_16 = '[2,"m1","Authorize",{}]'


def test_registry_lists_every_csms_fault_with_a_description() -> None:
    csms = faults_for("csms")
    assert set(csms) >= {
        "boot-rejected",
        "auth-invalid-for-valid",
        "transaction-id-zero",
        "accept-any-password",
        "accept-wrong-username",
        "silent",
        "drop-after-boot",
        "garbage",
        "callresult-for-malformed",
        "wrong-error-code",
    }
    assert all(FAULTS["csms"][name].description for name in csms)


def test_unknown_fault_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown CSMS fault"):
        CsmsApp(CsmsConfig(V16, faults=frozenset({"no-such-fault"})))


async def test_boot_rejected() -> None:
    async with (
        running_csms(V201, faults=frozenset({"boot-rejected"})) as app,
        connected(app) as station,
    ):
        boot = await station.boot()
        assert boot["status"] == "Rejected" and boot["interval"] > 0
        assert (await station.boot())["status"] == "Rejected"


async def test_auth_invalid_for_valid() -> None:
    faults = frozenset({"auth-invalid-for-valid"})
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        assert (await station.call("Authorize", idTag=VALID))["idTagInfo"]["status"] == "Invalid"
    async with running_csms(V201, faults=faults) as app, connected(app) as station:
        await station.boot()
        answer = await station.call("Authorize", idToken=id_token(VALID))
        assert answer["idTokenInfo"]["status"] == "Invalid"


async def test_transaction_id_zero() -> None:
    faults = frozenset({"transaction-id-zero"})
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        for connector in (1, 2):
            start = await station.call(
                "StartTransaction",
                connectorId=connector,
                idTag=VALID,
                meterStart=0,
                timestamp=utc_timestamp(),
            )
            assert start["transactionId"] == 0
    async with running_csms(V201, faults=faults) as app, connected(app) as station:
        await station.boot()
        started = await station.call(
            "TransactionEvent",
            eventType="Started",
            timestamp=utc_timestamp(),
            triggerReason="Authorized",
            seqNo=0,
            transactionInfo={"transactionId": "T-1"},
            idToken=id_token(VALID),
        )
        assert started.payload == {}


@pytest.mark.parametrize(
    ("fault", "security"),
    [
        ("accept-any-password", ClientSecurity(1, "CS001", "any-password-at-all")),
        ("accept-wrong-username", ClientSecurity(1, "SOMEONE", PASSWORD)),
    ],
)
async def test_basic_auth_faults(fault: str, security: ClientSecurity) -> None:
    async with running_csms(V201, security_profile=1, password=PASSWORD) as clean:
        refused = await make_station(clean, security=security).try_connect()
        assert refused is not None and refused.status == 401
    async with (
        running_csms(V201, security_profile=1, password=PASSWORD, faults=frozenset({fault})) as app,
        connected(app, security=security) as station,
    ):
        assert (await station.boot())["status"] == "Accepted"


async def test_silent() -> None:
    async with (
        running_csms(V16, faults=frozenset({"silent"})) as app,
        connected(app, call_timeout=0.5) as station,
    ):
        boot = {"chargePointVendor": "V", "chargePointModel": "M"}
        outcome = await station.call("BootNotification", boot, allow_no_answer=True)
        assert outcome.timed_out and station.connected


async def test_drop_after_boot() -> None:
    async with (
        running_csms(V201, faults=frozenset({"drop-after-boot"})) as app,
        connected(app) as station,
    ):
        assert (await station.boot())["status"] == "Accepted"
        assert station.connection is not None
        await asyncio.wait_for(station.connection.closed.wait(), 2)
        assert station.connection.websocket.close_code == 1006  # no close frame


async def test_garbage() -> None:
    async with (
        running_csms(V201, faults=frozenset({"garbage"})) as app,
        connected(app, call_timeout=0.5) as station,
    ):
        assert (await station.boot())["status"] == "Accepted"
        outcome = await station.call("Heartbeat", allow_no_answer=True)
        assert outcome.payload is None
        assert any("not valid JSON" in d.message for d in station.deviations())


@pytest.mark.parametrize(
    ("fault", "code"),
    [(None, "OccurenceConstraintViolation"), ("wrong-error-code", "GenericError")],
)
async def test_malformed_call_error_code(fault: str | None, code: str) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        outcome = await station.send_raw(MALFORMED_16, within=1)
        assert outcome is not None and outcome.error is not None
        assert outcome.error.code == code


async def test_callresult_for_malformed() -> None:
    async with (
        running_csms(V16, faults=frozenset({"callresult-for-malformed"})) as app,
        connected(app) as station,
    ):
        await station.boot()
        outcome = await station.send_raw(MALFORMED_16, within=1)
        assert outcome is not None and outcome.error is None and outcome.payload == {}
