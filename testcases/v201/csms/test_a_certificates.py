"""OCPP 2.0.1 block A (Security), CSMS under test: certificate updates requested by the CSMS (A02).

The CSMS triggers a SignCertificateRequest, accepts the CSR and sends the signed certificate.
Station certificates must chain to the CSMS root of the test PKI; V2G and combined ones to
the V2G root kept beside it (harness/transport/pki_v2g.py: `v2g_root.pem`).
"""

from __future__ import annotations

from pathlib import Path

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import certificates_v201, csms_v201
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.outcomes import EnvironmentFailure
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator
from harness.transport.pki import TestPki
from harness.transport.pki_v2g import ensure_v2g_root


def _pki(station: StationEmulator) -> TestPki:
    if station.pki is None:
        raise EnvironmentFailure("certificate cases need the test PKI (security profile 2 or 3)")
    return station.pki


def _check_chain(
    check: Checks,
    signed: Message,
    key: certificates_v201.PrivateKey,
    root_name: str,
    root: Path,
    ref: str,
) -> bool:
    """Step 5: the chain certifies the CSR's key and leads to the expected root."""
    problems = certificates_v201.chain_problems(signed["certificateChain"], key, root)
    return check.must(
        not problems,
        f"step 5 CertificateSignedRequest.certificateChain: expected a certificate from the "
        f"CSR of step 3 signed by the {root_name}; {'; '.join(problems)}",
        ref=ref,
    )


def _informative(check: Checks, signed: Message, station_id: str, *, with_cn: bool) -> None:
    """Validations that do not fail the case (Tables 458-459 NOTE): key size, PEM, CN."""
    chain = certificates_v201.chain_of(signed["certificateChain"])
    if not check.info(chain, "the certificate is PEM encoded X.509", ref="A00.FR.507"):
        return
    problems = certificates_v201.key_problems(chain[0])
    check.info(not problems, f"certificate key and serial: {problems or 'fine'}", ref="A00.FR.502")
    if with_cn:
        name = certificates_v201.common_name(chain[0])
        check.info(
            name == station_id,
            f"certificate CN: expected the station's serial {station_id!r}, saw {name!r}",
        )


@ocpp_case(
    "TC_A_11_CSMS",
    version="2.0.1",
    refs=("A02.FR.11", "A02.FR.14", "F06.FR.01"),
    security_profiles=(3,),
)
async def test_renew_station_certificate(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RenewChargingStationCertificate, then reconnect with the new certificate (Table 457).

    Errata 2025-01 6.3.1 adds the reconnect: the CSMS accepts the new certificate.
    """
    pki = _pki(station)
    await csms_v201.booted(station, dut, check)
    key, signed = await certificates_v201.renew(
        station,
        dut,
        check,
        requested="SignChargingStationCertificate",
        certificate_type="ChargingStationCertificate",
    )
    if signed is None:
        return
    check.equal(
        signed.get("certificateType"),
        "ChargingStationCertificate",
        "step 5 CertificateSignedRequest.certificateType",
        ref="A02.FR.11",
    )
    if not _check_chain(check, signed, key, "CSMS root", pki.csms_root_cert, "A02.FR.11"):
        return  # a station cannot use a certificate that is not for its key
    with certificates_v201.client_tls(pki.csms_root_cert, key, signed["certificateChain"]) as tls:
        await station.disconnect()
        refused = await station.try_connect(ssl_context=tls)
    check.must(
        refused is None,
        f"errata step 3: the CSMS must accept the connection with the new certificate: {refused}",
        ref="A02.FR.14",
    )


@ocpp_case("TC_A_12_CSMS", version="2.0.1", refs=("A02.FR.11", "F06.FR.01"), needs=("iso15118",))
async def test_renew_v2g_certificate(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """SignV2GCertificate: a V2G certificate from the CSR, signed by the V2G root (Table 458)."""
    root = ensure_v2g_root(_pki(station).directory)
    await csms_v201.booted(station, dut, check)
    key, signed = await certificates_v201.renew(
        station, dut, check, requested="SignV2GCertificate", certificate_type="V2GCertificate"
    )
    if signed is None:
        return
    _check_chain(check, signed, key, "V2G root", root.cert, "A02.FR.11")
    _informative(check, signed, dut.station_id, with_cn=False)


@ocpp_case(
    "TC_A_13_CSMS",
    version="2.0.1",
    refs=("A02.FR.11",),
    needs=("iso15118",),
    security_profiles=(3,),
)
async def test_renew_combined_certificate(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """SignCombinedCertificate: one certificate from the CSR, signed by the V2G root (Table 459)."""
    root = ensure_v2g_root(_pki(station).directory)
    await csms_v201.booted(station, dut, check)
    key, signed = await certificates_v201.renew(
        station, dut, check, requested="SignCombinedCertificate", certificate_type=None
    )
    if signed is None:
        return
    _check_chain(check, signed, key, "V2G root", root.cert, "A02.FR.11")
    _informative(check, signed, dut.station_id, with_cn=True)


@ocpp_case("TC_A_14_CSMS", version="2.0.1", refs=("A02",), security_profiles=(3,))
async def test_renew_certificate_rejected(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The station rejects the new certificate and reports it (Table 460, errata 6.3.2)."""
    _pki(station)
    await csms_v201.booted(station, dut, check)
    _, signed = await certificates_v201.renew(
        station,
        dut,
        check,
        requested="SignChargingStationCertificate",
        certificate_type="ChargingStationCertificate",
        answer="Rejected",
    )
    if signed is None:
        return
    event = await station.call(
        "SecurityEventNotification",
        {"type": "InvalidChargingStationCertificate", "timestamp": utc_timestamp()},
    )
    check.must(
        event.ok,
        f"errata step 8: expected a valid SecurityEventNotificationResponse, saw "
        f"{event.describe()}",
    )
