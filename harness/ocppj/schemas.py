"""Validate OCPP payloads against the official JSON schemas shipped in the `ocpp` package.

Validation uses jsonschema-rs: it is hundreds of times faster than pure-Python jsonschema
and its `multipleOf` is exact for decimal literals (8.1 is a multiple of 0.1).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from harness.ocppj.versions import OcppVersion


class PayloadKind(enum.Enum):
    """Which half of an exchange a payload is."""

    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One way a payload breaks its schema: the JSON Schema keyword and where."""

    keyword: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message} ({self.keyword})"


def schema_name(version: OcppVersion, action: str, kind: PayloadKind) -> str:
    """Name of the official schema, e.g. `Authorize` (1.6 request) or `AuthorizeRequest`."""
    if version is OcppVersion.V16:
        return action if kind is PayloadKind.REQUEST else f"{action}Response"
    return action + ("Request" if kind is PayloadKind.REQUEST else "Response")


@cache
def load_schema(version: OcppVersion, action: str, kind: PayloadKind) -> dict[str, Any] | None:
    """Return the official schema for `action`, or None when the version has no such action."""
    folder = resources.files("ocpp").joinpath(version.schema_package, "schemas")
    entry = folder.joinpath(schema_name(version, action, kind) + ".json")
    if not entry.is_file() and kind is PayloadKind.REQUEST:
        entry = folder.joinpath(f"{action}.json")  # 2.1 SEND messages have no suffix
    if not entry.is_file():
        return None
    schema: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
    return schema


@cache
def actions(version: OcppVersion) -> frozenset[str]:
    """Every action the version defines a request schema for."""
    folder = resources.files("ocpp").joinpath(version.schema_package, "schemas")
    names = {entry.name.removesuffix(".json") for entry in folder.iterdir()}
    if version is OcppVersion.V16:
        return frozenset(n for n in names if not n.endswith("Response"))
    return frozenset(n.removesuffix("Request") for n in names if not n.endswith("Response"))


@cache
def _validator(version: OcppVersion, action: str, kind: PayloadKind) -> Any:
    schema = load_schema(version, action, kind)
    if schema is None:
        return None
    # The 1.6 schemas carry an `id` that draft-04 readers treat as a base URI; it resolves
    # nothing here, so drop it to keep the validator from trying to fetch it.
    schema = {k: v for k, v in schema.items() if k not in ("id", "$id")}
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def is_known_action(version: OcppVersion, action: str) -> bool:
    """True when the version defines `action`."""
    return action in actions(version)


def validate(
    version: OcppVersion, action: str, kind: PayloadKind, payload: object
) -> tuple[SchemaViolation, ...]:
    """Return the violations of `payload` against the schema; empty when valid.

    Raises KeyError when the version has no such action: callers decide what an unknown
    action means (NotImplemented for an incoming CALL).
    """
    validator = _validator(version, action, kind)
    if validator is None:
        raise KeyError(f"OCPP {version.value} has no action {action!r}")
    if validator.is_valid(payload):
        return ()
    return tuple(
        SchemaViolation(
            keyword=type(error.kind).__name__,
            path="/".join(str(part) for part in error.instance_path),
            message=error.message,
        )
        for error in validator.iter_errors(payload)
    )
