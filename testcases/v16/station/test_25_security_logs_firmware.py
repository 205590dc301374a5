"""OCPP 1.6 Security (25), charge point under test: security log upload and signed firmware.

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of
the same purpose (N log upload, L secure firmware update; named in its docstring), translated
to GetLog / LogStatusNotification and SignedUpdateFirmware / SignedFirmwareStatusNotification
of the 1.6 security whitepaper (edition 3).

Locations follow the reference station's conventions (harness/sim/station/v16_firmware.py,
v16_logs.py, v16_signed_firmware.py); a lab points them at its own file server.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.csms import CsmsEmulator
from testcases.v16.station.security_steps import certificate_installed, issue, new_ca, sign_bytes

LOG_URL = "ftp://logs.example.com/ocpp-harness/"
#: requestId of the GetLog.req (any integer; the notifications must repeat it).
LOG_REQUEST_ID = 2501


@ocpp_case(
    "TC_079_CS",
    version="1.6",
    refs=("N01.FR.01", "N01.FR.03", "N01.FR.07", "N01.FR.08", "N01.FR.09", "2.0.1 TC_N_35_CS"),
)
async def test_get_security_log(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """GetLog SecurityLog Accepted; LogStatusNotification Uploading, Uploaded, same requestId."""
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    outcome = await csms.call(
        "GetLog",
        logType="SecurityLog",
        requestId=LOG_REQUEST_ID,
        log={"remoteLocation": LOG_URL},
        retries=1,
    )
    check.equal(outcome.get("status"), "Accepted", "GetLog.conf status", ref="N01.FR.01")
    check.must(outcome.get("filename"), "GetLog.conf names the file", ref="N01.FR.01")
    for status in ("Uploading", "Uploaded"):
        message = await csms.expect(
            "LogStatusNotification",
            where={"status": status},
            within=dut.timeouts.action,
            since=mark,
        )
        check.equal(
            message.get("requestId"),
            LOG_REQUEST_ID,
            f"LogStatusNotification.req ({status}) requestId",
            ref="N01.FR.07",
        )
        mark = message.at


FIRMWARE_URL = "ftp://firmware.example.com/ocpp-harness/signed-firmware-1.0.1.bin"
#: requestId of the SignedUpdateFirmware.req.
FIRMWARE_REQUEST_ID = 2502
SIGNED = "SignedFirmwareStatusNotification"


async def _signed_update(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, valid_signature: bool
) -> float:
    """Install a ManufacturerRootCertificate, then SignedUpdateFirmware.req Accepted (L01).

    The firmware image is the reference station's simulated file (the location's bytes, see
    v16_signed_firmware.py); a lab uses its manufacturer's signed image instead.
    """
    await station_v16.idle(csms, dut)
    root = new_ca("Harness ManufacturerRootCertificate")
    await certificate_installed(csms, check, "ManufacturerRootCertificate", root)
    signer = issue(root, "Harness firmware signing")
    signature = sign_bytes(signer, FIRMWARE_URL.encode())
    if not valid_signature:
        signature = sign_bytes(signer, b"some other firmware image")
    mark = csms.wirelog.now()
    outcome = await csms.call(
        "SignedUpdateFirmware",
        requestId=FIRMWARE_REQUEST_ID,
        retries=1,
        firmware={
            "location": FIRMWARE_URL,
            "retrieveDateTime": utc_timestamp(),
            "signingCertificate": signer.pem,
            "signature": signature,
        },
    )
    check.equal(outcome.get("status"), "Accepted", "SignedUpdateFirmware.conf status")
    return mark


async def _statuses(
    csms: CsmsEmulator, dut: Dut, check: Checks, expected: list[str], since: float
) -> float:
    """SignedFirmwareStatusNotification.req in order, each with the requestId (L01.FR.10)."""
    for status in expected:
        message = await csms.expect(
            SIGNED, where={"status": status}, within=dut.timeouts.action, since=since
        )
        check.equal(
            message.get("requestId"),
            FIRMWARE_REQUEST_ID,
            f"{SIGNED}.req ({status}) requestId",
            ref="L01.FR.10",
        )
        since = message.at
    return since


@ocpp_case(
    "TC_080_CS",
    version="1.6",
    refs=("L01.FR.01", "L01.FR.04", "L01.FR.10", "L01.FR.15", "2.0.1 Part 6 TC_L_01_CS"),
    needs=("firmware_management",),
)
async def test_secure_firmware_update(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Downloading, Downloaded, SignatureVerified, Installing, boot, Installed (TC_L_01_CS)."""
    mark = await _signed_update(csms, dut, check, valid_signature=True)
    mark = await _statuses(
        csms, dut, check, ["Downloading", "Downloaded", "SignatureVerified", "Installing"], mark
    )
    boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=mark)
    await _statuses(csms, dut, check, ["Installed"], boot.at)


@ocpp_case(
    "TC_081_CS",
    version="1.6",
    refs=("L01.FR.03", "L01.FR.04", "L01.FR.10", "2.0.1 Part 6 TC_L_06_CS"),
    needs=("firmware_management",),
)
async def test_secure_firmware_update_invalid_signature(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """A signature that does not verify: InvalidSignature and InvalidFirmwareSignature event."""
    mark = await _signed_update(csms, dut, check, valid_signature=False)
    mark = await _statuses(
        csms, dut, check, ["Downloading", "Downloaded", "InvalidSignature"], mark
    )
    event = await csms.expect("SecurityEventNotification", within=dut.timeouts.call, since=mark)
    check.equal(
        event.get("type"),
        "InvalidFirmwareSignature",
        "SecurityEventNotification type",
        ref="L01.FR.03",
    )
    await csms.expect_none(
        SIGNED, during=station_v16.quiet_window(dut) / 4, where={"status": "Installing"}
    )
