"""Declare the NEG_ case families: one case per (version, DUT role, action), one framing case.

Ids: `NEG_<16|201>_<CS|CSMS>_<Action>` for the payload mutations of one action the DUT
receives (harness/fuzz/negative_actions.py), `NEG_<16|201>_<CS|CSMS>_framing` for the RPC
framework mutations. Each case is one pytest instance that sends all its mutations and records
one named check per answer (see testcases/negative/__init__.py for why not one instance per
mutation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.dut.device import Dut
from harness.fuzz.negative_actions import case_id, handled_by, needs_for
from harness.fuzz.negative_cases import against_csms, against_station
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator

PROFILE: Final = "Negative conformance"

CaseRunner = Callable[..., None]


def _refs(version: OcppVersion, action: str | None) -> tuple[str, ...]:
    if version is OcppVersion.V16:
        if action is None:
            return ("OCPP-J 1.6 §4.1.1", "§4.1.3", "§4.1.4", "§4.2.1", "§4.2.3")
        return ("OCPP-J 1.6 §4.2.3",)
    if action is None:
        return ("OCPP 2.0.1 Part 4 §4.1.1", "§4.1.3", "§4.1.4", "§4.2.3", "§4.3", "§4.4")
    return ("OCPP 2.0.1 Part 4 §4.2.3", "§4.3")


def declare(version: OcppVersion, dut_role: str, action: str | None, module: str) -> CaseRunner:
    """The pytest function of one negative case (`action` None: the framing case)."""
    identifier = case_id(version, dut_role, action)
    if action is None:
        title = "Broken RPC frames get the RPC framework's answer"
        section = "Negative: RPC framing"
    else:
        title = f"Malformed {action} requests get the matching CALLERROR"
        section = "Negative: malformed payloads"
    body: Callable[..., Any]
    if dut_role == "station":

        async def station_dut(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
            await against_station(csms, dut, check, action)

        body = station_dut
    else:

        async def csms_dut(station: StationEmulator, dut: Dut, check: Checks) -> None:
            await against_csms(station, dut, check, action)

        body = csms_dut
    body.__name__ = body.__qualname__ = f"test_{identifier.lower()}"
    body.__module__ = module
    body.__doc__ = f"{title} ({', '.join(_refs(version, action))})."
    decorate = harness_case(
        identifier,
        version=version.value,
        dut_role=dut_role,
        title=title,
        section=section,
        profile=PROFILE,
        refs=_refs(version, action),
        needs=needs_for(action) if action else (),
    )
    return decorate(body)


def family(version: OcppVersion, dut_role: str, module: str) -> dict[str, CaseRunner]:
    """Every case of one version and DUT role, by function name, framing case first."""
    cases = [declare(version, dut_role, None, module)]
    cases += [declare(version, dut_role, a, module) for a in handled_by(version, dut_role)]
    return {case.__name__: case for case in cases}
