"""Which CallError code answers which validation failure, per OCPP version.

The table is this project's reading of OCPP-J 1.6 §4.2.3 and OCPP 2.0.1 Part 4 §4.3:
* a required field missing, or an array with too few/many items -> occurrence constraint;
* a value of the wrong JSON type -> type constraint;
* a value of the right type but outside its enum, length, range, pattern or format -> property
  constraint;
* a payload that is not an object, or carries properties the PDU does not define -> formation
  (1.6) / format (2.x) violation.
Codes the spec also allows, used by the negative-test oracle as NON-STRICT alternatives, are in
`ACCEPTABLE_ALTERNATIVES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from harness.ocppj.schemas import SchemaViolation
from harness.ocppj.versions import OcppVersion

#: jsonschema-rs error kind -> semantic class of the failure.
KEYWORD_CLASS: Final = {
    "Required": "occurrence",
    "MinItems": "occurrence",
    "MaxItems": "occurrence",
    "UniqueItems": "occurrence",
    "Type": "type",
    "Enum": "property",
    "Constant": "property",
    "MaxLength": "property",
    "MinLength": "property",
    "Maximum": "property",
    "Minimum": "property",
    "ExclusiveMaximum": "property",
    "ExclusiveMinimum": "property",
    "MultipleOf": "property",
    "Pattern": "property",
    "Format": "property",
    "AdditionalProperties": "format",
    "AdditionalItems": "format",
    "FalseSchema": "format",
}

#: semantic class -> the code each version spells for it.
CLASS_CODE: Final = {
    OcppVersion.V16: {
        "occurrence": "OccurenceConstraintViolation",
        "type": "TypeConstraintViolation",
        "property": "PropertyConstraintViolation",
        "format": "FormationViolation",
        "framing": "ProtocolError",
        "unknown-action": "NotImplemented",
        "unknown-message-type": "ProtocolError",
    },
    OcppVersion.V201: {
        "occurrence": "OccurrenceConstraintViolation",
        "type": "TypeConstraintViolation",
        "property": "PropertyConstraintViolation",
        "format": "FormatViolation",
        "framing": "RpcFrameworkError",
        "unknown-action": "NotImplemented",
        "unknown-message-type": "MessageTypeNotSupported",
    },
}
CLASS_CODE[OcppVersion.V21] = CLASS_CODE[OcppVersion.V201]

#: Codes a conforming peer may also answer a malformed payload with.
ACCEPTABLE_ALTERNATIVES: Final = {
    OcppVersion.V16: frozenset(
        {
            "FormationViolation",
            "PropertyConstraintViolation",
            "OccurenceConstraintViolation",
            "TypeConstraintViolation",
            "ProtocolError",
            "GenericError",
        }
    ),
    OcppVersion.V201: frozenset(
        {
            "FormatViolation",
            "PropertyConstraintViolation",
            "OccurrenceConstraintViolation",
            "TypeConstraintViolation",
            "ProtocolError",
            "GenericError",
        }
    ),
}
ACCEPTABLE_ALTERNATIVES[OcppVersion.V21] = ACCEPTABLE_ALTERNATIVES[OcppVersion.V201]


def code_for(version: OcppVersion, failure_class: str) -> str:
    """Return the CallError code `version` uses for a failure class (see module doc)."""
    return CLASS_CODE[version][failure_class]


def code_for_violations(version: OcppVersion, violations: Iterable[SchemaViolation]) -> str:
    """Return the preferred CallError code for a payload with these schema violations.

    When several kinds of violation occur, the first in the order occurrence, type, property,
    format wins: a missing field is reported before a badly typed one.
    """
    classes = {KEYWORD_CLASS.get(v.keyword, "format") for v in violations}
    for failure_class in ("occurrence", "type", "property", "format"):
        if failure_class in classes:
            return code_for(version, failure_class)
    return code_for(version, "format")
