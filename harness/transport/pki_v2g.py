"""A V2G root CA next to the test PKI, for ISO 15118 certificates (2.0.1 A02, TC_A_12/13_CSMS).

The CSMS under test signs V2G and combined station certificates with the V2G root (or a
sub-CA) of the configured V2G chain; the harness verifies them against it. Kept beside the
test PKI's files (`v2g_root.pem`, `v2g_root.key`) and renewed when missing or near expiry.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

COMMON_NAME = "ocpp-harness V2G root"
_LIFETIME = timedelta(days=3650)
_RENEW_MARGIN = timedelta(days=7)


@dataclass(frozen=True)
class V2gRoot:
    """Paths of the V2G root certificate and key."""

    __test__: ClassVar[bool] = False

    cert: Path
    key: Path


def _usable(root: V2gRoot) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(root.cert.read_bytes())
        serialization.load_pem_private_key(root.key.read_bytes(), password=None)
    except (OSError, ValueError):
        return False
    return cert.not_valid_after_utc > datetime.now(UTC) + _RENEW_MARGIN


def _generate(root: V2gRoot) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ocpp-harness"),
            x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME),
        ]
    )
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + _LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    for path, data, mode in (
        (root.key, pem_key, 0o600),
        (root.cert, cert.public_bytes(serialization.Encoding.PEM), 0o644),
    ):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)


def ensure_v2g_root(directory: Path) -> V2gRoot:
    """The V2G root in `directory`, generated when missing, unreadable or near expiry."""
    directory.mkdir(parents=True, exist_ok=True)
    root = V2gRoot(directory / "v2g_root.pem", directory / "v2g_root.key")
    with open(directory / ".v2g.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not _usable(root):
                _generate(root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return root
