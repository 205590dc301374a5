"""Reference CSMS faults proving the 1.6 Core, Local Auth List and Firmware _CSMS cases.

Implemented in harness/sim/csms/: v16_auth (authorization), v16_core_answers (answers to
notifications), v16_core_commands and v16_local_list (commands), v16_firmware.
"""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V16_CORE_FAULTS: dict[str, Fault] = {
    # Answers to the charge point's requests (1.6 §4)
    "core16-non-accepted-as-accepted": Fault(
        "1.6: Authorize.conf and StartTransaction.conf answer idTagInfo Accepted for every "
        "idTag, also invalid, blocked and expired ones (1.6 §4.1, §4.8)",
        ("TC_023_1_CSMS", "TC_023_2_CSMS", "TC_023_3_CSMS", "TC_037_3_CSMS"),
    ),
    "core16-cable-first-only": Fault(
        "1.6: knows only plug-in-first sessions: Authorize.req is answered Invalid while no "
        "connector is Preparing, and a StartTransaction.req whose idTag no Authorize.req "
        "accepted first (cached, offline) is answered Invalid (1.6 §4.1, §4.8)",
        ("TC_004_1_CSMS", "TC_004_2_CSMS", "TC_007_CSMS", "TC_037_1_CSMS", "TC_039_CSMS"),
    ),
    "core16-stop-reason-subset": Fault(
        "1.6: StopTransaction.req with a reason other than Local or Remote (PowerLoss, "
        "SoftReset, UnlockCommand, DeAuthorized...) gets a CALLERROR instead of a "
        "StopTransaction.conf (1.6 §4.10 SHALL respond)",
        ("TC_014_CSMS", "TC_018_1_CSMS", "TC_032_1_CSMS", "TC_037_3_CSMS"),
    ),
    "core16-status-subset": Fault(
        "1.6: StatusNotification.req with a status other than Available/Preparing/Charging "
        "or an errorCode other than NoError gets a CALLERROR (1.6 §4.9)",
        ("TC_005_1_CSMS", "TC_012_CSMS", "TC_024_CSMS"),
    ),
    "core16-data-transfer-accepted": Fault(
        "1.6: DataTransfer.req for a vendorId the CSMS does not implement is answered "
        "Accepted instead of UnknownVendorId (1.6 §4.3)",
        ("TC_064_CSMS",),
    ),
    # Commands the operator makes the CSMS send (1.6 §5)
    "core16-connector-off-by-one": Fault(
        "1.6: RemoteStartTransaction.req and UnlockConnector.req carry the connectorId "
        "counted from 0 (one below the connector the operator chose; 1.6 §5.11, §5.18)",
        ("TC_010_CSMS", "TC_011_1_CSMS", "TC_011_2_CSMS", "TC_017_1_CSMS", "TC_018_1_CSMS"),
    ),
    "core16-reset-type-swapped": Fault(
        "1.6: Reset.req carries Soft when a hard reset was asked for and Hard for a soft one "
        "(1.6 §5.14)",
        ("TC_013_CSMS", "TC_014_CSMS"),
    ),
    "core16-rejection-drops-link": Fault(
        "1.6: closes the connection when the charge point answers RemoteStartTransaction / "
        "RemoteStopTransaction / UnlockConnector with anything but Accepted or Unlocked, "
        "then no longer answers its requests",
        ("TC_017_2_CSMS", "TC_026_CSMS", "TC_028_CSMS", "TC_030_CSMS", "TC_031_CSMS"),
    ),
    "core16-config-default-key": Fault(
        "1.6: GetConfiguration.req and ChangeConfiguration.req name HeartbeatInterval instead "
        "of the key(s) asked for (GetConfiguration for all keys too; 1.6 §5.3, §5.8)",
        ("TC_019_1_CSMS", "TC_019_2_CSMS", "TC_021_CSMS", "TC_040_1_CSMS", "TC_040_2_CSMS"),
    ),
    "core16-clear-cache-not-sent": Fault(
        "1.6: a ClearCache request is reported sent (Accepted) but ClearCache.req never goes "
        "out (1.6 §5.4)",
        ("TC_061_CSMS",),
    ),
    # Local Authorization List (1.6 §3.5.2, §5.10, §5.15)
    "list16-version-not-increased": Fault(
        "1.6: SendLocalList.req carries the listVersion the charge point reported (0 for an "
        "empty list) instead of a higher one (§6.41, errata 3.52)",
        ("TC_043_4_CSMS", "TC_043_5_CSMS"),
    ),
    "list16-special-answer-drops-link": Fault(
        "1.6: takes GetLocalListVersion.conf listVersion -1 / 0 and SendLocalList.conf "
        "NotSupported / Failed for protocol errors and closes the connection (§5.10, §5.15)",
        ("TC_042_1_CSMS", "TC_042_2_CSMS", "TC_043_1_CSMS"),
    ),
    "list16-no-full-retry": Fault(
        "1.6: a Differential SendLocalList.req answered Failed is not followed by the full "
        "list (§5.15 SHOULD retry with updateType Full)",
        ("TC_043_3_CSMS",),
        expected="NON-STRICT",
    ),
    # Firmware Management (1.6 §4.4, §4.5, §5.9, §5.19)
    "fw16-progress-status-error": Fault(
        "1.6: FirmwareStatusNotification.req Downloading/Downloaded/Installing and "
        "DiagnosticsStatusNotification.req Uploading get a CALLERROR (§4.4, §4.5 SHALL "
        "respond)",
        ("TC_044_1_CSMS", "TC_045_1_CSMS"),
    ),
    "fw16-failure-status-error": Fault(
        "1.6: FirmwareStatusNotification.req DownloadFailed/InstallationFailed and "
        "DiagnosticsStatusNotification.req UploadFailed get a CALLERROR (§4.4, §4.5 SHALL "
        "respond)",
        ("TC_044_2_CSMS", "TC_044_3_CSMS", "TC_045_2_CSMS"),
    ),
}
