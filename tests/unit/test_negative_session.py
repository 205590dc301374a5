"""The sans-I/O session's support for negative tests: raw frames and their answers."""

from __future__ import annotations

from harness.ocppj.events import CallReceived, ErrorReceived, ResultReceived
from harness.ocppj.session import Session
from harness.ocppj.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201
LONG_ID = "L" * 37


def test_raw_text_that_is_no_call_is_tracked_only_when_an_answer_is_expected() -> None:
    session = Session(V201)
    assert session.send_raw("not json", 0.0) is None
    pending = session.send_raw("not json", 0.0, timeout=5, expect_answer=True)
    assert pending is not None and pending.message_id == "-1" and pending.action == ""
    [event] = session.receive_text('[4,"-1","RpcFrameworkError","bad",{}]', 1.0)
    assert isinstance(event, ErrorReceived) and event.request is pending
    assert session.deviations == []


def test_a_readable_id_of_a_broken_frame_is_where_the_answer_is_expected() -> None:
    session = Session(V201)
    pending = session.send_raw('[7,"m7","Heartbeat",{}]', 0.0, expect_answer=True)
    assert pending is not None and pending.message_id == "m7"
    [event] = session.receive_text('[4,"m7","MessageTypeNotSupported","",{}]', 0.1)
    assert isinstance(event, ErrorReceived)


def test_minus_one_answers_the_oldest_raw_call_pending() -> None:
    session = Session(V16)
    first = session.send_raw(f'[2,"{LONG_ID}","Heartbeat",{{}}]', 0.0)
    assert first is not None
    [event] = session.receive_text('[4,"-1","ProtocolError","id too long",{}]', 0.1)
    assert isinstance(event, ErrorReceived) and event.request is first
    assert session.deviations == []


def test_an_echoed_long_id_answering_our_raw_call_is_no_deviation() -> None:
    session = Session(V201)
    session.send_raw(f'[2,"{LONG_ID}","Heartbeat",{{}}]', 0.0)
    [event] = session.receive_text(f'[4,"{LONG_ID}","RpcFrameworkError","",{{}}]', 0.1)
    assert isinstance(event, ErrorReceived)
    assert session.deviations == []
    session.receive_text(f'[3,"{LONG_ID}",{{}}]', 0.2)  # a second answer: its id is judged
    too_long = session.deviations[0]
    assert (too_long.level.value, too_long.ref) == ("MUST", "OCPP-J 2.0.1 §4.1.4")
    assert "37 characters" in too_long.message


def test_a_result_to_a_raw_call_of_an_unknown_action_is_correlated() -> None:
    session = Session(V201)
    session.send_raw('[2,"u1","NoSuchAction",{}]', 0.0)
    [event] = session.receive_text('[3,"u1",{}]', 0.1)
    assert isinstance(event, ResultReceived) and event.violations == ()


def test_a_received_call_with_a_too_long_id_gets_the_framing_code() -> None:
    for version, code in ((V16, "ProtocolError"), (V201, "RpcFrameworkError")):
        session = Session(version)
        [event] = session.receive_text(f'[2,"{LONG_ID}","Heartbeat",{{}}]', 0.0)
        assert isinstance(event, CallReceived)
        assert event.error_code == code
        assert event.reason == "MessageId longer than 36 characters"
        assert session.send_error(LONG_ID, code, event.reason).startswith(f'[4,"{LONG_ID}"')
