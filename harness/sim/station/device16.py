"""OCPP 1.6 configuration keys: the required Core keys of §9.1, RemoteTrigger, and security keys.

GetConfiguration (§5.8) lists recognised keys with their readonly flag and puts unknown ones in
`unknownKey`; ChangeConfiguration (§5.3) answers Accepted, Rejected (read-only or invalid
value) or NotSupported (unknown key). AuthorizationKey is write-only (1.6 security whitepaper
§7.2): it is listed without its value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.sim.station.config import StationConfig
from harness.sim.station.device import MEASURANDS, Constraint, members, normalize

_INT0 = Constraint("integer", minimum=0)
_BOOL = Constraint("boolean")
_CSL = Constraint("CSL", allowed=MEASURANDS)


@dataclass
class Key:
    """One configuration key."""

    name: str
    value: str
    readonly: bool
    constraint: Constraint
    write_only: bool = False

    def as_key_value(self) -> dict[str, Any]:
        """KeyValue of GetConfiguration.conf (§6.27); a write-only key has no value."""
        entry: dict[str, Any] = {"key": self.name, "readonly": self.readonly}
        if not self.write_only:
            entry["value"] = self.value
        return entry


def _keys(config: StationConfig) -> list[Key]:
    sampled = "Energy.Active.Import.Register"
    rotation = ",".join(f"{n}.RST" for n in range(config.evses + 1))
    keys = [
        Key("AllowOfflineTxForUnknownId", "false", False, _BOOL),
        Key("AuthorizationCacheEnabled", "true", False, _BOOL),
        Key("AuthorizeRemoteTxRequests", "false", False, _BOOL),
        Key("ClockAlignedDataInterval", "0", False, _INT0),
        Key("ConnectionTimeOut", "60", False, Constraint("integer", minimum=1)),
        Key("ConnectorPhaseRotation", rotation, False, Constraint("CSL")),
        Key("ConnectorPhaseRotationMaxLength", str(config.evses + 1), True, _INT0),
        Key("GetConfigurationMaxKeys", "50", True, _INT0),
        Key("HeartbeatInterval", str(config.heartbeat_interval), False, _INT0),
        Key("LocalAuthorizeOffline", "true", False, _BOOL),
        Key("LocalPreAuthorize", "false", False, _BOOL),
        Key("MeterValuesAlignedData", sampled, False, _CSL),
        Key("MeterValuesAlignedDataMaxLength", str(len(MEASURANDS)), True, _INT0),
        Key("MeterValuesSampledData", sampled, False, _CSL),
        Key("MeterValuesSampledDataMaxLength", str(len(MEASURANDS)), True, _INT0),
        Key("MeterValueSampleInterval", str(config.meter_interval), False, _INT0),
        Key("MinimumStatusDuration", "0", False, _INT0),
        Key("NumberOfConnectors", str(config.evses), True, _INT0),
        Key("ResetRetries", "1", False, _INT0),
        Key("StopTransactionOnEVSideDisconnect", "true", False, _BOOL),
        Key("StopTransactionOnInvalidId", "true", False, _BOOL),
        Key("StopTxnAlignedData", "", False, _CSL),
        Key("StopTxnAlignedDataMaxLength", str(len(MEASURANDS)), True, _INT0),
        Key("StopTxnSampledData", sampled, False, _CSL),
        Key("StopTxnSampledDataMaxLength", str(len(MEASURANDS)), True, _INT0),
        Key(
            "SupportedFeatureProfiles",
            "Core,RemoteTrigger,SmartCharging,FirmwareManagement,LocalAuthListManagement,"
            "Reservation",
            True,
            Constraint("CSL"),
        ),
        Key("SupportedFeatureProfilesMaxLength", "6", True, _INT0),
        Key("TransactionMessageAttempts", "3", False, Constraint("integer", minimum=1)),
        Key("TransactionMessageRetryInterval", "2", False, _INT0),
        Key("UnlockConnectorOnEVSideDisconnect", "true", False, _BOOL),
        Key("WebSocketPingInterval", "0", False, _INT0),
        Key("SecurityProfile", str(config.security_profile), True, _INT0),
        # Smart Charging profile keys (§9.4).
        Key("ChargeProfileMaxStackLevel", "8", True, _INT0),
        Key("ChargingScheduleAllowedChargingRateUnit", "Current,Power", True, Constraint("CSL")),
        Key("ChargingScheduleMaxPeriods", "24", True, _INT0),
        Key("MaxChargingProfilesInstalled", "16", True, _INT0),
        # Local Auth List Management (§9.2) and Reservation (§9.3) profile keys.
        Key("LocalAuthListEnabled", "true", False, _BOOL),
        Key("LocalAuthListMaxLength", "20", True, _INT0),
        Key("SendLocalListMaxLength", "10", True, _INT0),
        Key(
            "ReserveConnectorZeroSupported",
            "true" if config.reserve_connector_zero else "false",
            True,
            _BOOL,
        ),
    ]
    if config.security_profile in (1, 2):
        password = Constraint("string", min_length=16, max_length=40)
        keys.append(Key("AuthorizationKey", config.password or "", False, password, True))
    return keys


class Configuration16:
    """The station's 1.6 configuration; changes survive reboots (§5.14 persistent states)."""

    def __init__(self, config: StationConfig) -> None:
        self.keys = {key.name: key for key in _keys(config)}
        self.on_change: dict[str, Callable[[str], None]] = {}
        self.accept_all = config.fault("change-configuration-accepts-all")
        #: fault get-configuration-missing-key: a required Core key left out of the full list.
        self.unlisted = "ConnectionTimeOut" if config.fault("get-configuration-missing-key") else ""

    def get(self, name: str) -> str:
        """Current value of a known key."""
        return self.keys[name].value

    def integer(self, name: str) -> int:
        """Current value of an integer key."""
        return int(self.keys[name].value)

    def flag(self, name: str) -> bool:
        """Current value of a boolean key."""
        return self.keys[name].value == "true"

    def measurands(self, name: str) -> list[str]:
        """Current members of a measurand CSL key."""
        return members(self.keys[name].value)

    def change(self, name: str, value: str) -> str:
        """Apply ChangeConfiguration.req (§5.3); return the ConfigurationStatus."""
        key = self.keys.get(name)
        if self.accept_all:
            return "Accepted"  # fault change-configuration-accepts-all: breaks §5.3
        if key is None:
            return "NotSupported"
        if key.readonly:
            return "Rejected"
        normal = normalize(key.constraint, value)
        if normal is None:
            return "Rejected"
        key.value = normal
        callback = self.on_change.get(name)
        if callback is not None:
            callback(normal)
        return "Accepted"

    def set_internal(self, name: str, value: str) -> None:
        """Set a key the station itself maintains (e.g. HeartbeatInterval from the boot)."""
        self.keys[name].value = value
        callback = self.on_change.get(name)
        if callback is not None:
            callback(value)

    def get_configuration(self, names: list[str] | None) -> dict[str, Any]:
        """GetConfiguration.conf payload (§5.8): all keys, or the requested ones."""
        if not names:
            listed = [k for k in self.keys.values() if k.name != self.unlisted]
            return {"configurationKey": [key.as_key_value() for key in listed]}
        known = [self.keys[n].as_key_value() for n in names if n in self.keys]
        unknown = [n for n in names if n not in self.keys]
        payload: dict[str, Any] = {"configurationKey": known}
        if unknown:
            payload["unknownKey"] = unknown
        return payload
