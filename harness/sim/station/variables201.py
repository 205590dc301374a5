"""OCPP 2.0.1 variables of the reference station: the standardized components of Part 2
Appendix 3 that a Core station reports, with their mutability, data type and allowed values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.ocppj.clock import utc_timestamp
from harness.sim.station.config import StationConfig
from harness.sim.station.device import MEASURANDS, Constraint

TX_POINTS = ("EVConnected", "Authorized", "PowerPathClosed", "EnergyTransfer")
_INT0 = Constraint("integer", minimum=0)
_INT1 = Constraint("integer", minimum=1)
_BOOL = Constraint("boolean")
_RO_STR = Constraint("string")
_MEASURANDS = Constraint("MemberList", allowed=MEASURANDS)
_POINTS = Constraint("MemberList", allowed=TX_POINTS)
ENERGY = "Energy.Active.Import.Register"

Availability = Callable[[int | None, int | None], str]


@dataclass
class Variable:
    """One variable of one component (Actual attribute only)."""

    component: str
    name: str
    value: str
    mutability: str
    constraint: Constraint
    evse: int | None = None
    connector: int | None = None
    instance: str | None = None
    unit: str | None = None
    getter: Callable[[], str] | None = None

    def current(self) -> str:
        """The Actual value now."""
        return self.getter() if self.getter is not None else self.value

    def component_json(self) -> dict[str, Any]:
        """ComponentType."""
        component: dict[str, Any] = {"name": self.component}
        if self.evse is not None:
            component["evse"] = {"id": self.evse}
            if self.connector is not None:
                component["evse"]["connectorId"] = self.connector
        return component

    def variable_json(self) -> dict[str, Any]:
        """VariableType."""
        variable: dict[str, Any] = {"name": self.name}
        if self.instance is not None:
            variable["instance"] = self.instance
        return variable

    def report_data(self) -> dict[str, Any]:
        """ReportDataType for NotifyReportRequest (B07/B08); no value when WriteOnly."""
        attribute: dict[str, Any] = {
            "type": "Actual",
            "mutability": self.mutability,
            "persistent": self.getter is None,
            "constant": self.mutability == "ReadOnly" and self.getter is None,
        }
        if self.mutability != "WriteOnly":
            attribute["value"] = self.current()
        kind = self.constraint.kind
        characteristics: dict[str, Any] = {
            "dataType": "string" if kind == "CSL" else kind,
            "supportsMonitoring": False,
        }
        if self.constraint.allowed:
            characteristics["valuesList"] = ",".join(self.constraint.allowed)
        if self.unit is not None:
            characteristics["unit"] = self.unit
        return {
            "component": self.component_json(),
            "variable": self.variable_json(),
            "variableAttribute": [attribute],
            "variableCharacteristics": characteristics,
        }


def catalog(config: StationConfig, availability: Availability) -> list[Variable]:
    """Every variable of a station with `config.evses` EVSEs of one connector each."""

    def v(
        component: str, name: str, value: str, mutability: str = "ReadWrite", **kw: Any
    ) -> Variable:
        constraint = kw.pop("constraint", _RO_STR)
        return Variable(component, name, value, mutability, constraint, **kw)

    ro = "ReadOnly"
    found = [
        v("AlignedDataCtrlr", "Interval", "0", constraint=_INT0, unit="s"),
        v("AlignedDataCtrlr", "Measurands", ENERGY, constraint=_MEASURANDS),
        v("AlignedDataCtrlr", "TxEndedInterval", "0", constraint=_INT0, unit="s"),
        v("AlignedDataCtrlr", "TxEndedMeasurands", ENERGY, constraint=_MEASURANDS),
        v("AuthCacheCtrlr", "Enabled", "true", constraint=_BOOL),
        v("AuthCacheCtrlr", "Available", "true", ro, constraint=_BOOL),
        v("AuthCtrlr", "Enabled", "true", constraint=_BOOL),
        v("AuthCtrlr", "AuthorizeRemoteStart", "false", constraint=_BOOL),
        v("AuthCtrlr", "LocalAuthorizeOffline", "true", constraint=_BOOL),
        v("AuthCtrlr", "LocalPreAuthorize", "false", constraint=_BOOL),
        v("ChargingStation", "AvailabilityState", "", ro, getter=lambda: availability(None, None)),
        v("ChargingStation", "Available", "true", ro, constraint=_BOOL),
        v("ChargingStation", "Model", config.model, ro),
        v("ChargingStation", "VendorName", config.vendor, ro),
        v("ChargingStation", "SupplyPhases", "3", ro, constraint=_INT0),
        v(
            "ClockCtrlr",
            "DateTime",
            "",
            ro,
            constraint=Constraint("dateTime"),
            getter=utc_timestamp,
        ),
        v("ClockCtrlr", "TimeSource", "Heartbeat", constraint=Constraint("SequenceList")),
        v("OCPPCommCtrlr", "HeartbeatInterval", str(config.heartbeat_interval), constraint=_INT1),
        v(
            "OCPPCommCtrlr",
            "FileTransferProtocols",
            "HTTPS",
            ro,
            constraint=Constraint("MemberList"),
        ),
        v("OCPPCommCtrlr", "MessageTimeout", "10", constraint=_INT1, instance="Default", unit="s"),
        v("OCPPCommCtrlr", "MessageAttempts", "3", constraint=_INT1, instance="TransactionEvent"),
        v(
            "OCPPCommCtrlr",
            "MessageAttemptInterval",
            "2",
            constraint=_INT0,
            instance="TransactionEvent",
            unit="s",
        ),
        v("OCPPCommCtrlr", "NetworkConfigurationPriority", "0"),
        v("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", "3", constraint=_INT1),
        v("OCPPCommCtrlr", "OfflineThreshold", "60", constraint=_INT0, unit="s"),
        v("OCPPCommCtrlr", "ResetRetries", "1", constraint=_INT0),
        v("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "true", constraint=_BOOL),
        v("SampledDataCtrlr", "Enabled", "true", constraint=_BOOL),
        v("SampledDataCtrlr", "TxEndedMeasurands", ENERGY, constraint=_MEASURANDS),
        v("SampledDataCtrlr", "TxEndedInterval", "0", constraint=_INT0, unit="s"),
        v("SampledDataCtrlr", "TxStartedMeasurands", ENERGY, constraint=_MEASURANDS),
        v("SampledDataCtrlr", "TxUpdatedMeasurands", ENERGY, constraint=_MEASURANDS),
        v(
            "SampledDataCtrlr",
            "TxUpdatedInterval",
            str(config.meter_interval),
            constraint=_INT0,
            unit="s",
        ),
        v(
            "SecurityCtrlr",
            "BasicAuthPassword",
            config.password or "",
            "WriteOnly",
            constraint=Constraint("string", min_length=16, max_length=40),
        ),
        v("SecurityCtrlr", "Identity", config.station_id, ro),
        v("SecurityCtrlr", "OrganizationName", config.vendor),
        v("SecurityCtrlr", "SecurityProfile", str(config.security_profile), ro, constraint=_INT0),
        v("SecurityCtrlr", "CertificateEntries", "0", ro, constraint=_INT0),
        v("TxCtrlr", "EVConnectionTimeOut", "60", constraint=_INT1, unit="s"),
        v("TxCtrlr", "StopTxOnEVSideDisconnect", "true", constraint=_BOOL),
        v("TxCtrlr", "StopTxOnInvalidId", "true", constraint=_BOOL),
        v("TxCtrlr", "TxStartPoint", "EVConnected,Authorized", constraint=_POINTS),
        v("TxCtrlr", "TxStopPoint", "EVConnected,Authorized", constraint=_POINTS),
    ]
    for name in ("GetReport", "GetVariables", "SetVariables"):
        found.append(
            v(
                "DeviceDataCtrlr",
                "ItemsPerMessage",
                "20" if name == "GetReport" else "50",
                ro,
                constraint=_INT1,
                instance=name,
            )
        )
        found.append(
            v("DeviceDataCtrlr", "BytesPerMessage", "65000", ro, constraint=_INT1, instance=name)
        )
    for evse in range(1, config.evses + 1):
        for connector in (None, 1):
            where = {"evse": evse, "connector": connector}
            component = "EVSE" if connector is None else "Connector"
            state = (lambda e, c: lambda: availability(e, c))(evse, connector)
            found.append(v(component, "AvailabilityState", "", ro, getter=state, **where))
            found.append(v(component, "Available", "true", ro, constraint=_BOOL, **where))
            found.append(v(component, "SupplyPhases", "3", ro, constraint=_INT0, **where))
        found.append(v("Connector", "ConnectorType", "cType2", ro, evse=evse, connector=1))
    return found
