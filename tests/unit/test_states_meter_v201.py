"""Meter readings the emulated 2.0.1 station reports (harness/cases/states/meter_v201.py)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from harness.cases.states.meter_v201 import (
    EnergyMeter,
    MeterSigner,
    aligned_between,
    contexts,
    meter_value,
)


def test_signed_reading_verifies_with_its_public_key() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    signed = MeterSigner().sign(1234.5, at, "Transaction.End")
    assert signed["encodingMethod"] == "OCMF"
    assert signed["signingMethod"] == "ECDSA-secp256r1-SHA256"
    text = base64.b64decode(signed["signedMeterData"]).decode()
    prefix, data, meta = text.split("|")
    assert prefix == "OCMF"
    assert json.loads(data)["RD"] == [
        {"TM": "2026-01-02T03:04:05.000Z", "RV": 1234.5, "RU": "Wh", "RX": "Transaction.End"}
    ]
    key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
    assert isinstance(key, ec.EllipticCurvePublicKey)
    signature = bytes.fromhex(json.loads(meta)["SD"])
    key.verify(signature, data.encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


def test_register_advances_in_fractional_steps() -> None:
    meter = EnergyMeter()
    readings = [meter.read() for _ in range(3)]
    assert readings == [1287.75, 1325.0, 1362.25]


def test_meter_value_carries_context_and_optional_signature() -> None:
    plain = meter_value(10.5, "Sample.Clock")
    assert contexts([plain]) == ["Sample.Clock"]
    assert "signedMeterValue" not in plain["sampledValue"][0]
    signed = meter_value(10.5, "Sample.Clock", signer=MeterSigner())
    assert set(signed["sampledValue"][0]["signedMeterValue"]) == {
        "signedMeterData",
        "signingMethod",
        "encodingMethod",
        "publicKey",
    }


def test_aligned_moments_fall_on_interval_boundaries() -> None:
    start = datetime(2026, 1, 1, 0, 0, 0, 400_000, tzinfo=UTC)
    moments = aligned_between(start, start + timedelta(seconds=3), 1.0)
    assert [m.second for m in moments] == [1, 2, 3]
    assert all(m.microsecond == 0 for m in moments)
