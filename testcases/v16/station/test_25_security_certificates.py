"""OCPP 1.6 Security (25), charge point under test: certificate management (whitepaper ed. 3).

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of
the same purpose (A02 / M03-M05, named in its docstring), translated to the 1.6 messages
InstallCertificate, GetInstalledCertificateIds, DeleteCertificate, ExtendedTriggerMessage,
SignCertificate and CertificateSigned. The harness makes its own CA ("Root 2") per case.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message
from testcases.v16.station.security_steps import (
    TestCa,
    certificate_installed,
    installed_ids,
    new_ca,
    same_hash,
)


async def _install_and_list(
    csms: CsmsEmulator, dut: Dut, check: Checks, certificate_type: str
) -> None:
    """Install Root 2 of `certificate_type`; GetInstalledCertificateIds lists its hash."""
    await station_v16.idle(csms, dut)
    root = new_ca(f"Harness {certificate_type} 2")
    if not await certificate_installed(csms, check, certificate_type, root):
        return
    found = await installed_ids(csms, check, certificate_type)
    check.must(
        any(same_hash(entry, root.hash_data()) for entry in found),
        f"GetInstalledCertificateIds.conf lists the installed certificate {root.hash_data()}; "
        f"saw {found}",
        ref="M03.FR.04, M05.FR.02",
    )


@ocpp_case(
    "TC_075_1_CS",
    version="1.6",
    refs=("M05.FR.01", "M05.FR.02", "M03.FR.04", "2.0.1 Part 6 TC_M_02_CS"),
    security_profiles=(2, 3),
)
async def test_install_manufacturer_root(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """InstallCertificate ManufacturerRootCertificate Accepted, then listed (TC_M_02_CS)."""
    await _install_and_list(csms, dut, check, "ManufacturerRootCertificate")


@ocpp_case(
    "TC_075_2_CS",
    version="1.6",
    refs=("M05.FR.01", "M05.FR.02", "M03.FR.04", "2.0.1 Part 6 TC_M_01_CS"),
    security_profiles=(2, 3),
)
async def test_install_central_system_root(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """InstallCertificate CentralSystemRootCertificate Accepted, then listed (TC_M_01_CS)."""
    await _install_and_list(csms, dut, check, "CentralSystemRootCertificate")


@ocpp_case(
    "TC_076_CS",
    version="1.6",
    refs=("M04.FR.01", "M04.FR.02", "M03.FR.04", "2.0.1 Part 6 TC_M_20_CS"),
    security_profiles=(2, 3),
)
async def test_delete_certificate(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """List, DeleteCertificate Accepted, and the certificate is no longer listed (TC_M_20_CS).

    The harness installs its own Root 2 first, so it never deletes the root the charge point
    verifies the current connection with.
    """
    kind = "CentralSystemRootCertificate"
    await station_v16.idle(csms, dut)
    root = new_ca("Harness CentralSystemRootCertificate 2")
    if not await certificate_installed(csms, check, kind, root):
        return
    before = await installed_ids(csms, check, kind)
    target = next((e for e in before if same_hash(e, root.hash_data())), None)
    if not check.must(target is not None, f"the certificate to delete is listed: {before}"):
        return
    outcome = await csms.call("DeleteCertificate", certificateHashData=target)
    check.equal(outcome.get("status"), "Accepted", "DeleteCertificate.conf status", ref="M04.FR.02")
    after = await installed_ids(csms, check, kind)
    check.must(
        not any(same_hash(e, root.hash_data()) for e in after),
        f"the deleted certificate is no longer listed: {after}",
        ref="M04.FR.02",
    )


async def _renewal(csms: CsmsEmulator, dut: Dut, check: Checks) -> tuple[TestCa, Message]:
    """ExtendedTriggerMessage SignChargePointCertificate, then SignCertificate.req (A02)."""
    await station_v16.idle(csms, dut)
    root = new_ca("Harness CentralSystemRootCertificate 2")
    await certificate_installed(csms, check, "CentralSystemRootCertificate", root)
    mark = csms.wirelog.now()
    outcome = await csms.call(
        "ExtendedTriggerMessage", requestedMessage="SignChargePointCertificate"
    )
    check.equal(outcome.get("status"), "Accepted", "ExtendedTriggerMessage.conf status")
    sign = await csms.expect("SignCertificate", within=dut.timeouts.call, since=mark)
    return root, sign


def _check_csr(check: Checks, csr: x509.CertificateSigningRequest | None, cpo: str) -> None:
    """A02.FR.03 / A02.FR.13 and the key sizes of 2.0.1 TC_A_14_CS step 3."""
    if not check.must(csr is not None, "SignCertificate.req csr is a PEM PKCS#10 CSR (RFC 2986)"):
        return
    assert csr is not None
    check.must(csr.is_signature_valid, "the CSR is signed with its own key", ref="A02.FR.03")
    key = csr.public_key()
    size = key.key_size if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey) else 0
    least = 224 if isinstance(key, ec.EllipticCurvePublicKey) else 2048
    check.must(size >= least, f"CSR key has at least {least} bits: {size}", ref="A02.FR.02")
    orgs = [a.value for a in csr.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if cpo:
        check.must(orgs == [cpo], f"CSR O is CpoName {cpo!r}: {orgs}", ref="A02.FR.13")


def _parse_csr(sign: Message) -> x509.CertificateSigningRequest | None:
    try:
        return x509.load_pem_x509_csr(str(sign.get("csr", "")).encode())
    except ValueError:
        return None


async def _cpo_name(csms: CsmsEmulator) -> str:
    listed = await csms.call("GetConfiguration", key=["CpoName"])
    entries = listed.get("configurationKey") or []
    return str(entries[0].get("value", "")) if entries else ""


@ocpp_case(
    "TC_074_CS",
    version="1.6",
    refs=("A02.FR.02", "A02.FR.03", "A02.FR.06", "A02.FR.13", "2.0.1 Part 6 TC_A_11_CS"),
    security_profiles=(3,),
)
async def test_update_charge_point_certificate(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RenewChargingStationCertificate: CSR, signed by the CSMS root, CertificateSigned Accepted."""
    cpo = await _cpo_name(csms) if csms.connected else ""
    root, sign = await _renewal(csms, dut, check)
    cpo = cpo or await _cpo_name(csms)
    csr = _parse_csr(sign)
    _check_csr(check, csr, cpo)
    if csr is None:
        return
    outcome = await csms.call("CertificateSigned", certificateChain=root.sign_csr(csr))
    check.equal(outcome.get("status"), "Accepted", "CertificateSigned.conf status", ref="A02.FR.06")


@ocpp_case(
    "TC_077_CS",
    version="1.6",
    refs=("A02.FR.06", "A02.FR.07", "A04.FR.01", "2.0.1 Part 6 TC_A_14_CS"),
    security_profiles=(3,),
)
async def test_invalid_charge_point_certificate(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """A certificate outside the CPO hierarchy: Rejected and InvalidChargePointCertificate."""
    _, sign = await _renewal(csms, dut, check)
    csr = _parse_csr(sign)
    _check_csr(check, csr, "")
    if csr is None:
        return
    stranger = new_ca("Untrusted CA")  # never installed: not part of the CPO hierarchy
    mark = csms.wirelog.now()
    outcome = await csms.call("CertificateSigned", certificateChain=stranger.sign_csr(csr))
    check.equal(outcome.get("status"), "Rejected", "CertificateSigned.conf status", ref="A02.FR.07")
    event = await csms.expect("SecurityEventNotification", within=dut.timeouts.call, since=mark)
    check.equal(
        event.get("type"),
        "InvalidChargePointCertificate",
        "SecurityEventNotification.req type",
        ref="A02.FR.07",
    )
