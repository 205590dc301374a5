"""Recover the exact frames of one exchange from the wire log, for failure reports."""

from __future__ import annotations

import json

from harness.transport.wirelog import WireLog

#: How far back in the in-memory wire log to look for a frame.
LOOKBACK = 400


def frames_of(wirelog: WireLog, message_id: str) -> list[str]:
    """The CALL and its answer (as sent and received) with MessageId `message_id`, in order.

    Frames are rendered `-> text` (sent by the harness) and `<- text` (sent by the DUT).
    """
    found: list[str] = []
    quoted = json.dumps(message_id)
    for entry in list(wirelog.recent)[-LOOKBACK:]:
        if entry.kind != "frame" or quoted not in entry.text:
            continue
        try:
            frame = json.loads(entry.text)
        except ValueError:
            continue
        if isinstance(frame, list) and len(frame) > 1 and frame[1] == message_id:
            found.append(("-> " if entry.direction == "out" else "<- ") + entry.text)
    return found
