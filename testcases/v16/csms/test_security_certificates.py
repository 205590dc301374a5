"""OCPP 1.6 Security (whitepaper ed. 3), CSMS under test: certificates and security events.

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 case of the
same purpose (named in its docstring), translated to the whitepaper's A02 (SignCertificate,
CertificateSigned), A04 (SecurityEventNotification), M03-M05 (GetInstalledCertificateIds,
DeleteCertificate, InstallCertificate).
"""

from __future__ import annotations

import dataclasses

from cryptography import x509

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.outcomes import EnvironmentFailure
from harness.roles.station import StationEmulator
from harness.transport.pki import TestPki
from harness.transport.tls import client_context_from_pki
from testcases.v16.csms.certificate_steps import check_chain, mutual_context, renew
from testcases.v16.station.security_steps import TestCa, new_ca, same_hash


def _pki(station: StationEmulator) -> TestPki:
    if station.pki is None:
        raise EnvironmentFailure("security profile 2/3 case without a test PKI")
    return station.pki


async def _event_confirmed(
    station: StationEmulator, check: Checks, event: str, timestamp: str | None = None
) -> None:
    """SecurityEventNotification.req `event`; the CSMS SHALL confirm receipt (A04.FR.03)."""
    answer = await station.call(
        "SecurityEventNotification", type=event, timestamp=timestamp or utc_timestamp()
    )
    check.must(
        answer.ok,
        f"SecurityEventNotification.conf for {event}: expected a CALLRESULT, saw "
        f"{answer.describe()}",
        ref="A04.FR.03",
    )


