"""What a conforming peer may answer to a broken message, and how an answer is graded.

OCPP-J 1.6 §4.2.3 (Table 7, with the errata's note that the misspelt FormationViolation and
OccurenceConstraintViolation stay) and OCPP 2.0.1 Part 4 §4.3 (Table 8) name the CallError
codes; `harness.ocppj.errorcodes` maps each kind of failure to the code this project prefers:

* a payload that breaks its schema (1.6 §4.2.3 situation 2, 2.0.1 Part 4 §4.2.3): occurrence ->
  OccurenceConstraintViolation / OccurrenceConstraintViolation, type ->
  TypeConstraintViolation, value -> PropertyConstraintViolation, structure (unknown property,
  payload not an object) -> FormationViolation / FormatViolation. The other payload codes,
  ProtocolError ("payload incomplete" in 1.6, "not conform the PDU structure" in 2.0.1) and
  GenericError, are legitimate but less precise: NON-STRICT;
* a message that is no valid RPC frame (not JSON, not an array, wrong element count, MessageId
  too long): 1.6 ProtocolError, 2.0.1 RpcFrameworkError ("not a valid RPC Request");
* an unknown action: NotImplemented ("Requested Action is not known"); NotSupported is
  tolerated because a receiver cannot always tell unknown from unsupported. GenericError is
  "any other error not covered by the previous ones", so it is not legitimate there;
* an unknown MessageTypeId: 1.6 §4.1.3 "SHALL ignore the message payload" (no answer, or a
  CallError, passes); 2.0.1 Part 4 §4.4 SHALL answer MessageTypeNotSupported.

A CALLRESULT, a closed connection, or a code outside the version's table FAILs. Silence FAILs in
1.6; in 2.0.1 it is NON-STRICT, because Part 4 §4.2.3 allows a receiver "to drop the message"
that is not conform the JSON schema or is invalid OCPP (it SHALL still answer an unknown
MessageTypeId, §4.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from harness.ocppj import errorcodes
from harness.ocppj.versions import OcppVersion

#: Outcome labels besides a CallError code.
RESULT: Final = "CALLRESULT"
SILENCE: Final = "no answer"
#: A refusal of a too big message by closing with 1009 (RFC 6455 §7.4.1).
CLOSED_TOO_BIG: Final = "connection closed (code 1009)"

PASS: Final = "PASS"
NON_STRICT: Final = "NON-STRICT"
FAIL: Final = "FAIL"


def closed(code: int | None) -> str:
    """The outcome label of a connection the DUT closed (code None: no close frame)."""
    return f"connection closed (code {code})" if code is not None else "connection closed"


@dataclass(frozen=True, slots=True)
class Oracle:
    """The outcomes that pass (`expected`, the first preferred) and those tolerated.

    `any_error` also passes every CallError code of the version's table.
    """

    expected: tuple[str, ...]
    tolerated: frozenset[str]
    ref: str
    any_error: bool = False

    @property
    def preferred(self) -> str:
        """The outcome a careful implementation gives."""
        return self.expected[0]

    def passes(self, outcome: str, is_error_code: bool) -> bool:
        """True when `outcome` (a label or a table code) is an expected answer."""
        return outcome in self.expected or (self.any_error and is_error_code)

    def describe(self, *, with_tolerated: bool = True) -> str:
        """The expectation in words, for check messages."""
        others = [_label(o) for o in self.expected[1:]]
        if self.any_error:
            others.append("any CALLERROR of the table")
        text = _label(self.preferred) + (f" (or {', '.join(others)})" if others else "")
        if with_tolerated and self.tolerated:
            text += "; tolerated: " + ", ".join(sorted(self.tolerated))
        return text


@dataclass(frozen=True, slots=True)
class Observed:
    """What the DUT did: an outcome label (a CallError code or one of the labels) and detail."""

    outcome: str
    detail: str = ""

    @property
    def is_error_code(self) -> bool:
        """True when the outcome is a CallError code."""
        return self.outcome not in (RESULT, SILENCE) and not self.outcome.startswith(
            "connection closed"
        )


@dataclass(frozen=True, slots=True)
class Grade:
    """The verdict of one answer (PASS, NON-STRICT, FAIL) and the message that explains it."""

    verdict: str
    message: str


def grade(version: OcppVersion, oracle: Oracle, observed: Observed) -> Grade:
    """Grade one answer against the oracle (rules in the module docstring)."""
    seen = _label(observed.outcome) + (f" {observed.detail}" if observed.detail else "")
    if observed.is_error_code and observed.outcome not in version.error_codes:
        table = "§4.2.3 Table 7" if version is OcppVersion.V16 else "Part 4 §4.3 Table 8"
        said = f"expected {oracle.describe()}; saw {seen}"
        return Grade(FAIL, f"{said}: not an OCPP {version.value} error code ({table})")
    if oracle.passes(observed.outcome, observed.is_error_code):
        return Grade(PASS, f"expected {oracle.describe(with_tolerated=False)}; saw {seen}")
    said = f"expected {oracle.describe()}; saw {seen}"
    if observed.outcome in oracle.tolerated:
        return Grade(NON_STRICT, f"{said}: legitimate but not the precise answer")
    return Grade(FAIL, said)


def _label(outcome: str) -> str:
    if outcome in (RESULT, SILENCE) or outcome.startswith("connection closed"):
        return outcome
    return f"CALLERROR {outcome}"


def _ref(version: OcppVersion, v16: str, v2x: str) -> str:
    if version is OcppVersion.V16:
        return f"OCPP-J 1.6 {v16}"
    return f"OCPP {version.value} Part 4 {v2x}"


def _drop_allowed(version: OcppVersion) -> frozenset[str]:
    """2.x Part 4 §4.2.3: invalid OCPP may be dropped; 1.6 has no such allowance."""
    return frozenset() if version is OcppVersion.V16 else frozenset({SILENCE})


def payload_oracle(version: OcppVersion, failure_class: str) -> Oracle:
    """Oracle for a CALL whose payload breaks its schema in one way (`failure_class`).

    `failure_class` is a key of `errorcodes.CLASS_CODE`: occurrence, type, property, format.
    """
    preferred = errorcodes.code_for(version, failure_class)
    others = errorcodes.ACCEPTABLE_ALTERNATIVES[version] - {preferred}
    return Oracle(
        (preferred,),
        others | _drop_allowed(version),
        _ref(version, "§4.2.3 Table 7", "§4.2.3, §4.3 Table 8"),
    )


def framing_oracle(version: OcppVersion) -> Oracle:
    """Oracle for text that is no valid RPC frame (not JSON, not an array, element count, id)."""
    preferred = errorcodes.code_for(version, "framing")
    if version is OcppVersion.V16:
        tolerated = frozenset({"FormationViolation", "GenericError"})
    else:
        tolerated = frozenset({"ProtocolError", "FormatViolation", "GenericError", SILENCE})
    return Oracle((preferred,), tolerated, _ref(version, "§4.1.4, §4.2.3", "§4.1.4, §4.2.3, §4.3"))


def unknown_action_oracle(version: OcppVersion) -> Oracle:
    """Oracle for a CALL whose action the version does not define."""
    return Oracle(
        (errorcodes.code_for(version, "unknown-action"),),
        frozenset({"NotSupported"}) | _drop_allowed(version),
        _ref(version, "§4.2.3 Table 7 NotImplemented", "§4.3 Table 8 NotImplemented"),
    )


def unknown_message_type_oracle(version: OcppVersion) -> Oracle:
    """Oracle for a frame with a MessageTypeId the version does not define."""
    if version is OcppVersion.V16:
        return Oracle((SILENCE,), frozenset(), "OCPP-J 1.6 §4.1.3", any_error=True)
    code = errorcodes.code_for(version, "unknown-message-type")
    return Oracle((code,), frozenset(), f"OCPP {version.value} Part 4 §4.4")


def answered_oracle(version: OcppVersion, *, drop_allowed: bool = False) -> Oracle:
    """Oracle for a CALL any answer passes: a CALLRESULT or a CallError of the table.

    `drop_allowed` tolerates silence in 2.x, for a CALL that itself breaks an OCPP-J rule.
    """
    tolerated = _drop_allowed(version) if drop_allowed else frozenset()
    return Oracle(
        (RESULT,),
        tolerated,
        _ref(version, "§4.1.1, §4.1.4, §4.2.3", "§4.1.1, §4.1.4, §4.2.3"),
        any_error=True,
    )


def oversized_oracle(version: OcppVersion) -> Oracle:
    """Oracle for a frame larger than a receiver can be expected to take.

    OCPP sets no frame limit: an answer passes, and so does refusing the message by closing
    with 1009 "message too big" (RFC 6455 §7.4.1); hanging or another close does not.
    """
    return Oracle(
        (RESULT, CLOSED_TOO_BIG),
        _drop_allowed(version),
        _ref(version, "§4.2.3; RFC 6455 §7.4.1", "§4.2.3; RFC 6455 §7.4.1"),
        any_error=True,
    )
