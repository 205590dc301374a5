"""OCPP 2.0.1 device model: components, variables, GetVariables / SetVariables / reports.

Components and variables are the standardized ones of Part 2 Appendix 3 that a Core station
reports. Only the Actual attribute exists (B05, B06: other attribute types answer
NotSupportedAttributeType). A WriteOnly variable (SecurityCtrlr.BasicAuthPassword) is Rejected
on GetVariables and reported without a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from harness.sim.station.config import StationConfig
from harness.sim.station.device import members, normalize
from harness.sim.station.variables201 import Availability, Variable, catalog


class DeviceModel:
    """The station's 2.0.1 variables; SetVariables changes survive reboots."""

    def __init__(self, config: StationConfig, availability: Availability) -> None:
        self.variables = catalog(config, availability)
        self.on_change: dict[tuple[str, str], Callable[[str], None]] = {}

    def find(self, component: str, name: str, instance: str | None = None) -> Variable:
        """A station-level variable the station itself uses (KeyError if absent)."""
        for var in self.variables:
            if (var.component, var.name, var.instance, var.evse) == (
                component,
                name,
                instance,
                None,
            ):
                return var
        raise KeyError(f"{component}.{name}")

    def value(self, component: str, name: str, instance: str | None = None) -> str:
        """Current value of a station-level variable."""
        return self.find(component, name, instance).current()

    def integer(self, component: str, name: str, instance: str | None = None) -> int:
        """Current value of an integer variable."""
        return int(self.value(component, name, instance))

    def flag(self, component: str, name: str) -> bool:
        """Current value of a boolean variable."""
        return self.value(component, name) == "true"

    def members(self, component: str, name: str) -> list[str]:
        """Current members of a MemberList variable."""
        return members(self.value(component, name))

    def set_internal(self, component: str, name: str, value: str) -> None:
        """Set a variable the station maintains itself (e.g. HeartbeatInterval from the boot)."""
        self.find(component, name).value = value
        self._changed(component, name, value)

    def _changed(self, component: str, name: str, value: str) -> None:
        callback = self.on_change.get((component, name))
        if callback is not None:
            callback(value)

    def _resolve(self, item: dict[str, Any]) -> Variable | str:
        """The variable an item names, or the attributeStatus saying why not (B05, B06)."""
        component = item["component"]
        evse = component.get("evse") or {}
        same = [
            var
            for var in self.variables
            if var.component == component["name"]
            and var.evse == evse.get("id")
            and var.connector == evse.get("connectorId")
            and component.get("instance") is None
        ]
        if not same:
            return "UnknownComponent"
        variable = item["variable"]
        for var in same:
            if var.name == variable["name"] and var.instance == variable.get("instance"):
                if item.get("attributeType", "Actual") != "Actual":
                    return "NotSupportedAttributeType"
                return var
        return "UnknownVariable"

    def get_variables(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """GetVariableResult per GetVariableData, in order (B06)."""
        results = []
        for item in items:
            found = self._resolve(item)
            result = _result_for(item)
            if isinstance(found, str):
                result["attributeStatus"] = found
            elif found.mutability == "WriteOnly":
                result["attributeStatus"] = "Rejected"
            else:
                result["attributeStatus"] = "Accepted"
                result["attributeValue"] = found.current()
            results.append(result)
        return results

    def set_variables(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """SetVariableResult per SetVariableData, in order (B05)."""
        results = []
        for item in items:
            found = self._resolve(item)
            result = _result_for(item)
            if isinstance(found, str):
                result["attributeStatus"] = found
            else:
                result["attributeStatus"] = self._apply(found, item["attributeValue"])
            results.append(result)
        return results

    def _apply(self, var: Variable, text: str) -> str:
        if var.mutability == "ReadOnly" or var.getter is not None:
            return "Rejected"
        normal = normalize(var.constraint, text)
        if normal is None:
            return "Rejected"
        var.value = normal
        if var.evse is None:
            self._changed(var.component, var.name, normal)
        return "Accepted"

    def report(self, base: str) -> list[dict[str, Any]]:
        """ReportData for GetBaseReport (B07): Configuration, Full or Summary inventory."""
        chosen: Iterable[Variable] = self.variables
        if base == "ConfigurationInventory":
            chosen = [var for var in self.variables if var.mutability != "ReadOnly"]
        elif base == "SummaryInventory":
            chosen = [var for var in self.variables if var.name == "AvailabilityState"]
        return [var.report_data() for var in chosen]

    def custom_report(
        self, wanted: list[dict[str, Any]], criteria: list[str]
    ) -> list[dict[str, Any]]:
        """ReportData for GetReport (B08): by component/variable and component criteria."""
        chosen = []
        for var in self.variables:
            if wanted and not any(self._matches(var, entry) for entry in wanted):
                continue
            if criteria and not any(self._meets(var, c) for c in criteria):
                continue
            chosen.append(var.report_data())
        return chosen

    @staticmethod
    def _matches(var: Variable, entry: dict[str, Any]) -> bool:
        component = entry["component"]
        evse = component.get("evse")
        if component["name"] != var.component or component.get("instance") is not None:
            return False
        if evse is not None and (
            evse.get("id") != var.evse
            or ("connectorId" in evse and evse["connectorId"] != var.connector)
        ):
            return False
        variable = entry.get("variable")
        return variable is None or (
            variable["name"] == var.name and variable.get("instance") == var.instance
        )

    def _meets(self, var: Variable, criterion: str) -> bool:
        """componentCriteria (B08): the component reports `criterion` true (Problem: false)."""
        for other in self.variables:
            if (other.component, other.evse, other.connector) == (
                var.component,
                var.evse,
                var.connector,
            ) and other.name == criterion:
                return other.current() == "true"
        return criterion in ("Active", "Available", "Enabled") and var.component.endswith("Ctrlr")


def _result_for(item: dict[str, Any]) -> dict[str, Any]:
    """The part of a Get/SetVariableResult that echoes the request item (B05, B06)."""
    result: dict[str, Any] = {"component": item["component"], "variable": item["variable"]}
    if "attributeType" in item:
        result["attributeType"] = item["attributeType"]
    return result
