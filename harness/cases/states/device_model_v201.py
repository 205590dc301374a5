"""The emulated station's device model, for 2.0.1 provisioning cases with a CSMS under test.

Answers GetVariables/SetVariables (B05, B06) from a small set of variables of Part 2
Appendix 3 (OCPPCommCtrlr, AuthCtrlr, DeviceDataCtrlr, SecurityCtrlr, EVSE AvailabilityState)
and builds the reportData of NotifyReport (B07, B08).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from harness.roles.exchange import Message

Payload = dict[str, Any]
#: (component name, component instance, evse id, variable name, variable instance)
Key = tuple[str, str | None, int | None, str, str | None]

#: Criteria of GetReportRequest.componentCriteria a component can match (B08.FR.03).
CRITERIA: Final = ("Active", "Available", "Enabled", "Problem")


def key_of(component: Payload, variable: Payload) -> Key:
    """The device model key of a ComponentType / VariableType pair."""
    evse = component.get("evse")
    evse_id = evse.get("id") if isinstance(evse, dict) else None
    return (
        str(component.get("name")),
        component.get("instance"),
        evse_id,
        str(variable.get("name")),
        variable.get("instance"),
    )


@dataclass
class Variable:
    """One variable: its Actual value, mutability and data type."""

    value: str
    data_type: str = "integer"
    mutability: str = "ReadWrite"


def _defaults() -> dict[Key, Variable]:
    return {
        ("OCPPCommCtrlr", None, None, "OfflineThreshold", None): Variable("60"),
        ("OCPPCommCtrlr", None, None, "NetworkConfigurationPriority", None): Variable(
            "1", "SequenceList"
        ),
        ("AuthCtrlr", None, None, "AuthorizeRemoteStart", None): Variable("true", "boolean"),
        ("DeviceDataCtrlr", None, None, "ItemsPerMessage", "GetReport"): Variable(
            "4", mutability="ReadOnly"
        ),
        ("DeviceDataCtrlr", None, None, "ItemsPerMessage", "GetVariables"): Variable(
            "4", mutability="ReadOnly"
        ),
        ("DeviceDataCtrlr", None, None, "BytesPerMessage", "GetReport"): Variable(
            "8000", mutability="ReadOnly"
        ),
        ("DeviceDataCtrlr", None, None, "BytesPerMessage", "GetVariables"): Variable(
            "8000", mutability="ReadOnly"
        ),
        ("SecurityCtrlr", None, None, "SecurityProfile", None): Variable(
            "1", mutability="ReadOnly"
        ),
        ("EVSE", None, 1, "AvailabilityState", None): Variable(
            "Available", "OptionList", "ReadOnly"
        ),
    }


@dataclass
class DeviceModel:
    """Variables the emulated station has; `set_status` is what SetVariables answers."""

    variables: dict[Key, Variable] = field(default_factory=_defaults)
    set_status: str = "Accepted"

    def get_variables(self, message: Message) -> Payload:
        """A GetVariablesResponse: Accepted with the Actual value, or Unknown* (B06.FR.01-04)."""
        results = []
        for item in message["getVariableData"]:
            component, variable = item["component"], item["variable"]
            known = self.variables.get(key_of(component, variable))
            result: Payload = {"component": component, "variable": variable}
            if "attributeType" in item:
                result["attributeType"] = item["attributeType"]
            if known is None:
                names = {k[0] for k in self.variables}
                unknown = "UnknownVariable" if component["name"] in names else "UnknownComponent"
                result["attributeStatus"] = unknown
            elif item.get("attributeType", "Actual") != "Actual":
                result["attributeStatus"] = "NotSupportedAttributeType"
            else:
                result["attributeStatus"] = "Accepted"
                result["attributeValue"] = known.value
            results.append(result)
        return {"getVariableResult": results}

    def set_variables(self, message: Message) -> Payload:
        """A SetVariablesResponse with `set_status`; an accepted value is kept (B05.FR.01)."""
        results = []
        for item in message["setVariableData"]:
            component, variable = item["component"], item["variable"]
            key = key_of(component, variable)
            status = self.set_status
            if status == "Accepted" and key not in self.variables:
                status = "UnknownVariable"
            if status == "Accepted":
                known = self.variables[key]
                self.variables[key] = Variable(
                    str(item["attributeValue"]), known.data_type, known.mutability
                )
            result = {"attributeStatus": status, "component": component, "variable": variable}
            if "attributeType" in item:
                result["attributeType"] = item["attributeType"]
            results.append(result)
        return {"setVariableResult": results}

    def report_data(self, mutable_only: bool = False) -> list[Payload]:
        """ReportDataType entries of every variable (ConfigurationInventory: writable ones)."""
        entries = []
        for key, variable in self.variables.items():
            if mutable_only and variable.mutability == "ReadOnly":
                continue
            component: Payload = {"name": key[0]}
            if key[1] is not None:
                component["instance"] = key[1]
            if key[2] is not None:
                component["evse"] = {"id": key[2]}
            reported: Payload = {"name": key[3]}
            if key[4] is not None:
                reported["instance"] = key[4]
            entries.append(
                {
                    "component": component,
                    "variable": reported,
                    "variableAttribute": [
                        {
                            "type": "Actual",
                            "value": variable.value,
                            "mutability": variable.mutability,
                        }
                    ],
                    "variableCharacteristics": {
                        "dataType": variable.data_type,
                        "supportsMonitoring": False,
                    },
                }
            )
        return entries
