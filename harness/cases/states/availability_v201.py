"""Availability changes on a 2.0.1 CSMS under test (G03/G04, Part 6 Table 700 and TC_G_*).

The scope of a ChangeAvailabilityRequest is the whole station (no `evse`), one EVSE
(`evse.id`) or one connector (`evse.id` and `evse.connectorId`).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.csms_v201 import status
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

Payload = dict[str, Any]


def request_for(operational: str, evse: int | None, connector: int | None) -> Payload:
    """The ChangeAvailabilityRequest for a scope."""
    payload: Payload = {"operationalStatus": operational}
    if evse is not None:
        payload["evse"] = {"id": evse}
        if connector is not None:
            payload["evse"]["connectorId"] = connector
    return payload


def expected_scope(evse: int | None, connector: int | None) -> Payload:
    """Dotted-path expectations on the request's scope (None: the field must be absent)."""
    if evse is None:
        return {"evse": None}
    return {"evse.id": evse, "evse.connectorId": connector}


def connectors(dut: Dut, evse: int | None, connector: int | None) -> list[tuple[int, int]]:
    """The (evse, connector) pairs a scope covers, from the DUT profile."""
    pairs = [(e.id, c) for e in dut.profile.evses for c in e.connectors]
    return [
        (e, c)
        for e, c in pairs
        if (evse is None or e == evse) and (connector is None or c == connector)
    ]


async def change_availability(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    operational: str,
    *,
    evse: int | None = None,
    connector: int | None = None,
    answer: str = "Accepted",
    ref: str | None = None,
) -> Message:
    """Have the CSMS send ChangeAvailability for the scope; answer `answer`; check the request."""
    station.on("ChangeAvailability", once=True).respond(status=answer)
    request = await commanded(
        station, dut, "ChangeAvailability", request_for(operational, evse, connector)
    )
    expected: Payload = {"operationalStatus": operational, **expected_scope(evse, connector)}
    check_fields(check, request, expected, ref=ref)
    return request


async def report(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    value: str,
    *,
    evse: int | None = None,
    connector: int | None = None,
    skip: tuple[tuple[int, int], ...] = (),
    step: str,
) -> None:
    """Send StatusNotification `value` for every connector of the scope; each must be answered."""
    for evse_id, connector_id in connectors(dut, evse, connector):
        if (evse_id, connector_id) in skip:
            continue
        answer = await station.call("StatusNotification", status(evse_id, connector_id, value))
        check.must(
            answer.ok,
            f"expected a valid StatusNotificationResponse to {value} on "
            f"{evse_id}/{connector_id}, saw {answer.describe()}",
            ref=step,
        )


async def unavailable(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    *,
    evse: int | None = None,
    connector: int | None = None,
) -> None:
    """Reusable State Unavailable (Table 700): Inoperative for the scope, then Unavailable."""
    await change_availability(
        station,
        dut,
        check,
        "Inoperative",
        evse=evse,
        connector=connector,
        ref="Part 6 Table 700 step 1",
    )
    await report(
        station,
        dut,
        check,
        "Unavailable",
        evse=evse,
        connector=connector,
        step="Part 6 Table 700 step 4",
    )
