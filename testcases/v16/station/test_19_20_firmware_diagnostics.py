"""OCPP 1.6 Firmware Management, charge point under test (1.6 catalog sections 19, 20).

The 1.6 compliance document is not public: the cases follow the 2.0.1 Part 6 L (firmware) and
N (log upload) cases of the same purpose, translated to UpdateFirmware / GetDiagnostics with
their status notifications (1.6 §4.4, §4.5, §5.9, §5.19, errata 3.12, 3.31, 3.47).

The locations follow the reference station's documented conventions (harness/sim/station/
v16_firmware.py): a `.invalid` host is unreachable, a file named `corrupt...` fails to install.
A lab points these at its own file server.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

FIRMWARE_URL = "ftp://firmware.example.com/ocpp-harness/firmware-1.0.1.bin"
CORRUPT_FIRMWARE_URL = "ftp://firmware.example.com/ocpp-harness/corrupt-firmware-1.0.1.bin"
DIAGNOSTICS_URL = "ftp://diagnostics.example.com/ocpp-harness/"
UNREACHABLE_URL = "ftp://unreachable.invalid/ocpp-harness/"

FW = ("firmware_management",)
FIRMWARE = "FirmwareStatusNotification"
DIAGNOSTICS = "DiagnosticsStatusNotification"
#: Statuses that end a firmware update attempt, and how far it got before.
FIRMWARE_OUTCOMES = ("DownloadFailed", "InstallationFailed", "Installed")


def _status_in(*statuses: str) -> dict[str, object]:
    return {"status": lambda value: value in statuses}


async def _update(csms: CsmsEmulator, check: Checks, location: str) -> float:
    """UpdateFirmware.req retrieveDate now, one attempt; the conf is empty (§5.19, §6.48)."""
    mark = csms.wirelog.now()
    payload = {"location": location, "retrieveDate": utc_timestamp(), "retries": 1}
    outcome = await csms.call("UpdateFirmware", payload)
    check.must(
        outcome.payload is not None, f"UpdateFirmware.conf: {outcome.describe()}", ref="§5.19"
    )
    return mark


async def _statuses_until_outcome(
    csms: CsmsEmulator, dut: Dut, action: str, outcomes: tuple[str, ...], since: float
) -> tuple[list[str], Message]:
    """Status notifications of `action` up to the first of `outcomes`, each bounded."""
    seen: list[str] = []
    while True:
        message = await csms.expect(action, within=dut.timeouts.action, since=since)
        seen.append(str(message["status"]))
        since = message.at
        if seen[-1] in outcomes:
            return seen, message


@ocpp_case(
    "TC_044_1_CS",
    version="1.6",
    refs=("1.6 §4.5", "1.6 §5.19", "1.6 errata 3.47"),
    needs=FW,
)
async def test_firmware_update(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Downloading, Downloaded, Installing, reboot and Installed (TC_L_01 without signature)."""
    await station_v16.idle(csms, dut)
    mark = await _update(csms, check, FIRMWARE_URL)
    seen: list[str] = []
    for status in ("Downloading", "Downloaded", "Installing"):
        message = await csms.expect(
            FIRMWARE,
            where=_status_in(status, *FIRMWARE_OUTCOMES),
            within=dut.timeouts.action,
            since=mark,
        )
        seen.append(str(message["status"]))
        mark = message.at
    expected = ["Downloading", "Downloaded", "Installing"]
    if not check.equal(seen, expected, "firmware statuses", ref="1.6 §5.19, errata 3.47"):
        return
    first = await csms.expect_any(
        [("BootNotification", None), (FIRMWARE, {"status": "Installed"})],
        within=dut.timeouts.action + dut.timeouts.boot,
        since=mark,
    )
    if first.action == "BootNotification":  # automatic reboot: Installed after the boot
        await csms.expect(
            FIRMWARE, where={"status": "Installed"}, within=dut.timeouts.boot, since=first.at
        )
        return
    reset = await csms.call("Reset", {"type": "Hard"})  # manual reboot after Installed
    check.equal(reset.get("status"), "Accepted", "Reset.conf after Installed", ref="§5.19")
    await csms.expect("BootNotification", within=dut.timeouts.boot, since=first.at)


