"""A second (RSA) server certificate for the reference 1.6 CSMS (whitepaper A00.FR.317).

A00.FR.317 asks for ECDHE-ECDSA and TLS_RSA suites alike, which needs "2 different
certificates to support both Digital Signature Algorithms" (the requirement's note). The test
PKI gives the CSMS an EC certificate; with its CA key (`--ca-key`) the CSMS issues itself an
RSA twin (same subject and names) at start, and OpenSSL serves whichever the suite needs.
"""

from __future__ import annotations

import ssl
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from harness.sim.csms.config import CsmsConfig

#: Python's default server suites plus the TLS_RSA ones of A00.FR.317, which Python leaves out.
CIPHERS = (
    "ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:AES128-GCM-SHA256:AES256-GCM-SHA384"
    ":!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM"
)
#: What a context that also takes TLS 1.0/1.1 needs (the `sec16-tls-legacy` fault).
LEGACY_CIPHERS = "DEFAULT:@SECLEVEL=0"


def add_rsa_twin(config: CsmsConfig, context: ssl.SSLContext, *, legacy: bool = False) -> bool:
    """Load an RSA twin of the EC server certificate into `context`; False when not possible.

    Needs the server certificate to be EC and the CA certificate and key to sign the twin.
    Also enables the TLS_RSA suites (all four A00.FR.317 suites then complete).
    """
    if config.server_cert is None or config.ca_cert is None or config.ca_key is None:
        return False
    server = x509.load_pem_x509_certificate(config.server_cert.read_bytes())
    if not isinstance(server.public_key(), ec.EllipticCurvePublicKey):
        return False
    ca = x509.load_pem_x509_certificate(config.ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(config.ca_key.read_bytes(), password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    twin = _twin(server, key, ca, ca_key)
    with tempfile.TemporaryDirectory(prefix="csms-rsa-") as folder:
        cert_path, key_path = Path(folder) / "server-rsa.pem", Path(folder) / "server-rsa.key"
        cert_path.write_bytes(twin.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context.load_cert_chain(certfile=cert_path, keyfile=key_path)
    context.set_ciphers(LEGACY_CIPHERS if legacy else CIPHERS)
    return True


def _twin(
    server: x509.Certificate,
    key: rsa.RSAPrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
) -> x509.Certificate:
    """An RSA server certificate with the subject and names of `server` (A00.FR.510/511)."""
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,  # TLS_RSA key exchange encrypts to this key
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(server.subject)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(server.not_valid_after_utc, now + timedelta(days=365)))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    )
    try:
        names = server.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        builder = builder.add_extension(names.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(ca_key, hashes.SHA256())
