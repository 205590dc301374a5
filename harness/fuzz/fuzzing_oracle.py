"""Judge the DUT's answer to one schema-valid CALL (the FUZZ_*_valid_payloads oracle).

A schema-valid CALL must get, within the call timeout, a CALLRESULT that is valid against the
response schema, or a CALLERROR a conforming receiver may send for a valid message:

* NotImplemented / NotSupported: the action is not implemented (1.6 OCPP-J §4.2.3,
  2.0.1 Part 4 §4.3 Table 8);
* OccurrenceConstraintViolation / OccurenceConstraintViolation for a list longer than the
  receiver's configured maximum (`LIMITED_LISTS`): the fuzzer does not know the maximum, so it
  is accepted whenever the list has more than one entry.

PropertyConstraintViolation, OccurrenceConstraintViolation (other lists), GenericError and
SecurityError break a SHOULD (`SOFT`): the payload meets every schema constraint, so a value the
DUT cannot use (an unknown connector, say) should get a CALLRESULT with a Rejected-like status,
but these codes can describe limits of the DUT beyond the schema. Every other code breaks a
MUST: InternalError (the receiver failed on valid input), the format-class codes
FormatViolation / FormationViolation / TypeConstraintViolation / ProtocolError /
RpcFrameworkError (a valid payload called malformed), codes outside the version's table. The
DUT must also keep the connection open, unless it accepted a restart-capable command
(fuzzing_actions.RESTART_CAPABLE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from harness.ocppj.versions import OcppVersion
from harness.roles.exchange import CallOutcome

UNSUPPORTED: Final = frozenset({"NotImplemented", "NotSupported"})
OCCURRENCE: Final = frozenset({"OccurrenceConstraintViolation", "OccurenceConstraintViolation"})
#: Codes that break a SHOULD rather than a MUST for a schema-valid CALL (see module doc).
SOFT: Final = OCCURRENCE | {"PropertyConstraintViolation", "GenericError", "SecurityError"}

#: (action, list property) -> the configuration that bounds the list's length.
LIMITED_LISTS: Final = {
    OcppVersion.V16: {
        ("GetConfiguration", "key"): "1.6 §9.1.9 GetConfigurationMaxKeys",
        ("SendLocalList", "localAuthorizationList"): "1.6 §9.2.3 SendLocalListMaxLength",
    },
    OcppVersion.V201: {
        ("GetVariables", "getVariableData"): "DeviceDataCtrlr.ItemsPerMessage[GetVariables]",
        ("SetVariables", "setVariableData"): "DeviceDataCtrlr.ItemsPerMessage[SetVariables]",
        ("SendLocalList", "localAuthorizationList"): "LocalAuthListCtrlr.ItemsPerMessage",
        ("SetVariableMonitoring", "setMonitoringData"): "MonitoringCtrlr.ItemsPerMessage",
        ("ClearVariableMonitoring", "id"): "MonitoringCtrlr.ItemsPerMessage",
    },
}


def spec_ref(version: OcppVersion) -> str:
    """Where the CallError codes are defined for `version`."""
    if version is OcppVersion.V16:
        return "OCPP-J 1.6 §4.2.3"
    return f"OCPP-J {version.value} Part 4 §4.3"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The oracle's view of one exchange.

    `judged` is False when the exchange says nothing about the DUT (it was cut off by a
    restart the DUT was allowed to do). `level` is the requirement level a failure breaks
    (MUST or SHOULD). `note` names a legitimate CallError.
    """

    passed: bool
    reason: str = ""
    judged: bool = True
    note: str = ""
    level: str = "MUST"


OK: Final = Judgement(True)


def limited_list(version: OcppVersion, action: str, payload: dict[str, Any]) -> str | None:
    """The configuration bounding a list in `payload` that has more than one entry, if any."""
    for (name, field), limit in LIMITED_LISTS.get(version, {}).items():
        value = payload.get(field)
        if name == action and isinstance(value, list) and len(value) > 1:
            return limit
    return None


def judge(
    version: OcppVersion,
    payload: dict[str, Any],
    outcome: CallOutcome,
    *,
    connected: bool,
    restart_excused: bool,
) -> Judgement:
    """Judge the answer to `payload` (see module doc); `connected` is the link state after it."""
    action = outcome.request.action
    if outcome.connection_closed or outcome.timed_out:
        if restart_excused:
            return Judgement(True, "cut off by an allowed restart", judged=False)
        why = "the connection closed" if outcome.connection_closed else "no answer in time"
        return Judgement(False, f"{action}: expected a CALLRESULT or CALLERROR, {why}")
    if outcome.payload is not None and outcome.violations:
        broken = "; ".join(map(str, outcome.violations))
        return Judgement(False, f"{action}: CALLRESULT breaks the response schema: {broken}")
    answered = OK
    if outcome.error is not None:
        answered = _judge_error(version, action, payload, outcome.error.code)
    if answered.passed and not connected and not restart_excused:
        return Judgement(False, f"{action}: the DUT closed the connection after answering")
    return answered


def _judge_error(
    version: OcppVersion, action: str, payload: dict[str, Any], code: str
) -> Judgement:
    if code in UNSUPPORTED:
        return Judgement(True, note=f"{action} answered {code}")
    if code in OCCURRENCE:
        limit = limited_list(version, action, payload)
        if limit is not None:
            return Judgement(True, note=f"{action} answered {code} (list beyond {limit})")
    return Judgement(
        False,
        f"{action}: schema-valid CALL answered with CALLERROR {code}; expected a CALLRESULT "
        f"or {' / '.join(sorted(UNSUPPORTED))} ({spec_ref(version)})",
        level="SHOULD" if code in SOFT else "MUST",
    )
