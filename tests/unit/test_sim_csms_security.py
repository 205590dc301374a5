"""Security profiles 1-3 of the reference CSMS and Basic auth password changes (A00, A01)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sim.csms.config import CsmsConfig
from harness.transport.client import ClientSecurity
from harness.transport.pki import TestPki, ensure_pki
from harness.transport.tls import client_context, client_context_from_pki
from tests.unit.test_sim_csms_support import (
    V16,
    V201,
    connected,
    make_station,
    post,
    running_csms,
)

PASSWORD = "0123456789abcdef0123"  # 2.0.1: 16-40 characters


def basic(password: str, username: str = "CS001", profile: int = 1) -> ClientSecurity:
    """Client settings sending Basic credentials."""
    return ClientSecurity(profile, username, password)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_pki(tmp_path_factory.mktemp("csms-pki"), "CS001")


async def test_profile_1_accepts_only_the_right_user_and_password() -> None:
    async with running_csms(V201, security_profile=1, password=PASSWORD) as app:
        async with connected(app, security=basic(PASSWORD)) as station:
            assert (await station.boot())["status"] == "Accepted"
        for security in (basic("wrong-password-000"), basic(PASSWORD, "CS999"), None):
            refused = await make_station(app, security=security).try_connect()
            assert refused is not None and refused.status == 401, security


async def test_per_station_password_from_the_api() -> None:
    async with running_csms(V16, security_profile=1, stations=("CS001",)) as app:
        refused = await make_station(app, security=basic(PASSWORD)).try_connect()
        assert refused is not None and refused.status == 401  # no password configured yet
        body = {"station_id": "CS002", "password": PASSWORD}
        assert (await post(app, "/api/octt/set-basic-auth-password", body))[0] == 200
        security = basic(PASSWORD, "CS002")
        async with connected(app, "CS002", security=security) as station:
            assert (await station.boot())["status"] == "Accepted"


@pytest.mark.parametrize("answer", ["Accepted", "Rejected"])
async def test_update_basic_auth_password_201(answer: str) -> None:
    new = "fedcba9876543210fedcba"
    async with running_csms(V201, security_profile=1, password=PASSWORD) as app:
        async with connected(app, security=basic(PASSWORD)) as station:
            await station.boot()
            station.on("SetVariables").respond_with(
                lambda m: {
                    "setVariableResult": [
                        {
                            "attributeStatus": answer,
                            "component": m["setVariableData"][0]["component"],
                            "variable": m["setVariableData"][0]["variable"],
                        }
                    ]
                }
            )
            status, body = await post(
                app, "/api/octt/2.0.1/CS001/update-basic-auth-password", {"password": new}
            )
            assert status == 200 and body["error"] is None
            sent = await station.expect("SetVariables", within=1)
            data = sent["setVariableData"][0]
            assert data["component"]["name"] == "SecurityCtrlr"
            assert (data["variable"]["name"], data["attributeValue"]) == ("BasicAuthPassword", new)
        current, stale = (new, PASSWORD) if answer == "Accepted" else (PASSWORD, new)
        refused = await make_station(app, security=basic(stale)).try_connect()
        assert refused is not None and refused.status == 401
        async with connected(app, security=basic(current)) as station:
            assert station.connected


async def test_profile_2_tls_with_basic_auth(pki: TestPki) -> None:
    settings = {"server_cert": pki.server_cert, "server_key": pki.server_key}
    async with running_csms(V201, security_profile=2, password=PASSWORD, **settings) as app:
        assert app.ws_url.startswith("wss://")
        context = client_context_from_pki(pki, mutual=False)
        security = ClientSecurity(2, "CS001", PASSWORD, context)
        async with connected(app, security=security) as station:
            assert (await station.boot())["status"] == "Accepted"
        wrong = ClientSecurity(2, "CS001", "not-the-password-00", context)
        refused = await make_station(app, security=wrong).try_connect()
        assert refused is not None and refused.status == 401


async def test_profile_3_needs_a_client_certificate_naming_the_station(pki: TestPki) -> None:
    settings = {
        "server_cert": pki.server_cert,
        "server_key": pki.server_key,
        "ca_cert": pki.csms_root_cert,
    }
    async with running_csms(V16, security_profile=3, **settings) as app:
        mutual = ClientSecurity(3, ssl_context=client_context_from_pki(pki, mutual=True))
        async with connected(app, security=mutual) as station:
            assert (await station.boot())["status"] == "Accepted"
        refused = await make_station(app, "CS002", security=mutual).try_connect()
        assert refused is not None and refused.status == 403
        no_cert = ClientSecurity(3, ssl_context=client_context(ca_cert=pki.csms_root_cert))
        refused = await make_station(app, security=no_cert).try_connect()
        assert refused is not None and refused.status is None  # TLS handshake fails


def test_profile_3_without_ca_is_a_configuration_error(tmp_path: Path) -> None:
    config = CsmsConfig(
        V16, security_profile=3, server_cert=tmp_path / "c", server_key=tmp_path / "k"
    )
    with pytest.raises(ValueError, match="--ca-cert"):
        config.check()
