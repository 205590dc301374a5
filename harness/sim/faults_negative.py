"""Simulator faults proving the negative-conformance (NEG_) cases, one table per role."""

from __future__ import annotations

from harness.sim.fault import Fault

CSMS_NEGATIVE_FAULTS: dict[str, Fault] = {
    "csms-tx-id-reused-after-reconnect": Fault(
        "1.6: numbers transactions per connection: after a reconnect StartTransaction.conf "
        "hands out transactionIds 1, 2, ... again (1.6 §4.8: the id identifies one transaction)",
        ("FUZZ_16_CSMS_stateful",),
    ),
    "csms-offline-token-trusted": Fault(
        "2.0.1: a TransactionEvent sent with offline true is answered idTokenInfo Accepted "
        "whatever the token (C01, E04: the CSMS checks the token of events queued offline)",
        ("FUZZ_201_CSMS_stateful",),
    ),
    "fuzz-crash-on-optional-field": Fault(
        "answers CALLERROR InternalError to a station message that carries an optional "
        "top-level field (handles only the required ones; OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.3)",
        ("FUZZ_16_CSMS_valid_payloads", "FUZZ_201_CSMS_valid_payloads"),
    ),
    "drop-on-bad-frame": Fault(
        "closes the websocket (1002) when a frame cannot be parsed, instead of answering it "
        "with a CALLERROR (OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.2.3)",
        ("NEG_16_CSMS_framing", "NEG_201_CSMS_framing"),
    ),
}
STATION_NEGATIVE_FAULTS: dict[str, Fault] = {
    "fuzz-crash-on-optional-field": Fault(
        "answers CALLERROR InternalError to a CSMS command that carries an optional "
        "top-level field (handles only the required ones; OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.3)",
        ("FUZZ_16_CS_valid_payloads", "FUZZ_201_CS_valid_payloads"),
    ),
    "drop-on-bad-frame": Fault(
        "closes the websocket (1002) when a frame cannot be parsed, instead of answering it "
        "with a CALLERROR (OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.2.3)",
        ("NEG_16_CS_framing", "NEG_201_CS_framing"),
    ),
    "wrong-error-code": Fault(
        "answers malformed CALLs with GenericError instead of the suggested code",
        ("NEG_16_CS_framing", "NEG_201_CS_framing"),
    ),
}
