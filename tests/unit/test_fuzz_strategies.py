"""The schema compiler, the Hypothesis strategies and the fast generators draw valid payloads.

The property tests cover every request and response schema of OCPP 1.6, 2.0.1 and 2.1: each
drawn example is serialized to JSON, parsed back (what a peer receives) and validated with
harness/ocppj/schemas.py.
"""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from harness.fuzz.generators import fast_generator_for, generator_for_node
from harness.fuzz.strategies import strategy_for, strategy_for_node
from harness.fuzz.strategies_compile import (
    ArrayNode,
    IntegerNode,
    NumberNode,
    ObjectNode,
    StringNode,
    UnsupportedSchema,
    compile_schema,
)
from harness.fuzz.strategies_formats import fit_uri
from harness.ocppj.schemas import PayloadKind, actions, load_schema, validate
from harness.ocppj.versions import OcppVersion

SCHEMAS = [
    pytest.param(version, action, kind, id=f"{version.value}-{action}-{kind.value}")
    for version in OcppVersion
    for action in sorted(actions(version))
    for kind in PayloadKind
    if load_schema(version, action, kind) is not None
]
OCPP_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z")


def _wire(payload: Any) -> Any:
    """The payload as the peer parses it."""
    return json.loads(json.dumps(payload, ensure_ascii=False))


def _problems(version: OcppVersion, action: str, kind: PayloadKind, payload: Any) -> str:
    violations = validate(version, action, kind, _wire(payload))
    return "; ".join(map(str, violations)) + f" in {json.dumps(payload)[:500]}"


def test_every_schema_is_covered() -> None:
    assert len(SCHEMAS) == 387  # 78 (1.6) + 128 (2.0.1) + 181 (2.1, one SEND has no response)


@pytest.mark.parametrize(("version", "action", "kind"), SCHEMAS)
def test_strategy_examples_validate(version: OcppVersion, action: str, kind: PayloadKind) -> None:
    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy_for(version, action, kind))
    def check(payload: dict[str, Any]) -> None:
        assert not validate(version, action, kind, _wire(payload)), _problems(
            version, action, kind, payload
        )

    check()


@pytest.mark.parametrize(("version", "action", "kind"), SCHEMAS)
def test_fast_generator_examples_validate(
    version: OcppVersion, action: str, kind: PayloadKind
) -> None:
    generate, rng = fast_generator_for(version, action, kind), random.Random(action)
    for _ in range(60):
        payload = generate(rng)
        assert not validate(version, action, kind, _wire(payload)), _problems(
            version, action, kind, payload
        )


def test_strategies_and_generators_are_cached_per_message() -> None:
    args = (OcppVersion.V201, "TransactionEvent", PayloadKind.REQUEST)
    assert strategy_for(*args) is strategy_for(*args)
    assert fast_generator_for(*args) is fast_generator_for(*args)
    with pytest.raises(KeyError, match="NoSuchAction"):
        strategy_for(OcppVersion.V16, "NoSuchAction", PayloadKind.REQUEST)


def test_fast_generator_is_reproducible_from_a_seed() -> None:
    generate = fast_generator_for(OcppVersion.V201, "TransactionEvent", PayloadKind.REQUEST)
    first = [generate(random.Random(7)) for _ in range(3)]
    assert first == [generate(random.Random(7)) for _ in range(3)]
    assert generate(random.Random(7)) != generate(random.Random(8))


def test_shrinking_drops_optional_fields() -> None:
    strategy = strategy_for(OcppVersion.V201, "BootNotification", PayloadKind.REQUEST)
    smallest = find(
        strategy,
        lambda p: "firmwareVersion" in p["chargingStation"],
        settings=settings(database=None),
        random=random.Random(0),
    )
    station = {"model": "", "vendorName": "", "firmwareVersion": ""}
    assert smallest == {"reason": "ApplicationReset", "chargingStation": station}


