"""Deterministic valid example payloads built from the official OCPP JSON schemas.

`minimal` holds only the required fields (recursively); `full` adds every optional field
except `customData`, the vendor extension 2.0.1 allows on every object (2.0.1 Part 2 §2.1.1
CustomDataType), so that mutations of optional fields have something to break. Both are
schema-valid for every action and payload kind of 1.6 and 2.0.1 (tests/unit proves it), and
the same call always gives the same value. Negative tests (harness/fuzz/mutations.py) start
from these and break exactly one rule.
"""

from __future__ import annotations

from typing import Any, Final

from harness.ocppj.schemas import PayloadKind, load_schema
from harness.ocppj.versions import OcppVersion

#: A date-time both the draft-04 (1.6) and draft-06 (2.0.1) `format` validators accept.
DATE_TIME: Final = "2025-01-01T00:00:00.000Z"
#: A URI for `format: uri` fields (1.6 GetDiagnostics/UpdateFirmware location).
URI: Final = "ftp://127.0.0.1/ocpp-harness"
#: Text for free strings, cut to the field's maxLength.
TEXT: Final = "ocpp-harness"
#: Properties `full` leaves out: the vendor extension object on every 2.0.1 type.
SKIPPED_OPTIONAL: Final = frozenset({"customData"})


def resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (`#/definitions/Name`) until a schema without one is reached."""
    seen: set[str] = set()
    while "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or cyclic $ref {ref!r}")
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def schema_for(version: OcppVersion, action: str, kind: PayloadKind) -> dict[str, Any]:
    """The official schema, or KeyError when the version has no such action."""
    schema = load_schema(version, action, kind)
    if schema is None:
        raise KeyError(f"OCPP {version.value} has no {kind.value} schema for {action!r}")
    return schema


def minimal(version: OcppVersion, action: str, kind: PayloadKind) -> dict[str, Any]:
    """A valid payload with the required fields only."""
    schema = schema_for(version, action, kind)
    value = example(schema, schema, full=False)
    assert isinstance(value, dict)
    return value


def full(version: OcppVersion, action: str, kind: PayloadKind) -> dict[str, Any]:
    """A valid payload with every field but `customData` (see module doc)."""
    schema = schema_for(version, action, kind)
    value = example(schema, schema, full=True)
    assert isinstance(value, dict)
    return value


def example(root: dict[str, Any], node: dict[str, Any], *, full: bool) -> Any:
    """A deterministic valid value for the schema `node` of document `root`."""
    node = resolve(root, node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or (kind is None and "properties" in node):
        return _object(root, node, full=full)
    if kind == "array":
        count = _item_count(node)
        items = node.get("items", {})
        return [example(root, items, full=full) for _ in range(count)]
    if kind == "string":
        return _string(node)
    if kind in ("integer", "number"):
        return _number(node)
    if kind == "boolean":
        return False
    if kind is None:  # anyType (2.0.1 DataTransfer data): any JSON value is valid
        return TEXT
    raise ValueError(f"no example for schema type {kind!r}")


def _object(root: dict[str, Any], node: dict[str, Any], *, full: bool) -> dict[str, Any]:
    properties: dict[str, Any] = node.get("properties", {})
    required = set(node.get("required", ()))
    names = [
        name for name in properties if name in required or (full and name not in SKIPPED_OPTIONAL)
    ]
    return {name: example(root, properties[name], full=full) for name in names}


def _item_count(node: dict[str, Any]) -> int:
    """One item, or minItems when larger, never above maxItems."""
    count = max(int(node.get("minItems", 0)), 1)
    if "maxItems" in node:
        count = min(count, int(node["maxItems"]))
    return count


def _string(node: dict[str, Any]) -> str:
    fmt = node.get("format")
    if fmt == "date-time":
        return DATE_TIME
    if fmt == "uri":
        return URI
    limit = node.get("maxLength")
    text = TEXT if limit is None else TEXT[: int(limit)]
    minimum = int(node.get("minLength", 0))
    return text + "x" * max(0, minimum - len(text))


def _number(node: dict[str, Any]) -> int:
    """0, moved into [minimum, maximum] when the schema bounds it."""
    value = 0
    if "minimum" in node:
        value = max(value, int(-(-node["minimum"] // 1)))  # ceil for fractional minimums
    if "maximum" in node:
        value = min(value, int(node["maximum"] // 1))
    return value
