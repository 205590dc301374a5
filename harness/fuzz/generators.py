"""Fast schema-valid payload generators: the compiled schema model drawn with `random.Random`.

Hypothesis spends about 5-6 ms per TransactionEventRequest (its choice tracking, not the test
engine: drawing many examples inside one `st.data()` test is no faster; benchmarks/fuzz.py).
For throughput (soak fuzzing, load) this module compiles the same `strategies_compile` model
into plain closures over a `random.Random`, tens of times faster, with no shrinking.

`fast_generator_for(version, action, kind)` returns `generate(rng) -> payload`; the same `rng`
state gives the same payload, so a seed reproduces a run.

Distribution, chosen to resemble Hypothesis's bias towards edges (the bounds, the formats and
the structure are the model's, shared with `strategies.py`):

* optional properties present with probability 1/2; undeclared properties (where allowed)
  in 1 of 10 objects;
* array lengths and string lengths at their minimum in 30 % / 15 % of draws, at their maximum
  in 10 %, otherwise mostly short;
* integers and numbers at a bound (or next to it, or 0) in 25 % of draws, small in 35 %,
  otherwise uniform over the range; numbers with `multipleOf` are exact decimals (8.1);
* strings are printable ASCII in 85 % of draws, otherwise include escapes, controls and
  2-4 byte UTF-8 characters (`strategies_formats.WIDE`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from functools import cache
from typing import Any

from harness.fuzz import strategies_formats as fmt
from harness.fuzz.strategies import decimal_multiple, multiples_range
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

Generate = Callable[[random.Random], Any]


@cache
def fast_generator_for(version: OcppVersion, action: str, kind: PayloadKind) -> Generate:
    """A cached `generate(rng)` of schema-valid payloads (KeyError: no such schema)."""
    return generator_for_node(compiled(version, action, kind))


def generator_for_node(node: Node) -> Generate:
    """The fast generator of one compiled schema node."""
    if isinstance(node, ObjectNode):
        return _object(node)
    if isinstance(node, ArrayNode):
        return _array(node)
    if isinstance(node, StringNode):
        return _string(node)
    if isinstance(node, IntegerNode):
        return _integer(node)
    if isinstance(node, NumberNode):
        return _number(node)
    if isinstance(node, BooleanNode):
        return lambda rng: rng.random() < 0.5
    if isinstance(node, NullNode):
        return lambda rng: None
    if isinstance(node, ChoiceNode):
        values = node.values
        return lambda rng: values[rng.randrange(len(values))]
    if isinstance(node, UnionNode):
        options = [generator_for_node(option) for option in node.options]
        return lambda rng: options[rng.randrange(len(options))](rng)
    assert isinstance(node, AnyNode), node
    return any_json


def any_json(rng: random.Random, depth: int = 0) -> Any:
    """A small arbitrary JSON value (at most 2 levels of nesting)."""
    roll = rng.random()
    if depth >= 2 or roll < 0.6:
        return _scalar(rng)
    if roll < 0.8:
        return [any_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {_name(rng): any_json(rng, depth + 1) for _ in range(rng.randrange(4))}


def _scalar(rng: random.Random) -> Any:
    pick = rng.randrange(5)
    if pick == 0:
        return None
    if pick == 1:
        return rng.random() < 0.5
    if pick == 2:
        return rng.randint(INT32_MIN, INT32_MAX)
    if pick == 3:
        return rng.uniform(-1e6, 1e6)
    return "".join(rng.choices(fmt.WIDE, k=rng.randrange(17)))


def _name(rng: random.Random) -> str:
    return "".join(rng.choices(fmt.PATH_CHARS, k=rng.randint(1, 12)))


def _object(node: ObjectNode) -> Generate:
    required = [(p.name, generator_for_node(p.node)) for p in node.props if p.required]
    optional = [(p.name, generator_for_node(p.node)) for p in node.props if not p.required]
    declared = {p.name for p in node.props}
    extra = node.extra

    def generate(rng: random.Random) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if extra and rng.random() < 0.1:
            for _ in range(rng.randint(1, 2)):
                name = _name(rng)
                if name not in declared:
                    out[name] = any_json(rng)
        for name, sub in required:
            out[name] = sub(rng)
        for name, sub in optional:
            if rng.random() < 0.5:
                out[name] = sub(rng)
        return out

    return generate


def _length(rng: random.Random, low: int, high: int, p_min: float) -> int:
    roll = rng.random()
    if roll < p_min or high == low:
        return low
    if roll < p_min + 0.1:
        return high
    if roll < 0.85:
        return rng.randint(low, min(high, low + 8))
    return rng.randint(low, high)


def _array(node: ArrayNode) -> Generate:
    item, low, high = generator_for_node(node.items), node.min_items, node.max_items
    return lambda rng: [item(rng) for _ in range(_length(rng, low, high, 0.3))]


def _string(node: StringNode) -> Generate:
    if node.pattern is not None:
        raise UnsupportedSchema(f"the fast generator does not draw patterns ({node.pattern!r})")
    if node.fmt == "date-time":
        return lambda rng: fmt.timestamp_from_ms(rng.randrange(fmt.SPAN_MS + 1), rng.randrange(4))
    if node.fmt == "uri":
        return _uri(node)
    low, high = node.min_len, node.max_len

    def generate(rng: random.Random) -> str:
        size = _length(rng, low, high, 0.15)
        if size == 0:
            return ""
        noise = rng.getrandbits(8 * size).to_bytes(size, "little")
        if rng.random() < 0.85:
            return noise.translate(_ASCII_TABLE).decode("ascii")
        return "".join(map(_WIDE_TABLE.__getitem__, noise))

    return generate


#: Byte -> character tables that turn random bytes into text at C speed.
_ASCII_TABLE = bytes(ord(fmt.ASCII[b % len(fmt.ASCII)]) for b in range(256))
_WIDE_TABLE = tuple(fmt.WIDE[b % len(fmt.WIDE)] for b in range(256))


def _uri(node: StringNode) -> Generate:
    low, high = node.min_len, node.max_len

    def generate(rng: random.Random) -> str:
        host = "".join(rng.choices(fmt.HOST_CHARS, k=rng.randint(1, 12)))
        port = rng.randint(1, 65535) if rng.random() < 0.3 else None
        path = "".join(rng.choices(fmt.PATH_CHARS + "/", k=rng.randrange(41)))
        query = "".join(rng.choices(fmt.PATH_CHARS + "=&", k=rng.randrange(21)))
        host = f"{host}.{rng.choice(fmt.RESERVED_TLDS)}"
        return fmt.fit_uri(rng.choice(fmt.SCHEMES), host, port, path, query, low, high)

    return generate


def _edgy_int(low: int, high: int) -> Callable[[random.Random], int]:
    edges = sorted({v for v in (low, high, low + 1, high - 1, 0, 1, -1) if low <= v <= high})
    small_low, small_high = max(low, -100), min(high, 100)
    has_small = small_low <= small_high

    def draw(rng: random.Random) -> int:
        roll = rng.random()
        if roll < 0.25:
            return edges[rng.randrange(len(edges))]
        if roll < 0.6 and has_small:
            return rng.randint(small_low, small_high)
        return rng.randint(low, high)

    return draw


def _integer(node: IntegerNode) -> Generate:
    if node.multiple_of is None:
        return _edgy_int(node.lo, node.hi)
    step = node.multiple_of
    draw = _edgy_int(node.lo // step, node.hi // step)
    return lambda rng: draw(rng) * step


def _number(node: NumberNode) -> Generate:
    if node.multiple_of is not None:
        step = node.multiple_of
        draw = _edgy_int(*multiples_range(node))
        return lambda rng: decimal_multiple(draw(rng), step)
    lo = math.nextafter(node.lo, math.inf) if node.lo_exclusive else node.lo
    hi = math.nextafter(node.hi, -math.inf) if node.hi_exclusive else node.hi
    int_low, int_high = math.ceil(lo), math.floor(hi)
    whole = _edgy_int(int_low, int_high) if int_low <= int_high else None
    edges = [lo, hi] + ([0.0] if lo <= 0.0 <= hi else [])

    def generate(rng: random.Random) -> float | int:
        roll = rng.random()
        if roll < 0.2:
            return edges[rng.randrange(len(edges))]
        if roll < 0.5 and whole is not None:
            return whole(rng)
        return min(hi, max(lo, rng.uniform(lo, hi)))

    return generate
