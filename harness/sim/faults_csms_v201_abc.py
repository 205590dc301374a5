"""Reference CSMS faults proving the OCPP 2.0.1 blocks A, B and C _CSMS cases."""

from __future__ import annotations

from harness.sim.fault import Fault

_A: dict[str, Fault] = {
    "a201-tls-legacy-accepted": Fault(
        "completes TLS 1.0/1.1 handshakes (A00.FR.314/418: TLS 1.2 or above only)",
        ("TC_A_06_CSMS",),
    ),
    "a201-client-cn-unchecked": Fault(
        "security profile 3: does not compare the client certificate CN with the station id "
        "(A00.FR.405)",
        ("TC_A_08_CSMS",),
    ),
    "a201-keeps-old-password": Fault(
        "keeps the old Basic auth password after the station accepted a new BasicAuthPassword "
        "(A01.FR.03)",
        ("TC_A_09_CSMS",),
    ),
    "a201-adopts-rejected-password": Fault(
        "adopts a new BasicAuthPassword although the station rejected it (A01.FR.05)",
        ("TC_A_10_CSMS",),
    ),
    "a201-downgrade-accepted": Fault(
        "after a station was raised to a TLS security profile, still accepts it without TLS "
        "(A05.FR.07)",
        ("TC_A_19_CSMS",),
    ),
    "a201-sign-rejected": Fault(
        "answers every SignCertificateRequest Rejected (A02.FR.11 / A03)",
        ("TC_A_11_CSMS", "TC_A_12_CSMS", "TC_A_13_CSMS", "TC_A_14_CSMS"),
    ),
    "a201-certificate-wrong-key": Fault(
        "CertificateSigned carries a certificate for another key than the CSR's (A02.FR.11)",
        ("TC_A_11_CSMS", "TC_A_12_CSMS", "TC_A_13_CSMS"),
    ),
}

_B: dict[str, Fault] = {
    "b201-pending-ignored": Fault(
        "ignores the configuration to answer the first BootNotification Pending (B02.FR.01)",
        ("TC_B_02_CSMS", "TC_B_30_CSMS", "TC_B_31_CSMS"),
    ),
    "b201-pending-sticky": Fault(
        "answers every BootNotification after a Pending one Pending again: never accepts "
        "(B02.FR.01, B01.FR.02)",
        ("TC_B_02_CSMS", "TC_B_31_CSMS"),
    ),
    "b201-no-security-error": Fault(
        "answers CALLs of a Pending/Rejected station normally instead of with SecurityError "
        "(B02.FR.09, B03.FR.07)",
        ("TC_B_30_CSMS",),
    ),
    "b201-variables-from-cache": Fault(
        "answers a GetVariables command from its own memory without asking the station (B06)",
        ("TC_B_06_CSMS", "TC_B_07_CSMS", "TC_B_08_CSMS"),
    ),
    "b201-items-per-message-ignored": Fault(
        "sends all variables in one GetVariablesRequest regardless of ItemsPerMessage (B06.FR.05)",
        ("TC_B_08_CSMS",),
    ),
    "b201-set-attribute-target": Fault(
        "sets attributeType Target on every SetVariables item (B05; Actual was asked)",
        ("TC_B_09_CSMS", "TC_B_10_CSMS"),
    ),
    "b201-report-request-id-negative": Fault(
        "uses requestId -1 in GetBaseReport/GetReport requests (B07/B08)",
        ("TC_B_12_CSMS", "TC_B_13_CSMS", "TC_B_14_CSMS"),
    ),
    "b201-report-criteria-dropped": Fault(
        "leaves componentCriteria out of GetReportRequest (B08.FR.01/03)",
        ("TC_B_18_CSMS",),
    ),
    "b201-reset-type-swapped": Fault(
        "sends Reset type Immediate when OnIdle was asked and OnIdle for Immediate (B11/B12)",
        (
            "TC_B_20_CSMS",
            "TC_B_21_CSMS",
            "TC_B_22_CSMS",
            "TC_B_25_CSMS",
            "TC_B_26_CSMS",
            "TC_B_27_CSMS",
        ),
    ),
    "b201-reset-scope-wrong": Fault(
        "drops evseId from an EVSE reset and adds evseId 1 to a station reset (B11/B12)",
        (
            "TC_B_20_CSMS",
            "TC_B_21_CSMS",
            "TC_B_22_CSMS",
            "TC_B_25_CSMS",
            "TC_B_26_CSMS",
            "TC_B_27_CSMS",
        ),
    ),
    "b201-network-profile-not-sent": Fault(
        "takes a SetNetworkProfile command but never sends it (B09.FR.01)",
        ("TC_B_42_CSMS", "TC_B_44_CSMS"),
    ),
    "b201-network-url-with-identity": Fault(
        "puts the station identity into connectionData.ocppCsmsUrl (B09, the URL is without it)",
        ("TC_B_42_CSMS",),
    ),
    "b201-subprotocol-ignored": Fault(
        "keeps a websocket open that agreed on no OCPP subprotocol (Part 4 §3.2)",
        ("TC_B_58_CSMS",),
    ),
}

_C: dict[str, Fault] = {
    "c201-accept-invalid": Fault(
        "answers id tokens it does not know or has as Invalid Accepted (C01.FR.07, C12)",
        ("TC_C_02_CSMS", "TC_C_20_CSMS"),
    ),
    "c201-token-status-ignored": Fault(
        "answers Blocked and Expired tokens Accepted (C01.FR.07)",
        ("TC_C_06_CSMS", "TC_C_07_CSMS"),
    ),
    "c201-no-group-id": Fault(
        "leaves groupIdToken out of IdTokenInfo (C09.FR.02/03, C16.FR.01/02)",
        (
            "TC_C_39_CSMS",
            "TC_C_40_CSMS",
            "TC_C_43_CSMS",
            "TC_C_47_CSMS",
            "TC_C_48_CSMS",
            "TC_C_49_CSMS",
        ),
    ),
    "c201-ocsp-skipped": Fault(
        "answers a contract certificate Accepted without asking its OCSP responder "
        "(C07.FR.04/05/16)",
        ("TC_C_50_CSMS", "TC_C_51_CSMS", "TC_C_52_CSMS"),
    ),
    "c201-clear-cache-not-sent": Fault(
        "takes a ClearCache command but never sends it (C11)",
        ("TC_C_37_CSMS", "TC_C_38_CSMS"),
    ),
}

CSMS_V201_ABC_FAULTS: dict[str, Fault] = {**_A, **_B, **_C}
