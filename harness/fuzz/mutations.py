"""Named, deterministic mutations of OCPP messages, each with the answer a conforming peer gives.

Payload mutations break one schema rule of a valid payload (harness/fuzz/examples.py `full`):
a required field missing, a value of the wrong JSON type, a string over maxLength, a value
outside its enum, a property the PDU does not define, an array with too many or too few items,
a number out of range. Their ids name the rule and the field, e.g.
`missing-required:setVariableData`, `over-max-length:chargingStation.model`,
`additional-property:chargingStation` (the payload root is spelled `additional-property`).
Framing mutations break the RPC framework instead (OCPP-J 1.6 §4, 2.0.1 Part 4 §4): `not-json`,
`not-array`, `wrong-element-count`, `payload-not-object`, `unknown-message-type`,
`unknown-action`, `message-id-too-long`, `duplicate-message-id`, `second-call-outstanding`,
`oversized-frame`. Each carries its oracle (harness/fuzz/oracles.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from harness.fuzz import examples, oracles
from harness.fuzz.oracles import Oracle
from harness.ocppj.frames import MAX_MESSAGE_ID_LENGTH
from harness.ocppj.schemas import PayloadKind
from harness.ocppj.versions import OcppVersion

#: Property added by `additional-property` mutations; no OCPP schema defines it.
EXTRA_PROPERTY: Final = "ocppHarnessUnexpected"
#: Value of `not-in-enum` mutations; no OCPP enum has it.
NOT_IN_ENUM: Final = "OcppHarnessNotInEnum"
#: The action `unknown-action` calls; no OCPP version defines it.
UNKNOWN_ACTION: Final = "OcppHarnessUnknownAction"
#: MessageTypeId of `unknown-message-type`: undefined in 1.6, 2.0.1 and 2.1.
UNKNOWN_MESSAGE_TYPE: Final = 7
#: Size of the `oversized-frame` payload: above the 4 MiB this harness's own websockets accept
#: and far above any OCPP message; OCPP itself sets no limit.
OVERSIZED_BYTES: Final = 4 * 1024 * 1024 + 1024
#: The vendor id of the harmless DataTransfer CALLs the framing mutations use.
VENDOR_ID: Final = "org.ocpp-harness.negative"

#: Mutation kind -> the failure class (`harness.ocppj.errorcodes.CLASS_CODE` key) it causes.
PAYLOAD_KINDS: Final = {
    "missing-required": "occurrence",
    "too-many-items": "occurrence",
    "too-few-items": "occurrence",
    "wrong-type": "type",
    "over-max-length": "property",
    "not-in-enum": "property",
    "below-minimum": "property",
    "above-maximum": "property",
    "additional-property": "format",
}

#: A JSON value of another type, per schema type (`wrong-type` mutations).
_WRONG_TYPE: Final[dict[str, Any]] = {
    "string": 12345,
    "integer": "1",
    "number": "1.5",
    "boolean": "false",
    "object": "ocpp-harness",
    "array": {"ocpp": "harness"},
}

IdSource = Callable[[], str]


@dataclass(frozen=True, slots=True)
class PayloadBreak:
    """A payload that breaks exactly one schema rule."""

    id: str
    kind: str
    payload: dict[str, Any]
    description: str

    @property
    def failure_class(self) -> str:
        """occurrence, type, property or format (errorcodes.KEYWORD_CLASS vocabulary)."""
        return PAYLOAD_KINDS[self.kind]


@dataclass(frozen=True, slots=True)
class Step:
    """One frame to send and how its answer is graded.

    `quiet` marks a frame for which silence passes: the sender waits only a short window.
    """

    text: str
    oracle: Oracle
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class Mutation:
    """A named negative test: frames to send (in order, or `concurrent`ly) and their oracles."""

    id: str
    description: str
    steps: tuple[Step, ...]
    concurrent: bool = False


# ------------------------------------------------------------------ payload mutations
def payload_breaks(
    version: OcppVersion, action: str, kind: PayloadKind = PayloadKind.REQUEST
) -> list[PayloadBreak]:
    """Every one-rule break of the `full` example of `action`, in schema order."""
    schema = examples.schema_for(version, action, kind)
    base = examples.full(version, action, kind)
    return list(_breaks(schema, schema, base, ()))


def payload_mutations(version: OcppVersion, action: str, new_id: IdSource) -> list[Mutation]:
    """The payload breaks of a request as CALLs, each graded by its failure class."""
    mutations = []
    for broken in payload_breaks(version, action):
        text = _call(new_id(), action, broken.payload)
        oracle = oracles.payload_oracle(version, broken.failure_class)
        mutations.append(Mutation(broken.id, broken.description, (Step(text, oracle),)))
    return mutations


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _replace(document: Any, path: tuple[str | int, ...], change: Callable[[Any], Any]) -> Any:
    """A deep copy of `document` with the value at `path` (its parent's slot) changed."""
    copy = json.loads(json.dumps(document))
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    result = change(parent[path[-1]]) if path else change(copy)
    if path:
        if result is _DELETE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = result
        return copy
    return result


_DELETE: Final = object()


def _breaks(
    root: dict[str, Any], node: dict[str, Any], base: Any, path: tuple[str | int, ...]
) -> Iterator[PayloadBreak]:
    """Breaks of the value at `path` of `base` (valid for schema `node`) and of its children."""
    node = examples.resolve(root, node)
    value = _at(base, path)
    where = _path_text(path)
    if isinstance(value, dict):
        yield from _object_breaks(root, node, base, path)
    elif isinstance(value, list):
        yield from _array_breaks(root, node, base, path)
    elif isinstance(value, str) and "enum" in node:
        yield _break(base, path, "not-in-enum", NOT_IN_ENUM, f"{where} is not one of its enum")
    elif isinstance(value, str) and "maxLength" in node:
        limit = int(node["maxLength"])
        yield _break(
            base, path, "over-max-length", "x" * (limit + 1), f"{where} has {limit + 1} chars"
        )
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in node:
            low = node["minimum"] - 1
            yield _break(base, path, "below-minimum", low, f"{where} = {low} < minimum")
        if "maximum" in node:
            high = node["maximum"] + 1
            yield _break(base, path, "above-maximum", high, f"{where} = {high} > maximum")


def _object_breaks(
    root: dict[str, Any], node: dict[str, Any], base: Any, path: tuple[str | int, ...]
) -> Iterator[PayloadBreak]:
    where = _path_text(path)
    if node.get("additionalProperties") is False:
        added = _replace(base, path, lambda obj: {**obj, EXTRA_PROPERTY: 1})
        yield PayloadBreak(
            f"additional-property:{where}" if where else "additional-property",
            "additional-property",
            added,
            f"{where or 'payload'} carries undefined property {EXTRA_PROPERTY}",
        )
    properties: dict[str, Any] = node.get("properties", {})
    required = set(node.get("required", ()))
    for name in _at(base, path):
        child_path = (*path, name)
        child = examples.resolve(root, properties[name])
        child_where = _path_text(child_path)
        if name in required:
            yield _break(
                base, child_path, "missing-required", _DELETE, f"required {child_where} left out"
            )
        wrong = _WRONG_TYPE.get(str(child.get("type")))
        if wrong is not None:
            yield _break(
                base,
                child_path,
                "wrong-type",
                wrong,
                f"{child_where} is {json.dumps(wrong)}, not {child['type']}",
            )
        yield from _breaks(root, child, base, child_path)


def _array_breaks(
    root: dict[str, Any], node: dict[str, Any], base: Any, path: tuple[str | int, ...]
) -> Iterator[PayloadBreak]:
    where = _path_text(path)
    items: list[Any] = _at(base, path)
    if "maxItems" in node:
        count = int(node["maxItems"]) + 1
        longer = [items[0]] * count
        yield _break(base, path, "too-many-items", longer, f"{where} has {count} items")
    if int(node.get("minItems", 0)) >= 1:
        count = int(node["minItems"]) - 1
        yield _break(base, path, "too-few-items", items[:count], f"{where} has {count} items")
    if items and "items" in node:
        yield from _breaks(root, node["items"], base, (*path, 0))


def _at(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _break(
    base: Any, path: tuple[str | int, ...], kind: str, new: Any, description: str
) -> PayloadBreak:
    payload = _replace(base, path, lambda _old: new)
    return PayloadBreak(f"{kind}:{_path_text(path)}", kind, payload, description)


# ------------------------------------------------------------------ framing mutations
def _call(message_id: str, action: str, payload: Any) -> str:
    return json.dumps([2, message_id, action, payload], separators=(",", ":"))


def probe_payload() -> dict[str, Any]:
    """A valid, harmless DataTransfer request (1.6 §4.3/§5.6, 2.0.1 P01): both roles take it."""
    return {"vendorId": VENDOR_ID, "messageId": "negative-test"}


def framing_mutations(version: OcppVersion, new_id: IdSource) -> list[Mutation]:
    """Every framing mutation for `version`; the one that may close the link comes last."""
    framing = oracles.framing_oracle(version)
    probe = probe_payload()
    body = json.dumps(probe, separators=(",", ":"))
    unknown_type = oracles.unknown_message_type_oracle(version)
    repeated = new_id()
    first, second = new_id(), new_id()
    long_id = ("L" * MAX_MESSAGE_ID_LENGTH) + "X"
    big = {**probe, "data": "x" * OVERSIZED_BYTES}

    def one(mutation_id: str, description: str, text: str, oracle: Oracle) -> Mutation:
        quiet = oracles.SILENCE in oracle.expected
        return Mutation(mutation_id, description, (Step(text, oracle, quiet),))

    return [
        one(
            "not-json",
            "a frame that is not valid JSON",
            f'[2,"{new_id()}","DataTransfer",{body[:-1]}',
            framing,
        ),
        one(
            "not-array",
            "a JSON object instead of the message array",
            json.dumps({"messageTypeId": 2, "messageId": new_id(), "payload": probe}),
            framing,
        ),
        one(
            "wrong-element-count",
            "a CALL with 5 elements instead of 4",
            json.dumps([2, new_id(), "DataTransfer", probe, "extra"]),
            framing,
        ),
        one(
            "payload-not-object",
            "a CALL whose payload is an array, not an object",
            _call(new_id(), "DataTransfer", [probe]),
            oracles.payload_oracle(version, "format"),
        ),
        one(
            "unknown-message-type",
            f"a frame with MessageTypeId {UNKNOWN_MESSAGE_TYPE}",
            json.dumps([UNKNOWN_MESSAGE_TYPE, new_id(), "DataTransfer", probe]),
            unknown_type,
        ),
        one(
            "unknown-action",
            f"a CALL of the undefined action {UNKNOWN_ACTION}",
            _call(new_id(), UNKNOWN_ACTION, {}),
            oracles.unknown_action_oracle(version),
        ),
        one(
            "message-id-too-long",
            f"a CALL whose MessageId has {len(long_id)} characters (at most 36)",
            _call(long_id, "DataTransfer", probe),
            framing,
        ),
        Mutation(
            "duplicate-message-id",
            "a valid CALL, answered, then another CALL reusing its MessageId",
            (
                Step(_call(repeated, "DataTransfer", probe), oracles.answered_oracle(version)),
                Step(
                    _call(repeated, "DataTransfer", probe),
                    oracles.answered_oracle(version, drop_allowed=True),
                ),
            ),
        ),
        Mutation(
            "second-call-outstanding",
            "two valid CALLs sent back to back, the second before the first is answered",
            (
                Step(_call(first, "DataTransfer", probe), oracles.answered_oracle(version)),
                Step(
                    _call(second, "DataTransfer", probe),
                    oracles.answered_oracle(version, drop_allowed=True),
                ),
            ),
            concurrent=True,
        ),
        one(
            "oversized-frame",
            f"a valid DataTransfer CALL of {OVERSIZED_BYTES} bytes",
            _call(new_id(), "DataTransfer", big),
            oracles.oversized_oracle(version),
        ),
    ]
