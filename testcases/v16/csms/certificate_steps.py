"""Charge point certificate renewal against a 1.6 CSMS (whitepaper A02, A00.FR.5xx).

The 2.0.1 Part 6 memory state RenewChargingStationCertificate (CSMS, Table 711) translated to
1.6: ExtendedTriggerMessage SignChargePointCertificate, a fresh key pair and CSR
(A02.FR.02/03/13), SignCertificate.conf Accepted (A02.FR.11), then CertificateSigned.req
whose certificate the harness validates against the test PKI's CSMS root (A02.FR.06).
"""

from __future__ import annotations

import itertools
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.cases.checks import Checks
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator
from harness.transport.pki import TestPki
from harness.transport.tls import client_context


@dataclass(frozen=True)
class Renewal:
    """The CSR the harness sent and the CertificateSigned.req that came back (if any)."""

    key: ec.EllipticCurvePrivateKey
    signed: Message | None


def _spki(key: object) -> bytes:
    assert hasattr(key, "public_bytes")
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def cpo_name(pki: TestPki) -> str:
    """The CpoName: the O of the charge point certificate the CPO gave (whitepaper §7.5)."""
    cert = x509.load_pem_x509_certificate(pki.station_cert.read_bytes())
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else ""


def new_csr(station_id: str, organization: str) -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A P-256 key and its PEM CSR: CN = charge point identity, O = CpoName (A02.FR.02/13)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, station_id),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return key, csr.public_bytes(serialization.Encoding.PEM).decode("ascii")


async def renew(
    station: StationEmulator, dut: Dut, check: Checks, pki: TestPki, *, answer: str = "Accepted"
) -> Renewal:
    """RenewChargingStationCertificate; the charge point answers CertificateSigned `answer`."""
    request = {"requestedMessage": "SignChargePointCertificate"}
    trigger = await csms_v16.command(
        station, dut, "ExtendedTriggerMessage", request, {"status": "Accepted"}
    )
    check.equal(
        trigger.get("requestedMessage"),
        "SignChargePointCertificate",
        "ExtendedTriggerMessage.req requestedMessage",
        ref="whitepaper A02",
    )
    key, csr = new_csr(dut.station_id, cpo_name(pki))
    station.on("CertificateSigned", once=True).respond(status=answer)
    mark = station.wirelog.now()
    sign = await station.call("SignCertificate", csr=csr)
    if not check.equal(
        sign.get("status"), "Accepted", "SignCertificate.conf status", ref="A02.FR.11"
    ):
        return Renewal(key, None)
    signed = await station.expect("CertificateSigned", within=dut.timeouts.action, since=mark)
    return Renewal(key, signed)


def check_chain(
    check: Checks, renewal: Renewal, station_id: str, pki: TestPki
) -> x509.Certificate | None:
    """Validate CertificateSigned.req certificateChain; return the leaf when it is usable.

    PEM X.509 (A00.FR.507), the CSR's key, CN = identity (A00.FR.511), O (A00.FR.509), a
    serial (A00.FR.508), valid now, issued within the CPO hierarchy (A02.FR.06: chains to the
    CSMS root of the test PKI).
    """
    if renewal.signed is None:
        return None
    text = str(renewal.signed.get("certificateChain", ""))
    try:
        chain = x509.load_pem_x509_certificates(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        chain = []
    if not check.must(chain, f"certificateChain is PEM X.509: saw {text[:80]!r}", ref="507"):
        return None
    leaf = chain[0]
    usable = check.must(
        _spki(leaf.public_key()) == _spki(renewal.key.public_key()),
        "the certificate certifies the key of the CSR sent in SignCertificate.req",
        ref="whitepaper A02",
    )
    names = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(names[0].value) if names else None
    usable &= check.equal(common_name, station_id, "certificate subject CN", ref="A00.FR.511")
    check.must(
        leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME),
        f"certificate subject has an O RDN: {leaf.subject.rfc4514_string()}",
        ref="A00.FR.509",
    )
    check.must(leaf.serial_number > 0, "the certificate has a serial number", ref="A00.FR.508")
    now = datetime.now(UTC)
    usable &= check.must(
        leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc,
        f"certificate valid now: {leaf.not_valid_before_utc} .. {leaf.not_valid_after_utc}",
        ref="A02.FR.06",
    )
    root = x509.load_pem_x509_certificate(pki.csms_root_cert.read_bytes())
    usable &= check.must(
        _issued_within(chain, root),
        f"the chain {[c.subject.rfc4514_string() for c in chain]} leads to the CSMS root "
        f"{root.subject.rfc4514_string()}",
        ref="A02.FR.06",
    )
    return leaf if usable else None


def _issued_within(chain: list[x509.Certificate], root: x509.Certificate) -> bool:
    """True when each certificate is signed by the next and the last one by `root`."""
    path = [*chain, root] if chain[-1] != root else chain
    try:
        for child, parent in itertools.pairwise(path):
            child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def mutual_context(
    pki: TestPki, leaf: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> ssl.SSLContext:
    """A profile-3 client context presenting the renewed certificate (A02.FR.08)."""
    with tempfile.TemporaryDirectory(prefix="renewed-") as folder:
        cert_path, key_path = Path(folder) / "cp.pem", Path(folder) / "cp.key"
        cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return client_context(
            ca_cert=pki.csms_root_cert, client_cert=cert_path, client_key=key_path
        )