@ocpp_case(
    "TC_074_CSMS",
    version="1.6",
    refs=("A02.FR.03", "A02.FR.06", "A02.FR.11", "A00.FR.507", "A00.FR.511", "2.0.1 TC_A_11_CSMS"),
    security_profiles=(3,),
)
async def test_update_charge_point_certificate(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """RenewChargingStationCertificate; the new certificate then opens a mutual TLS link.

    TC_A_11_CSMS: the certificate comes from the CSR and the CSMS root; the charge point
    switches to it (A02.FR.08), and the CSMS accepts the connection it authenticates.
    """
    pki = _pki(station)
    await csms_v16.booted(station, dut, check)
    renewal = await renew(station, dut, check, pki)
    leaf = check_chain(check, renewal, dut.station_id, pki)
    if leaf is None:
        return
    await station.disconnect()
    station.security = dataclasses.replace(
        station.security, ssl_context=mutual_context(pki, leaf, renewal.key)
    )
    refused = await station.try_connect()
    if check.must(
        refused is None,
        f"mutual TLS with the renewed certificate: expected the CSMS to accept, saw {refused}",
        ref="A00.FR.403",
    ):
        await csms_v16.booted(station, dut, check)


async def _installed(
    station: StationEmulator, dut: Dut, check: Checks, certificate_type: str, ca: TestCa
) -> None:
    """Reusable state CertificateInstalled (2.0.1 Table 709): InstallCertificate.req as asked."""
    request = {"certificateType": certificate_type, "certificate": ca.pem}
    sent = await csms_v16.command(
        station, dut, "InstallCertificate", request, {"status": "Accepted"}
    )
    check.equal(
        sent.get("certificateType"), certificate_type, "InstallCertificate.req certificateType"
    )
    text = str(sent.get("certificate", ""))
    try:
        got = x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        got = None
    check.must(
        got is not None and got == ca.cert,
        f"InstallCertificate.req certificate: expected the configured certificate "
        f"{ca.cert.subject.rfc4514_string()} in PEM, saw {text[:80]!r}",
        ref="A00.FR.507, M05",
    )


@ocpp_case(
    "TC_075_1_CSMS",
    version="1.6",
    refs=("M05.FR.01", "A00.FR.507", "2.0.1 TC_M_02_CSMS"),
)
async def test_install_manufacturer_root(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """InstallCertificate ManufacturerRootCertificate with the configured certificate."""
    await csms_v16.booted(station, dut, check)
    ca = new_ca("Harness ManufacturerRootCertificate")
    await _installed(station, dut, check, "ManufacturerRootCertificate", ca)


@ocpp_case(
    "TC_075_2_CSMS",
    version="1.6",
    refs=("M05.FR.01", "A00.FR.507", "2.0.1 TC_M_01_CSMS"),
)
async def test_install_central_system_root(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """InstallCertificate CentralSystemRootCertificate with the configured certificate."""
    await csms_v16.booted(station, dut, check)
    ca = new_ca("Harness CentralSystemRootCertificate 2")
    await _installed(station, dut, check, "CentralSystemRootCertificate", ca)


@ocpp_case(
    "TC_076_CSMS",
    version="1.6",
    refs=("M03.FR.01", "M04.FR.01", "M04.FR.07", "2.0.1 TC_M_20_CSMS"),
)
async def test_delete_certificate(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Install, list, then DeleteCertificate with the hash data listed (TC_M_20_CSMS)."""
    kind = "CentralSystemRootCertificate"
    await csms_v16.booted(station, dut, check)
    ca = new_ca("Harness CentralSystemRootCertificate 2")
    await _installed(station, dut, check, kind, ca)
    listed = ca.hash_data()
    query = await csms_v16.command(
        station,
        dut,
        "GetInstalledCertificateIds",
        {"certificateType": kind},
        {"status": "Accepted", "certificateHashData": [listed]},
    )
    check.equal(
        query.get("certificateType"), kind, "GetInstalledCertificateIds.req certificateType"
    )
    delete = await csms_v16.command(
        station, dut, "DeleteCertificate", {"certificateHashData": listed}, {"status": "Accepted"}
    )
    sent = delete.get("certificateHashData") or {}
    check.must(
        sent.get("hashAlgorithm") == listed["hashAlgorithm"] and same_hash(sent, listed),
        f"DeleteCertificate.req certificateHashData: expected the listed {listed}, saw {sent}",
        ref="M04.FR.07",
    )


@ocpp_case(
    "TC_077_CSMS",
    version="1.6",
    refs=("A02.FR.07", "A02.FR.11", "A04.FR.03", "2.0.1 TC_A_14_CSMS"),
    security_profiles=(3,),
)
async def test_invalid_charge_point_certificate_event(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """CertificateSigned Rejected; InvalidChargePointCertificate event confirmed (TC_A_14)."""
    pki = _pki(station)
    await csms_v16.booted(station, dut, check)
    renewal = await renew(station, dut, check, pki, answer="Rejected")
    if renewal.signed is not None:
        await _event_confirmed(station, check, "InvalidChargePointCertificate")
        await csms_v16.still_served(station, check, "CertificateSigned.conf Rejected")


@ocpp_case(
    "TC_078_CSMS",
    version="1.6",
    refs=("A00.FR.309", "A00.FR.310", "A04.FR.02", "A04.FR.03"),
    security_profiles=(2, 3),
)
async def test_invalid_central_system_certificate_event(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The charge point refused a CSMS certificate; once connected, its event is confirmed.

    The harness first connects trusting another root, so the CSMS certificate fails to verify
    and the charge point terminates (A00.FR.309/310); it queues the security event (A04.FR.02)
    and delivers it after connecting with the right root.
    """
    pki = _pki(station)
    good = station.security
    wrong = client_context_from_pki(pki, mutual=good.profile == 3, trust="untrusted")
    station.security = dataclasses.replace(good, ssl_context=wrong)
    failed_at = utc_timestamp()
    refused = await station.try_connect()
    station.security = good
    if refused is None:
        raise EnvironmentFailure("TLS with an untrusted root succeeded; cannot stage the event")
    await csms_v16.booted(station, dut, check)
    await _event_confirmed(station, check, "InvalidCentralSystemCertificate", failed_at)
