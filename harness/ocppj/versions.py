"""OCPP versions, their websocket subprotocols and their RPC framework vocabulary."""

from __future__ import annotations

import enum
from typing import Final


class OcppVersion(enum.Enum):
    """An OCPP-J protocol version, valued by its catalog spelling."""

    V16 = "1.6"
    V201 = "2.0.1"
    V21 = "2.1"

    @property
    def subprotocol(self) -> str:
        """Websocket subprotocol name (OCPP-J 1.6 §3.1.2, 2.0.1 Part 4 §3.1.2)."""
        return SUBPROTOCOLS[self]

    @property
    def schema_package(self) -> str:
        """Subpackage of the `ocpp` distribution that ships this version's JSON schemas."""
        return {OcppVersion.V16: "v16", OcppVersion.V201: "v201", OcppVersion.V21: "v21"}[self]

    @property
    def error_codes(self) -> frozenset[str]:
        """Every CallError code this version allows."""
        return ERROR_CODES[self]

    @classmethod
    def parse(cls, text: str) -> OcppVersion:
        """Accept `1.6`, `2.0.1`, `2.1` and the subprotocol spellings `ocpp1.6` ..."""
        spelled = text.strip().lower().removeprefix("ocpp")
        for version in cls:
            if version.value == spelled:
                return version
        raise ValueError(f"unknown OCPP version {text!r}; expected one of 1.6, 2.0.1, 2.1")


SUBPROTOCOLS: Final = {
    OcppVersion.V16: "ocpp1.6",
    OcppVersion.V201: "ocpp2.0.1",
    OcppVersion.V21: "ocpp2.1",
}

#: OCPP-J 1.6 §4.2.3 table; note the spec's own spellings FormationViolation and
#: OccurenceConstraintViolation.
_ERROR_CODES_16: Final = frozenset(
    {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    }
)

#: OCPP 2.0.1 Part 4 §4.3 Table 8 (2.1 Part 4 keeps the same table).
_ERROR_CODES_2X: Final = frozenset(
    {
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    }
)

ERROR_CODES: Final = {
    OcppVersion.V16: _ERROR_CODES_16,
    OcppVersion.V201: _ERROR_CODES_2X,
    OcppVersion.V21: _ERROR_CODES_2X,
}


def version_for_subprotocol(name: str) -> OcppVersion | None:
    """Return the version whose subprotocol is `name`, or None."""
    for version, protocol in SUBPROTOCOLS.items():
        if protocol == name:
            return version
    return None
