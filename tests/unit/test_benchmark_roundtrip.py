"""Smoke test of benchmarks/roundtrip.py: every stack completes round trips (no timing asserted)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from harness.ocppj.schemas import PayloadKind, validate
from harness.ocppj.versions import OcppVersion

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "roundtrip.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_roundtrip", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


roundtrip = _load()


def test_transaction_event_payload_is_schema_valid() -> None:
    payload = roundtrip.transaction_event()
    assert validate(OcppVersion.V201, "TransactionEvent", PayloadKind.REQUEST, payload) == ()
    assert len(payload["meterValue"][0]["sampledValue"]) == 8


@pytest.mark.parametrize("stack", ["raw", "harness", "ocpp_lib"])
def test_measure_returns_positive_rates(stack: str) -> None:
    rates = asyncio.run(asyncio.wait_for(roundtrip.measure(stack, 20, warmup=2), 120))
    assert set(rates) == {"Heartbeat", "TransactionEvent"}
    assert all(rate > 0 for rate in rates.values())


def test_json_output_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert roundtrip.main(["--requests", "5", "--repeats", "1", "--warmup", "0", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"Heartbeat", "TransactionEvent", "method"}
    for action in ("Heartbeat", "TransactionEvent"):
        assert set(result[action]) == {
            "raw_rps",
            "harness_rps",
            "ocpp_lib_rps",
            "harness_vs_raw",
            "harness_vs_ocpp_lib",
        }


def test_ocpp_lib_sends_the_same_transaction_event() -> None:
    from ocpp.charge_point import (  # type: ignore[import-untyped]
        camel_to_snake_case,
        remove_nones,
        serialize_as_dict,
        snake_to_camel_case,
    )
    from ocpp.v201 import call  # type: ignore[import-untyped]

    payload = roundtrip.transaction_event()
    request = call.TransactionEvent(**camel_to_snake_case(payload))
    assert remove_nones(snake_to_camel_case(serialize_as_dict(request))) == payload
