"""The 1.6 reference CSMS: local list management, authorization, firmware reports (loopback)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import Message
from harness.sim.csms.v16_local_list import next_version
from tests.unit.test_sim_csms_support import (
    BLOCKED,
    EXPIRED,
    INVALID,
    V16,
    VALID,
    connected,
    get,
    post,
    running_csms,
)

ROUTE = "/api/octt/1.6/CS001/send-local-list"


@pytest.mark.parametrize(
    ("known", "reported", "stale", "expected"),
    [
        (0, 0, False, 1),  # empty list: never 0 (errata 3.52)
        (0, -1, False, 1),  # not supported: still a valid version
        (0, 7, False, 8),  # above the station's
        (9, 3, False, 10),  # above what the CSMS set last
        (2, None, False, 3),  # no answer: above the known one
        (0, 3, True, 3),  # fault: the reported version again
    ],
)
def test_next_version(known: int, reported: int | None, stale: bool, expected: int) -> None:
    assert next_version(known, reported, stale=stale) == expected


async def test_full_list_gets_version_and_id_tag_info_from_the_token_table() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        station.on("GetLocalListVersion").respond(listVersion=4)
        items = [{"idTag": t} for t in (VALID, BLOCKED, "UNKNOWNTAG")]
        status, body = await post(
            app, ROUTE, {"updateType": "Full", "localAuthorizationList": items}
        )
        assert status == 200 and body["response"] == {"status": "Accepted"}, body
        sent = await station.expect("SendLocalList", within=1)
        assert sent["listVersion"] == 5
        assert [e["idTagInfo"]["status"] for e in sent["localAuthorizationList"]] == [
            "Accepted",
            "Blocked",
            "Invalid",
        ]
        listing = await get(app, "/api/stations")
        assert listing["stations"][0]["local_list_version"] == 5


async def test_differential_deletes_unknown_tags_and_keeps_given_version() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        items = [{"idTag": EXPIRED}, {"idTag": "UNKNOWNTAG"}]
        body = {"updateType": "Differential", "listVersion": 12, "localAuthorizationList": items}
        await post(app, ROUTE, body)
        sent = await station.expect("SendLocalList", within=1)
        assert sent["listVersion"] == 12
        assert sent["localAuthorizationList"] == [
            {"idTag": EXPIRED, "idTagInfo": {"status": "Expired"}},
            {"idTag": "UNKNOWNTAG"},
        ]
        assert station.received("GetLocalListVersion") == []


async def test_failed_differential_is_resent_in_full() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        station.on("GetLocalListVersion").respond(listVersion=2)
        station.on("SendLocalList", once=True).respond(status="Failed")
        body = {"updateType": "Differential", "localAuthorizationList": [{"idTag": VALID}]}
        status, answer = await post(app, ROUTE, body)
        assert status == 200
        assert answer["response"] == {"status": "Failed"}
        assert answer["retry"] == {"status": "Accepted"}
        first = await station.expect("SendLocalList", within=1)
        retry = await station.expect("SendLocalList", within=1)
        assert (first["updateType"], first["listVersion"]) == ("Differential", 3)
        assert (retry["updateType"], retry["listVersion"]) == ("Full", 4)
        assert {e["idTag"] for e in retry["localAuthorizationList"]} == {
            VALID,
            INVALID,
            BLOCKED,
            EXPIRED,
        }


async def test_no_full_retry_fault_leaves_the_failed_update() -> None:
    async with (
        running_csms(V16, faults=frozenset({"list16-no-full-retry"})) as app,
        connected(app) as station,
    ):
        await station.boot()
        station.on("SendLocalList").respond(status="Failed")
        body = {"updateType": "Differential", "localAuthorizationList": [{"idTag": VALID}]}
        _, answer = await post(app, ROUTE, body)
        assert "retry" not in answer
        assert len(station.received("SendLocalList")) == 1


async def test_start_transaction_needs_no_authorize_unless_the_fault_is_on() -> None:
    def start() -> dict[str, Any]:
        return {"connectorId": 1, "idTag": VALID, "meterStart": 0, "timestamp": utc_timestamp()}

    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        answer = await station.call("StartTransaction", start())
        assert answer["idTagInfo"]["status"] == "Accepted"
    faults = frozenset({"core16-cable-first-only"})
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        answer = await station.call("StartTransaction", start())
        assert answer["idTagInfo"]["status"] == "Invalid"


async def test_firmware_and_diagnostics_statuses_are_kept_and_faults_refuse() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        for status in ("Downloading", "DownloadFailed"):
            assert (await station.call("FirmwareStatusNotification", status=status)).ok
        assert (await station.call("DiagnosticsStatusNotification", status="Uploaded")).ok
        record = (await get(app, "/api/stations"))["stations"][0]
        assert record["firmware_statuses"] == ["Downloading", "DownloadFailed"]
        assert record["diagnostics_statuses"] == ["Uploaded"]
    faults = frozenset({"fw16-failure-status-error"})
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        assert (await station.call("FirmwareStatusNotification", status="Downloading")).ok
        refused = await station.call("FirmwareStatusNotification", status="DownloadFailed")
        assert refused.error is not None and refused.error.code == "InternalError"


async def test_connector_off_by_one_fault_distorts_only_connector_commands() -> None:
    faults = frozenset({"core16-connector-off-by-one"})
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        await post(app, "/api/octt/1.6/CS001/unlock-connector", {"connectorId": 2})
        await post(app, "/api/octt/1.6/CS001/reset", {"type": "Hard"})
        unlock: Message = await station.expect("UnlockConnector", within=1)
        reset: Message = await station.expect("Reset", within=1)
        assert unlock["connectorId"] == 1
        assert reset["type"] == "Hard"
