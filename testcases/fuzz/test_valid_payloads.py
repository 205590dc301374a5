"""Valid-payload fuzzing: every action the DUT must handle, with schema-valid CALLs.

After the Booted state, the harness sends CALLs drawn from the official schemas
(harness/fuzz/strategies.py) for every action its role initiates; each must be answered within
the call timeout by a schema-valid CALLRESULT or an allowed CALLERROR (NotImplemented /
NotSupported; harness/fuzz/fuzzing_oracle.py), and the connection must stay up. A failure is
shrunk by Hypothesis and reported as the minimal failing exchange (frames) with its seed;
`fuzz-valid-payloads.json` in the case's artifacts has every detail. The size of the run is the
fuzz profile (`--ocpp-fuzz-profile` ci / lab / soak, harness/fuzz/settings.py).
"""

from __future__ import annotations

import random
from pathlib import Path

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.states import csms_v16, csms_v201, station_v16, station_v201
from harness.dut.device import Dut
from harness.fuzz.fuzzing import ValidPayloadFuzzer
from harness.fuzz.fuzzing_actions import RESTART_CAPABLE, sent_by
from harness.fuzz.fuzzing_report import record
from harness.fuzz.settings import fuzz_profile, time_budget
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator

TITLE = "Property-based fuzzing - schema-valid CALLs get valid answers"
REFS_16 = ("OCPP-J 1.6 §4.2.3", "1.6 §4", "1.6 §5")
REFS_201 = ("OCPP-J 2.0.1 Part 4 §4.3", "Part 4 §4.1.1")


def _seed(profile_seed: int | None) -> int:
    """The profile's fixed seed (ci), else a fresh one, recorded in the report."""
    return profile_seed if profile_seed is not None else random.SystemRandom().getrandbits(32)


async def _fuzz_station(
    csms: CsmsEmulator, dut: Dut, check: Checks, artifacts: Path, profile_name: str, case_id: str
) -> None:
    """Fuzz a station under test with every CSMS-initiated action."""
    version = dut.profile.ocpp_version
    if version is OcppVersion.V16:
        await station_v16.idle(csms, dut)
    else:
        await station_v201.idle(csms, dut)
    profile = fuzz_profile(profile_name)
    within = dut.timeouts.connect + dut.timeouts.boot

    async def reconnect() -> None:
        await csms.wait_connected(within=within)

    fuzzer = ValidPayloadFuzzer(
        csms,
        actions=sent_by(version, "csms"),
        profile=profile,
        seed=_seed(profile.seed),
        budget=time_budget(profile, dut.timeouts.case),
        reconnect=reconnect,
        reconnect_within=within,
        restart_capable=RESTART_CAPABLE[version],
    )
    run = await fuzzer.run()
    ref = REFS_16[0] if version is OcppVersion.V16 else REFS_201[0]
    record(run, check, artifacts, case_id, ref)


async def _fuzz_csms(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    artifacts: Path,
    profile_name: str,
    case_id: str,
) -> None:
    """Fuzz a CSMS under test with every station-initiated action."""
    version = dut.profile.ocpp_version
    booted = csms_v16.booted if version is OcppVersion.V16 else csms_v201.booted
    await booted(station, dut, check)
    profile = fuzz_profile(profile_name)

    async def reconnect() -> None:
        await station.connect()
        await booted(station, dut, check)

    fuzzer = ValidPayloadFuzzer(
        station,
        actions=sent_by(version, "station"),
        profile=profile,
        seed=_seed(profile.seed),
        budget=time_budget(profile, dut.timeouts.case),
        reconnect=reconnect,
        reconnect_within=dut.timeouts.connect + dut.timeouts.call,
    )
    run = await fuzzer.run()
    ref = REFS_16[0] if version is OcppVersion.V16 else REFS_201[0]
    record(run, check, artifacts, case_id, ref)


@harness_case(
    "FUZZ_16_CS_valid_payloads",
    version="1.6",
    dut_role="station",
    title=TITLE,
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_16,
)
async def test_fuzz_16_station(
    csms: CsmsEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Every Central System operation (1.6 §5), schema-valid payloads."""
    await _fuzz_station(csms, dut, check, artifacts, ocpp_fuzz_profile, "FUZZ_16_CS_valid_payloads")


@harness_case(
    "FUZZ_201_CS_valid_payloads",
    version="2.0.1",
    dut_role="station",
    title=TITLE,
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_201,
)
async def test_fuzz_201_station(
    csms: CsmsEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Every CSMS-initiated message, schema-valid payloads."""
    await _fuzz_station(
        csms, dut, check, artifacts, ocpp_fuzz_profile, "FUZZ_201_CS_valid_payloads"
    )


@harness_case(
    "FUZZ_16_CSMS_valid_payloads",
    version="1.6",
    dut_role="csms",
    title=TITLE,
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_16,
)
async def test_fuzz_16_csms(
    station: StationEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Every Charge Point operation (1.6 §4), schema-valid payloads."""
    await _fuzz_csms(
        station, dut, check, artifacts, ocpp_fuzz_profile, "FUZZ_16_CSMS_valid_payloads"
    )


@harness_case(
    "FUZZ_201_CSMS_valid_payloads",
    version="2.0.1",
    dut_role="csms",
    title=TITLE,
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_201,
)
async def test_fuzz_201_csms(
    station: StationEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Every station-initiated message, schema-valid payloads."""
    await _fuzz_csms(
        station, dut, check, artifacts, ocpp_fuzz_profile, "FUZZ_201_CSMS_valid_payloads"
    )
