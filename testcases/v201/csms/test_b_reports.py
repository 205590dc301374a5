"""OCPP 2.0.1 block B (Provisioning), CSMS under test: base and custom reports (B07, B08)."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, provisioning_v201
from harness.cases.states.commands_v201 import commanded
from harness.cases.states.device_model_v201 import DeviceModel
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator


def check_request_id(check: Checks, request: Message, ref: str) -> bool:
    """requestId is an integer >= 0 (Tables 471-473 step 1)."""
    request_id = request.get("requestId")
    return check.must(
        isinstance(request_id, int) and not isinstance(request_id, bool) and request_id >= 0,
        f"step 1 {request.action}.requestId: expected an integer >= 0, saw {request_id!r}",
        ref=ref,
    )


async def _base_report(
    station: StationEmulator, dut: Dut, check: Checks, base: str, ref: str
) -> None:
    """Booted; the CSMS asks for the `base` report; the station sends it in NotifyReports.

    Post-scenario validation "the CSMS receives all NotifyReportRequest messages for this
    requestId": every NotifyReportRequest must get a valid NotifyReportResponse.
    """
    model = DeviceModel()
    station.on("GetBaseReport").respond(status="Accepted")
    await csms_v201.booted(station, dut, check)
    request = await commanded(station, dut, "GetBaseReport", {"reportBase": base})
    check_request_id(check, request, ref)
    check.equal(request.get("reportBase"), base, "step 1 GetBaseReportRequest.reportBase", ref=ref)
    if isinstance(request.get("requestId"), int):
        entries = model.report_data(mutable_only=base == "ConfigurationInventory")
        if base == "SummaryInventory":
            entries = [e for e in entries if e["variable"]["name"] == "AvailabilityState"]
        await provisioning_v201.send_report(
            station, check, request["requestId"], entries, step="post-scenario NotifyReport"
        )


@ocpp_case("TC_B_12_CSMS", version="2.0.1", refs=("B07.FR.07",))
async def test_base_report_configuration(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetBaseReport ConfigurationInventory with a requestId >= 0 (Part 6 Table 471)."""
    await _base_report(station, dut, check, "ConfigurationInventory", "B07.FR.07")


@ocpp_case("TC_B_13_CSMS", version="2.0.1", refs=("B07.FR.08",))
async def test_base_report_full(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetBaseReport FullInventory with a requestId >= 0 (Part 6 Table 472)."""
    await _base_report(station, dut, check, "FullInventory", "B07.FR.08")


@ocpp_case("TC_B_14_CSMS", version="2.0.1", refs=("B07.FR.09",))
async def test_base_report_summary(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetBaseReport SummaryInventory with a requestId >= 0 (Part 6 Table 473)."""
    await _base_report(station, dut, check, "SummaryInventory", "B07.FR.09")


def _evse_availability(criterion: str) -> dict[str, object]:
    return {
        "componentCriteria": [criterion],
        "componentVariable": [
            {
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "AvailabilityState"},
            }
        ],
    }


@ocpp_case("TC_B_18_CSMS", version="2.0.1", refs=("B08.FR.01", "B08.FR.03"))
async def test_custom_report(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EVSE #1 AvailabilityState from Problem components (empty), then Available (Table 474)."""
    model = DeviceModel()
    station.on("GetReport").respond(status="Accepted")
    station.on("GetReport", once=True).respond(status="EmptyResultSet")
    await csms_v201.booted(station, dut, check)
    for step, criterion in (("step 1", "Problem"), ("step 3", "Available")):
        request = await commanded(station, dut, "GetReport", _evse_availability(criterion))
        check.equal(
            request.get("componentCriteria"),
            [criterion],
            f"{step} GetReportRequest.componentCriteria",
            ref="B08.FR.03",
        )
        variables = request.get("componentVariable") or [{}]
        first = variables[0]
        component = first.get("component", {})
        seen = (
            component.get("name"),
            (component.get("evse") or {}).get("id"),
            first.get("variable", {}).get("name"),
        )
        check.equal(
            seen,
            ("EVSE", 1, "AvailabilityState"),
            f"{step} componentVariable[0] (component.name, component.evse.id, variable.name)",
            ref="B08.FR.01",
        )
    if isinstance(request.get("requestId"), int):
        entries = [e for e in model.report_data() if e["component"]["name"] == "EVSE"]
        await provisioning_v201.send_report(
            station, check, request["requestId"], entries, step="step 5 NotifyReport"
        )
