"""The reference 2.0.1 CSMS's block A/B/C logic: tokens, commands, certificates, profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.cases.states import certificates_v201
from harness.cases.states.contract_v201 import make_contract, ocsp_responder
from harness.roles.exchange import Message
from harness.sim.csms import (
    v201_authorization,
    v201_certificates,
    v201_contract,
    v201_outgoing,
    v201_provisioning,
    v201_security_profile,
)
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import BootAnswer, StationRecord
from harness.transport.pki import TestPki, generate_pki
from harness.transport.pki_v2g import ensure_v2g_root
from tests.unit.test_sim_csms_support import V201, VALID, connected, id_token, post, running_csms

STATION = "CS201"
GROUP = "0A0B0C0D"


def context(*faults: str, **settings: Any) -> CsmsContext:
    return CsmsContext(CsmsConfig(version=V201, faults=frozenset(faults), **settings))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return generate_pki(tmp_path_factory.mktemp("pki"), STATION)


def test_id_token_info_names_the_group_of_accepted_tokens_only() -> None:
    ctx = context(token_groups={VALID: GROUP})
    assert v201_authorization.id_token_info(ctx, id_token(VALID)) == {
        "status": "Accepted",
        "groupIdToken": {"idToken": GROUP, "type": "Central"},
    }
    assert v201_authorization.id_token_info(ctx, id_token("UNKNOWN0000000")) == {
        "status": "Invalid"
    }
    assert v201_authorization.token_status(ctx, {"idToken": "", "type": "NoAuthorization"}) == (
        "Accepted"
    )


@pytest.mark.parametrize(
    ("fault", "token", "status"),
    [
        ("c201-accept-invalid", "0BADBADBADBAD0", "Accepted"),
        ("c201-accept-invalid", "UNKNOWN0000000", "Accepted"),
        ("c201-token-status-ignored", "0B10C4ED0B10C4", "Accepted"),
        ("c201-token-status-ignored", "0BADBADBADBAD0", "Invalid"),
    ],
)
def test_token_faults(fault: str, token: str, status: str) -> None:
    assert v201_authorization.token_status(context(fault), id_token(token)) == status


def test_no_group_fault_leaves_the_group_out() -> None:
    ctx = context("c201-no-group-id", token_groups={VALID: GROUP})
    assert v201_authorization.id_token_info(ctx, id_token(VALID)) == {"status": "Accepted"}


def test_device_model_learning_and_the_items_limit() -> None:
    record = StationRecord(STATION)
    item = {
        "component": {"name": "DeviceDataCtrlr"},
        "variable": {"name": "ItemsPerMessage", "instance": "GetVariables"},
    }
    answer = {"getVariableResult": [{"attributeStatus": "Accepted", "attributeValue": "2", **item}]}
    v201_provisioning.learn(record, "GetVariables", {"getVariableData": [item]}, answer)
    assert v201_provisioning.get_variables_limit(record) == 2
    assert [len(c) for c in v201_provisioning.chunks([{}] * 5, 2)] == [2, 2, 1]
    assert [len(c) for c in v201_provisioning.chunks([{}] * 5, None)] == [5]
    evse: dict[str, Any] = {
        "component": {"name": "EVSE", "evse": {"id": 1}},
        "variable": {"name": "Power"},
    }
    assert v201_provisioning.variable_key(evse["component"], evse["variable"]) == "EVSE@1/Power"
    stored = v201_provisioning.answer_from_store(record, {"getVariableData": [item, evse]})
    assert [r["attributeStatus"] for r in stored["getVariableResult"]] == [
        "Accepted",
        "UnknownVariable",
    ]


def test_shape_fills_request_ids_and_applies_command_faults() -> None:
    record = StationRecord(STATION)
    clean = context()
    first = v201_outgoing.shape(clean, record, "GetBaseReport", {"reportBase": "FullInventory"})
    second = v201_outgoing.shape(clean, record, "GetReport", {})
    assert (first["requestId"], second["requestId"]) == (1, 2)
    assert v201_outgoing.shape(clean, record, "GetReport", {"requestId": 7}) == {"requestId": 7}
    negative = context("b201-report-request-id-negative")
    assert v201_outgoing.shape(negative, record, "GetBaseReport", {})["requestId"] == -1
    swapped = context("b201-reset-type-swapped", "b201-reset-scope-wrong")
    assert v201_outgoing.shape(swapped, record, "Reset", {"type": "OnIdle"}) == {
        "type": "Immediate",
        "evseId": 1,
    }
    assert v201_outgoing.shape(swapped, record, "Reset", {"type": "Immediate", "evseId": 2}) == {
        "type": "OnIdle"
    }


def test_network_profile_gets_the_endpoint_of_its_security_profile() -> None:
    ctx = context()
    ctx.endpoints[2] = "wss://127.0.0.1:9443/ocpp"
    record = StationRecord(STATION)
    payload = {"configurationSlot": 2, "connectionData": {"securityProfile": 2}}
    shaped = v201_outgoing.shape(ctx, record, "SetNetworkProfile", payload)
    assert shaped["connectionData"]["ocppCsmsUrl"] == "wss://127.0.0.1:9443/ocpp"
    faulty = context("b201-network-url-with-identity")
    faulty.endpoints[2] = "wss://127.0.0.1:9443/ocpp"
    payload = {"configurationSlot": 2, "connectionData": {"securityProfile": 2}}
    shaped = v201_outgoing.shape(faulty, record, "SetNetworkProfile", payload)
    assert shaped["connectionData"]["ocppCsmsUrl"].endswith("/ocpp/" + STATION)


def test_security_profile_is_raised_when_the_new_slot_comes_first() -> None:
    ctx = context(security_profile=1)
    record = ctx.registry.add(STATION)
    profile = {"configurationSlot": 2, "connectionData": {"securityProfile": 2}}
    v201_security_profile.adopt(ctx, record, "SetNetworkProfile", profile, {"status": "Accepted"})
    item = {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "NetworkConfigurationPriority"},
        "attributeValue": "1,2",
    }
    result = {"setVariableResult": [{"attributeStatus": "Accepted"}]}
    v201_security_profile.adopt(ctx, record, "SetVariables", {"setVariableData": [item]}, result)
    assert record.security_profile is None  # slot 2 is not first yet
    item["attributeValue"] = "2,1"
    v201_security_profile.adopt(ctx, record, "SetVariables", {"setVariableData": [item]}, result)
    assert record.security_profile == 2


def test_boot_faults() -> None:
    sticky = context("b201-pending-sticky")
    record = sticky.registry.add(STATION)
    record.boot_plan.append(BootAnswer("Pending", 1))
    statuses = [v201_provisioning.boot_notification(sticky, record, {})["status"] for _ in "ab"]
    assert statuses == ["Pending", "Pending"]
    ignored = context("b201-pending-ignored")
    record = ignored.registry.add(STATION)
    record.boot_plan.append(BootAnswer("Pending", 1))
    assert v201_provisioning.boot_notification(ignored, record, {})["status"] == "Accepted"


def test_csr_is_signed_by_the_right_root_and_checked(pki: TestPki) -> None:
    ctx = context(ca_cert=pki.csms_root_cert, ca_key=pki.csms_root_key)
    record = StationRecord(STATION)
    key = certificates_v201.new_key()
    good = {"csr": certificates_v201.csr_pem(key, STATION)}
    assert v201_certificates.sign_certificate(ctx, record, good) == {"status": "Accepted"}
    other = {"csr": certificates_v201.csr_pem(key, "SOMEONE-ELSE")}
    assert v201_certificates.sign_certificate(ctx, record, other) == {"status": "Rejected"}
    garbage = {"csr": "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"}
    assert v201_certificates.sign_certificate(ctx, record, garbage) == {"status": "Rejected"}
    no_v2g_root = {**good, "certificateType": "V2GCertificate"}
    assert v201_certificates.sign_certificate(ctx, record, no_v2g_root) == {"status": "Rejected"}
    csr = v201_certificates.check_csr(ctx, record, good)
    issuer = v201_certificates.issuer_for(ctx, "ChargingStationCertificate")
    assert csr is not None and issuer is not None
    chain = _pem(v201_certificates.issue(csr, issuer))
    assert not certificates_v201.chain_problems(chain, key, pki.csms_root_cert)
    wrong = v201_certificates.issue(csr, issuer, wrong_key=True)
    problems = certificates_v201.chain_problems(_pem(wrong), key, pki.csms_root_cert)
    assert problems == ["the leaf certificate does not certify the public key of the CSR"]
    problems = certificates_v201.chain_problems(_pem(wrong), key, pki.untrusted_root_cert)
    assert len(problems) == 2


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


async def test_get_variables_are_split_by_the_learned_limit() -> None:
    async with running_csms(V201) as app, connected(app, STATION) as station:
        limit = "2"

        def answer(message: Message) -> dict[str, Any]:
            return {
                "getVariableResult": [
                    {"attributeStatus": "Accepted", "attributeValue": limit, **item}
                    for item in message["getVariableData"]
                ]
            }

        station.on("GetVariables").respond_with(answer)
        await station.boot()
        item = {
            "component": {"name": "DeviceDataCtrlr"},
            "variable": {"name": "ItemsPerMessage", "instance": "GetVariables"},
        }
        status, _ = await post(
            app, f"/api/octt/2.0.1/{STATION}/call/GetVariables", {"getVariableData": [item]}
        )
        assert status == 200
        many = [{"component": {"name": "X"}, "variable": {"name": f"V{i}"}} for i in range(5)]
        status, body = await post(
            app, f"/api/octt/2.0.1/{STATION}/call/GetVariables", {"getVariableData": many}
        )
        assert status == 200 and body["requests"] == 3
        assert len(body["response"]["getVariableResult"]) == 5
        sizes = [len(m["getVariableData"]) for m in station.received("GetVariables")]
        assert sizes == [1, 2, 2, 1]


async def test_accepted_csr_is_followed_by_certificate_signed(tmp_path: Path) -> None:
    pki = generate_pki(tmp_path, STATION)
    settings = {"ca_cert": pki.csms_root_cert, "ca_key": pki.csms_root_key}
    async with running_csms(V201, **settings) as app, connected(app, STATION) as station:
        await station.boot()
        key = certificates_v201.new_key()
        csr = certificates_v201.csr_pem(key, STATION)
        answer = await station.call(
            "SignCertificate", csr=csr, certificateType="ChargingStationCertificate"
        )
        assert answer["status"] == "Accepted"
        signed = await station.expect("CertificateSigned", within=2.0)
        assert signed["certificateType"] == "ChargingStationCertificate"
        assert not certificates_v201.chain_problems(
            signed["certificateChain"], key, pki.csms_root_cert
        )


async def test_contract_certificate_status_comes_from_ocsp(tmp_path: Path) -> None:
    root = ensure_v2g_root(tmp_path)
    other = ensure_v2g_root(tmp_path / "other")
    ctx = context(v2g_ca_cert=root.cert, v2g_ca_key=root.key, call_timeout=2.0)
    async with ocsp_responder("127.0.0.1") as responder:
        contract = make_contract(root, "NLHRSC000000001", responder.url)
        responder.contract = contract
        data = v201_contract.hash_data_of(ctx, contract.pem)
        assert data == contract.hash_data(responder.url)
        assert await v201_contract.check_ocsp(ctx, data) == "Accepted"
        responder.revoked = True
        assert await v201_contract.check_ocsp(ctx, data) == "CertificateRevoked"
        assert len(responder.requests) == 2 and responder.matches(responder.requests[0], data)
        stranger = make_contract(other, "NLHRSC000000001", responder.url)
        with pytest.raises(v201_contract.ContractError) as refused:
            v201_contract.hash_data_of(ctx, stranger.pem)
        assert refused.value.status == "CertChainError"
        responder.contract = stranger  # signed by a root the CSMS does not trust
        with pytest.raises(v201_contract.ContractError) as unsigned:
            await v201_contract.check_ocsp(ctx, stranger.hash_data(responder.url))
        assert unsigned.value.status == "SignatureError"
