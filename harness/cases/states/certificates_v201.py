"""Station-side certificate steps of the 2.0.1 security cases with a CSMS under test (A00, A02).

Make a key and CSR (RFC 2986, PEM), judge the certificate chain the CSMS sends back in
CertificateSignedRequest, and build TLS client contexts from certificates held in memory.
"""

from __future__ import annotations

import contextlib
import ssl
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from harness.cases.checks import Checks
from harness.cases.states.commands_v201 import commanded
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator
from harness.transport.tls import client_context

#: Organization the emulated station puts in its CSRs (<Configured Organization>).
ORGANIZATION = "ocpp-harness"
#: Country and organizational unit of a V2G CSR (<Configured Country/OrganizationalUnit>).
COUNTRY = "NL"
UNIT = "conformance"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
_STATION = "SignChargingStationCertificate"


def new_key() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 key (A00.FR.502/503: at least 224 bits for elliptic curves)."""
    return ec.generate_private_key(ec.SECP256R1())


def csr_pem(key: PrivateKey, common_name: str, *, v2g: bool = False) -> str:
    """A PEM CSR for `common_name`; a V2G CSR also names country and unit (Table 458)."""
    names = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION)]
    if v2g:
        names.insert(0, x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY))
        names.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, UNIT))
    names.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(names))
    return request.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def chain_of(text: str) -> list[x509.Certificate]:
    """The certificates of a PEM bundle, leaf first; [] when it does not parse."""
    try:
        return x509.load_pem_x509_certificates(text.encode())
    except ValueError:
        return []


def _public_der(key: object) -> bytes:
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return b""
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def chain_problems(text: str, key: PrivateKey, root: Path) -> list[str]:
    """What is wrong with a certificateChain for `key` that `root` (or a sub-CA) must sign.

    Empty when the PEM parses, the leaf certifies the CSR's public key, and the chain leads to
    `root` (each certificate signed by the next, the last by the root).
    """
    chain = chain_of(text)
    if not chain:
        return [f"certificateChain: expected PEM X.509 certificates, saw {text[:60]!r}..."]
    problems = []
    if _public_der(chain[0].public_key()) != _public_der(key.public_key()):
        problems.append("the leaf certificate does not certify the public key of the CSR")
    anchor = x509.load_pem_x509_certificate(root.read_bytes())
    for child, parent in zip(chain, [*chain[1:], anchor], strict=True):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature):
            problems.append(
                f"{child.subject.rfc4514_string()} is not signed by "
                f"{parent.subject.rfc4514_string()}"
            )
    return problems


def common_name(certificate: x509.Certificate) -> str | None:
    """The subject CN, or None."""
    values = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def signed_by(issuer_cert: Path, issuer_key: Path, subject_cn: str, key: PrivateKey) -> str:
    """A client certificate for `key` with CN `subject_cn`, signed by the given CA (PEM)."""
    issuer = x509.load_pem_x509_certificate(issuer_cert.read_bytes())
    signer = serialization.load_pem_private_key(issuer_key.read_bytes(), password=None)
    if not isinstance(signer, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError(f"{issuer_key}: not an EC or RSA key")
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, subject_cn),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(signer, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@contextlib.contextmanager
def client_tls(ca_cert: Path, key: PrivateKey, chain: str) -> Iterator[ssl.SSLContext]:
    """A TLS client context presenting `chain` with `key` (files live only meanwhile)."""
    with tempfile.TemporaryDirectory(prefix="ocpp-cert-") as directory:
        cert_path = Path(directory) / "client.pem"
        key_path = Path(directory) / "client.key"
        cert_path.write_text(chain)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
        yield client_context(ca_cert=ca_cert, client_cert=cert_path, client_key=key_path)


def key_problems(certificate: x509.Certificate) -> list[str]:
    """Key size and serial number rules of A00.FR.502/503/508 for an issued certificate."""
    problems = []
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey) and key.key_size < 224:
        problems.append(f"EC key of {key.key_size} bits, expected at least 224")
    elif isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        problems.append(f"RSA key of {key.key_size} bits, expected at least 2048")
    if not certificate.serial_number:
        problems.append("no serial number")
    return problems


async def renew(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    *,
    requested: str,
    certificate_type: str | None,
    answer: str = "Accepted",
) -> tuple[PrivateKey, Message | None]:
    """Steps 1-6 of A02 (Memory State RenewChargingStationCertificate, Tables 457-460, 711).

    The CSMS triggers `requested`; the station answers Accepted, sends a SignCertificateRequest
    (with `certificate_type` unless None: combined), which must be Accepted, then takes the
    CertificateSignedRequest and answers `answer`. Returns the new key and that request (None
    when the CSMS rejected the CSR, so none can come).
    """
    station.on("TriggerMessage").respond(status="Accepted")
    station.on("CertificateSigned").respond(status=answer)
    trigger = await commanded(station, dut, "TriggerMessage", {"requestedMessage": requested})
    check.equal(
        trigger.get("requestedMessage"),
        requested,
        "step 1 TriggerMessageRequest.requestedMessage",
        ref="F06.FR.01",
    )
    key = new_key()
    request: dict[str, str] = {"csr": csr_pem(key, dut.station_id, v2g=requested != _STATION)}
    if certificate_type is not None:
        request["certificateType"] = certificate_type
    sign = await station.call("SignCertificate", request)
    if not check.equal(
        sign.get("status"),
        "Accepted",
        "step 4 SignCertificateResponse.status",
        ref="Part 6 Table 711 step 4",
    ):
        return key, None
    signed = await station.expect("CertificateSigned", within=dut.timeouts.call)
    return key, signed
