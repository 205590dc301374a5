"""Meter readings the emulated 2.0.1 station reports: sampled values, signed data, clock times.

J01/J02 (TC_J_*_CSMS, TC_E_11_CSMS): readings are fractional Wh like a real register, and
signed readings carry a real ECDSA signature over an OCMF-style payload.
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from harness.ocppj.clock import utc_timestamp

Payload = dict[str, Any]

#: The measurand of the energy register (the default measurand of a SampledValue).
REGISTER: Final = "Energy.Active.Import.Register"
SIGNING_METHOD: Final = "ECDSA-secp256r1-SHA256"


@dataclass
class EnergyMeter:
    """An import register in Wh that advances by `step_wh` with every reading."""

    register_wh: float = 1250.5
    step_wh: float = 37.25

    def read(self) -> float:
        """Advance the register and return the new reading."""
        self.register_wh = round(self.register_wh + self.step_wh, 2)
        return self.register_wh


class MeterSigner:
    """Sign readings with a throw-away P-256 key, as a signing meter does (J01.FR.21)."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        public = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(public).decode()

    def sign(self, value_wh: float, at: datetime, context: str) -> Payload:
        """A SignedMeterValueType for one reading: OCMF payload plus signature, base64."""
        reading = {"TM": utc_timestamp(at), "RV": value_wh, "RU": "Wh", "RX": context}
        data = json.dumps({"FV": "1.0", "RD": [reading]}, separators=(",", ":"))
        signature = self._key.sign(data.encode(), ec.ECDSA(hashes.SHA256()))
        meta = json.dumps({"SA": SIGNING_METHOD, "SD": signature.hex()}, separators=(",", ":"))
        text = f"OCMF|{data}|{meta}"
        return {
            "signedMeterData": base64.b64encode(text.encode()).decode(),
            "signingMethod": SIGNING_METHOD,
            "encodingMethod": "OCMF",
            "publicKey": self.public_key,
        }


def sampled(value: float, context: str, *, signed: Payload | None = None) -> Payload:
    """A SampledValueType of the energy register in Wh."""
    sample: Payload = {
        "value": value,
        "context": context,
        "measurand": REGISTER,
        "unitOfMeasure": {"unit": "Wh"},
    }
    if signed is not None:
        sample["signedMeterValue"] = signed
    return sample


def meter_value(
    value: float,
    context: str,
    *,
    at: datetime | None = None,
    signer: MeterSigner | None = None,
) -> Payload:
    """A MeterValueType holding one register reading (signed when a signer is given)."""
    moment = at or datetime.now(UTC)
    signed = signer.sign(value, moment, context) if signer is not None else None
    return {
        "timestamp": utc_timestamp(moment),
        "sampledValue": [sampled(value, context, signed=signed)],
    }


def contexts(meter_values: list[Payload]) -> list[str]:
    """The contexts of every sampled value, in order (for building and checking series)."""
    return [str(s.get("context")) for mv in meter_values for s in mv.get("sampledValue", [])]


async def next_aligned(interval: float) -> datetime:
    """Sleep until the next whole multiple of `interval` seconds (UTC) and return it.

    J01: clock-aligned readings fall on the interval boundaries; the sleep is at most one
    interval.
    """
    now = datetime.now(UTC).timestamp()
    boundary = math.floor(now / interval + 1) * interval
    await asyncio.sleep(max(0.0, boundary - now))
    return datetime.fromtimestamp(boundary, UTC)


def aligned_between(start: datetime, end: datetime, interval: float) -> list[datetime]:
    """The clock-aligned moments strictly after `start` and not after `end`."""
    first = math.floor(start.timestamp() / interval + 1) * interval
    moments: list[datetime] = []
    moment = datetime.fromtimestamp(first, UTC)
    while moment <= end and len(moments) < 1000:
        moments.append(moment)
        moment += timedelta(seconds=interval)
    return moments
