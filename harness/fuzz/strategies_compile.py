"""Compile an official OCPP JSON schema into a small value model both generators share.

The model (`Node` and its kinds) is what `strategies.py` turns into Hypothesis strategies and
`generators.py` into plain `random.Random` generators, so both draw from the same bounds,
formats and shapes. Only JSON Schema keywords that the OCPP 1.6 (draft-04), 2.0.1 and 2.1
(draft-06) schemas use, plus anyOf/oneOf/const/minLength/pattern, are understood; any other
constraining keyword raises `UnsupportedSchema` instead of being silently ignored. oneOf is
drawn like anyOf, so its branches must not overlap (no official OCPP schema uses either).

Schemas leave some values unbounded; `Limits` keeps examples finite: integers default to the
32-bit range (OCPP 2.0.1 Part 2 primitive datatypes: integer is 32 bit), numbers to the same
magnitude, strings without maxLength to `Limits.max_string`, arrays to minItems +
`Limits.max_extra_items`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Final

from harness.ocppj.schemas import PayloadKind, load_schema
from harness.ocppj.versions import OcppVersion

#: Keywords that annotate and never constrain a value.
ANNOTATIONS: Final = frozenset(
    {
        "$schema", "$id", "id", "$comment", "comment", "description", "title", "default",
        "examples", "javaType", "tsEnumNames", "definitions", "$defs",
    }
)  # fmt: skip
#: Constraining keywords this compiler understands.
UNDERSTOOD: Final = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "additionalItems",
        "minItems", "maxItems", "minLength", "maxLength", "format", "pattern", "enum", "const",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf",
        "oneOf", "$ref",
    }
)  # fmt: skip
FORMATS: Final = frozenset({"date-time", "uri"})
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1


class UnsupportedSchema(ValueError):
    """The schema uses a keyword or construct the compiler does not understand."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied where a schema leaves a size or a range open."""

    max_string: int = 64
    max_extra_items: int = 4
    int_min: int = INT32_MIN
    int_max: int = INT32_MAX
    number_magnitude: float = float(INT32_MAX)


@dataclass(frozen=True, slots=True)
class Prop:
    """One declared property of an object."""

    name: str
    node: Node
    required: bool


@dataclass(frozen=True, slots=True)
class ObjectNode:
    """An object; `extra` when the schema allows undeclared properties."""

    props: tuple[Prop, ...]
    extra: bool


@dataclass(frozen=True, slots=True)
class ArrayNode:
    """An array of `items`, `min_items` to `max_items` long (both inclusive)."""

    items: Node
    min_items: int
    max_items: int


@dataclass(frozen=True, slots=True)
class StringNode:
    """A string of `min_len`..`max_len` code points, or of a `fmt` / `pattern`."""

    min_len: int
    max_len: int
    fmt: str | None = None
    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class IntegerNode:
    """An integer in [lo, hi], a multiple of `multiple_of` when set."""

    lo: int
    hi: int
    multiple_of: int | None = None


@dataclass(frozen=True, slots=True)
class NumberNode:
    """A number between lo and hi; exclusive ends flagged; decimal `multiple_of` when set."""

    lo: float
    hi: float
    lo_exclusive: bool = False
    hi_exclusive: bool = False
    multiple_of: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BooleanNode:
    """true or false."""


@dataclass(frozen=True, slots=True)
class NullNode:
    """null."""


@dataclass(frozen=True, slots=True)
class ChoiceNode:
    """One of fixed values (enum, const)."""

    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class UnionNode:
    """One of several alternatives (anyOf, oneOf, a list of types)."""

    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyNode:
    """Any JSON value (a schema that constrains nothing, e.g. DataTransfer `data` in 2.x)."""


Node = (
    ObjectNode
    | ArrayNode
    | StringNode
    | IntegerNode
    | NumberNode
    | BooleanNode
    | NullNode
    | ChoiceNode
    | UnionNode
    | AnyNode
)


@cache
def compiled(version: OcppVersion, action: str, kind: PayloadKind) -> Node:
    """The model of the official schema of `action` (KeyError when the version lacks it)."""
    schema = load_schema(version, action, kind)
    if schema is None:
        raise KeyError(f"OCPP {version.value} has no {kind.value} schema for {action!r}")
    return compile_schema(schema)


def compile_schema(schema: dict[str, Any], limits: Limits | None = None) -> Node:
    """Compile a whole schema document (its `definitions` resolve local `$ref`s)."""
    return _Compiler(schema, limits or Limits()).node(schema, "#", ())


