"""Real loopback handshakes with the security-profile contexts (harness/transport/tls.py)."""

from __future__ import annotations

import asyncio
import base64
import ssl
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.transport.pki import TestPki, ensure_pki, generate_pki
from harness.transport.tls import (
    basic_auth_header,
    client_context,
    client_context_from_pki,
    parse_basic_auth,
    peer_common_name,
    server_context,
    server_context_from_pki,
)

STATION_ID = "CS-TLS-001"
GREETING = b"hello\n"
# OpenSSL X509_V_ERR_* codes carried by ssl.SSLCertVerificationError.verify_code
CERT_HAS_EXPIRED = 10
UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
SELF_SIGNED_CERT_IN_CHAIN = 19
HOSTNAME_MISMATCH = 62


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_pki(tmp_path_factory.mktemp("pki"), STATION_ID)


@dataclass
class Outcome:
    """What each side saw: the server the peer CN or its error, the client data or error."""

    server: str | BaseException | None
    client: bytes | BaseException
    version: str | None = None


async def handshake(
    server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, server_hostname: str = "localhost"
) -> Outcome:
    """Run one TLS handshake over loopback and report both sides' outcome.

    Both sides upgrade a plain TCP stream with `start_tls`, so the server's handshake error
    reaches the test instead of being swallowed by the asyncio server. The server sends one
    byte before upgrading, so the client's ClientHello cannot race the upgrade.
    """
    loop = asyncio.get_running_loop()
    server_seen: asyncio.Future[tuple[str | BaseException | None, str | None]]
    server_seen = loop.create_future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(b"!")
            await writer.start_tls(server_ctx)
            ssl_object = writer.get_extra_info("ssl_object")
            server_seen.set_result((peer_common_name(writer.transport), ssl_object.version()))
            writer.write(GREETING)
            await writer.drain()
        except (OSError, ssl.SSLError) as exc:
            server_seen.set_result((exc, None))
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client: bytes | BaseException
    try:
        async with asyncio.timeout(5):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                assert await reader.readexactly(1) == b"!"
                await writer.start_tls(client_ctx, server_hostname=server_hostname)
                client = await reader.read(len(GREETING))
            except (OSError, ssl.SSLError) as exc:
                client = exc
            finally:
                writer.close()
            seen, version = await server_seen
    finally:
        server.close()
        async with asyncio.timeout(5):
            await server.wait_closed()
    return Outcome(server=seen, client=client, version=version)


def assert_refused_by_server(outcome: Outcome, reason: str) -> None:
    assert isinstance(outcome.server, ssl.SSLError), outcome
    assert outcome.server.reason == reason
    # TLS 1.3: the client finishes first, then sees EOF (or an error) instead of data.
    assert outcome.client == b"" or isinstance(outcome.client, OSError), outcome


def assert_client_verify_failed(outcome: Outcome, verify_code: int) -> None:
    assert isinstance(outcome.client, ssl.SSLCertVerificationError), outcome
    assert outcome.client.verify_code == verify_code
    assert isinstance(outcome.server, OSError), outcome  # the client aborted the handshake


async def test_mutual_tls_with_start_server(pki: TestPki) -> None:
    """Profile 3 the way the websocket server uses it: `ssl=` on both ends."""
    seen: asyncio.Future[tuple[str | None, str | None]] = asyncio.Future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ssl_object = writer.get_extra_info("ssl_object")
        seen.set_result((peer_common_name(ssl_object), ssl_object.version()))
        writer.close()

    server_ctx = server_context_from_pki(pki, mutual=True)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    try:
        async with asyncio.timeout(5):
            client_ctx = client_context_from_pki(pki, mutual=True)
            _, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=client_ctx, server_hostname="localhost"
            )
            assert peer_common_name(writer.transport) == "localhost"
            assert await seen == (STATION_ID, "TLSv1.3")
            writer.close()
    finally:
        server.close()
        async with asyncio.timeout(5):
            await server.wait_closed()


