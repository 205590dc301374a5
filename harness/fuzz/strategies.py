"""Hypothesis strategies for every OCPP request and response, built from the official schemas.

Public API (the stateful fuzzer and `replay` build on it; keep it small):

* `strategy_for(version, action, kind)`: a cached strategy of schema-valid payloads;
* `strategy_for_node(node)`: the same for an already compiled model (strategies_compile.py);
* `fast_generator_for` lives in `generators.py`: the same model drawn with `random.Random`,
  for throughput without shrinking.

No hypothesis-jsonschema: the schema is compiled once (`strategies_compile.compiled`) and the
model maps one to one onto native strategies, so shrinking works on the payload structure
(optional properties drop out, arrays shorten, strings and numbers move towards their minimum).
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache
from typing import Any, Final

from hypothesis import strategies as st

from harness.fuzz import strategies_formats as fmt
from harness.fuzz.strategies_compile import (
    INT32_MAX,
    INT32_MIN,
    AnyNode,
    ArrayNode,
    BooleanNode,
    ChoiceNode,
    IntegerNode,
    Node,
    NullNode,
    NumberNode,
    ObjectNode,
    StringNode,
    UnionNode,
    UnsupportedSchema,
    compiled,
)
from harness.ocppj.schemas import PayloadKind
from harness.ocppj.versions import OcppVersion

Strategy = st.SearchStrategy[Any]

#: Leaves of an unconstrained JSON value (AnyNode); bounded so examples stay small.
_JSON_SCALARS: Strategy = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(INT32_MIN, INT32_MAX),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(codec="utf-8"), max_size=16),
)
ANY_JSON: Strategy = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(fmt.PATH_CHARS, min_size=1, max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@cache
def strategy_for(version: OcppVersion, action: str, kind: PayloadKind) -> Strategy:
    """Schema-valid payloads of `action`'s request or response (KeyError: no such schema)."""
    return strategy_for_node(compiled(version, action, kind))


def strategy_for_node(node: Node) -> Strategy:
    """The strategy of one compiled schema node."""
    if isinstance(node, ObjectNode):
        return _object(node)
    if isinstance(node, ArrayNode):
        items = strategy_for_node(node.items)
        return st.lists(items, min_size=node.min_items, max_size=node.max_items)
    if isinstance(node, StringNode):
        return _string(node)
    if isinstance(node, IntegerNode):
        return _integer(node)
    if isinstance(node, NumberNode):
        return _number(node)
    if isinstance(node, BooleanNode):
        return st.booleans()
    if isinstance(node, NullNode):
        return st.none()
    if isinstance(node, ChoiceNode):
        return st.sampled_from(node.values)
    if isinstance(node, UnionNode):
        return st.one_of(*(strategy_for_node(option) for option in node.options))
    assert isinstance(node, AnyNode), node
    return ANY_JSON


#: Marks an optional property left out (never part of a payload).
_ABSENT: Final = object()


def _object(node: ObjectNode) -> Strategy:
    """Required properties, then each optional one as "absent or a value", in schema order.

    Not `st.fixed_dictionaries(optional=...)`: that draws the optional keys in a shuffled
    order, and its shrinker then often keeps an optional property it could drop; here each
    optional property is one `one_of` whose simplest branch is "absent".
    """
    names = [p.name for p in node.props]
    parts = [
        strategy_for_node(p.node) if p.required else st.just(_ABSENT) | strategy_for_node(p.node)
        for p in node.props
    ]

    def build(values: tuple[Any, ...]) -> dict[str, Any]:
        return {
            name: value for name, value in zip(names, values, strict=True) if value is not _ABSENT
        }

    fixed = st.tuples(*parts).map(build)
    if not node.extra:
        return fixed
    declared = set(names)
    extra_names = st.text(fmt.PATH_CHARS, min_size=1, max_size=12).filter(
        lambda n: n not in declared
    )
    extras = st.dictionaries(extra_names, ANY_JSON, max_size=2)
    return st.tuples(extras, fixed).map(lambda pair: {**pair[0], **pair[1]})


def _string(node: StringNode) -> Strategy:
    if node.fmt == "date-time":
        moments = st.datetimes(min_value=fmt.EARLIEST, max_value=fmt.LATEST)
        return st.builds(fmt.ocpp_timestamp, moments, st.integers(0, 3))
    if node.fmt == "uri":
        return _uri(node)
    if node.pattern is not None:
        text = st.from_regex(node.pattern, fullmatch=True)
        return text.filter(lambda s: node.min_len <= len(s) <= node.max_len)
    return st.text(st.characters(codec="utf-8"), min_size=node.min_len, max_size=node.max_len)


def _uri(node: StringNode) -> Strategy:
    label = st.text(fmt.HOST_CHARS, min_size=1, max_size=12)
    host = st.builds(lambda name, tld: f"{name}.{tld}", label, st.sampled_from(fmt.RESERVED_TLDS))
    return st.builds(
        fmt.fit_uri,
        st.sampled_from(fmt.SCHEMES),
        host,
        st.none() | st.integers(1, 65535),
        st.text(fmt.PATH_CHARS + "/", max_size=40),
        st.text(fmt.PATH_CHARS + "=&", max_size=20),
        st.just(node.min_len),
        st.just(node.max_len),
    )


def _integer(node: IntegerNode) -> Strategy:
    if node.multiple_of is None:
        return st.integers(node.lo, node.hi)
    step = node.multiple_of
    return st.integers(node.lo // step, node.hi // step).map(lambda k: k * step)


def multiples_range(node: NumberNode) -> tuple[int, int]:
    """The k range such that k * multipleOf lies within the node's bounds (inclusive)."""
    assert node.multiple_of is not None
    step = node.multiple_of
    low = math.ceil(Decimal(repr(node.lo)) / step)
    high = math.floor(Decimal(repr(node.hi)) / step)
    if node.lo_exclusive and low * step == Decimal(repr(node.lo)):
        low += 1
    if node.hi_exclusive and high * step == Decimal(repr(node.hi)):
        high -= 1
    if high < low:
        raise UnsupportedSchema(f"no multiple of {step} in the range of {node}")
    return low, high


def decimal_multiple(k: int, step: Decimal) -> float | int:
    """k * step as the float whose shortest repr is that decimal (8.1, never 8.100000000000001)."""
    value = Decimal(k) * step
    return int(value) if step == step.to_integral_value() else float(value)


def _number(node: NumberNode) -> Strategy:
    if node.multiple_of is not None:
        low, high = multiples_range(node)
        step = node.multiple_of
        return st.integers(low, high).map(lambda k: decimal_multiple(k, step))
    floats = st.floats(
        node.lo,
        node.hi,
        exclude_min=node.lo_exclusive,
        exclude_max=node.hi_exclusive,
        allow_nan=False,
        allow_infinity=False,
    )
    int_low = math.floor(node.lo) + 1 if node.lo_exclusive else math.ceil(node.lo)
    int_high = math.ceil(node.hi) - 1 if node.hi_exclusive else math.floor(node.hi)
    if int_high < int_low:
        return floats
    return st.integers(int_low, int_high) | floats
