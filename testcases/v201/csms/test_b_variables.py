"""OCPP 2.0.1 block B (Provisioning), CSMS under test: Get/SetVariables (B05, B06)."""

from __future__ import annotations

from typing import Any, Final

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.commands_v201 import commanded
from harness.cases.states.device_model_v201 import DeviceModel
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

Payload = dict[str, Any]
#: (component name, variable name, variable instance)
Wanted = tuple[str, str, str | None]

OFFLINE_THRESHOLD: Final[Wanted] = ("OCPPCommCtrlr", "OfflineThreshold", None)
AUTHORIZE_REMOTE_START: Final[Wanted] = ("AuthCtrlr", "AuthorizeRemoteStart", None)
ITEMS_GET_VARIABLES: Final[Wanted] = ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables")
FIVE: Final[tuple[Wanted, ...]] = (
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport"),
    ITEMS_GET_VARIABLES,
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables"),
    AUTHORIZE_REMOTE_START,
)
#: attributeType a GetVariablesRequest may carry (Tables 466-467: absent or any of these).
GET_TYPES: Final = (None, "Actual", "Target", "MinSet", "MaxSet")


def item(wanted: Wanted, value: str | None = None) -> Payload:
    """A GetVariableDataType (or, with `value`, SetVariableDataType) for `wanted`."""
    component, name, instance = wanted
    variable: Payload = {"name": name}
    if instance is not None:
        variable["instance"] = instance
    data: Payload = {"component": {"name": component}, "variable": variable}
    if value is not None:
        data["attributeValue"] = value
    return data


def find(items: list[Payload], wanted: Wanted) -> Payload | None:
    """The item of `items` that names `wanted`, or None."""
    component, name, instance = wanted
    for data in items:
        variable = data.get("variable", {})
        if (
            data.get("component", {}).get("name") == component
            and variable.get("name") == name
            and variable.get("instance") == instance
        ):
            return data
    return None


def label(wanted: Wanted) -> str:
    """`Component.Variable[instance]`."""
    component, name, instance = wanted
    return f"{component}.{name}" + (f"[{instance}]" if instance else "")


def check_get(check: Checks, request: Message, wanted: tuple[Wanted, ...], ref: str) -> None:
    """Each wanted variable is asked for (any order) with an allowed attributeType."""
    items = request["getVariableData"]
    for variable in wanted:
        data = find(items, variable)
        if not check.must(
            data is not None,
            f"step 1 GetVariablesRequest: expected an item for {label(variable)}, saw {items}",
            ref=ref,
        ):
            continue
        assert data is not None
        check.must(
            data.get("attributeType") in GET_TYPES,
            f"step 1 {label(variable)} attributeType: expected absent or one of "
            f"Actual/Target/MinSet/MaxSet, saw {data.get('attributeType')!r}",
            ref=ref,
        )


def check_set(check: Checks, request: Message, wanted: dict[Wanted, str], ref: str) -> None:
    """Each wanted variable is set (any order) to its value, attributeType absent or Actual."""
    items = request["setVariableData"]
    for variable, value in wanted.items():
        data = find(items, variable)
        if not check.must(
            data is not None,
            f"step 1 SetVariablesRequest: expected an item for {label(variable)}, saw {items}",
            ref=ref,
        ):
            continue
        assert data is not None
        check.equal(data.get("attributeValue"), value, f"step 1 {label(variable)} attributeValue")
        check.must(
            data.get("attributeType") in (None, "Actual"),
            f"step 1 {label(variable)} attributeType: expected absent or Actual, saw "
            f"{data.get('attributeType')!r}",
            ref=ref,
        )


async def _get(
    station: StationEmulator, dut: Dut, check: Checks, wanted: tuple[Wanted, ...]
) -> Message:
    model = DeviceModel()
    station.on("GetVariables").respond_with(model.get_variables)
    await csms_v201.booted(station, dut, check)
    payload = {"getVariableData": [item(w) for w in wanted]}
    return await commanded(station, dut, "GetVariables", payload)