@pytest.mark.parametrize("key_type", ["ec", "rsa"])
async def test_mutual_tls_server_sees_station_id(tmp_path: Path, key_type: str) -> None:
    pki = generate_pki(tmp_path, STATION_ID, key_type=key_type)
    outcome = await handshake(
        server_context_from_pki(pki, mutual=True), client_context_from_pki(pki, mutual=True)
    )
    assert outcome.server == STATION_ID
    assert outcome.client == GREETING


async def test_profile_2_accepts_client_without_certificate(pki: TestPki) -> None:
    outcome = await handshake(
        server_context_from_pki(pki, mutual=False), client_context_from_pki(pki, mutual=False)
    )
    assert outcome.server is None  # no client certificate, hence no CN
    assert outcome.client == GREETING


async def test_client_without_certificate_refused_by_profile_3(pki: TestPki) -> None:
    outcome = await handshake(
        server_context_from_pki(pki, mutual=True), client_context_from_pki(pki, mutual=False)
    )
    assert_refused_by_server(outcome, "PEER_DID_NOT_RETURN_A_CERTIFICATE")


@pytest.mark.parametrize(
    ("prefix", "verify_code"),
    [
        ("untrusted_station", UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
        ("expired_station", CERT_HAS_EXPIRED),
    ],
)
async def test_invalid_client_certificate_refused(
    pki: TestPki, prefix: str, verify_code: int
) -> None:
    client_ctx = client_context(
        ca_cert=pki.csms_root_cert,
        client_cert=getattr(pki, f"{prefix}_cert"),
        client_key=getattr(pki, f"{prefix}_key"),
    )
    outcome = await handshake(server_context_from_pki(pki, mutual=True), client_ctx)
    assert_refused_by_server(outcome, "CERTIFICATE_VERIFY_FAILED")
    assert isinstance(outcome.server, ssl.SSLCertVerificationError)
    assert outcome.server.verify_code == verify_code


async def test_client_trusting_untrusted_root_refuses_server(pki: TestPki) -> None:
    client_ctx = client_context_from_pki(pki, mutual=False, trust="untrusted")
    outcome = await handshake(server_context_from_pki(pki, mutual=False), client_ctx)
    # The profile-2 listener also trusts the CSMS root (for optional client certificates), so
    # OpenSSL sends the chain up to that self-signed root, which this client does not trust.
    assert_client_verify_failed(outcome, SELF_SIGNED_CERT_IN_CHAIN)


@pytest.mark.parametrize(
    ("prefix", "verify_code"),
    [("untrusted_server", UNABLE_TO_GET_ISSUER_CERT_LOCALLY), ("expired_server", CERT_HAS_EXPIRED)],
)
async def test_invalid_server_certificate_refused(
    pki: TestPki, prefix: str, verify_code: int
) -> None:
    """TC_A_05_CS variants: unknown and expired CSMS certificates."""
    server_ctx = server_context(
        getattr(pki, f"{prefix}_cert"), getattr(pki, f"{prefix}_key"), require_client_cert=False
    )
    outcome = await handshake(server_ctx, client_context_from_pki(pki, mutual=False))
    assert_client_verify_failed(outcome, verify_code)


async def test_server_name_mismatch_refused_unless_check_disabled(pki: TestPki) -> None:
    """TC_A_05_CS variant: a certificate whose name is not the CSMS FQDN."""
    server_ctx = server_context_from_pki(pki, mutual=False)
    strict = client_context(ca_cert=pki.csms_root_cert)
    outcome = await handshake(server_ctx, strict, server_hostname="csms.example.com")
    assert_client_verify_failed(outcome, HOSTNAME_MISMATCH)
    lax = client_context(ca_cert=pki.csms_root_cert, check_hostname=False)
    outcome = await handshake(server_ctx, lax, server_hostname="csms.example.com")
    assert outcome.client == GREETING


def legacy_client(pki: TestPki) -> ssl.SSLContext:
    return client_context(ca_cert=pki.csms_root_cert, maximum_version=ssl.TLSVersion.TLSv1_1)


def legacy_server(pki: TestPki) -> ssl.SSLContext:
    return server_context(
        pki.server_cert,
        pki.server_key,
        require_client_cert=False,
        maximum_version=ssl.TLSVersion.TLSv1_1,
    )


async def require_legacy_tls(pki: TestPki) -> None:
    """Skip unless this OpenSSL can complete a TLS 1.1 handshake at all (control case)."""
    try:
        client_ctx = legacy_client(pki)
    except (ValueError, ssl.SSLError) as exc:
        pytest.skip(f"local OpenSSL cannot build a TLS 1.1-only client: {exc}")
    outcome = await handshake(legacy_server(pki), client_ctx)
    if outcome.client != GREETING:
        pytest.skip(f"local OpenSSL refuses TLS 1.1 even at SECLEVEL=0: {outcome}")
    assert outcome.version == "TLSv1.1"


async def test_tls_1_1_client_refused_by_server(pki: TestPki) -> None:
    """TC_A_06_CSMS: the CSMS side refuses a station offering only TLS < 1.2."""
    await require_legacy_tls(pki)
    outcome = await handshake(server_context_from_pki(pki, mutual=False), legacy_client(pki))
    assert_refused_by_server(outcome, "UNSUPPORTED_PROTOCOL")


async def test_tls_1_1_server_refused_by_default_client(pki: TestPki) -> None:
    """TC_A_06_CS: a server capped at TLS 1.1 never completes a handshake with a 1.2 client."""
    await require_legacy_tls(pki)
    outcome = await handshake(legacy_server(pki), client_context_from_pki(pki, mutual=False))
    assert isinstance(outcome.server, ssl.SSLError), outcome
    assert outcome.server.reason == "UNSUPPORTED_PROTOCOL"
    assert isinstance(outcome.client, OSError), outcome


def test_version_window_and_security_level(pki: TestPki) -> None:
    default = client_context(ca_cert=pki.csms_root_cert)
    assert default.minimum_version == ssl.TLSVersion.TLSv1_2
    assert default.security_level >= 1
    assert server_context_from_pki(pki, mutual=True).minimum_version == ssl.TLSVersion.TLSv1_2
    legacy = legacy_client(pki)
    assert legacy.minimum_version == ssl.TLSVersion.TLSv1
    assert legacy.maximum_version == ssl.TLSVersion.TLSv1_1
    assert legacy.security_level == 0


def test_context_argument_errors(pki: TestPki) -> None:
    with pytest.raises(ValueError, match="client_ca"):
        server_context(pki.server_cert, pki.server_key, require_client_cert=True)
    with pytest.raises(ValueError, match="together"):
        client_context(ca_cert=pki.csms_root_cert, client_cert=pki.station_cert)


def test_peer_common_name_without_tls() -> None:
    assert peer_common_name(None) is None


def test_basic_auth_known_vector_and_round_trip() -> None:
    assert basic_auth_header("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    password = "a-Z_0=9:+|@.*ü"  # passwordString symbols, a ':' and a non-ASCII character
    header = basic_auth_header(STATION_ID, password)
    assert parse_basic_auth(header) == (STATION_ID, password)
    assert parse_basic_auth(header.replace("Basic", "bAsIc", 1)) == (STATION_ID, password)
    assert parse_basic_auth(f"  {header}  ") == (STATION_ID, password)


def test_basic_auth_rejects_colon_in_username() -> None:
    with pytest.raises(ValueError, match="':'"):
        basic_auth_header("CS:01", "0123456789abcdef")


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "Basic",
        "Basic ",
        f"Bearer {b64(b'user:pass')}",
        f"Basic{b64(b'user:pass')}",
        f"Basic {b64(b'no-colon')}",
        f"Basic {b64(b'user:pass')[:-2]}",  # padding cut off
        "Basic !!!!",
        f"Basic {b64(b'user:pass')}!",  # a character outside the base64 alphabet
        f"Basic {b64(b'user:pass')} extra",
        "Basic " + b64(b"\xff\xfe:pw"),  # not UTF-8
    ],
)
def test_parse_basic_auth_malformed(value: str | None) -> None:
    assert parse_basic_auth(value) is None
