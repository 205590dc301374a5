"""TLS tool validations of the 1.6 security _CSMS cases (whitepaper §2.4-§2.6, TC_A_04/06/07).

Bare TLS handshakes against the CSMS endpoint, outside any websocket: the version it speaks,
the cipher suites it serves (A00.FR.317/421), its certificate's properties (A00.FR.502-510)
and that it refuses a charge point offering only TLS 1.0/1.1 (A00.FR.314/418). Every
handshake is bounded by the DUT profile's connect timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from harness.cases.checks import Checks
from harness.outcomes import EnvironmentFailure
from harness.transport.pki import TestPki
from harness.transport.tls import client_context

#: A00.FR.317/421: cipher suites a Central System SHALL support, with their OpenSSL names.
SUITES = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": "ECDHE-ECDSA-AES128-GCM-SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "ECDHE-ECDSA-AES256-GCM-SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256": "AES128-GCM-SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384": "AES256-GCM-SHA384",
}


@dataclass(frozen=True)
class Handshake:
    """What one TLS handshake gave: protocol, cipher and server certificate, or the error."""

    version: str | None = None
    cipher: str | None = None
    certificate: x509.Certificate | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """True when the handshake completed."""
        return self.error is None


def station_context(
    pki: TestPki,
    *,
    mutual: bool,
    maximum: ssl.TLSVersion | None = None,
    cipher: str | None = None,
) -> ssl.SSLContext:
    """A charge point context trusting the CSMS root (A00.FR.307/411), optionally capped."""
    context = client_context(
        ca_cert=pki.csms_root_cert,
        client_cert=pki.station_cert if mutual else None,
        client_key=pki.station_key if mutual else None,
        maximum_version=maximum,
    )
    if cipher is not None:
        context.maximum_version = ssl.TLSVersion.TLSv1_2  # TLS 1.3 ignores set_ciphers
        context.set_ciphers(cipher)
    return context


async def handshake(url: str, context: ssl.SSLContext, timeout: float) -> Handshake:
    """Open TLS to the host and port of `url`, then close it; never raises for TLS errors."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host, parts.port or 443, ssl=context, server_hostname=host),
            timeout,
        )
    except (OSError, ssl.SSLError, TimeoutError) as exc:
        return Handshake(error=exc)
    ssl_object = writer.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    result = Handshake(
        version=ssl_object.version() if ssl_object is not None else None,
        cipher=(ssl_object.cipher() or (None,))[0] if ssl_object is not None else None,
        certificate=x509.load_der_x509_certificate(der) if der else None,
    )
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), timeout)
    return result


def check_version(check: Checks, result: Handshake, ref: str) -> None:
    """The handshake with a current charge point completes on TLS 1.2 or above."""
    check.must(
        result.ok and result.version in ("TLSv1.2", "TLSv1.3"),
        f"TLS handshake with a TLS 1.2+ charge point: expected TLSv1.2 or TLSv1.3, saw "
        f"{result.version or result.error!r}",
        ref=ref,
    )


def check_certificate(check: Checks, certificate: x509.Certificate | None, host: str) -> None:
    """Central System certificate properties (whitepaper §2.6.1, TC_A_04_CSMS step 3)."""
    if not check.must(certificate is not None, "the CSMS presented a server certificate"):
        return
    assert certificate is not None
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        check.must(key.key_size >= 2048, f"RSA key >= 2048 bits: {key.key_size}", ref="A00.FR.502")
    elif isinstance(key, ec.EllipticCurvePublicKey):
        check.must(key.key_size >= 224, f"EC key >= 224 bits: {key.key_size}", ref="A00.FR.503")
    else:
        check.must(False, f"server key is RSA or EC: saw {type(key).__name__}", ref="A00.FR.501")
    check.must(certificate.serial_number > 0, "the certificate has a serial number", ref="508")
    organization = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    check.must(organization, f"subject has an O RDN: {certificate.subject.rfc4514_string()}")
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(names[0].value) if names else ""
    check.must(
        _is_dns_name(common_name),
        f"subject CN is the CSMS FQDN, not empty or an IP address: saw {common_name!r}",
        ref="A00.FR.510",
    )
    if _is_dns_name(host):
        check.equal(common_name.lower(), host.lower(), "server certificate CN", ref="A00.FR.510")


def _is_dns_name(text: str) -> bool:
    if not text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return True
    return False


async def check_cipher_suites(
    check: Checks, url: str, pki: TestPki, *, mutual: bool, timeout: float
) -> None:
    """Each A00.FR.317/421 suite completes a TLS 1.2 handshake (TC_A_04/07_CSMS step 3).

    The ECDSA suites need an EC certificate and the TLS_RSA suites an RSA one: a CSMS serves
    both kinds (the requirement's note), so all four are MUST.
    """
    for name, openssl_name in SUITES.items():
        context = station_context(pki, mutual=mutual, cipher=openssl_name)
        result = await handshake(url, context, timeout)
        check.must(
            result.ok,
            f"TLS 1.2 handshake offering only {name}: expected it to complete, saw "
            f"{result.error!r}",
            ref="A00.FR.421" if mutual else "A00.FR.317",
        )


async def check_legacy_refused(
    check: Checks, url: str, pki: TestPki, *, mutual: bool, timeout: float
) -> None:
    """A charge point offering only TLS 1.0/1.1 is refused (A00.FR.312-314, TC_A_06_CSMS).

    The emulated charge point is not a legacy one, so TLS below 1.2 is not expected for it.
    A host whose OpenSSL cannot even offer TLS 1.1 cannot judge this: INCONCLUSIVE.
    """
    try:
        context = station_context(pki, mutual=mutual, maximum=ssl.TLSVersion.TLSv1_1)
    except (ValueError, ssl.SSLError) as exc:
        raise EnvironmentFailure(f"this host cannot build a TLS 1.1 client: {exc}") from exc
    result = await handshake(url, context, timeout)
    reason = getattr(result.error, "reason", None)
    if reason == "NO_PROTOCOLS_AVAILABLE":
        raise EnvironmentFailure(f"this host's OpenSSL cannot offer TLS 1.0/1.1: {result.error}")
    check.must(
        not result.ok,
        f"TLS handshake offering only TLS 1.0/1.1: expected the CSMS to refuse it, saw "
        f"{'a completed ' + str(result.version) + ' handshake' if result.ok else result.error!r}",
        ref="A00.FR.314",
    )