@ocpp_case(
    "TC_B_06_CSMS",
    version="2.0.1",
    refs=("B06.FR.01", "B06.FR.02", "B06.FR.03", "B06.FR.04", "B06.FR.10", "B06.FR.11"),
)
async def test_get_variables_single(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS asks for OCPPCommCtrlr.OfflineThreshold (Part 6 Table 466)."""
    request = await _get(station, dut, check, (OFFLINE_THRESHOLD,))
    check_get(check, request, (OFFLINE_THRESHOLD,), "B06.FR.01")


@ocpp_case("TC_B_07_CSMS", version="2.0.1", refs=("B06.FR.01", "B06.FR.02", "B06.FR.03"))
async def test_get_variables_multiple(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS asks for OfflineThreshold and AuthorizeRemoteStart at once (Table 467)."""
    wanted = (OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START)
    request = await _get(station, dut, check, wanted)
    check_get(check, request, wanted, "B06.FR.01")


@ocpp_case("TC_B_08_CSMS", version="2.0.1", refs=("B06.FR.05",))
async def test_get_variables_limit(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """With ItemsPerMessage[GetVariables] 4, five variables come as 4 + 1 (Table 468).

    Preparation: the CSMS reads DeviceDataCtrlr.ItemsPerMessage[GetVariables] (the station
    answers 4). Then it is asked for five variables; every request must hold at most 4.
    """
    model = DeviceModel()
    limit = int(
        model.variables[("DeviceDataCtrlr", None, None, "ItemsPerMessage", "GetVariables")].value
    )
    station.on("GetVariables").respond_with(model.get_variables)
    await csms_v201.booted(station, dut, check)
    await commanded(station, dut, "GetVariables", {"getVariableData": [item(ITEMS_GET_VARIABLES)]})
    mark = station.wirelog.now()
    await dut.trigger("GetVariables", {"getVariableData": [item(w) for w in FIVE]})
    requests: list[Message] = []
    asked: list[Payload] = []
    while any(find(asked, w) is None for w in FIVE):
        request = await station.expect("GetVariables", within=dut.timeouts.call, since=mark)
        requests.append(request)
        asked.extend(request["getVariableData"])
    sizes = sorted((len(r["getVariableData"]) for r in requests), reverse=True)
    check.must(
        max(sizes) <= limit,
        f"every GetVariablesRequest holds at most ItemsPerMessage = {limit} items; the "
        f"requests held {sizes}",
        ref="B06.FR.05",
    )
    check.equal(sizes, [limit, len(FIVE) - limit], "items per GetVariablesRequest", ref="B06.FR.05")
    for variable in FIVE:
        data = find(asked, variable)
        assert data is not None  # the loop above ran until every one was asked for
        check.must(
            data.get("attributeType") in GET_TYPES,
            f"{label(variable)} attributeType: expected absent or Actual/Target/MinSet/MaxSet, "
            f"saw {data.get('attributeType')!r}",
        )


async def _set(
    station: StationEmulator, dut: Dut, check: Checks, wanted: dict[Wanted, str]
) -> Message:
    model = DeviceModel()
    station.on("SetVariables").respond_with(model.set_variables)
    await csms_v201.booted(station, dut, check)
    payload = {"setVariableData": [item(w, value) for w, value in wanted.items()]}
    return await commanded(station, dut, "SetVariables", payload)


@ocpp_case(
    "TC_B_09_CSMS",
    version="2.0.1",
    refs=("B05.FR.01", "B05.FR.02", "B05.FR.03", "B05.FR.10", "B05.FR.12"),
)
async def test_set_variables_single(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS sets OCPPCommCtrlr.OfflineThreshold to 123 (Part 6 Table 469)."""
    wanted = {OFFLINE_THRESHOLD: "123"}
    request = await _set(station, dut, check, wanted)
    check_set(check, request, wanted, "B05.FR.01")


@ocpp_case("TC_B_10_CSMS", version="2.0.1", refs=("B05.FR.01", "B05.FR.02", "B05.FR.03"))
async def test_set_variables_multiple(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS sets OfflineThreshold 123 and AuthorizeRemoteStart false at once (Table 470)."""
    wanted = {OFFLINE_THRESHOLD: "123", AUTHORIZE_REMOTE_START: "false"}
    request = await _set(station, dut, check, wanted)
    check_set(check, request, wanted, "B05.FR.01")
