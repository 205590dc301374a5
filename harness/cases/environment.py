"""Set up what a case runs against: the emulator the harness plays, the DUT, its simulator.

For a station under test the harness listens as CSMS and (for the reference simulator)
launches the station pointed at it; for a CSMS under test it launches the reference CSMS (if
asked) and prepares the station emulator that will connect to it.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from harness.dut.backends import (
    ActionBackend,
    CommandBackend,
    OcttTriggerBackend,
    PromptBackend,
    RigBackend,
    SimControlBackend,
)
from harness.dut.device import Dut
from harness.dut.http_backend import HttpTemplateBackend
from harness.dut.profile_model import Backend, DutProfile, Role
from harness.ocppj.versions import OcppVersion
from harness.outcomes import EnvironmentFailure
from harness.roles.csms import CsmsEmulator
from harness.roles.peer import Peer
from harness.roles.station import StationEmulator
from harness.sim.launcher import SimProcess
from harness.transport.client import ClientSecurity
from harness.transport.pki import TestPki, ensure_pki
from harness.transport.pki_v2g import ensure_v2g_root
from harness.transport.server import ServerSecurity
from harness.transport.tls import (
    client_context_from_pki,
    invalid_server_context_from_pki,
    server_context_from_pki,
)
from harness.transport.wirelog import WireLog


@dataclass
class CaseEnvironment:
    """The emulator, the DUT facade and the simulator process of one case."""

    peer: Peer
    dut: Dut
    sim: SimProcess | None


def token_statuses(profile: DutProfile) -> dict[str, str]:
    """The authorization status each profile token must get from a conforming CSMS."""
    tokens = profile.tokens
    statuses = {
        tokens.valid: "Accepted",
        tokens.invalid: "Invalid",
        tokens.blocked: "Blocked",
        tokens.expired: "Expired",
    }
    if tokens.group:
        statuses[tokens.group] = "Accepted"
    for extra in (tokens.valid2, tokens.master_pass_token, tokens.emaid):
        if extra:
            statuses[extra] = "Accepted"
    return statuses


def token_groups(profile: DutProfile) -> dict[str, str]:
    """The group id token each profile token has at a conforming CSMS (2.0.1 C09, C16).

    `valid` and `valid2` share the group `group`; `master_pass_token` is in the master pass
    group `master_pass`.
    """
    tokens = profile.tokens
    groups = {}
    if tokens.group:
        groups[tokens.valid] = tokens.group
        if tokens.valid2:
            groups[tokens.valid2] = tokens.group
    if tokens.master_pass and tokens.master_pass_token:
        groups[tokens.master_pass_token] = tokens.master_pass
    return groups


def _backend(profile: DutProfile) -> ActionBackend:
    actions = profile.actions
    if actions.backend is Backend.SIM:
        if actions.control_url is None:
            raise EnvironmentFailure("backend sim needs [actions] control_url or [sim] launch")
        return SimControlBackend(actions.control_url)
    if actions.backend is Backend.COMMAND:
        return CommandBackend(actions.commands)
    if actions.backend is Backend.PROMPT:
        return PromptBackend(actions.countdown)
    if actions.backend is Backend.HTTP_OCTT and actions.base_url is not None:
        return OcttTriggerBackend(
            actions.base_url, profile.ocpp_version.value, profile.station_id
        )
    if actions.backend is Backend.HTTP:
        return HttpTemplateBackend(actions.http, actions.base_url, profile.station_id)
    return RigBackend()


def _upgrade_pki(profile: DutProfile, pki_root: Path) -> TestPki | None:
    """The PKI a profile 1 CSMS under test uses once a station is raised to TLS (A05).

    The DUT profile's own PKI if it names one; for the launched 2.0.1 reference CSMS, which
    then also listens with TLS (TC_A_19_CSMS), the generated test PKI.
    """
    if profile.security.pki is not None:
        return TestPki.at(profile.security.pki)
    if profile.launches_sim and profile.ocpp_version is OcppVersion.V201:
        return ensure_pki(pki_root / profile.station_id, profile.station_id)
    return None


def _pki(profile: DutProfile, pki_root: Path) -> TestPki | None:
    if profile.security.profile < 2:
        return None
    if profile.security.pki is not None:
        return TestPki.at(profile.security.pki)
    return ensure_pki(pki_root / profile.station_id, profile.station_id)


@contextlib.asynccontextmanager
async def case_environment(
    profile: DutProfile,
    wirelog: WireLog,
    *,
    faults: tuple[str, ...],
    artifacts: Path,
    pki_root: Path,
    virtual_rig: bool = False,
) -> AsyncIterator[CaseEnvironment]:
    """Build, yield and always tear down (bounded) the environment of one case.

    `virtual_rig`: launch the reference station with its virtual lab (`--virtual-rig`); the
    instruments' resources are then in `sim.ready["rig"]`.
    """
    pki = _pki(profile, pki_root)
    if pki is None and profile.role is Role.CSMS and profile.security.profile == 1:
        pki = _upgrade_pki(profile, pki_root)
    if profile.role is Role.STATION:
        built = _station_under_test(profile, wirelog, pki, faults, artifacts, virtual_rig)
    else:
        built = _csms_under_test(profile, wirelog, pki, faults, artifacts)
    async with built as environment:
        yield environment


@contextlib.asynccontextmanager
async def _station_under_test(
    profile: DutProfile,
    wirelog: WireLog,
    pki: TestPki | None,
    faults: tuple[str, ...],
    artifacts: Path,
    virtual_rig: bool = False,
) -> AsyncIterator[CaseEnvironment]:
    security = profile.security
    context: ssl.SSLContext | None = None
    invalid: ssl.SSLContext | None = None
    if pki is not None:
        context = server_context_from_pki(pki, mutual=security.profile == 3)
        invalid = invalid_server_context_from_pki(pki, mutual=security.profile == 3)
    csms = CsmsEmulator(
        profile.ocpp_version,
        wirelog,
        station_id=profile.station_id,
        call_timeout=profile.timeouts.call,
        tokens=token_statuses(profile),
        heartbeat_interval=int(profile.timeouts.heartbeat_interval),
        host=profile.connection.listen_host,
        port=profile.connection.listen_port,
        path=profile.connection.path,
        security=ServerSecurity(security.profile, security.password, context, invalid),
    )
    sim: SimProcess | None = None
    try:
        await csms.start()
        backend: ActionBackend
        if profile.launches_sim:
            sim = await _launch_station(profile, csms.url, pki, faults, artifacts, virtual_rig)
            backend = SimControlBackend(str(sim.ready["control_url"]))
        else:
            backend = _backend(profile)
        yield CaseEnvironment(csms, Dut(profile, backend, wirelog), sim)
    finally:
        await csms.aclose()
        if sim is not None:
            await sim.stop()


async def _launch_station(
    profile: DutProfile,
    url: str,
    pki: TestPki | None,
    faults: tuple[str, ...],
    artifacts: Path,
    virtual_rig: bool = False,
) -> SimProcess:
    args = [
        "station",
        *_common_args(profile, faults),
        "--csms-url",
        url.removesuffix(profile.station_id) + "{station_id}",
        "--station-id",
        profile.station_id,
        "--evses",
        str(len(profile.evses)),
        "--heartbeat-interval",
        f"{profile.timeouts.heartbeat_interval:g}",
        "--meter-interval",
        f"{profile.timeouts.meter_interval:g}",
    ]
    if profile.features.fixed_cable:
        args.append("--fixed-cable")
    if profile.features.power_backup:
        args.append("--power-backup")
    if virtual_rig:
        args.append("--virtual-rig")
    if not profile.features.reserve_connector_zero:
        args.append("--no-reserve-connector-zero")
    if profile.features.rejects_reservations:
        args.append("--reject-reservations")
    if pki is not None:
        args += ["--ca-cert", str(pki.csms_root_cert)]
        if profile.security.profile >= 2:
            # Profile 3 uses it from the start; profile 2 has it for an upgrade (A05).
            args += ["--client-cert", str(pki.station_cert), "--client-key", str(pki.station_key)]
    return await SimProcess.start(
        args, log_path=artifacts / "station-sim.log", ready_within=profile.timeouts.connect
    )


def _common_args(profile: DutProfile, faults: tuple[str, ...]) -> list[str]:
    """Simulator options both reference simulators take: version, security, faults."""
    args = ["--ocpp-version", profile.ocpp_version.value]
    args += ["--security-profile", str(profile.security.profile)]
    if profile.security.password:
        args += ["--password", profile.security.password]
    for fault in faults:
        args += ["--fault", fault]
    return args


@contextlib.asynccontextmanager
async def _csms_under_test(
    profile: DutProfile,
    wirelog: WireLog,
    pki: TestPki | None,
    faults: tuple[str, ...],
    artifacts: Path,
) -> AsyncIterator[CaseEnvironment]:
    security = profile.security
    sim: SimProcess | None = None
    try:
        if profile.launches_sim:
            sim = await _launch_csms(profile, pki, faults, artifacts)
            url_template = str(sim.ready["ws_url"]).rstrip("/") + "/{station_id}"
            trigger: ActionBackend = OcttTriggerBackend(
                str(sim.ready["api_url"]), profile.ocpp_version.value, profile.station_id
            )
        else:
            if profile.connection.url is None:
                raise EnvironmentFailure("the DUT profile gives no [connection] url")
            url_template = profile.connection.url
            trigger = _backend(profile)
        context: ssl.SSLContext | None = None
        if pki is not None:
            context = client_context_from_pki(pki, mutual=security.profile == 3)
        station = StationEmulator(
            profile.ocpp_version,
            wirelog,
            station_id=profile.station_id,
            url_template=url_template,
            call_timeout=profile.timeouts.call,
            open_timeout=profile.timeouts.connect,
            reconnect_delay=profile.connection.reconnect_delay,
            security=ClientSecurity(
                security.profile, profile.station_id, security.password, context
            ),
        )
        station.pki = pki
        dut = Dut(profile, trigger, wirelog)
        dut.trigger_backend = trigger
        try:
            yield CaseEnvironment(station, dut, sim)
        finally:
            await station.aclose()
    finally:
        if sim is not None:
            await sim.stop()


async def _launch_csms(
    profile: DutProfile, pki: TestPki | None, faults: tuple[str, ...], artifacts: Path
) -> SimProcess:
    args = [
        "csms",
        *_common_args(profile, faults),
        "--station",
        profile.station_id,
        "--heartbeat-interval",
        f"{int(profile.timeouts.heartbeat_interval)}",
        "--call-timeout",
        f"{profile.timeouts.call:g}",
    ]
    for token, status in token_statuses(profile).items():
        args += ["--token", f"{token}={status}"]
    for token, group in token_groups(profile).items():
        args += ["--token-group", f"{token}={group}"]
    if pki is not None:
        args += ["--server-cert", str(pki.server_cert), "--server-key", str(pki.server_key)]
        args += ["--ca-cert", str(pki.csms_root_cert)]
        args += ["--ca-key", str(pki.csms_root_key)]
        v2g = ensure_v2g_root(pki.directory)
        args += ["--v2g-ca-cert", str(v2g.cert), "--v2g-ca-key", str(v2g.key)]
        if profile.security.profile < 2 and profile.ocpp_version is OcppVersion.V201:
            args.append("--upgrade-listener")  # TLS for a station raised to 2/3 (A05)
    return await SimProcess.start(
        args, log_path=artifacts / "csms-sim.log", ready_within=profile.timeouts.connect
    )
