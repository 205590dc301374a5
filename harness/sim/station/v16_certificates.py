"""OCPP 1.6 certificate management (security whitepaper ed. 3) of the reference charge point.

* InstallCertificate (M05): a PEM CA certificate, valid now, is installed (Accepted); one that
  does not parse, is not a CA or is outside its validity period is Rejected (M05.FR.06); a full
  store (CertificateStoreMaxLength) is Rejected (M05.FR.03).
* GetInstalledCertificateIds (M03): hash data (SHA256) of the installed certificates of the
  type, or NotFound. The CA given with --ca-cert counts as an installed
  CentralSystemRootCertificate.
* DeleteCertificate (M04): Accepted, NotFound, or Failed for the root the current TLS
  connection is verified with (M04.FR.06).
* ExtendedTriggerMessage SignChargePointCertificate (A02): a new P-256 key (A02.FR.02), then
  SignCertificate.req with a PEM CSR whose O is CpoName (A02.FR.03, A02.FR.13).
* CertificateSigned (A02.FR.06): the chain's first certificate must be valid now, carry the
  key of the pending CSR and be signed by an installed CentralSystemRootCertificate (or a
  chain certificate that is); otherwise Rejected, discarded, and an
  InvalidChargePointCertificate security event (A02.FR.07). The accepted certificate becomes
  the ChargePointCertificate; TLS keeps the command-line credentials (not switched at run time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.sim.station.link import Answer, Payload

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]
#: CertificateStoreMaxLength (whitepaper §7.4) of the reference station.
STORE_MAX = 8
#: CpoName (whitepaper §7.5) the station puts in its CSR's organizationName.
CPO_NAME = "OCPP Harness CPO"


@dataclass
class Installed:
    """One installed CA certificate and its type."""

    type: str
    cert: x509.Certificate
    from_command_line: bool = False


def hash_data(cert: x509.Certificate) -> Payload:
    """CertificateHashDataType (SHA256) of a CA certificate it issued itself or by its issuer."""
    issuer_key = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": hashlib.sha256(cert.issuer.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.sha256(issuer_key).hexdigest(),
        "serialNumber": format(cert.serial_number, "x"),
    }


def _valid_now(cert: x509.Certificate) -> bool:
    now = datetime.now(UTC)
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class CertificateStore:
    """Installed CA certificates, the ChargePointCertificate and the pending CSR key."""

    def __init__(self, v: V16) -> None:
        self.v = v
        self.installed: list[Installed] = []
        self.pending_key: ec.EllipticCurvePrivateKey | None = None
        self.charge_point_cert: x509.Certificate | None = None
        if v.config.ca_cert is not None and v.config.ca_cert.exists():
            cert = x509.load_pem_x509_certificate(v.config.ca_cert.read_bytes())
            self.installed.append(Installed("CentralSystemRootCertificate", cert, True))

    def roots(self) -> list[x509.Certificate]:
        """Installed CentralSystemRootCertificates (the CPO hierarchy, A02.FR.06)."""
        return [i.cert for i in self.installed if i.type == "CentralSystemRootCertificate"]

    def chain_valid(self, chain: list[x509.Certificate]) -> bool:
        """A02.FR.06: leaf valid now, key of the pending CSR, issued within the CPO hierarchy."""
        leaf = chain[0]
        if self.pending_key is None or not _valid_now(leaf):
            return False
        if self.v.config.fault("signed-certificate-not-verified"):
            return True  # breaks A02.FR.06: any certificate is taken
        ours = self.pending_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        theirs = leaf.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if ours != theirs:
            return False
        current = leaf
        for issuer in [*chain[1:]]:
            if not _signed_by(current, issuer) or not _valid_now(issuer):
                return False
            current = issuer
        return any(_signed_by(current, root) or current == root for root in self.roots())


def _load_chain(text: str) -> list[x509.Certificate]:
    try:
        return list(x509.load_pem_x509_certificates(text.encode()))
    except ValueError:
        return []


async def install_certificate(v: V16, p: Payload) -> Answer:
    """InstallCertificate (M05)."""
    store = v.certificates
    chain = _load_chain(str(p["certificate"]))
    if len(chain) != 1 or not _is_ca(chain[0]) or not _valid_now(chain[0]):
        return Answer({"status": "Rejected"})  # M05.FR.06
    if len(store.installed) >= STORE_MAX:
        return Answer({"status": "Rejected"})  # M05.FR.03
    kind = str(p["certificateType"])
    if v.config.fault("install-certificate-not-stored"):
        return Answer({"status": "Accepted"})  # breaks M05.FR.02: nothing installed
    if not any(i.cert == chain[0] and i.type == kind for i in store.installed):
        store.installed.append(Installed(kind, chain[0]))
    return Answer({"status": "Accepted"})  # M05.FR.02


async def get_installed_certificate_ids(v: V16, p: Payload) -> Answer:
    """GetInstalledCertificateIds (M03)."""
    kind = str(p["certificateType"])
    found = [hash_data(i.cert) for i in v.certificates.installed if i.type == kind]
    if not found:
        return Answer({"status": "NotFound"})  # M03.FR.02
    return Answer({"status": "Accepted", "certificateHashData": found})  # M03.FR.03/04


async def delete_certificate(v: V16, p: Payload) -> Answer:
    """DeleteCertificate (M04)."""
    wanted = p["certificateHashData"]
    store = v.certificates
    for entry in store.installed:
        ours = hash_data(entry.cert)
        if ours["hashAlgorithm"] != wanted["hashAlgorithm"]:
            continue
        same = all(str(ours[k]).lower() == str(wanted[k]).lower() for k in ours)
        if not same:
            continue
        if entry.from_command_line and v.config.security_profile >= 2:
            return Answer({"status": "Failed"})  # M04.FR.06: in use for the connection
        if not v.config.fault("delete-certificate-ignored"):
            store.installed.remove(entry)  # M04.FR.02
        return Answer({"status": "Accepted"})
    return Answer({"status": "NotFound"})  # M04.FR.04


async def sign_charge_point_certificate(v: V16) -> None:
    """A02.FR.02/03/13: a new key pair and SignCertificate.req with its CSR."""
    key = ec.generate_private_key(ec.SECP256R1())
    v.certificates.pending_key = key
    names = [x509.NameAttribute(NameOID.COMMON_NAME, v.config.station_id)]
    if not v.config.fault("csr-without-cpo-name"):  # A02.FR.13: O is CpoName
        names.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, v.keys.get("CpoName")))
    subject = x509.Name(names)
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    pem = csr.public_bytes(serialization.Encoding.PEM).decode()
    await v.station.send("SignCertificate", {"csr": pem})


async def certificate_signed(v: V16, p: Payload) -> Answer:
    """CertificateSigned (A02.FR.06-08): Rejected plus a security event when invalid."""
    store = v.certificates
    chain = _load_chain(str(p["certificateChain"]))
    if not chain or not store.chain_valid(chain):

        async def report() -> None:
            await v.security.event("InvalidChargePointCertificate", "CertificateSigned.req")

        return Answer({"status": "Rejected"}, then=report)  # A02.FR.07
    store.charge_point_cert = chain[0]
    store.pending_key = None
    return Answer({"status": "Accepted"})


CERTIFICATE_COMMANDS: dict[str, Command] = {
    "InstallCertificate": install_certificate,
    "GetInstalledCertificateIds": get_installed_certificate_ids,
    "DeleteCertificate": delete_certificate,
    "CertificateSigned": certificate_signed,
}
