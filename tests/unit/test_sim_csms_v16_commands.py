"""Reference 1.6 CSMS reservation, trigger and smart charging behaviour and their faults."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from harness.ocppj.clock import parse_timestamp, utc_timestamp
from harness.sim.csms import v16_outgoing
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from testcases.v16.station.security_steps import new_ca
from tests.unit.test_sim_csms_support import V16, V201, VALID, connected, post, running_csms

GROUP = "0A0B0C0D"


def _context(*faults: str, version: Any = V16) -> CsmsContext:
    return CsmsContext(CsmsConfig(version=version, faults=frozenset(faults)))


def _profile(unit: str = "A") -> dict[str, Any]:
    return {
        "chargingProfileId": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": {
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6.0}],
        },
    }


def test_prepare_leaves_requests_alone_without_faults() -> None:
    payload = {"connectorId": 1, "expiryDate": utc_timestamp(), "idTag": VALID, "reservationId": 1}
    assert v16_outgoing.prepare(_context(), "ReserveNow", payload) is payload


@pytest.mark.parametrize(
    "fault, action, payload, changed",
    [
        ("resv16-cancel-wrong-id", "CancelReservation", {"reservationId": 7}, {"reservationId": 8}),
        ("sc16-clear-all", "ClearChargingProfile", {"id": 3, "stackLevel": 1}, {}),
        (
            "sc16-composite-connector-zero",
            "GetCompositeSchedule",
            {"connectorId": 1, "duration": 300},
            {"connectorId": 0, "duration": 300},
        ),
        (
            "sc16-rate-unit-mismatch",
            "RemoteStartTransaction",
            {"idTag": VALID, "chargingProfile": _profile()},
            {"idTag": VALID, "chargingProfile": _profile("W")},
        ),
        (
            "sc16-rate-unit-mismatch",
            "SetChargingProfile",
            {"connectorId": 1, "csChargingProfiles": _profile()},
            {"connectorId": 1, "csChargingProfiles": _profile("W")},
        ),
    ],
)
def test_faults_distort_a_copy(
    fault: str, action: str, payload: dict[str, Any], changed: dict[str, Any]
) -> None:
    before = repr(payload)
    assert v16_outgoing.prepare(_context(fault), action, payload) == changed
    assert repr(payload) == before  # the operator's request is not touched
    assert v16_outgoing.prepare(_context(fault, version=V201), action, payload) == payload


def test_expiry_past_and_garbled_certificates() -> None:
    ctx = _context("resv16-expiry-past", "sec16-certificate-garbled")
    reserve = {"connectorId": 1, "expiryDate": utc_timestamp(), "idTag": VALID, "reservationId": 1}
    sent = v16_outgoing.prepare(ctx, "ReserveNow", reserve)
    assert parse_timestamp(sent["expiryDate"]) < datetime.now(UTC)
    pem = new_ca("Test root").pem
    install = v16_outgoing.prepare(
        ctx,
        "InstallCertificate",
        {"certificateType": "ManufacturerRootCertificate", "certificate": pem},
    )
    assert "BEGIN CERTIFICATE" not in install["certificate"] and len(install["certificate"]) > 100


@pytest.mark.parametrize("fault", [None, "resv16-no-parent-id"])
async def test_authorize_gives_the_parent_id_tag(fault: str | None) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    groups = {VALID: GROUP}
    async with (
        running_csms(V16, faults=faults, token_groups=groups) as app,
        connected(app) as station,
    ):
        await station.boot()
        info = (await station.call("Authorize", idTag=VALID))["idTagInfo"]
        assert info["status"] == "Accepted"
        assert info.get("parentIdTag") == (None if fault else GROUP)


@pytest.mark.parametrize("fault", [None, "resv16-reservation-start-refused"])
async def test_start_ending_a_reservation(fault: str | None) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        start = {"connectorId": 1, "idTag": VALID, "meterStart": 0, "timestamp": utc_timestamp()}
        plain = await station.call("StartTransaction", start)
        reserved = await station.call("StartTransaction", {**start, "reservationId": 4})
        assert plain["idTagInfo"]["status"] == "Accepted"
        assert reserved["idTagInfo"]["status"] == ("Invalid" if fault else "Accepted")
        assert reserved["transactionId"] > plain["transactionId"]


@pytest.mark.parametrize(
    "fault, route, action, body, status",
    [
        (
            "resv16-refusal-drops",
            "reserve-now",
            "ReserveNow",
            {
                "connectorId": 1,
                "expiryDate": "2030-01-01T00:00:00.000Z",
                "idTag": VALID,
                "reservationId": 1,
            },
            "Occupied",
        ),
        (
            "resv16-refusal-drops",
            "cancel-reservation",
            "CancelReservation",
            {"reservationId": 1},
            "Rejected",
        ),
        (
            "trig16-rejected-drops",
            "trigger-message",
            "TriggerMessage",
            {"requestedMessage": "Heartbeat"},
            "NotImplemented",
        ),
    ],
)
@pytest.mark.parametrize("switched_on", [False, True])
async def test_refusal_is_noted_or_hung_up_on(
    fault: str, route: str, action: str, body: dict[str, Any], status: str, switched_on: bool
) -> None:
    faults = frozenset({fault}) if switched_on else frozenset()
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        station.on(action).respond(status=status)
        code, answer = await post(app, f"/api/octt/1.6/CS001/{route}", body)
        assert code == 200 and answer["response"] == {"status": status}
        assert station.connection is not None
        if switched_on:
            await station.connection.wait_closed()
        else:
            assert (await station.call("Heartbeat")).ok


@pytest.mark.parametrize("fault", [None, "trig16-meter-values-need-transaction"])
async def test_meter_values_without_transaction(fault: str | None) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        sample = {"timestamp": utc_timestamp(), "sampledValue": [{"value": "10"}]}
        answer = await station.call("MeterValues", connectorId=1, meterValue=[sample])
        assert answer.ok is (fault is None)
