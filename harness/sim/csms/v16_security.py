"""Security extension of the reference 1.6 CSMS (1.6 security whitepaper edition 3).

Confirmation of the whitepaper's notifications (A04.FR.03, N01, L01) and the fault switches
of the security cases that act on what the CSMS sends or how it compares a password. The CA
side (SignCertificate, CertificateSigned) is in v16_certificates.py.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.sim.csms import v201_certificates
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: Fault names of this module (see harness/sim/faults_csms_v16_advanced.py).
NOTIFICATIONS_ERROR: Final = "sec16-notifications-error"
CERTIFICATE_GARBLED: Final = "sec16-certificate-garbled"
BASIC_AUTH_HEX: Final = "sec16-basic-auth-hex"
#: 1.6 has one kind of CSR, the charge point certificate (SignCertificate.req has no type).
KIND: Final = {"certificateType": "ChargingStationCertificate"}


def sign_certificate(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer SignCertificate.req: Accepted when the CSR will be signed (A02.FR.11/12).

    The CSR must be PEM PKCS#10 with a valid self-signature and the charge point identity as
    CN (A00.FR.511), and the CSMS must have a CA (`--ca-cert/--ca-key`); CSR vetting is shared
    with 2.0.1 (v201_certificates.py, same A02 use case).
    """
    csr = v201_certificates.check_csr(ctx, record, {**payload, **KIND})
    return {"status": "Accepted" if csr is not None else "Rejected"}


def notification(ctx: CsmsContext, _record: StationRecord, _payload: Payload) -> Payload:
    """Confirm a whitepaper notification with an empty .conf.

    SecurityEventNotification (A04.FR.03), LogStatusNotification (N01 steps 4/7),
    SignedFirmwareStatusNotification (L01). Fault `sec16-notifications-error` answers a
    CALLERROR instead, as a CSMS without the security extension would.
    """
    if ctx.fault(NOTIFICATIONS_ERROR):
        raise NotImplementedError(f"fault {NOTIFICATIONS_ERROR}: no handler for this message")
    return {}


def password_matches(ctx: CsmsContext, given: str, expected: str) -> bool:
    """Compare a Basic auth password with the AuthorizationKey as text (A00.FR.205/304).

    Fault `sec16-basic-auth-hex` hex-decodes the stored key first (misreading "hexadecimal
    represented"), so a key that is not hex never matches.
    """
    if not ctx.fault(BASIC_AUTH_HEX):
        return given == expected
    try:
        raw = binascii.unhexlify(expected)
    except (binascii.Error, ValueError):
        return False
    return given.encode("utf-8", "surrogateescape") == raw


def garble(pem: str) -> str:
    """A PEM certificate as bare base64 DER: the `sec16-certificate-garbled` fault (A00.FR.507)."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return pem
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


def distort(ctx: CsmsContext, action: str, payload: Payload) -> Payload:
    """Apply the security faults to an outgoing CALL (`payload` is the CSMS's own copy)."""
    if not ctx.fault(CERTIFICATE_GARBLED):
        return payload
    if action == "InstallCertificate" and isinstance(payload.get("certificate"), str):
        payload["certificate"] = garble(payload["certificate"])
    firmware = payload.get("firmware")
    if (
        action == "SignedUpdateFirmware"
        and isinstance(firmware, dict)
        and isinstance(firmware.get("signingCertificate"), str)
    ):
        firmware["signingCertificate"] = garble(firmware["signingCertificate"])
    return payload
