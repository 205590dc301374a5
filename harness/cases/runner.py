"""Run one case: environment, body, verdict, record. Nothing a DUT does can hang or crash it."""

from __future__ import annotations

import asyncio
import inspect
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.cases.checks import Checks
from harness.cases.environment import CaseEnvironment, case_environment
from harness.cases.model import CaseFunction, CaseSpec
from harness.cases.rig_attach import rig_for_case, rig_not_applicable, uses_bench
from harness.dut.profile_model import ACTIONS, FEATURES, DutProfile
from harness.ocppj.clock import utc_timestamp
from harness.outcomes import EnvironmentFailure, ExpectationFailed, NotApplicable
from harness.report.record import CaseRecord, CheckResult, verdict_from
from harness.report.run import RunReport
from harness.rig.model import RigDescription
from harness.sim.faults import faults_for
from harness.transport.wirelog import WireLog


@dataclass
class RunSettings:
    """What every case of a run shares."""

    profiles: dict[tuple[str, str], list[DutProfile]]
    report: RunReport
    strict: bool = False
    faults: tuple[str, ...] = ()
    pki_root: Path = field(default_factory=lambda: Path("reports") / ".pki")
    rig: RigDescription | None = None  # --ocpp-rig, validated at session start


@dataclass
class _Outcome:
    checks: Checks
    deviations: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inconclusive: str | None = None
    not_applicable: str | None = None
    details: list[str] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)


def missing_need(profile: DutProfile, needs: tuple[str, ...]) -> str | None:
    """The N/A reason when the DUT lacks a feature or action the case needs."""
    for need in needs:
        if need.startswith("not:") and need[4:] in FEATURES:
            if profile.features.has(need[4:]):
                return f"DUT profile: [features] {need[4:]} = true; the case is for DUTs without it"
        elif need in FEATURES:
            reason = profile.features.absent_reason(need)
            if reason is not None:
                return reason
        elif need not in ACTIONS:
            raise ValueError(f"unknown need {need!r}; known: {', '.join([*FEATURES, *ACTIONS])}")
    return None


def choose_profile(candidates: list[DutProfile], spec: CaseSpec) -> DutProfile | None:
    """The profile a case runs against: the lowest security profile the case accepts.

    Among those, the first (in the order given) whose features the case needs; when none has
    them, the first, so the case reports N/A with the reason.
    """
    accepted = [
        p
        for p in candidates
        if not spec.security_profiles or p.security.profile in spec.security_profiles
    ]
    suitable = [p for p in accepted if missing_need(p, spec.needs) is None] or accepted
    return min(suitable, key=lambda p: p.security.profile, default=None)


def _faults_for(profile: DutProfile, extra: tuple[str, ...]) -> tuple[str, ...]:
    own = profile.sim.faults if profile.sim else ()
    known = faults_for("station" if profile.role.value == "station" else "csms")
    chosen = [f for f in extra if f in known]
    return tuple(dict.fromkeys([*own, *chosen]))


def instance_id(case_id: str, nodeid: str) -> str:
    """The reported id: the case id, plus `[param]` for one instance of a parametrized case."""
    if nodeid.endswith("]") and "[" in nodeid:
        return f"{case_id}[{nodeid[nodeid.index('[') + 1 : -1]}]"
    return case_id


async def execute(
    spec: CaseSpec,
    function: CaseFunction,
    nodeid: str,
    kwargs: dict[str, Any],
    settings: RunSettings,
) -> tuple[CaseRecord, list[str]]:
    """Run the case and return its record plus detail lines for the pytest report."""
    started_at = utc_timestamp()
    started = time.perf_counter()
    report = settings.report
    wirelog = WireLog(report.wire_log_path(spec.id, nodeid))
    outcome = _Outcome(Checks(wirelog.now))
    profile = choose_profile(settings.profiles.get((spec.dut_role, spec.version), []), spec)
    wirelog.record("action", f"case {spec.id} {spec.title}")
    try:
        if profile is None:
            wanted = " or ".join(map(str, spec.security_profiles)) or "any"
            outcome.not_applicable = (
                f"no DUT profile for a {spec.dut_role} speaking OCPP {spec.version} with "
                f"security profile {wanted} (--ocpp-dut)"
            )
        else:
            outcome.not_applicable = missing_need(profile, spec.needs)
            if outcome.not_applicable is None:
                outcome.not_applicable = rig_not_applicable(function, settings.rig, profile)
            if outcome.not_applicable is None:
                await _run_body(spec, function, nodeid, kwargs, settings, profile, wirelog, outcome)
    finally:
        wirelog.close()
    verdict, reason = verdict_from(
        outcome.checks.results,
        outcome.deviations,
        inconclusive=outcome.inconclusive,
        not_applicable=outcome.not_applicable,
    )
    record = CaseRecord(
        id=instance_id(spec.id, nodeid),
        title=spec.title,
        role=spec.dut_role,
        version=spec.version,
        profile=spec.profile,
        section=spec.section,
        nodeid=nodeid,
        verdict=verdict,
        reason=reason,
        refs=spec.refs,
        checks=tuple(outcome.checks.results),
        deviations=tuple(outcome.deviations),
        started_at=started_at,
        duration_s=round(time.perf_counter() - started, 3),
        dut=profile.name if profile else "",
        wire_log=report.relative(report.wire_log_path(spec.id, nodeid)),
        notes=tuple(outcome.notes),
        attachments=tuple(report.relative(path) for path in outcome.attachments),
    )
    return record, outcome.details