class _Compiler:
    def __init__(self, root: dict[str, Any], limits: Limits) -> None:
        self.root = root
        self.limits = limits

    def resolve(self, ref: str, where: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise UnsupportedSchema(f"{where}: only local $ref is supported, saw {ref!r}")
        target: Any = self.root
        for part in ref[2:].split("/"):
            if not isinstance(target, dict) or part not in target:
                raise UnsupportedSchema(f"{where}: $ref {ref!r} resolves to nothing")
            target = target[part]
        if not isinstance(target, dict):
            raise UnsupportedSchema(f"{where}: $ref {ref!r} is not a schema object")
        return target

    def node(self, schema: Any, where: str, refs: tuple[str, ...]) -> Node:
        if schema is True or schema == {}:
            return AnyNode()
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"{where}: expected a schema object, saw {schema!r}")
        unknown = sorted(set(schema) - ANNOTATIONS - UNDERSTOOD)
        if unknown:
            raise UnsupportedSchema(f"{where}: unsupported keyword(s) {unknown}")
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in refs:
                raise UnsupportedSchema(f"{where}: recursive $ref {ref!r}")
            return self.node(self.resolve(ref, where), ref, (*refs, ref))
        if "const" in schema:
            return ChoiceNode((schema["const"],))
        if "enum" in schema:
            return ChoiceNode(tuple(schema["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                if set(schema) & UNDERSTOOD - {key}:
                    raise UnsupportedSchema(f"{where}: {key} next to other constraints")
                options = [
                    self.node(s, f"{where}/{key}/{i}", refs) for i, s in enumerate(schema[key])
                ]
                return UnionNode(tuple(options))
        kind = schema.get("type")
        if isinstance(kind, list):
            return UnionNode(tuple(self.typed(schema, str(t), where, refs) for t in kind))
        if kind is None:
            if set(schema) - ANNOTATIONS:
                raise UnsupportedSchema(f"{where}: constraints without a type")
            return AnyNode()
        return self.typed(schema, str(kind), where, refs)

    def typed(self, schema: dict[str, Any], kind: str, where: str, refs: tuple[str, ...]) -> Node:
        if kind == "object":
            return self.object(schema, where, refs)
        if kind == "array":
            return self.array(schema, where, refs)
        if kind == "string":
            return self.string(schema, where)
        if kind == "integer":
            return self.integer(schema, where)
        if kind == "number":
            return self.number(schema, where)
        if kind == "boolean":
            return BooleanNode()
        if kind == "null":
            return NullNode()
        raise UnsupportedSchema(f"{where}: unknown type {kind!r}")

    def object(self, schema: dict[str, Any], where: str, refs: tuple[str, ...]) -> ObjectNode:
        required = set(schema.get("required", ()))
        declared: dict[str, Any] = schema.get("properties", {})
        missing = sorted(required - set(declared))
        if missing:
            raise UnsupportedSchema(f"{where}: required but undeclared properties {missing}")
        extra = schema.get("additionalProperties", True)
        if extra not in (True, False):
            raise UnsupportedSchema(f"{where}: additionalProperties as a schema")
        props = tuple(
            Prop(name, self.node(sub, f"{where}/properties/{name}", refs), name in required)
            for name, sub in declared.items()
        )
        return ObjectNode(props, bool(extra))

    def array(self, schema: dict[str, Any], where: str, refs: tuple[str, ...]) -> ArrayNode:
        items = schema.get("items", {})
        if isinstance(items, list):
            raise UnsupportedSchema(f"{where}: tuple-form items")
        low = int(schema.get("minItems", 0))
        high = low + self.limits.max_extra_items
        if "maxItems" in schema:
            high = min(int(schema["maxItems"]), high)
        if high < low:
            raise UnsupportedSchema(f"{where}: maxItems {high} < minItems {low}")
        return ArrayNode(self.node(items, f"{where}/items", refs), low, high)

    def string(self, schema: dict[str, Any], where: str) -> StringNode:
        fmt = schema.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise UnsupportedSchema(f"{where}: unsupported format {fmt!r}")
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, self.limits.max_string)))
        if high < low:
            raise UnsupportedSchema(f"{where}: maxLength {high} < minLength {low}")
        return StringNode(low, high, fmt, schema.get("pattern"))

    def integer(self, schema: dict[str, Any], where: str) -> IntegerNode:
        lo, hi, lo_ex, hi_ex = _bounds(schema, self.limits.int_min, self.limits.int_max)
        low = math.floor(lo) + 1 if lo_ex or lo != math.floor(lo) else int(lo)
        high = math.ceil(hi) - 1 if hi_ex or hi != math.ceil(hi) else int(hi)
        step = schema.get("multipleOf")
        if step is not None and (not isinstance(step, int) or step <= 0):
            raise UnsupportedSchema(f"{where}: integer multipleOf {step!r}")
        if step is not None:
            low, high = -(-low // step) * step, (high // step) * step
        if high < low:
            raise UnsupportedSchema(f"{where}: no integer in [{lo}, {hi}]")
        return IntegerNode(low, high, step)

    def number(self, schema: dict[str, Any], where: str) -> NumberNode:
        size = self.limits.number_magnitude
        lo, hi, lo_ex, hi_ex = _bounds(schema, -size, size)
        step = schema.get("multipleOf")
        multiple = None
        if step is not None:
            multiple = Decimal(str(step))
            if multiple <= 0:
                raise UnsupportedSchema(f"{where}: multipleOf {step!r}")
        if hi < lo or (hi == lo and (lo_ex or hi_ex)):
            raise UnsupportedSchema(f"{where}: empty range [{lo}, {hi}]")
        return NumberNode(float(lo), float(hi), lo_ex, hi_ex, multiple)


def _bounds(schema: dict[str, Any], low: float, high: float) -> tuple[float, float, bool, bool]:
    """(lo, hi, lo_exclusive, hi_exclusive) with draft-04 boolean or draft-06 numeric exclusives.

    An end the schema leaves open is `low` / `high` (moved if needed so the range stays
    non-empty).
    """
    lo, hi = schema.get("minimum"), schema.get("maximum")
    lo_ex = schema.get("exclusiveMinimum") is True and lo is not None
    hi_ex = schema.get("exclusiveMaximum") is True and hi is not None
    ex_lo, ex_hi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if _is_number(ex_lo) and (lo is None or ex_lo >= lo):
        lo, lo_ex = ex_lo, True
    if _is_number(ex_hi) and (hi is None or ex_hi <= hi):
        hi, hi_ex = ex_hi, True
    if lo is None:
        lo = min(low, hi) if hi is not None else low
    if hi is None:
        hi = max(high, lo)
    return lo, hi, lo_ex, hi_ex


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
