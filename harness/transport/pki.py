"""Generate a throw-away test PKI for OCPP security profiles 2 and 3.

Certificate properties follow the OCPP 1.6 security whitepaper ed. 3 section 2.6.1: ECDSA P-256
or RSA 2048 keys (A00.FR.502/503), SHA256 (A00.FR.506), PEM (A00.FR.507), serial numbers
(A00.FR.508), O in the subject (A00.FR.509), CSMS CN = FQDN (A00.FR.510), station CN = station id
and no SAN (A00.FR.511), KeyUsage present (A00.FR.512). OCPP 2.0.1 TC_A_04_CSMS and TC_A_07_CS
cite A00.FR.502/503/507/508/510/511 too. OCPP sets no OU requirement, so none is written.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import ClassVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ORGANIZATION = "ocpp-harness"
SERVER_HOSTNAME = "localhost"
MANIFEST_NAME = "pki-manifest.json"
_MANIFEST_VERSION = 1
_RENEW_MARGIN = timedelta(days=7)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class TestPki:
    """Paths of the PEM files of one generated test PKI."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    directory: Path
    csms_root_cert: Path
    server_cert: Path
    server_key: Path
    station_cert: Path
    station_key: Path
    untrusted_root_cert: Path
    untrusted_server_cert: Path
    untrusted_server_key: Path
    untrusted_station_cert: Path
    untrusted_station_key: Path
    expired_server_cert: Path
    expired_server_key: Path
    expired_station_cert: Path
    expired_station_key: Path
    csms_root_key: Path  # to sign station CSRs (A02/A03 CertificateSigned cases)
    untrusted_root_key: Path

    @classmethod
    def at(cls, directory: Path) -> TestPki:
        """Return the layout of a PKI in `directory` (files are not checked)."""
        names = (f.name for f in fields(cls) if f.name != "directory")
        return cls(directory=directory, **{name: directory / _file_name(name) for name in names})

    def files(self) -> dict[str, Path]:
        """Return every PEM file by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "directory"}


def _file_name(field_name: str) -> str:
    stem, _, kind = field_name.rpartition("_")
    return f"{stem}.{'key' if kind == 'key' else 'pem'}"


def _new_key(key_type: str) -> PrivateKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"key_type must be 'ec' or 'rsa', not {key_type!r}")


def _name(common_name: str, organization: str = ORGANIZATION) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class _Issuer:
    name: x509.Name
    key: PrivateKey


def _sign(
    subject: x509.Name,
    key: PrivateKey,
    issuer: _Issuer | None,
    *,
    server: bool,
    window: tuple[datetime, datetime],
) -> x509.Certificate:
    """Sign a self-signed root (`issuer` None) or a server / client leaf."""
    ca = issuer is None
    signer = issuer or _Issuer(subject, key)
    public = key.public_key()
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        # TLS_RSA_* key exchange (1.6 whitepaper A00.FR.317) encrypts to the leaf's RSA key
        key_encipherment=not ca and isinstance(key, rsa.RSAPrivateKey),
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer.name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(window[0])
        .not_valid_after(window[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    if not ca:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.key.public_key())
        eku = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = builder.add_extension(aki, critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    if server:
        san = [x509.DNSName(SERVER_HOSTNAME), x509.IPAddress(IPv4Address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signer.key, hashes.SHA256())


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    """Write `data` atomically; keys get mode 0600 from the start."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _save(pki: TestPki, prefix: str, key: PrivateKey, cert: x509.Certificate) -> None:
    """Write the `{prefix}_key` and `{prefix}_cert` files of `pki`."""
    no_password = serialization.NoEncryption()
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, no_password
    )
    _write(getattr(pki, f"{prefix}_key"), pem_key, secret=True)
    _write(
        getattr(pki, f"{prefix}_cert"), cert.public_bytes(serialization.Encoding.PEM), secret=False
    )


def generate_pki(directory: Path, station_id: str, *, key_type: str = "ec") -> TestPki:
    """Generate a fresh PKI for `station_id` in `directory`, overwriting what is there."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = TestPki.at(directory)
    now = datetime.now(UTC)
    ten_years = (now - timedelta(hours=1), now + timedelta(days=3650))
    valid = (now - timedelta(hours=1), now + timedelta(days=365))
    expired = (now - timedelta(days=30), now - timedelta(days=1))
    roots: dict[str, _Issuer] = {}
    for role, common_name in (("csms", "ocpp-harness CSMS root"), ("untrusted", "untrusted root")):
        key = _new_key(key_type)
        cert = _sign(_name(common_name), key, None, server=False, window=ten_years)
        _save(pki, f"{role}_root", key, cert)
        roots[role] = _Issuer(cert.subject, key)
    leaves = (
        ("server", "csms", True, valid),
        ("station", "csms", False, valid),
        ("untrusted_server", "untrusted", True, valid),
        ("untrusted_station", "untrusted", False, valid),
        ("expired_server", "csms", True, expired),
        ("expired_station", "csms", False, expired),
    )
    for prefix, root, server, window in leaves:
        key = _new_key(key_type)
        subject = _name(SERVER_HOSTNAME if server else station_id)
        _save(pki, prefix, key, _sign(subject, key, roots[root], server=server, window=window))
    manifest = {
        "version": _MANIFEST_VERSION,
        "station_id": station_id,
        "key_type": key_type,
        "sha256": {name: _digest(path) for name, path in pki.files().items()},
    }
    _write(directory / MANIFEST_NAME, json.dumps(manifest, indent=2).encode(), secret=False)
    return pki


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_reusable(pki: TestPki, station_id: str, key_type: str) -> bool:
    """Say whether the files in `pki.directory` match the manifest and are still valid."""
    try:
        manifest = json.loads((pki.directory / MANIFEST_NAME).read_text())
        digests = manifest["sha256"]
        if (
            manifest.get("version") != _MANIFEST_VERSION
            or manifest.get("station_id") != station_id
            or manifest.get("key_type") != key_type
            or any(digests.get(n) != _digest(p) for n, p in pki.files().items())
        ):
            return False
        horizon = datetime.now(UTC) + _RENEW_MARGIN
        for name, path in pki.files().items():
            if name.endswith("_key") or name.startswith("expired_"):
                continue
            cert = x509.load_pem_x509_certificate(path.read_bytes())
            if cert.not_valid_after_utc < horizon:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on `directory` (parallel test workers share one PKI)."""
    with open(directory / ".pki.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_pki(directory: Path, station_id: str, *, key_type: str = "ec") -> TestPki:
    """Reuse the PKI in `directory` if it is intact and fits `station_id`, else generate one."""
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        pki = TestPki.at(directory)
        if _is_reusable(pki, station_id, key_type):
            return pki
        return generate_pki(directory, station_id, key_type=key_type)
