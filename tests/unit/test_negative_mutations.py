"""harness/fuzz/mutations.py: each mutation really breaks the rule it names."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import pytest

from harness.fuzz import mutations, oracles
from harness.fuzz.mutations import framing_mutations, payload_breaks, payload_mutations
from harness.fuzz.negative_actions import CSMS_INITIATED, STATION_INITIATED, case_ids
from harness.ocppj import errorcodes
from harness.ocppj.events import CallReceived, FrameRejected
from harness.ocppj.frames import MAX_MESSAGE_ID_LENGTH, Call, FrameProblem, parse_frame
from harness.ocppj.schemas import PayloadKind, actions, load_schema, validate
from harness.ocppj.session import Session
from harness.ocppj.versions import OcppVersion

VERSIONS = (OcppVersion.V16, OcppVersion.V201)
SCHEMAS = [
    (version, action, kind)
    for version in VERSIONS
    for action in sorted(actions(version))
    for kind in PayloadKind
    if load_schema(version, action, kind) is not None
]


def _ids() -> mutations.IdSource:
    counter = itertools.count(1)
    return lambda: f"neg-{next(counter)}"


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_every_payload_break_is_rejected_with_its_stated_class(version: OcppVersion) -> None:
    checked = 0
    for schema_version, action, kind in SCHEMAS:
        if schema_version is not version:
            continue
        for broken in payload_breaks(version, action, kind):
            violations = validate(version, action, kind, broken.payload)
            assert violations, f"{action} {kind.value} {broken.id} is still valid"
            code = errorcodes.code_for_violations(version, violations)
            wanted = errorcodes.code_for(version, broken.failure_class)
            assert code == wanted, f"{action} {broken.id}: {violations}"
            checked += 1
    assert checked > 500


def test_every_kind_of_payload_break_occurs() -> None:
    kinds = Counter(
        broken.kind
        for version, action, kind in SCHEMAS
        for broken in payload_breaks(version, action, kind)
    )
    assert set(kinds) == set(mutations.PAYLOAD_KINDS), kinds


def test_break_ids_are_unique_and_readable() -> None:
    for version, action, kind in SCHEMAS:
        ids = [b.id for b in payload_breaks(version, action, kind)]
        assert len(ids) == len(set(ids)), (version, action, kind)
    set_variables = {b.id for b in payload_breaks(OcppVersion.V201, "SetVariables")}
    assert "missing-required:setVariableData" in set_variables
    assert "missing-required:setVariableData[0].component.name" in set_variables
    assert "too-few-items:setVariableData" in set_variables
    boot = {b.id: b for b in payload_breaks(OcppVersion.V201, "BootNotification")}
    model = boot["over-max-length:chargingStation.model"]
    assert len(model.payload["chargingStation"]["model"]) == 21  # maxLength 20
    assert boot["not-in-enum:reason"].payload["reason"] == mutations.NOT_IN_ENUM
    assert mutations.EXTRA_PROPERTY in boot["additional-property"].payload
    assert "reason" not in boot["missing-required:reason"].payload


def test_a_break_changes_only_its_field() -> None:
    broken = {b.id: b.payload for b in payload_breaks(OcppVersion.V16, "Authorize")}
    assert broken == {
        "additional-property": {"idTag": "ocpp-harness", mutations.EXTRA_PROPERTY: 1},
        "missing-required:idTag": {},
        "wrong-type:idTag": {"idTag": 12345},
        "over-max-length:idTag": {"idTag": "x" * 21},
    }


def test_range_breaks_cross_the_bound_by_one() -> None:
    found = {
        b.id: b
        for action in actions(OcppVersion.V201)
        for b in payload_breaks(OcppVersion.V201, action)
        if b.kind in ("below-minimum", "above-maximum")
    }
    assert found, "2.0.1 has minimum/maximum constraints"
    for broken in found.values():
        assert broken.failure_class == "property"


def test_payload_mutations_are_calls_with_fresh_ids_and_the_payload_oracle() -> None:
    version = OcppVersion.V201
    built = payload_mutations(version, "SetVariables", _ids())
    assert len(built) == len(payload_breaks(version, "SetVariables"))
    seen_ids = set()
    for mutation in built:
        [step] = mutation.steps
        frame = parse_frame(step.text, version)
        assert isinstance(frame, Call) and frame.action == "SetVariables"
        assert validate(version, "SetVariables", PayloadKind.REQUEST, frame.payload)
        seen_ids.add(frame.message_id)
        assert step.oracle.preferred in version.error_codes
        assert not step.quiet
    assert len(seen_ids) == len(built)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_framing_mutations_break_the_rule_they_name(version: OcppVersion) -> None:
    built = {m.id: m for m in framing_mutations(version, _ids())}
    assert list(built)[-1] == "oversized-frame"  # the one that may close the link comes last
    for name in ("not-json", "not-array", "wrong-element-count"):
        problem = parse_frame(built[name].steps[0].text, version)
        assert isinstance(problem, FrameProblem) and problem.failure_class == "framing", name
    payload = parse_frame(built["payload-not-object"].steps[0].text, version)
    assert isinstance(payload, FrameProblem) and payload.failure_class == "format"
    unknown_type = parse_frame(built["unknown-message-type"].steps[0].text, version)
    assert isinstance(unknown_type, FrameProblem)
    assert unknown_type.failure_class == "unknown-message-type"
    unknown = parse_frame(built["unknown-action"].steps[0].text, version)
    assert isinstance(unknown, Call) and unknown.action not in actions(version)
    long_id = parse_frame(built["message-id-too-long"].steps[0].text, version)
    assert isinstance(long_id, Call) and len(long_id.message_id) > MAX_MESSAGE_ID_LENGTH
    first, again = (parse_frame(s.text, version) for s in built["duplicate-message-id"].steps)
    assert isinstance(first, Call) and isinstance(again, Call)
    assert first.message_id == again.message_id and not built["duplicate-message-id"].concurrent
    one, two = (parse_frame(s.text, version) for s in built["second-call-outstanding"].steps)
    assert isinstance(one, Call) and isinstance(two, Call)
    assert one.message_id != two.message_id and built["second-call-outstanding"].concurrent
    for call in (first, one, two):
        assert not validate(version, call.action, PayloadKind.REQUEST, call.payload)
    big = built["oversized-frame"].steps[0].text
    assert len(big.encode()) > 4 * 1024 * 1024  # above this harness's own websocket limit
    parsed = parse_frame(big, version)
    assert isinstance(parsed, Call)
    assert not validate(version, "DataTransfer", PayloadKind.REQUEST, parsed.payload)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_the_core_answers_each_single_frame_mutation_as_its_oracle_prefers(
    version: OcppVersion,
) -> None:
    """The sans-I/O session the reference simulators use picks each oracle's preferred answer."""
    for mutation in framing_mutations(version, _ids()):
        if len(mutation.steps) != 1 or mutation.id == "oversized-frame":
            continue
        step = mutation.steps[0]
        [event] = Session(version).receive_text(step.text, 0.0)
        if isinstance(event, FrameRejected):
            answer = event.error_code or oracles.SILENCE
        else:
            assert isinstance(event, CallReceived)
            answer = event.error_code or oracles.RESULT
        assert answer == step.oracle.preferred, mutation.id


def test_direction_tables_cover_every_action_once_except_data_transfer() -> None:
    for version in VERSIONS:
        station, csms = set(STATION_INITIATED[version]), set(CSMS_INITIATED[version])
        assert station | csms == set(actions(version))
        assert station & csms == {"DataTransfer"}
    ids = case_ids("station")
    assert "NEG_201_CS_SetVariables" in ids and "NEG_16_CS_framing" in ids
    assert "NEG_16_CSMS_StartTransaction" in case_ids("csms")
    assert len(ids) == len(set(ids))


def test_frames_are_compact_json_of_the_break() -> None:
    heartbeat = payload_breaks(OcppVersion.V16, "Heartbeat")
    assert [b.id for b in heartbeat] == ["additional-property"]  # {} allows nothing else
    built = payload_mutations(OcppVersion.V16, "Authorize", _ids())
    [mutation] = [m for m in built if m.id == "wrong-type:idTag"]
    assert mutation.steps[0].text == '[2,"neg-3","Authorize",{"idTag":12345}]'
    assert json.loads(mutation.steps[0].text)[3] == {"idTag": 12345}
