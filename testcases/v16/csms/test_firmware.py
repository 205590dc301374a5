"""OCPP 1.6 Firmware Management (incl. diagnostics), Central System under test.

The operator makes the Central System send UpdateFirmware / GetDiagnostics; the harness's
charge point checks the request against what was asked, then reports the progress as in the
sequences of errata 3.47 (firmware) and 3.31 (diagnostics), modelled on 2.0.1 Part 6
TC_L_01/07/09_CSMS. The Central System SHALL answer every status notification (§4.4, §4.5).
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import parse_timestamp, utc_timestamp
from harness.roles.station import StationEmulator

NEEDS = ("firmware_management",)
FIRMWARE_LOCATION = "ftp://127.0.0.1/firmware/harness-station-1.1.bin"
DIAGNOSTICS_LOCATION = "ftp://127.0.0.1/diagnostics/"
DIAGNOSTICS_FILE = "diagnostics-harness.zip"
#: Firmware version the emulated charge point reports after the update.
NEW_FIRMWARE = "1.1"


async def _notify(station: StationEmulator, check: Checks, action: str, status: str) -> None:
    """Send a Firmware/DiagnosticsStatusNotification.req; the Central System SHALL answer."""
    answer = await station.call(action, status=status)
    check.must(
        answer.ok,
        f"{action}.conf for status {status}: expected a CALLRESULT, saw {answer.describe()}",
        ref="1.6 §4.4" if action.startswith("Diagnostics") else "1.6 §4.5",
    )


async def _update_firmware(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Booted; UpdateFirmware.req with the location and retrieve date asked for (§5.19)."""
    await csms_v16.booted(station, dut, check)
    asked_date = utc_timestamp()
    request = await csms_v16.command(
        station, dut, "UpdateFirmware", {"location": FIRMWARE_LOCATION, "retrieveDate": asked_date}
    )
    check.equal(
        request.get("location"), FIRMWARE_LOCATION, "UpdateFirmware.req location", ref="1.6 §5.19"
    )
    retrieve = str(request.get("retrieveDate"))
    try:
        parse_timestamp(retrieve)
    except ValueError as bad:
        check.must(False, f"UpdateFirmware.req retrieveDate {retrieve!r}: {bad}", ref="1.6 §6.55")


@ocpp_case(
    "TC_044_1_CSMS",
    version="1.6",
    refs=("1.6 §5.19", "1.6 §4.5", "errata 3.47", "2.0.1 Part 6 TC_L_01_CSMS"),
    needs=NEEDS,
)
async def test_firmware_update(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Downloading, Downloaded, Installing, reboot (BootNotification Accepted), Installed."""
    await _update_firmware(station, dut, check)
    for status in ("Downloading", "Downloaded", "Installing"):
        await _notify(station, check, "FirmwareStatusNotification", status)
    await station.disconnect()
    await station.connect()
    boot = await station.boot(firmwareVersion=NEW_FIRMWARE)
    check.equal(boot.get("status"), "Accepted", "BootNotification.conf status after the update")
    await csms_v16.report_status(station, check, dut.connector_id(), "Available")
    await _notify(station, check, "FirmwareStatusNotification", "Installed")


@ocpp_case(
    "TC_044_2_CSMS",
    version="1.6",
    refs=("1.6 §5.19", "1.6 §4.5", "1.6 §7.25", "2.0.1 Part 6 TC_L_07_CSMS"),
    needs=NEEDS,
)
async def test_firmware_download_failed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Downloading, then DownloadFailed: both answered, the Central System goes on serving."""
    await _update_firmware(station, dut, check)
    for status in ("Downloading", "DownloadFailed"):
        await _notify(station, check, "FirmwareStatusNotification", status)
    await csms_v16.still_served(station, check, "FirmwareStatusNotification DownloadFailed")


@ocpp_case(
    "TC_044_3_CSMS",
    version="1.6",
    refs=("1.6 §5.19", "1.6 §4.5", "1.6 §7.25", "2.0.1 Part 6 TC_L_09_CSMS"),
    needs=NEEDS,
)
async def test_firmware_installation_failed(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Downloading, Downloaded, Installing, then InstallationFailed: all answered."""
    await _update_firmware(station, dut, check)
    for status in ("Downloading", "Downloaded", "Installing", "InstallationFailed"):
        await _notify(station, check, "FirmwareStatusNotification", status)
    await csms_v16.still_served(station, check, "FirmwareStatusNotification InstallationFailed")


async def _get_diagnostics(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Booted; GetDiagnostics.req to the location asked for, answered with a file name (§5.9)."""
    await csms_v16.booted(station, dut, check)
    request = await csms_v16.command(
        station,
        dut,
        "GetDiagnostics",
        {"location": DIAGNOSTICS_LOCATION},
        {"fileName": DIAGNOSTICS_FILE},
    )
    check.equal(
        request.get("location"), DIAGNOSTICS_LOCATION, "GetDiagnostics.req location", ref="1.6 §5.9"
    )


@ocpp_case(
    "TC_045_1_CSMS",
    version="1.6",
    refs=("1.6 §5.9", "1.6 §4.4", "errata 3.31"),
    needs=NEEDS,
)
async def test_get_diagnostics(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetDiagnostics, then DiagnosticsStatusNotification Uploading and Uploaded, answered."""
    await _get_diagnostics(station, dut, check)
    for status in ("Uploading", "Uploaded"):
        await _notify(station, check, "DiagnosticsStatusNotification", status)


@ocpp_case(
    "TC_045_2_CSMS",
    version="1.6",
    refs=("1.6 §5.9", "1.6 §4.4", "1.6 §7.23", "errata 3.31"),
    needs=NEEDS,
)
async def test_get_diagnostics_upload_failed(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """GetDiagnostics, Uploading, then UploadFailed: answered, the Central System goes on."""
    await _get_diagnostics(station, dut, check)
    for status in ("Uploading", "UploadFailed"):
        await _notify(station, check, "DiagnosticsStatusNotification", status)
    await csms_v16.still_served(station, check, "DiagnosticsStatusNotification UploadFailed")
