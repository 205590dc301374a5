"""Hypothesis strategies of whole OCPP-J frames: schema-valid CALLs and frame-shaped noise.

* `call_frames(version, actions)`: `[2, id, action, payload]` text with a schema-valid request;
* `result_payloads(version, action)`: schema-valid CALLRESULT payloads (the response schema);
* `frame_noise(version)`: JSON arrays shaped like frames but with any element of any type,
  plus text that is not JSON at all, for receivers that must never crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from harness.fuzz.strategies import ANY_JSON, strategy_for
from harness.ocppj.frames import MAX_MESSAGE_ID_LENGTH, Call, serialize
from harness.ocppj.schemas import PayloadKind, actions
from harness.ocppj.versions import OcppVersion

Strategy = st.SearchStrategy[Any]

#: Message ids as OCPP-J allows them (at most 36 characters).
MESSAGE_IDS: st.SearchStrategy[str] = st.text(
    st.characters(codec="utf-8"), min_size=1, max_size=MAX_MESSAGE_ID_LENGTH
)


def call_frames(version: OcppVersion, names: Iterable[str] | None = None) -> st.SearchStrategy[str]:
    """Text of CALL frames with schema-valid requests of `names` (default: every action)."""
    chosen = sorted(names if names is not None else actions(version))
    per_action = [
        st.builds(
            lambda message_id, payload, action=action: serialize(Call(message_id, action, payload)),
            MESSAGE_IDS,
            strategy_for(version, action, PayloadKind.REQUEST),
        )
        for action in chosen
    ]
    return st.one_of(*per_action)


def result_payloads(version: OcppVersion, action: str) -> Strategy:
    """Schema-valid CALLRESULT payloads of `action`."""
    return strategy_for(version, action, PayloadKind.RESPONSE)


def frame_noise(version: OcppVersion) -> st.SearchStrategy[str]:
    """Frame-shaped JSON with wrong types and arities, and text that is not JSON."""
    known = sorted(actions(version))
    element = st.one_of(
        st.integers(-1, 8),
        MESSAGE_IDS,
        st.sampled_from(known),
        ANY_JSON,
    )
    arrays = st.lists(element, max_size=6).map(lambda items: json.dumps(items))
    return st.one_of(arrays, st.text(st.characters(codec="utf-8"), max_size=80))
