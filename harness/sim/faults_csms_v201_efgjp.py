"""Reference CSMS faults proving the OCPP 2.0.1 blocks E, F, G, J and P _CSMS cases.

Request faults act in harness/sim/csms/v201_transactions.py, v201_meter_values.py,
v201_notifications.py and v201_data_transfer.py (wired by v201_guards.py); command faults in
v201_remote_control.py.
"""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V201_EFGJP_FAULTS: dict[str, Fault] = {
    "e201-started-needs-idtoken": Fault(
        "answers OccurrenceConstraintViolation to a Started TransactionEvent without idToken "
        "(1.6 habit; E01.FR.02 lets a transaction start on cable plug-in)",
        ("TC_E_09_CSMS", "TC_E_12_CSMS", "TC_J_07_CSMS", "TC_F_01_CSMS", "TC_P_03_CSMS"),
    ),
    "e201-started-needs-evse": Fault(
        "answers OccurrenceConstraintViolation to a Started TransactionEvent without evse "
        "(authorization first: the EVSE is not known yet, E03.FR.02)",
        ("TC_E_04_CSMS", "TC_E_10_CSMS", "TC_J_08_CSMS"),
    ),
    "e201-tx-token-unchecked": Fault(
        "answers every idToken in a TransactionEvent with idTokenInfo.status Accepted "
        "(E01.FR.11/12: an invalid token must be reported)",
        ("TC_E_16_CSMS", "FUZZ_201_CSMS_stateful"),
    ),
    "e201-seqno-per-station": Fault(
        "answers PropertyConstraintViolation when a TransactionEvent's seqNo is not above the "
        "last seqNo of the station (E01.FR.07: seqNo restarts per transaction; offline events "
        "arrive out of order)",
        ("TC_E_53_CSMS", "TC_E_31_CSMS"),
    ),
    "e201-unknown-trigger-reason": Fault(
        "answers InternalError to TransactionEvents with a triggerReason outside the classic "
        "set (EVDetected, EVDeparted, EVConnectTimeout, Deauthorized, SignedDataReceived...)",
        ("TC_E_11_CSMS", "TC_E_12_CSMS", "TC_E_39_CSMS", "TC_E_16_CSMS", "TC_F_04_CSMS"),
    ),
    "e201-ended-needs-meter-value": Fault(
        "answers OccurrenceConstraintViolation to an Ended TransactionEvent without meterValue "
        "(1.6 StopTransaction habit; 2.0.1 Ended events need no meter value)",
        (
            "TC_E_14_CSMS",
            "TC_E_20_CSMS",
            "TC_E_15_CSMS",
            "TC_E_21_CSMS",
            "TC_E_07_CSMS",
            "TC_E_08_CSMS",
            "TC_E_17_CSMS",
            "TC_E_22_CSMS",
            "TC_E_39_CSMS",
        ),
    ),
    "e201-closed-transaction-error": Fault(
        "treats a connector reported Available as the end of its transaction and answers "
        "PropertyConstraintViolation to later events of it (E10 suspend, E06.FR.01, E14)",
        ("TC_E_19_CSMS", "TC_E_26_CSMS", "TC_E_31_CSMS"),
    ),
    "e201-internal-transaction-id": Fault(
        "sends its own running number instead of the station's transactionId in "
        "RequestStopTransaction and GetTransactionStatus (F03.FR.01, E14.FR.02)",
        ("TC_E_21_CSMS", "TC_E_29_CSMS", "TC_E_30_CSMS", "TC_E_31_CSMS"),
    ),
    "e201-tx-status-empty-id": Fault(
        'sends GetTransactionStatus with transactionId "" instead of omitting it (E14.FR.06)',
        ("TC_E_33_CSMS", "TC_E_34_CSMS"),
    ),
    "f201-remote-start-central-token": Fault(
        "sends RequestStartTransaction with idToken.type Central instead of the token's type",
        ("TC_F_01_CSMS", "TC_F_02_CSMS", "TC_F_03_CSMS", "TC_F_04_CSMS"),
    ),
    "f201-evse-off-by-one": Fault(
        "sends EVSE ids one too high in TriggerMessage, UnlockConnector and ChangeAvailability "
        "(a 0-based index leaking into OCPP's 1-based evse ids)",
        (
            "TC_F_06_CSMS",
            "TC_F_11_CSMS",
            "TC_F_13_CSMS",
            "TC_F_23_CSMS",
            "TC_F_24_CSMS",
            "TC_G_03_CSMS",
            "TC_G_04_CSMS",
            "TC_G_11_CSMS",
        ),
    ),
    "f201-trigger-message-fixed": Fault(
        "sends every TriggerMessage with requestedMessage StatusNotification, whatever was "
        "asked for (F06.FR.01)",
        ("TC_F_12_CSMS", "TC_F_14_CSMS", "TC_F_15_CSMS", "TC_F_18_CSMS", "TC_F_20_CSMS"),
    ),
    "f201-idle-status-error": Fault(
        "answers PropertyConstraintViolation to Log/FirmwareStatusNotification status Idle, "
        "which a station sends when triggered with nothing in progress (F06)",
        ("TC_F_15_CSMS", "TC_F_18_CSMS"),
    ),
    "f201-drop-on-not-implemented": Fault(
        "closes the connection when the station answers TriggerMessage NotImplemented (F06.FR.08)",
        ("TC_F_27_CSMS",),
    ),
    "g201-availability-v16-scope": Fault(
        "ChangeAvailability with 1.6 scope habits: the whole station as evse.id 0, a connector "
        "as its whole EVSE (connectorId dropped) (G03, G04)",
        (
            "TC_G_05_CSMS",
            "TC_G_06_CSMS",
            "TC_G_07_CSMS",
            "TC_G_08_CSMS",
            "TC_G_14_CSMS",
            "TC_G_17_CSMS",
        ),
    ),
    "g201-notify-event-unknown-component": Fault(
        "answers InternalError to NotifyEvent about components other than ChargingStation, "
        "EVSE and Connector (G05.FR.03 ConnectorPlugRetentionLock, J01 FiscalMetering)",
        ("TC_G_20_CSMS", "TC_J_01_CSMS", "TC_J_02_CSMS"),
    ),
    "j201-meter-values-evse0-error": Fault(
        "answers InternalError to MeterValues of evseId 0, the main meter (J01.FR.18)",
        ("TC_J_01_CSMS", "TC_J_02_CSMS"),
    ),
    "j201-signed-meter-value-error": Fault(
        "answers FormatViolation to sampled values with a signedMeterValue "
        "(E01.FR.04, J01.FR.21, J02.FR.21)",
        ("TC_E_11_CSMS", "TC_J_04_CSMS", "TC_J_11_CSMS"),
    ),
    "j201-integer-meter-values": Fault(
        "answers FormatViolation to a sampled value that is not a whole number (the "
        "value is a decimal, J01/J02)",
        ("TC_J_02_CSMS", "TC_J_03_CSMS", "TC_J_09_CSMS", "TC_J_10_CSMS"),
    ),
    "p201-data-transfer-accepted": Fault(
        "answers every DataTransfer Accepted, also for vendor ids it does not know (P02.FR.06/07)",
        ("TC_P_02_CSMS",),
    ),
    "p201-custom-data-rejected": Fault(
        "answers FormatViolation to any request carrying customData (TC_P_03_CSMS)",
        ("TC_P_03_CSMS",),
    ),
}
