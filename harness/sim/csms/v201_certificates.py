"""The reference 2.0.1 CSMS as certificate authority: SignCertificate, then CertificateSigned.

A02/A03 (TC_A_11..14_CSMS): the CSMS accepts a CSR it can sign and afterwards sends the signed
certificate. Charging station certificates are signed by the CSMS root (`--ca-cert/--ca-key`),
V2G and combined certificates by the V2G root (`--v2g-ca-cert/--v2g-ca-key`). Without the
needed CA the request is Rejected rather than promising a certificate that cannot come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]
SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

#: Validity of the certificates the CSMS issues.
VALIDITY = timedelta(days=365)


@dataclass(frozen=True)
class Issuer:
    """A CA certificate and its key."""

    certificate: x509.Certificate
    key: SigningKey


def load_issuer(cert: Path | None, key: Path | None) -> Issuer | None:
    """Load a CA from PEM files; None when either is missing or unusable."""
    if cert is None or key is None:
        return None
    try:
        certificate = x509.load_pem_x509_certificate(cert.read_bytes())
        private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(private, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return None
    return Issuer(certificate, private)


def issuer_for(ctx: CsmsContext, certificate_type: str | None) -> Issuer | None:
    """The CA that signs `certificate_type` (None: combined, i.e. V2G when there is one)."""
    config = ctx.config
    if certificate_type == "ChargingStationCertificate":
        return load_issuer(config.ca_cert, config.ca_key)
    v2g = load_issuer(config.v2g_ca_cert, config.v2g_ca_key)
    if v2g is not None or certificate_type == "V2GCertificate":
        return v2g
    return load_issuer(config.ca_cert, config.ca_key)


def _common_name(name: x509.Name) -> str | None:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def check_csr(
    ctx: CsmsContext, record: StationRecord, payload: Payload
) -> x509.CertificateSigningRequest | None:
    """The CSR of a SignCertificateRequest when the CSMS will sign it, else None.

    The CSR must parse (RFC 2986, PEM), carry a valid self-signature and, for a charging
    station certificate, name the station in its CN (A00.FR.511 style identity binding).
    """
    try:
        csr = x509.load_pem_x509_csr(str(payload.get("csr", "")).encode())
    except ValueError:
        return None
    if not csr.is_signature_valid:
        return None
    certificate_type = payload.get("certificateType")
    station_certificate = certificate_type in (None, "ChargingStationCertificate")
    if station_certificate and _common_name(csr.subject) != record.station_id:
        return None
    if issuer_for(ctx, certificate_type) is None:
        return None
    return csr


def sign_certificate(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer SignCertificateRequest: Accepted when the CSR will be signed (A02, Table 711).

    Fault `a201-sign-rejected` rejects every request.
    """
    if ctx.fault("a201-sign-rejected") or check_csr(ctx, record, payload) is None:
        return {"status": "Rejected"}
    return {"status": "Accepted"}


def issue(
    csr: x509.CertificateSigningRequest, issuer: Issuer, *, wrong_key: bool = False
) -> x509.Certificate:
    """Sign the CSR's subject and public key (a fresh key with `wrong_key`: fault)."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key() if wrong_key else None
    key = public or csr.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValueError(f"unsupported CSR key type {type(key).__name__}")
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=isinstance(key, rsa.RSAPublicKey),
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .sign(issuer.key, hashes.SHA256())
    )
