"""Build TLS contexts and HTTP Basic credentials for OCPP security profiles 0-3.

Profiles (OCPP 1.6 security whitepaper ed. 3 sections 2.3-2.5; OCPP 2.0.1 part 2 use case A00):
0 plain websocket; 1 Basic auth, no TLS; 2 TLS (CSMS server certificate) + Basic auth;
3 mutual TLS (station client certificate). The CSMS is the TLS server (A00.FR.305/409).
Requirement ids below are quoted from the 1.6 whitepaper. The 2.0.1 cases TC_A_01..TC_A_08 cite
the same ids (e.g. TC_A_06_CS/CSMS: A00.FR.314-316/416-419); the 2.0.1 part 2 text itself is not
in the spec folder, so those were matched by id, not re-read.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ssl
import warnings
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.x509.oid import NameOID

from harness.transport.pki import TestPki

_LEGACY_CIPHERS = "DEFAULT:@SECLEVEL=0"
_LOWEST = ssl.TLSVersion.TLSv1


def _rank(version: ssl.TLSVersion) -> int:
    """Map the MINIMUM/MAXIMUM_SUPPORTED sentinels (-2/-1) to comparable protocol numbers."""
    if version == ssl.TLSVersion.MINIMUM_SUPPORTED:
        return ssl.TLSVersion.SSLv3.value
    if version == ssl.TLSVersion.MAXIMUM_SUPPORTED:
        return ssl.TLSVersion.TLSv1_3.value + 1
    return version.value


def _set_versions(
    context: ssl.SSLContext, minimum: ssl.TLSVersion, maximum: ssl.TLSVersion | None
) -> None:
    """Apply the version window; allow legacy TLS 1.0/1.1 only when the window needs it.

    A window entirely below TLS 1.2 lowers `minimum` to TLS 1.0 so that such a peer is
    buildable at all (negative tests, TC_A_06_CS/CSMS). Any window reaching below TLS 1.2
    also gets `@SECLEVEL=0`, without which OpenSSL 3 refuses TLS 1.0/1.1. 1.6 tolerates
    TLS 1.0/1.1 for legacy stations only; 2.0.1 forbids it (A00.FR.312/416 note).
    """
    if maximum is not None and _rank(maximum) < _rank(minimum):
        minimum = _LOWEST
    with warnings.catch_warnings():  # ssl deprecates TLSv1/TLSv1_1, which we need here
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = minimum
        if maximum is not None:
            context.maximum_version = maximum
    if _rank(minimum) < ssl.TLSVersion.TLSv1_2.value:
        context.set_ciphers(_LEGACY_CIPHERS)


def server_context(
    cert: Path,
    key: Path,
    client_ca: Path | None = None,
    *,
    require_client_cert: bool,
    minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    maximum_version: ssl.TLSVersion | None = None,
) -> ssl.SSLContext:
    """Build the CSMS-side context for profile 2 (server cert) or 3 (also client certs).

    Profile 3: the server verifies the station certificate path against `client_ca`
    (A00.FR.403) and a station without a valid certificate is refused (A00.FR.407). The
    default minimum of TLS 1.2 makes the server refuse older clients (A00.FR.312/416,
    A00.FR.314/418). Checking CN == station id (A00.FR.405) is the caller's job, using
    `peer_common_name` after the handshake. With `client_ca` and not `require_client_cert`
    a certificate is requested but optional.
    """
    if require_client_cert and client_ca is None:
        raise ValueError("require_client_cert needs client_ca to verify client certificates")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile=cert, keyfile=key)
    if client_ca is not None:
        context.load_verify_locations(cafile=client_ca)
        context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
    _set_versions(context, minimum_version, maximum_version)
    return context


def client_context(
    *,
    ca_cert: Path | None,
    client_cert: Path | None = None,
    client_key: Path | None = None,
    minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    maximum_version: ssl.TLSVersion | None = None,
    check_hostname: bool = True,
) -> ssl.SSLContext:
    """Build the station-side context: trust only `ca_cert`, optionally present a client cert.

    The station verifies the CSMS certificate path (A00.FR.307/411) and name (A00.FR.308/412;
    Python checks the SAN, the harness server certificate carries both SAN and CN). With
    `ca_cert=None` the server certificate is not verified at all (for probing a DUT's
    certificate, never for a verdict that relies on authentication). `maximum_version` below
    TLS 1.2 builds a legacy-only client for the "TLS version too low" cases.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_cert is None:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context.load_verify_locations(cafile=ca_cert)
        context.check_hostname = check_hostname
    if (client_cert is None) != (client_key is None):
        raise ValueError("client_cert and client_key go together")
    if client_cert is not None:
        context.load_cert_chain(certfile=client_cert, keyfile=client_key)
    _set_versions(context, minimum_version, maximum_version)
    return context


def server_context_from_pki(pki: TestPki, *, mutual: bool) -> ssl.SSLContext:
    """Build the harness-CSMS context: profile 3 if `mutual`, else profile 2.

    Profile 2 asks for an optional client certificate, so a station raised to profile 3 over
    OCPP (A05) can present one on the same listener.
    """
    return server_context(
        pki.server_cert, pki.server_key, pki.csms_root_cert, require_client_cert=mutual
    )


def invalid_server_context_from_pki(pki: TestPki, *, mutual: bool) -> ssl.SSLContext:
    """A harness-CSMS context presenting a certificate of an untrusted root (A00.FR.309)."""
    return server_context(
        pki.untrusted_server_cert,
        pki.untrusted_server_key,
        pki.csms_root_cert,
        require_client_cert=mutual,
    )


def client_context_from_pki(
    pki: TestPki, *, mutual: bool, trust: Literal["csms", "untrusted"] = "csms"
) -> ssl.SSLContext:
    """Build the harness-station context trusting the CSMS or the untrusted root."""
    ca_cert = pki.csms_root_cert if trust == "csms" else pki.untrusted_root_cert
    if mutual:
        return client_context(
            ca_cert=ca_cert, client_cert=pki.station_cert, client_key=pki.station_key
        )
    return client_context(ca_cert=ca_cert)


def peer_certificate(
    ssl_object: ssl.SSLObject | ssl.SSLSocket | asyncio.BaseTransport | None,
) -> x509.Certificate | None:
    """Return the peer's leaf certificate, or None if there is none (or no TLS at all)."""
    if isinstance(ssl_object, asyncio.BaseTransport):
        ssl_object = ssl_object.get_extra_info("ssl_object")
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der) if der else None


def peer_common_name(
    ssl_object: ssl.SSLObject | ssl.SSLSocket | asyncio.BaseTransport | None,
) -> str | None:
    """Return the CN of the peer certificate, to compare with the station id (A00.FR.405)."""
    cert = peer_certificate(ssl_object)
    if cert is None:
        return None
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names:
        return None
    value = names[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def basic_auth_header(username: str, password: str) -> str:
    """Return an `Authorization` value `Basic base64(user:pass)` (A00.FR.202-205/301-304).

    The user is the station id (A00.FR.204/303); the password is sent as UTF-8 text, not
    decoded from hex (2.0.1 errata 2025-01, A00.FR.205/304). RFC 7617 forbids ':' in the user.
    """
    if ":" in username:
        raise ValueError("a Basic auth username cannot contain ':'")
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def parse_basic_auth(header_value: str | None) -> tuple[str, str] | None:
    """Return (user, password) from an `Authorization` value; None if absent or malformed."""
    if not isinstance(header_value, str):
        return None
    scheme, _, token = header_value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "basic" or not token or " " in token:
        return None
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return username, password
