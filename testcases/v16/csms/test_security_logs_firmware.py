"""OCPP 1.6 Security (whitepaper ed. 3), CSMS under test: security log and signed firmware.

The 1.6 compliance document is not public: TC_079 follows 2.0.1 Part 6 TC_N_35_CSMS (GetLog
SecurityLog), TC_080/081 follow TC_L_01/TC_L_06_CSMS (secure firmware update), translated to
the whitepaper's GetLog / LogStatusNotification (N01) and SignedUpdateFirmware /
SignedFirmwareStatusNotification (L01).
"""

from __future__ import annotations

from typing import Any

from cryptography import x509

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator
from testcases.v16.station.security_steps import TestCa, issue, new_ca, sign_bytes

LOG_URL = "ftp://logs.example.com/ocpp-harness/"
FIRMWARE_URL = "ftp://firmware.example.com/ocpp-harness/signed-firmware-1.0.1.bin"
SIGNED = "SignedFirmwareStatusNotification"


async def _notified(
    station: StationEmulator, check: Checks, action: str, payload: dict[str, Any], ref: str
) -> None:
    """Send a status notification; the CSMS answers it with a CALLRESULT."""
    answer = await station.call(action, payload)
    check.must(
        answer.ok,
        f"{action}.conf for status {payload.get('status')}: expected a CALLRESULT, saw "
        f"{answer.describe()}",
        ref=ref,
    )


@ocpp_case(
    "TC_079_CSMS",
    version="1.6",
    refs=("N01.FR.01", "N01.FR.07", "N01.FR.08", "N01.FR.09", "2.0.1 TC_N_35_CSMS"),
)
async def test_get_security_log(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetLog SecurityLog; Uploading and Uploaded with its requestId are confirmed (TC_N_35)."""
    await csms_v16.booted(station, dut, check)
    request = {"logType": "SecurityLog", "requestId": 7901, "log": {"remoteLocation": LOG_URL}}
    answer = {"status": "Accepted", "filename": "security-log.txt"}
    sent = await csms_v16.command(station, dut, "GetLog", request, answer)
    check.equal(sent.get("logType"), "SecurityLog", "GetLog.req logType", ref="TC_N_35_CSMS")
    location = (sent.get("log") or {}).get("remoteLocation")
    check.equal(location, LOG_URL, "GetLog.req log.remoteLocation", ref="N01")
    request_id = sent.get("requestId")
    for status in ("Uploading", "Uploaded"):
        payload = {"status": status, "requestId": request_id}
        await _notified(station, check, "LogStatusNotification", payload, "N01.FR.08/09")


async def _signed_update(station: StationEmulator, dut: Dut, check: Checks, *, valid: bool) -> int:
    """Have the CSMS send SignedUpdateFirmware.req; validate it (L01.FR.11, TC_L_01_CSMS step 1).

    The signature is the signing key's over the location's bytes (the reference station's
    simulated image); for TC_081 it is over other bytes, which the charge point will find.
    """
    await csms_v16.booted(station, dut, check)
    signer: TestCa = issue(new_ca("Harness ManufacturerRootCertificate"), "Harness signing")
    signature = sign_bytes(signer, FIRMWARE_URL.encode() if valid else b"another image")
    firmware = {
        "location": FIRMWARE_URL,
        "retrieveDateTime": utc_timestamp(),
        "signingCertificate": signer.pem,
        "signature": signature,
    }
    asked_id = 8001 if valid else 8101
    request = {"requestId": asked_id, "retries": 1, "firmware": firmware}
    sent = await csms_v16.command(
        station, dut, "SignedUpdateFirmware", request, {"status": "Accepted"}
    )
    got = sent.get("firmware") or {}
    text = str(got.get("signingCertificate", ""))
    try:
        certificate = x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        certificate = None
    check.must(
        certificate is not None and certificate == signer.cert,
        f"SignedUpdateFirmware.req signingCertificate: expected the configured PEM certificate "
        f"{signer.cert.subject.rfc4514_string()}, saw {text[:80]!r}",
        ref="L01.FR.11, A00.FR.507",
    )
    check.equal(got.get("signature"), signature, "SignedUpdateFirmware.req signature", ref="L01")
    check.equal(got.get("location"), FIRMWARE_URL, "SignedUpdateFirmware.req location", ref="L01")
    request_id = sent.get("requestId")  # schema: integer; the notifications repeat it
    return request_id if isinstance(request_id, int) else asked_id


@ocpp_case(
    "TC_080_CSMS",
    version="1.6",
    refs=("L01.FR.01", "L01.FR.10", "L01.FR.11", "L01.FR.15", "2.0.1 TC_L_01_CSMS"),
    needs=("firmware_management",),
)
async def test_secure_firmware_update(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Statuses to InstallRebooting, reboot and boot Accepted, then Installed (TC_L_01_CSMS)."""
    request_id = await _signed_update(station, dut, check, valid=True)
    for status in ("Downloading", "Downloaded", "SignatureVerified", "Installing"):
        await _notified(station, check, SIGNED, {"status": status, "requestId": request_id}, "L01")
    await _notified(
        station, check, SIGNED, {"status": "InstallRebooting", "requestId": request_id}, "L01.FR.15"
    )
    await station.disconnect()
    await csms_v16.booted(station, dut, check)  # TC_L_01_CSMS step 14: Accepted
    await _notified(station, check, SIGNED, {"status": "Installed", "requestId": request_id}, "L01")


@ocpp_case(
    "TC_081_CSMS",
    version="1.6",
    refs=("L01.FR.01", "L01.FR.03", "L01.FR.11", "A04.FR.03", "2.0.1 TC_L_06_CSMS"),
    needs=("firmware_management",),
)
async def test_secure_firmware_update_invalid_signature(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Downloading, Downloaded, InvalidSignature and the InvalidFirmwareSignature event."""
    request_id = await _signed_update(station, dut, check, valid=False)
    for status in ("Downloading", "Downloaded", "InvalidSignature"):
        await _notified(station, check, SIGNED, {"status": status, "requestId": request_id}, "L01")
    event = {"type": "InvalidFirmwareSignature", "timestamp": utc_timestamp()}
    answer = await station.call("SecurityEventNotification", event)
    check.must(
        answer.ok,
        f"SecurityEventNotification.conf for InvalidFirmwareSignature: expected a CALLRESULT, "
        f"saw {answer.describe()}",
        ref="A04.FR.03",
    )
