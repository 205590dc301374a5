"""Registry of the reference simulators' fault switches (mutants), one table per simulator.

DESIGN.md, "Test cases must be able to fail": each fault is one documented deviation a
simulator shows when started with `--fault NAME`. The same name may exist in both tables (the
same misbehaviour on the other side); `--ocpp-sim-fault NAME` switches it on in every launched
simulator that knows it. `caught_by` lists the case ids that FAIL against the fault (or, for a
SHOULD-level fault, end NON-STRICT: see `expected`); `tests/quality/` checks every claim.
"""

from __future__ import annotations

from typing import Literal

from harness.fuzz.negative_actions import case_ids as negative_case_ids
from harness.sim.fault import Fault, merged
from harness.sim.faults_csms_v16_advanced import CSMS_V16_ADVANCED_FAULTS
from harness.sim.faults_csms_v16_core import CSMS_V16_CORE_FAULTS
from harness.sim.faults_csms_v201_abc import CSMS_V201_ABC_FAULTS
from harness.sim.faults_csms_v201_efgjp import CSMS_V201_EFGJP_FAULTS
from harness.sim.faults_negative import CSMS_NEGATIVE_FAULTS, STATION_NEGATIVE_FAULTS
from harness.sim.faults_physical import STATION_PHYSICAL_FAULTS

__all__ = ["CSMS_FAULTS", "FAULTS", "STATION_FAULTS", "Fault", "faults_for", "is_known"]

Role = Literal["station", "csms"]

_BASE_CSMS_FAULTS: dict[str, Fault] = {
    "boot-rejected": Fault(
        "answers every BootNotification with status Rejected (B01.FR.02 / 1.6 §4.2)",
        (
            "TC_001_CSMS",
            "TC_B_01_CSMS",
            "TC_A_01_CSMS",
            "TC_A_04_CSMS",
            "TC_A_07_CSMS",
            "TC_085_CSMS",
            "TC_086_CSMS",
            "TC_087_CSMS",
        ),
    ),
    "auth-invalid-for-valid": Fault(
        "answers a valid (Accepted) id token with status Invalid (C01 / 1.6 §4.1)",
        (
            "TC_003_CSMS",
            "TC_E_03_CSMS",
            "TC_C_08_CSMS",
            "TC_E_01_CSMS",
            "TC_E_02_CSMS",
            "TC_E_10_CSMS",
            "TC_E_38_CSMS",
            "TC_E_08_CSMS",
            "TC_F_02_CSMS",
        ),
    ),
    "transaction-id-zero": Fault(
        "1.6: StartTransaction.conf transactionId 0 for every transaction; 2.0.1: no "
        "idTokenInfo in the TransactionEvent response to a Started event with an idToken",
        (
            "TC_003_CSMS",
            "TC_E_01_CSMS",
            "TC_E_02_CSMS",
            "TC_E_10_CSMS",
            "TC_E_11_CSMS",
            "FUZZ_16_CSMS_stateful",
            "FUZZ_201_CSMS_stateful",
        ),
    ),
    "accept-any-password": Fault(
        "Basic auth accepts any password (A00.FR.204 / 1.6 security whitepaper §2.3)",
        ("TC_A_03_CSMS", "TC_073_CSMS"),
    ),
    "accept-wrong-username": Fault(
        "Basic auth does not compare the user name with the station id (A00.FR.204)",
        ("TC_A_02_CSMS",),
    ),
    "silent": Fault("accepts the websocket and never answers a CALL"),
    "drop-after-boot": Fault(
        "closes TCP without a close frame right after answering the first BootNotification"
    ),
    "garbage": Fault("answers every CALL after the boot with a non-JSON text frame (OCPP-J §4)"),
    "callresult-for-malformed": Fault(
        "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)",
        negative_case_ids("csms"),
    ),
    "wrong-error-code": Fault(
        "answers malformed CALLs with GenericError instead of the suggested code",
        ("NEG_16_CSMS_framing", "NEG_201_CSMS_framing"),
    ),
}