@settings(max_examples=200, deadline=None, database=None)
@given(st.data())
def test_decimal_multiple_of_is_exact(data: st.DataObject) -> None:
    schema = {"type": "number", "multipleOf": 0.1, "minimum": -5, "maximum": 1000}
    node = compile_schema(schema)
    value = data.draw(strategy_for_node(node))
    fast = generator_for_node(node)(random.Random(data.draw(st.integers(0, 2**32))))
    for number in (value, fast):
        text = json.dumps(number)
        assert Decimal(text) % Decimal("0.1") == 0, text  # 8.1, never 8.100000000000001
        assert -5 <= number <= 1000


def test_draft04_and_draft06_exclusive_bounds() -> None:
    draft04 = compile_schema(
        {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 10}
    )
    draft06 = compile_schema({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})
    assert draft04 == IntegerNode(1, 10)
    assert draft06 == IntegerNode(1, 9)
    number = compile_schema({"type": "number", "exclusiveMinimum": 0, "maximum": 1})
    assert isinstance(number, NumberNode) and number.lo_exclusive and number.lo == 0
    generate = generator_for_node(number)
    rng = random.Random(1)
    assert all(0 < generate(rng) <= 1 for _ in range(2000))


def test_unbounded_values_get_documented_limits() -> None:
    node = compile_schema(
        {
            "type": "object",
            "properties": {"n": {"type": "integer"}, "s": {"type": "string"}},
            "required": ["n"],
            "additionalProperties": False,
        }
    )
    assert isinstance(node, ObjectNode) and not node.extra
    assert node.props[0].node == IntegerNode(-(2**31), 2**31 - 1)
    assert node.props[1].node == StringNode(0, 64)
    assert compile_schema({"type": "array", "minItems": 2}) == ArrayNode(compile_schema({}), 2, 6)


def test_any_of_one_of_const_min_length_are_understood() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"anyOf": [{"type": "integer", "minimum": 5, "maximum": 5}, {"const": "x"}]},
            "b": {"oneOf": [{"type": "null"}, {"type": "boolean"}]},
            "c": {"type": "string", "minLength": 3, "maxLength": 3},
            "d": {"type": ["string", "integer"]},
        },
        "required": ["a", "b", "c", "d"],
        "additionalProperties": False,
    }
    node = compile_schema(schema)
    rng = random.Random(3)
    seen_a = set()
    for _ in range(200):
        value = generator_for_node(node)(rng)
        seen_a.add(value["a"])
        assert value["b"] in (None, True, False) and len(value["c"]) == 3
        assert isinstance(value["d"], str | int)
    assert seen_a == {5, "x"}
    found = find(strategy_for_node(node), lambda v: v["a"] == "x", settings=settings(database=None))
    assert found["a"] == "x"


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "email"},
        {"type": "object", "patternProperties": {"x": {}}},
        {"type": "array", "items": [{"type": "string"}]},
        {"$ref": "http://example.com/other.json"},
        {"type": "integer", "minimum": 3, "maximum": 2},
        {"type": "object", "anyOf": [{"required": ["a"]}]},
    ],
)
def test_unsupported_constructs_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema)


@settings(max_examples=100, deadline=None, database=None)
@given(st.data())
def test_date_times_take_the_ocpp_form(data: st.DataObject) -> None:
    node = compile_schema({"type": "string", "format": "date-time"})
    text = data.draw(strategy_for_node(node))
    fast = generator_for_node(node)(random.Random(data.draw(st.integers(0, 2**32))))
    for value in (text, fast):
        assert OCPP_TIMESTAMP.fullmatch(value), value
        assert "1970" <= value[:4] <= "2099"


@pytest.mark.parametrize(("low", "high"), [(0, 512), (0, 11), (0, 3), (40, 60)])
def test_uris_fit_their_length_and_validate(low: int, high: int) -> None:
    schema = {"type": "string", "format": "uri", "minLength": low, "maxLength": high}
    node, rng = compile_schema(schema), random.Random(high)
    generate = generator_for_node(node)
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    for _ in range(300):
        value = generate(rng)
        assert low <= len(value) <= high and validator.is_valid(value), value
    assert fit_uri("ftp", "h.test", 21, "a/b", "x=1", 0, 100) == "ftp://h.test:21/a/b?x=1"