@ocpp_case("TC_044_2_CS", version="1.6", refs=("1.6 §4.5", "1.6 §5.19"), needs=FW)
async def test_firmware_download_failed(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """An unreachable location: DownloadFailed, nothing installed (TC_L_07 DownloadFailed)."""
    await station_v16.idle(csms, dut)
    mark = await _update(csms, check, UNREACHABLE_URL + "firmware-1.0.1.bin")
    seen, _ = await _statuses_until_outcome(csms, dut, FIRMWARE, FIRMWARE_OUTCOMES, mark)
    check.equal(seen[-1], "DownloadFailed", f"outcome of the update ({seen})", ref="1.6 §4.5")
    check.must(
        set(seen) <= {"Downloading", "DownloadFailed"},
        f"nothing downloaded or installed before DownloadFailed: {seen}",
        ref="1.6 §5.19",
    )


@ocpp_case("TC_044_3_CS", version="1.6", refs=("1.6 §4.5", "1.6 §5.19"), needs=FW)
async def test_firmware_installation_failed(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """A firmware that does not install: Installing, then InstallationFailed (TC_L_08)."""
    await station_v16.idle(csms, dut)
    mark = await _update(csms, check, CORRUPT_FIRMWARE_URL)
    seen, _ = await _statuses_until_outcome(csms, dut, FIRMWARE, FIRMWARE_OUTCOMES, mark)
    check.equal(
        seen,
        ["Downloading", "Downloaded", "Installing", "InstallationFailed"],
        "firmware statuses of a failing installation",
        ref="1.6 §5.19, errata 3.47",
    )


async def _diagnostics(csms: CsmsEmulator, check: Checks, location: str) -> tuple[float, str]:
    """GetDiagnostics.req for the last hour, one attempt; return the mark and the fileName."""
    mark = csms.wirelog.now()
    outcome = await csms.call("GetDiagnostics", {"location": location, "retries": 1})
    check.must(
        outcome.payload is not None, f"GetDiagnostics.conf: {outcome.describe()}", ref="§5.9"
    )
    return mark, str(outcome.get("fileName") or "")


@ocpp_case("TC_045_1_CS", version="1.6", refs=("1.6 §4.4", "1.6 §5.9", "1.6 errata 3.31"), needs=FW)
async def test_get_diagnostics(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """GetDiagnostics: a fileName, then Uploading and Uploaded (TC_N_25 diagnostics log)."""
    await station_v16.idle(csms, dut)
    mark, name = await _diagnostics(csms, check, DIAGNOSTICS_URL)
    check.must(name, "GetDiagnostics.conf names the file it uploads (fileName)", ref="1.6 §6.26")
    seen, _ = await _statuses_until_outcome(
        csms, dut, DIAGNOSTICS, ("Uploaded", "UploadFailed"), mark
    )
    check.equal(seen, ["Uploading", "Uploaded"], "diagnostics statuses", ref="1.6 errata 3.31")


@ocpp_case("TC_045_2_CS", version="1.6", refs=("1.6 §4.4", "1.6 §5.9"), needs=FW)
async def test_get_diagnostics_upload_failed(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """An unreachable location: Uploading, then UploadFailed (TC_N_26 upload failed)."""
    await station_v16.idle(csms, dut)
    mark, _ = await _diagnostics(csms, check, UNREACHABLE_URL)
    seen, _ = await _statuses_until_outcome(
        csms, dut, DIAGNOSTICS, ("Uploaded", "UploadFailed"), mark
    )
    check.equal(seen[-1], "UploadFailed", f"outcome of the upload ({seen})", ref="1.6 §4.4")