_BASE_STATION_FAULTS: dict[str, Fault] = {
    "boot-reason-wrong": Fault(
        "2.0.1: BootNotification reason Unknown instead of PowerUp after a power cycle",
        ("TC_B_01_CS",),
        expected="NON-STRICT",
    ),
    "no-status-notification": Fault(
        "never sends StatusNotification (1.6 §4.9 / 2.0.1 B01.FR.05, G01)",
        ("TC_B_01_CS", "TC_G_01_CS", "TC_A_04_CS", "TC_A_07_CS", "TC_086_CS", "TC_087_CS"),
    ),
    "no-transaction": Fault(
        "authorization and plug-in do not start a transaction (1.6 §4.8 / 2.0.1 E01)",
        ("TC_003_CS", "TC_E_03_CS", "TC_004_1_CS", "TC_010_CS", "TC_011_1_CS"),
    ),
    "meter-stop-wrong": Fault(
        "1.6 StopTransaction meterStop / 2.0.1 Ended energy register is 10 % below the real "
        "register (1.6 §6.49 / 2.0.1 E06)",
        ("TC_068_CS", "TC_012_CS", "TC_005_1_CS", "FUZZ_16_CS_stateful"),
    ),
    "no-heartbeat": Fault("never sends Heartbeat (1.6 §4.6 / 2.0.1 G02)", ("TC_001_CS",)),
    "no-basic-auth": Fault(
        "omits the Authorization header with security profile 1-2 (A00.FR.203)",
        ("TC_A_01_CS", "TC_085_CS"),
    ),
    "security-profile-downgrade-accepted": Fault(
        "1.6: ChangeConfiguration SecurityProfile with a lower value is Accepted and applied "
        "(security whitepaper A05.FR.01: Rejected)",
        ("TC_084_CS",),
    ),
    "install-certificate-not-stored": Fault(
        "1.6: InstallCertificate answers Accepted but does not store the certificate "
        "(security whitepaper M05.FR.02)",
        ("TC_075_1_CS", "TC_075_2_CS"),
    ),
    "delete-certificate-ignored": Fault(
        "1.6: DeleteCertificate answers Accepted but keeps the certificate (M04.FR.02)",
        ("TC_076_CS",),
    ),
    "csr-without-cpo-name": Fault(
        "1.6: the SignCertificate.req CSR has no organizationName (A02.FR.13: CpoName)",
        ("TC_074_CS",),
    ),
    "signed-certificate-not-verified": Fault(
        "1.6: CertificateSigned accepts a certificate outside the CPO hierarchy "
        "(A02.FR.06 / A02.FR.07)",
        ("TC_077_CS",),
    ),
    "security-event-not-sent": Fault(
        "1.6: security events are only logged, never sent as SecurityEventNotification.req "
        "(A04.FR.01, A02.FR.07)",
        ("TC_077_CS",),
    ),
    "log-status-request-id-missing": Fault(
        "1.6: LogStatusNotification.req of a GetLog upload has no requestId (N01.FR.07)",
        ("TC_079_CS",),
    ),
    "signed-firmware-request-id-missing": Fault(
        "1.6: SignedFirmwareStatusNotification.req has no requestId (L01.FR.10)",
        ("TC_080_CS",),
    ),
    "firmware-signature-not-verified": Fault(
        "1.6: a signed firmware whose signature does not verify is installed anyway "
        "(L01.FR.03, L01.FR.04: InvalidSignature and an InvalidFirmwareSignature event)",
        ("TC_081_CS",),
    ),
    "authorization-key-not-applied": Fault(
        "1.6: accepts a new AuthorizationKey and reconnects, but with the old password "
        "(security whitepaper A01.FR.01)",
        ("TC_073_CS",),
    ),
    "backup-power-unused": Fault(
        "with backup power, a power loss still ends transactions only after the reboot instead "
        "of before going down (1.6 §4.10, PowerLoss)",
        ("TC_032_1_CS",),
    ),
    "unlock-fixed-cable": Fault(
        "1.6: with a fixed (tethered) cable, UnlockConnector answers Unlocked instead of "
        "NotSupported (1.6 §7.46: NotSupported = the charge point has no connector lock)",
        ("TC_017_2_CS", "TC_018_2_CS"),
    ),
    "silent": Fault("opens the websocket, never sends anything and never answers"),
    "drop-after-boot": Fault(
        "closes TCP without a close frame 0.2 s after each accepted boot, then boots again"
    ),
    "garbage": Fault(
        "after an accepted boot sends a non-JSON text frame and a schema-invalid "
        "StatusNotification CALL (OCPP-J §4)"
    ),
    "callresult-for-malformed": Fault(
        "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)",
        negative_case_ids("station"),
    ),
    # 1.6 Core non-happy flows (catalog sections 10-17, 24)
    "accept-invalid-id": Fault(
        "1.6: treats an idTag the Central System answered Invalid/Blocked/Expired in "
        "Authorize.conf as Accepted and starts charging (1.6 §4.1, §5.11)",
        ("TC_023_4_CS", "TC_023_5_CS"),
    ),
    "lock-failure-ignored": Fault(
        "1.6: starts the transaction although the connector lock failed; no "
        "ConnectorLockFailure reported (1.6 §4.9, §7.6; 2.0.1 G05.FR.02)",
        ("TC_024_CS",),
    ),
    "remote-start-always-accepted": Fault(
        "1.6: answers every RemoteStartTransaction Accepted, also for connectorId 0 or an "
        "unavailable connector, and then starts nothing (1.6 §5.11, §6.33)",
        ("TC_026_CS", "TC_027_CS"),
    ),
    "remote-stop-always-accepted": Fault(
        "1.6: answers RemoteStopTransaction Accepted for an unknown transactionId (1.6 §5.12)",
        ("TC_028_CS",),
    ),
    "unlock-always-unlocked": Fault(
        "1.6: answers every UnlockConnector Unlocked, also when the lock failed or the "
        "connector is unknown (1.6 §5.18, §7.46)",
        ("TC_030_CS", "TC_031_CS", "TC_018_1_CS"),
    ),
    "availability-not-persistent": Fault(
        "1.6: connectors set Unavailable come back Available after a reboot (1.6 §5.2, §5.14)",
        ("TC_034_CS",),
    ),
    "offline-tx-dropped": Fault(
        "forgets transaction-related messages made while offline or powered down instead of "
        "queueing them (1.6 §3.7, §4.10 / 2.0.1 E04)",
        (
            "TC_032_2_CS",
            "TC_036_CS",
            "TC_037_1_CS",
            "TC_038_CS",
            "TC_039_CS",
        ),
    ),
    "invalid-id-ignored": Fault(
        "1.6: keeps charging when StartTransaction.conf says the idTag is not Accepted, even "
        "with StopTransactionOnInvalidId true (1.6 §3.5.4, §9.1.24)",
        ("TC_037_3_CS",),
    ),
    "invalid-id-always-stops": Fault(
        "1.6: stops the transaction on a non-Accepted StartTransaction.conf even with "
        "StopTransactionOnInvalidId false (1.6 §3.5.4, §9.1.24)",
        ("TC_037_2_CS",),
    ),
    "change-configuration-accepts-all": Fault(
        "1.6: answers ChangeConfiguration Accepted for unknown keys, read-only keys and invalid "
        "values without applying anything (1.6 §5.3, §7.22)",
        ("TC_040_1_CS", "TC_040_2_CS", "TC_021_CS"),
    ),
    "fault-error-code-missing": Fault(
        "1.6: StatusNotification always carries errorCode NoError, also with status Faulted "
        "or a lock failure (1.6 §4.9, §7.6)",
        ("TC_041_CS",),
    ),
    "data-transfer-accepted": Fault(
        "1.6: answers DataTransfer Accepted for a vendorId it does not implement (1.6 §5.6)",
        ("TC_062_CS",),
    ),
    # 1.6 Local Authorization List (§3.5, §5.10, §5.15), Remote Trigger (§5.17), Reservation
    # (§5.1, §5.13): v16_local_list, v16_commands, v16_reservation.
    "local-list-ignored": Fault(
        "1.6: authorization never consults the Local Authorization List: with LocalPreAuthorize "
        "an Accepted entry still gets an Authorize.req (§3.5, §9.1.13)",
        ("TC_008_1_CS", "TC_008_2_CS"),
    ),
    "local-list-disabled-ignored": Fault(
        "1.6: LocalAuthListEnabled false is ignored: GetLocalListVersion answers the version "
        "instead of -1 and SendLocalList is Accepted instead of NotSupported (§5.10, §7.47)",
        ("TC_042_1_CS", "TC_043_1_CS"),
    ),
    "local-list-version-stale": Fault(
        "1.6: GetLocalListVersion reports the last listVersion for an emptied list instead "
        "of 0 (§5.10)",
        ("TC_042_2_CS",),
    ),
    "local-list-version-not-updated": Fault(
        "1.6: a Differential SendLocalList is applied but the list keeps its old version (§6.41)",
        ("TC_043_CS",),
    ),
    "local-list-no-version-check": Fault(
        "1.6: a Differential SendLocalList whose listVersion is not above the current one is "
        "Accepted instead of VersionMismatch (§7.47)",
        ("TC_043_2_CS",),
    ),
    "local-list-no-max-length": Fault(
        "1.6: SendLocalList that grows the list beyond LocalAuthListMaxLength is Accepted "
        "instead of Failed (§9.2.2, §7.47)",
        ("TC_043_3_CS",),
    ),
    "trigger-message-not-sent": Fault(
        "1.6: TriggerMessage is Accepted but the requested message is never sent (§5.17)",
        ("TC_054_CS",),
    ),
    "trigger-unknown-connector-accepted": Fault(
        "1.6: TriggerMessage for a connectorId the station does not have is Accepted (§5.17)",
        ("TC_055_CS",),
    ),
    "reservation-id-missing": Fault(
        "1.6: the transaction that ends a reservation has no reservationId in its "
        "StartTransaction.req (§4.8, §5.13)",
        ("TC_046_1_CS", "TC_046_2_CS", "TC_049_CS", "TC_053_1_CS", "TC_053_2_CS"),
    ),
    "reservation-not-enforced": Fault(
        "1.6: a reserved connector lets any idTag charge (§5.13 SHALL refuse other idTags)",
        ("TC_046_1_CS",),
    ),
    "reservation-never-expires": Fault(
        "1.6: a reservation is kept past its expiryDate; the connector stays Reserved (§5.13)",
        ("TC_047_CS",),
    ),
    "reservation-ignores-availability": Fault(
        "1.6: ReserveNow on a Faulted or Unavailable connector (or charge point) is answered "
        "Occupied instead of Faulted / Unavailable (§5.13, §7.40)",
        ("TC_048_1_CS", "TC_048_3_CS", "TC_050_1_CS", "TC_050_3_CS"),
    ),
    "reservation-ignores-occupied": Fault(
        "1.6: ReserveNow on an occupied connector (or charge point) is Accepted (§5.13)",
        ("TC_048_2_CS", "TC_050_2_CS"),
    ),
    "cancel-reservation-kept": Fault(
        "1.6: CancelReservation is Accepted but the reservation stays (§5.1)",
        ("TC_051_CS",),
    ),
    "cancel-reservation-always-accepted": Fault(
        "1.6: CancelReservation for an unknown reservationId is Accepted (§5.1)",
        ("TC_052_CS",),
    ),
    "reservation-parent-ignored": Fault(
        "1.6: a reservation with a parentIdTag admits only its own idTag, not others of the "
        "same parent (§5.13, §3.10)",
        ("TC_053_1_CS", "TC_053_2_CS"),
    ),
    # 1.6 Core happy flows (catalog sections 01-09): station.py, v16, v16_commands,
    # v16_aligned, device16.
    "pending-as-accepted": Fault(
        "BootNotification.conf Pending is taken as Accepted: statuses and heartbeats are sent "
        "and the boot is not retried (1.6 §4.2 / 2.0.1 B02)",
        ("TC_002_CS",),
    ),
    "connection-timeout-ignored": Fault(
        "1.6: an authorization without a plugged-in EV never expires after ConnectionTimeOut "
        "(1.6 §9.1.6)",
        ("TC_004_2_CS", "TC_011_2_CS"),
    ),
    "ev-disconnect-ignored": Fault(
        "1.6: unplugging at the EV side never stops the transaction, even with "
        "StopTransactionOnEVSideDisconnect true (1.6 §4.10, §9.1.23)",
        ("TC_005_1_CS", "TC_005_2_CS"),
    ),
    "ev-disconnect-always-stops": Fault(
        "1.6: unplugging at the EV side stops the transaction, even with "
        "StopTransactionOnEVSideDisconnect false (1.6 §4.10, §9.1.23)",
        ("TC_005_3_CS",),
    ),
    "unlock-ignores-key": Fault(
        "1.6: the cable is unlocked after an EV-side disconnect even with "
        "UnlockConnectorOnEVSideDisconnect false (1.6 §4.10, §9.1.33)",
        ("TC_005_2_CS",),
    ),
    "parent-id-ignored": Fault(
        "1.6: only the starting idTag stops a transaction, not another idTag with the same "
        "parentIdTag (1.6 §3.10)",
        ("TC_069_CS",),
    ),
    "pre-authorize-ignored": Fault(
        "1.6: LocalPreAuthorize true is ignored: an idTag cached Accepted still waits for an "
        "Authorize.req (1.6 §3.5, §9.1.13)",
        ("TC_007_1_CS", "TC_007_2_CS"),
    ),
    "clear-cache-ignored": Fault(
        "1.6: ClearCache is answered Accepted but the Authorization Cache is kept (1.6 §5.4)",
        ("TC_061_1_CS", "TC_061_2_CS"),
    ),
    "remote-stop-ignored": Fault(
        "1.6: RemoteStopTransaction is Accepted but the transaction goes on (1.6 §5.12)",
        ("TC_012_CS",),
    ),
    "reset-ignored": Fault(
        "1.6: Reset is Accepted but the charge point never resets (1.6 §5.14)",
        ("TC_013_CS", "TC_014_CS", "TC_015_CS", "TC_016_CS"),
    ),
    "reset-without-stop": Fault(
        "1.6: Reset drops ongoing transactions without a StopTransaction.req (1.6 §5.14)",
        ("TC_015_CS", "TC_016_CS"),
    ),
    "unlock-not-supported": Fault(
        "1.6: answers every UnlockConnector NotSupported although it has a connector lock "
        "(1.6 §5.18, §7.46)",
        ("TC_017_1_CS", "TC_018_1_CS"),
    ),
    "get-configuration-missing-key": Fault(
        "1.6: GetConfiguration without keys leaves out the required Core key ConnectionTimeOut "
        "(1.6 §5.8, §9.1.6)",
        ("TC_019_CS",),
    ),
    "sampled-data-ignored": Fault(
        "1.6: sampled MeterValues.req carry only the energy register whatever "
        "MeterValuesSampledData lists (1.6 §3.16.1, §9.1.17)",
        ("TC_070_CS",),
    ),
    "no-clock-aligned": Fault(
        "1.6: never sends clock-aligned MeterValues.req, whatever ClockAlignedDataInterval "
        "says (1.6 §3.16.2, §9.1.5)",
        ("TC_071_CS",),
    ),
    # 1.6 Smart Charging (§3.13, §5.5, §5.7, §5.16): v16_smart_charging.
    "charging-limit-ignored": Fault(
        "1.6: accepts and reports charging profiles but the EVSE keeps drawing its rated 32 A "
        "(MeterValues above the profile limit; §3.13.3)",
        ("TC_056_CS", "TC_057_CS", "TC_059_CS", "TC_082_CS"),
    ),
    "txprofile-unchecked": Fault(
        "1.6: accepts a TxProfile without an ongoing transaction on the connector or for "
        "another transactionId instead of rejecting it (§3.13.1, §5.16)",
        ("TC_058_1_CS", "TC_058_2_CS"),
    ),
    "remote-start-profile-ignored": Fault(
        "1.6: starts the transaction of a RemoteStartTransaction but drops its chargingProfile "
        "(§5.16.2: SHALL apply the given profile)",
        ("TC_059_CS",),
    ),
    "remote-start-profile-purpose-unchecked": Fault(
        "1.6: accepts a RemoteStartTransaction whose chargingProfile is not a TxProfile "
        "(§5.16.2: the purpose MUST be TxProfile)",
        ("TC_060_CS",),
    ),
    "composite-ignores-max-profile": Fault(
        "1.6: limits and composite schedules leave out the ChargePointMaxProfile (§3.13.3)",
        ("TC_066_CS",),
    ),
    "clear-profile-noop": Fault(
        "1.6: answers ClearChargingProfile Accepted but removes nothing (§5.5, errata 3.25)",
        ("TC_067_CS",),
    ),
    "stack-level-ignored": Fault(
        "1.6: among profiles of one purpose the lowest stackLevel prevails instead of the "
        "highest (§3.13.2)",
        ("TC_072_CS",),
    ),
    "txdefault-not-applied-to-running-tx": Fault(
        "1.6: a TxDefaultProfile installed during a transaction only applies to later "
        "transactions (errata 3.8: the transaction SHALL switch to it)",
        ("TC_082_CS",),
    ),
    "reservation-refusal-ignored": Fault(
        "1.6: accepts reservations although configured to refuse them (§5.13 Rejected)",
        ("TC_048_4_CS",),
    ),
    "reserve-zero-unchecked": Fault(
        "1.6: accepts a reservation of connector 0 although ReserveConnectorZeroSupported is "
        "false (§5.13: SHALL return Rejected)",
        ("TC_050_4_CS",),
    ),
    "invalid-csms-certificate-unreported": Fault(
        "refuses an untrusted CSMS certificate but raises no InvalidCentralSystemCertificate / "
        "InvalidCsmsCertificate security event (whitepaper A00.FR.309)",
        ("TC_078_CS",),
    ),
    "csms-certificate-not-verified": Fault(
        "does not verify the CSMS certificate: TLS with an untrusted root succeeds (A00.FR.309)",
        ("TC_078_CS",),
    ),
    "security-profile-upgrade-ignored": Fault(
        "1.6: accepts SecurityProfile 3 but reconnects with the old profile (A05.FR.07)",
        ("TC_083_CS",),
    ),
    "seqno-skip-after-reconnect": Fault(
        "2.0.1: after a reconnect, the next TransactionEvent of a running transaction skips "
        "one seqNo (Part 6 general tool rules: seqNo numbered without gaps)",
        ("FUZZ_201_CS_stateful",),
    ),
    "tx-restarted-after-reconnect": Fault(
        "1.6: after a reconnect, sends a new StartTransaction.req for each running transaction "
        "(1.6 §4.8: one StartTransaction.req per transaction; the first is never stopped)",
        ("FUZZ_16_CS_stateful",),
    ),
    # 1.6 Firmware Management (§4.4, §4.5, §5.9, §5.19): v16_firmware.
    "firmware-skips-installing": Fault(
        "1.6: installs the firmware without sending FirmwareStatusNotification Installing "
        "(§4.5 SHALL inform about the progress; errata 3.47 sequence)",
        ("TC_044_1_CS", "TC_044_3_CS"),
    ),
    "firmware-failure-unreported": Fault(
        "1.6: a firmware that could not be downloaded or installed is reported Downloaded / "
        "Installed (§4.5, §7.25 DownloadFailed / InstallationFailed)",
        ("TC_044_2_CS", "TC_044_3_CS"),
    ),
    "diagnostics-no-file-name": Fault(
        "1.6: GetDiagnostics.conf has no fileName although a diagnostics file is uploaded (§6.26)",
        ("TC_045_1_CS",),
    ),
    "diagnostics-upload-failure-unreported": Fault(
        "1.6: a diagnostics upload that failed is reported Uploaded (§4.4, §7.23 UploadFailed)",
        ("TC_045_2_CS",),
    ),
}

CSMS_FAULTS: dict[str, Fault] = merged(
    _BASE_CSMS_FAULTS,
    CSMS_V16_CORE_FAULTS,
    CSMS_V16_ADVANCED_FAULTS,
    CSMS_V201_ABC_FAULTS,
    CSMS_V201_EFGJP_FAULTS,
    CSMS_NEGATIVE_FAULTS,
)
STATION_FAULTS: dict[str, Fault] = merged(
    _BASE_STATION_FAULTS, STATION_NEGATIVE_FAULTS, STATION_PHYSICAL_FAULTS
)

FAULTS: dict[Role, dict[str, Fault]] = {"csms": CSMS_FAULTS, "station": STATION_FAULTS}


def faults_for(role: Role) -> dict[str, Fault]:
    """Return the faults one simulator role knows."""
    return FAULTS[role]


def is_known(name: str) -> bool:
    """True when some simulator knows the fault `name`."""
    return any(name in table for table in FAULTS.values())
