"""Which side sends which action, and which accepted commands may restart the receiver.

1.6: "Operations Initiated by Charge Point" (1.6 §4) plus the security whitepaper's
LogStatusNotification, SecurityEventNotification, SignCertificate and
SignedFirmwareStatusNotification; everything else is initiated by the Central System (§5 and
the whitepaper). 2.0.1: the messages a charging station sends (Part 2 use cases; the same set
the reference CSMS answers). DataTransfer goes both ways in every version. 2.1 is not listed
here: its Part 2 is not among the project's specifications, so it could not be checked.
"""

from __future__ import annotations

from typing import Final

from harness.ocppj.schemas import actions
from harness.ocppj.versions import OcppVersion

BOTH_WAYS: Final = frozenset({"DataTransfer"})

STATION_INITIATED: Final = {
    OcppVersion.V16: frozenset(
        {
            "Authorize", "BootNotification", "DiagnosticsStatusNotification",
            "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StartTransaction",
            "StatusNotification", "StopTransaction", "LogStatusNotification",
            "SecurityEventNotification", "SignCertificate", "SignedFirmwareStatusNotification",
        }
    ),
    OcppVersion.V201: frozenset(
        {
            "Authorize", "BootNotification", "ClearedChargingLimit",
            "FirmwareStatusNotification", "Get15118EVCertificate", "GetCertificateStatus",
            "Heartbeat", "LogStatusNotification", "MeterValues", "NotifyChargingLimit",
            "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds",
            "NotifyEVChargingSchedule", "NotifyEvent", "NotifyMonitoringReport", "NotifyReport",
            "PublishFirmwareStatusNotification", "ReportChargingProfiles",
            "ReservationStatusUpdate", "SecurityEventNotification", "SignCertificate",
            "StatusNotification", "TransactionEvent",
        }
    ),
}  # fmt: skip

#: CSMS commands whose accepted effect may close the connection (a reboot): 1.6 §5.14 Reset,
#: §5.19 UpdateFirmware, whitepaper SignedUpdateFirmware; 2.0.1 B11/B12 Reset, L01
#: UpdateFirmware. A station under test may drop and re-open its connection after these.
RESTART_CAPABLE: Final = {
    OcppVersion.V16: frozenset({"Reset", "UpdateFirmware", "SignedUpdateFirmware"}),
    OcppVersion.V201: frozenset({"Reset", "UpdateFirmware"}),
}


def sent_by(version: OcppVersion, role: str) -> tuple[str, ...]:
    """Actions `role` ("station" or "csms") initiates in `version`, restart-capable ones last.

    These are what a DUT in the other role must handle.
    """
    if version not in STATION_INITIATED:
        raise ValueError(f"no initiator table for OCPP {version.value}")
    station = STATION_INITIATED[version] | BOTH_WAYS
    csms = (actions(version) - STATION_INITIATED[version]) | BOTH_WAYS
    if role not in ("station", "csms"):
        raise ValueError(f"role {role!r} is not 'station' or 'csms'")
    chosen = station if role == "station" else csms
    restart = RESTART_CAPABLE[version]
    return tuple(sorted(chosen, key=lambda action: (action in restart, action)))