async def _run_body(
    spec: CaseSpec,
    function: CaseFunction,
    nodeid: str,
    kwargs: dict[str, Any],
    settings: RunSettings,
    profile: DutProfile,
    wirelog: WireLog,
    outcome: _Outcome,
) -> None:
    deadline = profile.timeouts.case
    try:
        async with asyncio.timeout(deadline):
            async with case_environment(
                profile,
                wirelog,
                faults=_faults_for(profile, settings.faults),
                artifacts=settings.report.case_dir(spec.id, nodeid),
                pki_root=settings.pki_root,
                virtual_rig=bool(settings.rig and settings.rig.virtual)
                and uses_bench(function, profile),
            ) as environment:
                try:
                    artifacts = settings.report.case_dir(spec.id, nodeid)
                    arguments = _arguments(function, environment, outcome.checks, kwargs)
                    if "artifacts" in inspect.signature(function).parameters:
                        arguments["artifacts"] = artifacts  # files attached to the case report
                    async with rig_for_case(
                        function,
                        settings.rig,
                        environment.dut,
                        environment.sim.ready if environment.sim else None,
                        wirelog,
                        artifacts,
                        arguments,
                        outcome.attachments,
                    ):
                        await function(**arguments)
                finally:
                    _collect(environment, outcome)
    except ExpectationFailed as failure:
        outcome.checks.results.append(
            CheckResult("MUST", False, failure.message, failure.ref, wirelog.now())
        )
        outcome.details.append(str(failure))
    except NotApplicable as absent:
        outcome.not_applicable = str(absent)
    except EnvironmentFailure as failure:
        outcome.inconclusive = str(failure)
    except TimeoutError:
        outcome.inconclusive = f"case deadline of {deadline:g} s (timeouts.case) exceeded"
        outcome.details.append(wirelog.timeline())
    except Exception as error:  # a harness bug must not hide the other results
        outcome.inconclusive = f"harness error: {error!r}"
        outcome.details.append(traceback.format_exc())


def _arguments(
    function: CaseFunction, environment: CaseEnvironment, checks: Checks, kwargs: dict[str, Any]
) -> dict[str, Any]:
    provided = {
        "csms": environment.peer,
        "station": environment.peer,
        "dut": environment.dut,
        "check": checks,
    }
    names = inspect.signature(function).parameters
    return {**{k: v for k, v in provided.items() if k in names}, **kwargs}


def _collect(environment: CaseEnvironment, outcome: _Outcome) -> None:
    peer = environment.peer
    outcome.deviations = [d.as_dict() for d in peer.deviations()]
    if peer.harness_errors and outcome.inconclusive is None:
        outcome.inconclusive = "harness error: " + "; ".join(peer.harness_errors)
    unconsumed = peer.unconsumed()
    if unconsumed:
        outcome.notes.append(f"{len(unconsumed)} message(s) from the DUT no step expected:")
        outcome.notes.extend(m.summary()[:300] for m in unconsumed[:50])
    if peer.exchange.dropped:
        outcome.notes.append(f"{peer.exchange.dropped} messages beyond the exchange bound")


def failure_text(record: CaseRecord, details: list[str], wire_log: Path) -> str:
    """The text pytest shows for a case that did not pass."""
    lines = [f"{record.id} {record.verdict.value}: {record.reason}"]
    lines += [
        f"  [{c.level}] {c.message}" + (f" ({c.ref})" if c.ref else "")
        for c in record.checks
        if not c.passed
    ]
    lines += [f"  [{d['level']} deviation] {d['ref']}: {d['message']}" for d in record.deviations]
    lines += details
    lines.append(f"wire log: {wire_log}")
    return "\n".join(lines)
