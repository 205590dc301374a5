"""Certificates the 1.6 security cases give the charge point, made fresh per case.

A throw-away CA ("Root 2" of the 2.0.1 Part 6 CertificateInstalled state) that the case
installs and then signs the charge point's CSR with (whitepaper §2.6.1: ECDSA P-256,
SHA256), plus the CertificateHashDataType the charge point must report for it (M03.FR.04).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.cases.checks import Checks
from harness.roles.csms import CsmsEmulator

#: Organization of the test CAs.
ORGANIZATION = "OCPP Harness Test CA"


@dataclass(frozen=True)
class TestCa:
    """A CA certificate and its key."""

    __test__ = False  # not a pytest test class

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        """The certificate, PEM encoded."""
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def hash_data(self) -> dict[str, Any]:
        """CertificateHashDataType (SHA256) of this self-signed CA certificate."""
        key = self.cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {
            "hashAlgorithm": "SHA256",
            "issuerNameHash": hashlib.sha256(self.cert.issuer.public_bytes()).hexdigest(),
            "issuerKeyHash": hashlib.sha256(key).hexdigest(),
            "serialNumber": format(self.cert.serial_number, "x"),
        }

    def sign_csr(self, csr: x509.CertificateSigningRequest, *, days: int = 365) -> str:
        """A leaf certificate for the CSR's subject and key, PEM encoded, then this CA."""
        now = datetime.now(UTC)
        leaf = (
            x509.CertificateBuilder()
            .subject_name(csr.subject)
            .issuer_name(self.cert.subject)
            .public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return leaf.public_bytes(serialization.Encoding.PEM).decode() + self.pem


def new_ca(common_name: str) -> TestCa:
    """A self-signed P-256 CA certificate valid from now for a year."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return TestCa(cert, key)


def issue(root: TestCa, common_name: str) -> TestCa:
    """A P-256 end-entity certificate issued by `root` (e.g. a firmware signing certificate)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(root.key, hashes.SHA256())
    )
    return TestCa(cert, key)


def sign_bytes(signer: TestCa, data: bytes) -> str:
    """Base64 ECDSA-SHA256 signature of `data` (whitepaper L01.FR.04)."""
    return base64.b64encode(signer.key.sign(data, ec.ECDSA(hashes.SHA256()))).decode()


def same_hash(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """CertificateHashDataType equality (hex digits compared case-insensitively)."""
    keys = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
    return all(
        str(a.get(k, "")).lower().lstrip("0") == str(b.get(k, "")).lower().lstrip("0") for k in keys
    )


async def installed_ids(
    csms: CsmsEmulator, check: Checks, certificate_type: str
) -> list[dict[str, Any]]:
    """Reusable state GetInstalledCertificates (2.0.1 Part 6; whitepaper M03)."""
    outcome = await csms.call("GetInstalledCertificateIds", certificateType=certificate_type)
    status = outcome.get("status")
    check.must(
        status in ("Accepted", "NotFound"),
        f"GetInstalledCertificateIds.conf answered: {outcome.describe()}",
        ref="M03.FR.01",
    )
    found = list(outcome.get("certificateHashData") or [])
    check.must(
        (status == "Accepted") == bool(found),
        f"status {status} agrees with {len(found)} certificateHashData entries",
        ref="M03.FR.02, M03.FR.03",
    )
    return found


async def certificate_installed(
    csms: CsmsEmulator, check: Checks, certificate_type: str, ca: TestCa
) -> bool:
    """Reusable state CertificateInstalled: InstallCertificate.conf Accepted (M05.FR.02)."""
    outcome = await csms.call(
        "InstallCertificate", certificateType=certificate_type, certificate=ca.pem
    )
    return check.equal(
        outcome.get("status"), "Accepted", "InstallCertificate.conf status", ref="M05.FR.02"
    )
