"""Reference CSMS faults proving the 1.6 Security, Reservation, Trigger, Smart Charging cases."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_V16_ADVANCED_FAULTS: dict[str, Fault] = {
    # Reservation (1.6 §5.13, §5.1, §4.8, §3.10): harness/sim/csms/v16_reservation.py.
    "resv16-expiry-past": Fault(
        "1.6: ReserveNow.req expiryDate an hour in the past, a reservation that is over before "
        "it starts (§5.13)",
        ("TC_046_CSMS", "TC_047_CSMS", "TC_049_CSMS", "TC_051_CSMS"),
    ),
    "resv16-reservation-start-refused": Fault(
        "1.6: StartTransaction.req that ends a reservation (reservationId) answered idTagInfo "
        "Invalid although the idTag is valid (§4.8, §5.13)",
        ("TC_046_CSMS", "TC_049_CSMS", "TC_053_CSMS"),
    ),
    "resv16-no-parent-id": Fault(
        "1.6: IdTagInfo leaves out the idTag's parentIdTag, so a group member cannot use a "
        "group reservation (§3.10, §5.13)",
        ("TC_053_CSMS",),
    ),
    "resv16-cancel-wrong-id": Fault(
        "1.6: CancelReservation.req names another reservationId than the reservation to "
        "cancel (§5.1)",
        ("TC_051_CSMS", "TC_052_CSMS"),
    ),
    "resv16-refusal-drops": Fault(
        "1.6: closes the websocket when ReserveNow.conf is not Accepted or CancelReservation.conf "
        "is Rejected, instead of taking note (§5.13, §5.1)",
        ("TC_048_1_CSMS", "TC_048_2_CSMS", "TC_048_3_CSMS", "TC_048_4_CSMS", "TC_052_CSMS"),
    ),
    # Remote trigger (1.6 §5.17, §4.7): harness/sim/csms/v16_trigger.py.
    "trig16-meter-values-need-transaction": Fault(
        "1.6: answers MeterValues.req without a transactionId (a triggered connector reading) "
        "with a CALLERROR (§4.7, §5.17)",
        ("TC_054_CSMS",),
    ),
    "trig16-rejected-drops": Fault(
        "1.6: closes the websocket when TriggerMessage.conf is Rejected or NotImplemented (§5.17)",
        ("TC_055_CSMS",),
    ),
    # Smart charging (1.6 §3.13, §5.5, §5.7, §5.16): harness/sim/csms/v16_smart_charging.py.
    "sc16-rate-unit-mismatch": Fault(
        "1.6: charging profiles in A are sent with chargingRateUnit W and the ampere limits "
        "unchanged (§7.7, §7.13)",
        ("TC_056_CSMS", "TC_057_CSMS", "TC_059_CSMS"),
    ),
    "sc16-clear-all": Fault(
        "1.6: ClearChargingProfile.req without id or criteria, clearing every profile instead "
        "of the one meant (§5.5)",
        ("TC_067_CSMS",),
    ),
    "sc16-composite-connector-zero": Fault(
        "1.6: GetCompositeSchedule.req for connectorId 0 (the whole charge point) instead of "
        "the connector asked for (§5.7)",
        ("TC_066_CSMS",),
    ),
    # Security whitepaper ed. 3: server.py, v16_security.py, v16_certificates.py,
    # security_profiles.py.
    "sec16-basic-auth-hex": Fault(
        "1.6: hex-decodes the AuthorizationKey before comparing it with the Basic auth "
        "password, so a valid password is refused (whitepaper A00.FR.205)",
        ("TC_085_CSMS", "TC_073_CSMS"),
    ),
    "sec16-tls-legacy": Fault(
        "1.6: completes TLS 1.0/1.1 handshakes with a charge point that is not a legacy one "
        "(whitepaper A00.FR.312-314, A00.FR.416-418)",
        ("TC_086_CSMS", "TC_087_CSMS"),
    ),
    "sec16-csr-key-ignored": Fault(
        "1.6: the certificate in CertificateSigned.req certifies a key of the CSMS's making, "
        "not the CSR's (whitepaper A02)",
        ("TC_074_CSMS", "TC_083_CSMS"),
    ),
    "sec16-notifications-error": Fault(
        "1.6: answers SecurityEventNotification, LogStatusNotification and "
        "SignedFirmwareStatusNotification with a CALLERROR (whitepaper A04.FR.03, N01, L01)",
        ("TC_077_CSMS", "TC_078_CSMS", "TC_079_CSMS", "TC_080_CSMS", "TC_081_CSMS"),
    ),
    "sec16-certificate-garbled": Fault(
        "1.6: sends certificates (InstallCertificate, SignedUpdateFirmware signingCertificate) "
        "as bare base64 DER instead of PEM (whitepaper A00.FR.507, L01.FR.11)",
        ("TC_075_1_CSMS", "TC_075_2_CSMS", "TC_076_CSMS", "TC_080_CSMS", "TC_081_CSMS"),
    ),
    "sec16-accepts-lower-profile": Fault(
        "1.6: after the charge point moved to security profile 3 it still accepts a profile 2 "
        "connection (whitepaper A05.FR.09)",
        ("TC_083_CSMS",),
    ),
    "sec16-subprotocol-ignored": Fault(
        "1.6: never selects a websocket subprotocol and keeps a connection without a common "
        "one open (OCPP-J 1.6 §3.1.2, §3.2)",
        ("TC_088_CSMS",),
    ),
}
