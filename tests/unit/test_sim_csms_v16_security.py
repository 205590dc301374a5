"""Reference 1.6 CSMS security extension: CA, profile upgrade, TLS suites, password faults."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.server import tls_context
from harness.transport.client import ClientSecurity
from harness.transport.pki import TestPki, ensure_pki
from harness.transport.tls import client_context, client_context_from_pki
from testcases.v16.csms.certificate_steps import new_csr
from tests.unit.test_sim_csms_support import V16, connected, make_station, post, running_csms

PASSWORD = "RefPassw0rd-2024-harness"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_pki(tmp_path_factory.mktemp("csms16-pki"), "CS001")


def _ca(pki: TestPki) -> dict[str, Path]:
    return {"ca_cert": pki.csms_root_cert, "ca_key": pki.csms_root_key}


def _spki(key: object) -> bytes:
    assert hasattr(key, "public_bytes")
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return bytes(der)


@pytest.mark.parametrize("fault", [None, "sec16-csr-key-ignored"])
async def test_sign_certificate_is_followed_by_certificate_signed(
    pki: TestPki, fault: str | None
) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, faults=faults, **_ca(pki)) as app, connected(app) as station:
        await station.boot()
        station.on("CertificateSigned").respond(status="Accepted")
        key, csr = new_csr("CS001", "ocpp-harness")
        answer = await station.call("SignCertificate", csr=csr)
        assert answer["status"] == "Accepted"
        signed = await station.expect("CertificateSigned", within=2)
        leaf = x509.load_pem_x509_certificates(signed["certificateChain"].encode())[0]
        root = x509.load_pem_x509_certificate(pki.csms_root_cert.read_bytes())
        leaf.verify_directly_issued_by(root)
        same_key = _spki(leaf.public_key()) == _spki(key.public_key())
        assert same_key is (fault is None)


@pytest.mark.parametrize("with_ca, identity", [(False, "CS001"), (True, "SOMEONE-ELSE")])
async def test_sign_certificate_rejected_when_it_cannot_be_signed(
    pki: TestPki, with_ca: bool, identity: str
) -> None:
    settings = _ca(pki) if with_ca else {}
    async with running_csms(V16, **settings) as app, connected(app) as station:
        await station.boot()
        _, csr = new_csr(identity, "ocpp-harness")
        assert (await station.call("SignCertificate", csr=csr))["status"] == "Rejected"
        await station.expect_none("CertificateSigned", during=0.3)


@pytest.mark.parametrize("fault", [None, "sec16-notifications-error"])
async def test_security_notifications_are_confirmed(fault: str | None) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, faults=faults) as app, connected(app) as station:
        await station.boot()
        answer = await station.call(
            "SecurityEventNotification", type="InvalidFirmwareSignature", timestamp=utc_timestamp()
        )
        if fault is None:
            assert answer.ok and answer.payload == {}
        else:
            assert answer.error is not None and answer.error.code == "InternalError"


def _tls_settings(pki: TestPki, profile: int = 2) -> dict[str, Any]:
    return {
        "security_profile": profile,
        "password": PASSWORD,
        "server_cert": pki.server_cert,
        "server_key": pki.server_key,
        **_ca(pki),
    }


@pytest.mark.parametrize("fault", [None, "sec16-accepts-lower-profile"])
async def test_upgrade_to_profile_3_then_profile_2_is_refused(
    pki: TestPki, fault: str | None
) -> None:
    """Whitepaper A05.FR.07/09 over one TLS listener."""
    faults = frozenset({fault}) if fault else frozenset()
    basic = ClientSecurity(2, "CS001", PASSWORD, client_context_from_pki(pki, mutual=False))
    mutual = ClientSecurity(3, ssl_context=client_context_from_pki(pki, mutual=True))
    async with running_csms(V16, faults=faults, **_tls_settings(pki)) as app:
        async with connected(app, security=basic) as station:
            await station.boot()
            station.on("ChangeConfiguration").respond(status="Accepted")
            body = {"key": "SecurityProfile", "value": "3"}
            status, _ = await post(app, "/api/octt/1.6/CS001/change-configuration", body)
            assert status == 200
        async with connected(app, security=mutual) as station:
            assert (await station.boot())["status"] == "Accepted"
        refused = await make_station(app, security=basic).try_connect()
        if fault is None:
            assert refused is not None and refused.status == 403
        else:
            assert refused is None


@pytest.mark.parametrize("fault", [None, "sec16-basic-auth-hex"])
async def test_basic_auth_password_is_compared_as_text(fault: str | None) -> None:
    faults = frozenset({fault}) if fault else frozenset()
    async with running_csms(V16, security_profile=1, password=PASSWORD, faults=faults) as app:
        refused = await make_station(
            app, security=ClientSecurity(1, "CS001", PASSWORD)
        ).try_connect()
        assert (refused is None) is (fault is None)


async def _suite_handshake(port: int, pki: TestPki, cipher: str, maximum: ssl.TLSVersion) -> str:
    context = client_context(ca_cert=pki.csms_root_cert, maximum_version=maximum)
    if cipher:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers(cipher)
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="127.0.0.1"),
            3,
        )
    except (OSError, ssl.SSLError):
        return "refused"
    version = str(writer.get_extra_info("ssl_object").version())
    writer.close()
    return version


@pytest.mark.parametrize("fault", [None, "sec16-tls-legacy"])
async def test_tls_serves_the_four_suites_and_refuses_tls_1_1(
    pki: TestPki, fault: str | None
) -> None:
    """Whitepaper A00.FR.317 (with the RSA twin certificate) and A00.FR.314."""
    faults = frozenset({fault}) if fault else frozenset()
    context = tls_context(CsmsContext(CsmsConfig(version=V16, faults=faults, **_tls_settings(pki))))
    assert context is not None

    async def close(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(close, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        top = ssl.TLSVersion.TLSv1_3
        for suite in (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "AES128-GCM-SHA256",
            "AES256-GCM-SHA384",
        ):
            assert await _suite_handshake(port, pki, suite, top) == "TLSv1.2", suite
        legacy = await _suite_handshake(port, pki, "", ssl.TLSVersion.TLSv1_1)
        assert legacy == ("refused" if fault is None else "TLSv1.1")
    finally:
        server.close()
        await server.wait_closed()
