"""Which side initiates each OCPP action, and which DUT feature an action belongs to.

1.6: edition 2 §4 (operations initiated by the charge point) and §5 (by the central system),
plus the security whitepaper edition 3 messages. 2.0.1: Part 2 messages, by sender. DataTransfer
goes both ways in both versions. A negative case sends broken CALLs of the actions the *other*
side initiates, because those are the ones the DUT must accept and parse.
"""

from __future__ import annotations

from typing import Final

from harness.ocppj.versions import OcppVersion

STATION_INITIATED: Final[dict[OcppVersion, tuple[str, ...]]] = {
    OcppVersion.V16: (
        "Authorize", "BootNotification", "DataTransfer", "DiagnosticsStatusNotification",
        "FirmwareStatusNotification", "Heartbeat", "LogStatusNotification", "MeterValues",
        "SecurityEventNotification", "SignCertificate", "SignedFirmwareStatusNotification",
        "StartTransaction", "StatusNotification", "StopTransaction",
    ),
    OcppVersion.V201: (
        "Authorize", "BootNotification", "ClearedChargingLimit", "DataTransfer",
        "FirmwareStatusNotification", "Get15118EVCertificate", "GetCertificateStatus",
        "Heartbeat", "LogStatusNotification", "MeterValues", "NotifyChargingLimit",
        "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule", "NotifyEvent", "NotifyMonitoringReport", "NotifyReport",
        "PublishFirmwareStatusNotification", "ReportChargingProfiles",
        "ReservationStatusUpdate", "SecurityEventNotification", "SignCertificate",
        "StatusNotification", "TransactionEvent",
    ),
}  # fmt: skip

CSMS_INITIATED: Final[dict[OcppVersion, tuple[str, ...]]] = {
    OcppVersion.V16: (
        "CancelReservation", "CertificateSigned", "ChangeAvailability", "ChangeConfiguration",
        "ClearCache", "ClearChargingProfile", "DataTransfer", "DeleteCertificate",
        "ExtendedTriggerMessage", "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics",
        "GetInstalledCertificateIds", "GetLocalListVersion", "GetLog", "InstallCertificate",
        "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset",
        "SendLocalList", "SetChargingProfile", "SignedUpdateFirmware", "TriggerMessage",
        "UnlockConnector", "UpdateFirmware",
    ),
    OcppVersion.V201: (
        "CancelReservation", "CertificateSigned", "ChangeAvailability", "ClearCache",
        "ClearChargingProfile", "ClearDisplayMessage", "ClearVariableMonitoring", "CostUpdated",
        "CustomerInformation", "DataTransfer", "DeleteCertificate", "GetBaseReport",
        "GetChargingProfiles", "GetCompositeSchedule", "GetDisplayMessages",
        "GetInstalledCertificateIds", "GetLocalListVersion", "GetLog", "GetMonitoringReport",
        "GetReport", "GetTransactionStatus", "GetVariables", "InstallCertificate",
        "PublishFirmware", "RequestStartTransaction", "RequestStopTransaction", "ReserveNow",
        "Reset", "SendLocalList", "SetChargingProfile", "SetDisplayMessage",
        "SetMonitoringBase", "SetMonitoringLevel", "SetNetworkProfile",
        "SetVariableMonitoring", "SetVariables", "TriggerMessage", "UnlockConnector",
        "UnpublishFirmware", "UpdateFirmware",
    ),
}  # fmt: skip

#: Action -> the DUT profile feature (harness/dut/profile_model.py FEATURES) it belongs to;
#: a DUT whose profile declares the feature absent gets N/A for that action's case.
FEATURE_OF: Final[dict[str, str]] = {
    "CancelReservation": "reservation",
    "ReserveNow": "reservation",
    "ReservationStatusUpdate": "reservation",
    "ClearChargingProfile": "smart_charging",
    "ClearedChargingLimit": "smart_charging",
    "GetChargingProfiles": "smart_charging",
    "GetCompositeSchedule": "smart_charging",
    "NotifyChargingLimit": "smart_charging",
    "NotifyEVChargingNeeds": "smart_charging",
    "NotifyEVChargingSchedule": "smart_charging",
    "ReportChargingProfiles": "smart_charging",
    "SetChargingProfile": "smart_charging",
    "GetLocalListVersion": "local_auth_list",
    "SendLocalList": "local_auth_list",
    "ExtendedTriggerMessage": "remote_trigger",
    "TriggerMessage": "remote_trigger",
    "DiagnosticsStatusNotification": "firmware_management",
    "FirmwareStatusNotification": "firmware_management",
    "GetDiagnostics": "firmware_management",
    "GetLog": "firmware_management",
    "LogStatusNotification": "firmware_management",
    "PublishFirmware": "firmware_management",
    "PublishFirmwareStatusNotification": "firmware_management",
    "SignedFirmwareStatusNotification": "firmware_management",
    "SignedUpdateFirmware": "firmware_management",
    "UnpublishFirmware": "firmware_management",
    "UpdateFirmware": "firmware_management",
    "ClearCache": "authorization_cache",
}


_TAG: Final = {OcppVersion.V16: "16", OcppVersion.V201: "201"}
_SIDE: Final = {"station": "CS", "csms": "CSMS"}


def case_id(version: OcppVersion, dut_role: str, action: str | None) -> str:
    """`NEG_201_CS_SetVariables`, `NEG_16_CSMS_framing` (action None: the framing case)."""
    return f"NEG_{_TAG[version]}_{_SIDE[dut_role]}_{action or 'framing'}"


def case_ids(dut_role: str) -> tuple[str, ...]:
    """Every negative case id for a DUT role, both versions (the fault tables claim them)."""
    return tuple(
        case_id(version, dut_role, action)
        for version in (OcppVersion.V16, OcppVersion.V201)
        for action in (None, *handled_by(version, dut_role))
    )


def handled_by(version: OcppVersion, dut_role: str) -> tuple[str, ...]:
    """The actions a DUT of `dut_role` ("station" or "csms") receives, in name order."""
    table = CSMS_INITIATED if dut_role == "station" else STATION_INITIATED
    return table[version]


def needs_for(action: str) -> tuple[str, ...]:
    """The `needs` of the negative case of `action`."""
    feature = FEATURE_OF.get(action)
    return (feature,) if feature else ()
