"""A handler's way to answer a station's CALL with a chosen CALLERROR instead of a result."""

from __future__ import annotations


class CallErrorReply(Exception):
    """Raised by a request handler: answer with CALLERROR `code` and `description`.

    OCPP-J (2.0.1 Part 4 §4.3): the error code says why the receiver could not process the
    CALL. The reference CSMS raises it only under fault switches that imitate CSMSs which
    reject valid requests.
    """

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description[:255]
