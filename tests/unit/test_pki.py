"""Tests for the generated test PKI (harness/transport/pki.py)."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.transport.pki import MANIFEST_NAME, TestPki, ensure_pki, generate_pki

STATION_ID = "CS-PKI-001"
MINUTE = timedelta(minutes=1)


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def common_name(cert: x509.Certificate) -> str:
    value = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert isinstance(value, str)
    return value


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return generate_pki(tmp_path_factory.mktemp("pki"), STATION_ID)


def test_all_files_exist_and_keys_are_private(pki: TestPki) -> None:
    files = pki.files()
    assert len(files) == 16
    for name, path in files.items():
        assert path.parent == pki.directory
        mode = stat.S_IMODE(path.stat().st_mode)
        if name.endswith("_key"):
            assert mode == 0o600, name
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            assert key.curve.name == "secp256r1"
        else:
            assert path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


def test_roots_are_ca_certificates(pki: TestPki) -> None:
    for path in (pki.csms_root_cert, pki.untrusted_root_cert):
        cert = load(path)
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert constraints.critical and constraints.value.ca
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
        cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert timedelta(days=3649) < lifetime < timedelta(days=3652)
    assert load(pki.csms_root_cert).subject != load(pki.untrusted_root_cert).subject


@pytest.mark.parametrize(
    ("cert_field", "root_field", "server"),
    [
        ("server_cert", "csms_root_cert", True),
        ("station_cert", "csms_root_cert", False),
        ("untrusted_server_cert", "untrusted_root_cert", True),
        ("untrusted_station_cert", "untrusted_root_cert", False),
        ("expired_server_cert", "csms_root_cert", True),
        ("expired_station_cert", "csms_root_cert", False),
    ],
)
def test_leaf_properties(pki: TestPki, cert_field: str, root_field: str, server: bool) -> None:
    cert, root = load(getattr(pki, cert_field)), load(getattr(pki, root_field))
    cert.verify_directly_issued_by(root)
    assert common_name(cert) == ("localhost" if server else STATION_ID)
    org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert org == "ocpp-harness"
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    expected = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    assert list(eku) == [expected]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    if server:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert san.get_values_for_type(x509.DNSName) == ["localhost"]
        assert san.get_values_for_type(x509.IPAddress) == [IPv4Address("127.0.0.1")]
    else:  # OCPP A00.FR.511: no SAN in station certificates
        with pytest.raises(x509.ExtensionNotFound):
            cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_validity_windows(pki: TestPki) -> None:
    now = datetime.now(UTC)
    for field in ("server_cert", "station_cert", "untrusted_server_cert"):
        cert = load(getattr(pki, field))
        assert cert.not_valid_before_utc <= now
        assert timedelta(days=364) < cert.not_valid_after_utc - now <= timedelta(days=365)
    for field in ("expired_server_cert", "expired_station_cert"):
        cert = load(getattr(pki, field))
        assert now - cert.not_valid_after_utc == pytest.approx(timedelta(days=1), abs=MINUTE)
        assert now - cert.not_valid_before_utc == pytest.approx(timedelta(days=30), abs=MINUTE)


def test_rfc5280_path_validation(pki: TestPki) -> None:
    """Check the chains with cryptography's own verifier, not only with OpenSSL."""
    builder = verification.PolicyBuilder().store(verification.Store([load(pki.csms_root_cert)]))
    builder = builder.time(datetime.now(UTC))
    server_verifier = builder.build_server_verifier(x509.DNSName("localhost"))
    chain = server_verifier.verify(load(pki.server_cert), [])
    assert [common_name(c) for c in chain] == ["localhost", "ocpp-harness CSMS root"]
    for field in ("expired_server_cert", "untrusted_server_cert", "station_cert"):
        with pytest.raises(verification.VerificationError):
            server_verifier.verify(load(getattr(pki, field)), [])
    if not hasattr(verification, "ExtensionPolicy"):
        pytest.skip("cryptography < 45 cannot verify a client certificate without SAN")
    ee_policy = verification.ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.SubjectAlternativeName, verification.Criticality.AGNOSTIC, None
    )
    client_verifier = builder.extension_policies(
        ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee_policy
    ).build_client_verifier()
    assert client_verifier.verify(load(pki.station_cert), []).chain[0] == load(pki.station_cert)
    for field in ("expired_station_cert", "untrusted_station_cert", "server_cert"):
        with pytest.raises(verification.VerificationError):
            client_verifier.verify(load(getattr(pki, field)), [])


def test_rsa_keys(tmp_path: Path) -> None:
    pki = generate_pki(tmp_path, STATION_ID, key_type="rsa")
    key = serialization.load_pem_private_key(pki.station_key.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    server = load(pki.server_cert)
    server.verify_directly_issued_by(load(pki.csms_root_cert))
    assert server.extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment


def test_unknown_key_type_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="key_type"):
        generate_pki(tmp_path, STATION_ID, key_type="dsa")


def snapshot(pki: TestPki) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in pki.files().items()}


def test_ensure_pki_reuses_matching_files(tmp_path: Path) -> None:
    first = ensure_pki(tmp_path, STATION_ID)
    before = snapshot(first)
    second = ensure_pki(tmp_path, STATION_ID)
    assert second == first
    assert snapshot(second) == before
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["station_id"] == STATION_ID


def test_ensure_pki_regenerates_for_another_station(tmp_path: Path) -> None:
    before = snapshot(ensure_pki(tmp_path, STATION_ID))
    other = ensure_pki(tmp_path, "CS-OTHER")
    assert common_name(load(other.station_cert)) == "CS-OTHER"
    assert snapshot(other)["csms_root_cert"] != before["csms_root_cert"]


@pytest.mark.parametrize("damage", ["delete", "tamper", "manifest"])
def test_ensure_pki_regenerates_damaged_files(tmp_path: Path, damage: str) -> None:
    pki = ensure_pki(tmp_path, STATION_ID)
    before = snapshot(pki)
    if damage == "delete":
        pki.station_key.unlink()
    elif damage == "tamper":
        pki.server_cert.write_bytes(before["untrusted_server_cert"])
    else:
        (tmp_path / MANIFEST_NAME).write_text("{not json")
    again = ensure_pki(tmp_path, STATION_ID)
    after = snapshot(again)
    assert after["csms_root_cert"] != before["csms_root_cert"]
    load(again.server_cert).verify_directly_issued_by(load(again.csms_root_cert))
