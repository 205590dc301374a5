"""OCPP 1.6 secure firmware update (security whitepaper ed. 3, L01) of the reference station.

SignedUpdateFirmware: the signing certificate must be valid now and issued by an installed
ManufacturerRootCertificate, else InvalidCertificate and an InvalidFirmwareSigningCertificate
security event (L01.FR.02, L01.FR.12). Accepted, then SignedFirmwareStatusNotification.req with
the requestId (L01.FR.01, L01.FR.10): Downloading, Downloaded (or DownloadFailed), the
signature check (SignatureVerified, or InvalidSignature plus an InvalidFirmwareSignature
security event, L01.FR.03), Installing once no transaction runs (L01.FR.06), InstallRebooting
(L01.FR.15), the reboot, and Installed after the accepted BootNotification.

Nothing is transferred. Locations follow `v16_firmware.reachable`; the simulated firmware file
is the UTF-8 bytes of its location URL, so a signature is valid when it is the base64 ECDSA
(P-256 keys) or RSA-PSS (RSA keys) SHA256 signature of those bytes by the signing
certificate's key (L01.FR.04).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from harness.ocppj.clock import parse_timestamp
from harness.sim.station.link import Answer, Payload
from harness.sim.station.v16_firmware import MAX_WAIT, STAGE, reachable

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]


def _signing_certificate(v: V16, pem: str) -> x509.Certificate | None:
    """The signing certificate when valid now and issued by a ManufacturerRootCertificate."""
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return None
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return None
    roots = [i.cert for i in v.certificates.installed if i.type == "ManufacturerRootCertificate"]
    for root in roots:
        try:
            cert.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return cert
    return None


def signature_valid(cert: x509.Certificate, signature: str, firmware: bytes) -> bool:
    """L01.FR.04: the signature over the firmware file with the signing certificate's key."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    key = cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, firmware, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
            key.verify(raw, firmware, pss, hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


async def signed_update_firmware(v: V16, p: Payload) -> Answer:
    """SignedUpdateFirmware (L01)."""
    station, firmware = v.station, p["firmware"]
    request_id = int(p["requestId"])
    location = str(firmware["location"])
    cert = _signing_certificate(v, str(firmware["signingCertificate"]))
    if cert is None:

        async def invalid_certificate() -> None:
            await v.security.event("InvalidFirmwareSigningCertificate", "SignedUpdateFirmware")

        return Answer({"status": "InvalidCertificate"}, then=invalid_certificate)

    async def notify(status: str) -> None:
        payload: Payload = {"status": status, "requestId": request_id}
        if v.config.fault("signed-firmware-request-id-missing"):
            del payload["requestId"]  # breaks L01.FR.10
        await station.send("SignedFirmwareStatusNotification", payload)

    async def run() -> None:
        retrieve = parse_timestamp(str(firmware["retrieveDateTime"]))
        delay = (retrieve - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(min(max(0.0, delay), MAX_WAIT))
        await notify("Downloading")
        attempts = max(1, int(p.get("retries", 1)))
        for attempt in range(attempts):
            await asyncio.sleep(STAGE)
            if reachable(location):
                break
            if attempt + 1 == attempts:
                await notify("DownloadFailed")
                return
            await asyncio.sleep(min(float(p.get("retryInterval", 1)), MAX_WAIT))
        await notify("Downloaded")
        valid = signature_valid(cert, str(firmware["signature"]), location.encode())
        if not valid and not v.config.fault("firmware-signature-not-verified"):
            await notify("InvalidSignature")  # L01.FR.03
            await v.security.event("InvalidFirmwareSignature", location[:255])
            return
        await notify("SignatureVerified")
        waited = 0.0
        while any(e.transaction is not None for e in station.evses.values()):
            if waited >= MAX_WAIT:
                break  # L01.FR.06, bounded
            await asyncio.sleep(STAGE)
            waited += STAGE
        await notify("Installing")
        await asyncio.sleep(STAGE)
        await notify("InstallRebooting")  # L01.FR.15
        await station.reboot("FirmwareUpdate", cause="Reboot", close_frame=True)
        waited = 0.0
        while not station.accepted and waited < MAX_WAIT:
            await asyncio.sleep(0.05)
            waited += 0.05
        await notify("Installed")

    return Answer({"status": "Accepted"}, then=run)


SIGNED_FIRMWARE_COMMANDS: dict[str, Command] = {"SignedUpdateFirmware": signed_update_firmware}
