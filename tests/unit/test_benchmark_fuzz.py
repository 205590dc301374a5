"""Smoke test of benchmarks/fuzz.py in a tiny mode: the JSON has the documented shape.

No rate is asserted (speed claims live in benchmarks/README.md); only that every drawn
example was schema-valid and every CALL was answered.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_fuzz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_json_output_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--examples", "20", "--hypothesis-examples", "3", "--exchanges", "12", "--repeats", "1"]
    assert bench.main([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    messages = {bench.message_key(*m) for m in bench.MESSAGES}
    assert "TransactionEventRequest" in messages and "BootNotificationRequest" in messages
    assert set(result) == messages | {"exchanges", "method"}
    for key in messages:
        entry = result[key]
        assert set(entry) == {"version", "examples_per_s", "hypothesis_examples_per_s", "invalid"}
        assert entry["invalid"] == 0, key
        assert entry["examples_per_s"] > 0 and entry["hypothesis_examples_per_s"] > 0
    assert set(result["exchanges"]) == {"2.0.1", "1.6"}
    for version, entry in result["exchanges"].items():
        assert set(entry) == {"exchanges_per_s", "answered", "outcomes"}
        assert entry["answered"] == 12, (version, entry)
        assert "unanswered" not in entry["outcomes"]
    assert result["method"]["repeats"] == 1 and result["method"]["exchanges"] == 12
