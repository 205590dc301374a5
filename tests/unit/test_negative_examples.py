"""harness/fuzz/examples.py: deterministic example payloads are valid for every schema."""

from __future__ import annotations

import pytest

from harness.fuzz import examples
from harness.ocppj.schemas import PayloadKind, actions, load_schema, validate
from harness.ocppj.versions import OcppVersion

VERSIONS = (OcppVersion.V16, OcppVersion.V201)
SCHEMAS = [
    (version, action, kind)
    for version in VERSIONS
    for action in sorted(actions(version))
    for kind in PayloadKind
    if load_schema(version, action, kind) is not None
]


def test_every_action_of_both_versions_has_both_schemas() -> None:
    assert len(SCHEMAS) == 2 * (len(actions(OcppVersion.V16)) + len(actions(OcppVersion.V201)))


@pytest.mark.parametrize("builder", [examples.minimal, examples.full], ids=["minimal", "full"])
def test_examples_are_schema_valid_for_every_action_and_kind(builder: object) -> None:
    assert callable(builder)
    invalid = {
        f"{version.value} {action} {kind.value}": validate(
            version, action, kind, builder(version, action, kind)
        )
        for version, action, kind in SCHEMAS
    }
    assert {k: v for k, v in invalid.items() if v} == {}


def test_minimal_holds_exactly_the_required_root_fields() -> None:
    for version, action, kind in SCHEMAS:
        schema = examples.schema_for(version, action, kind)
        minimal = examples.minimal(version, action, kind)
        assert set(minimal) == set(schema.get("required", ())), (version, action, kind)


def test_full_adds_every_optional_field_but_custom_data() -> None:
    version, action, kind = OcppVersion.V201, "BootNotification", PayloadKind.REQUEST
    full = examples.full(version, action, kind)
    assert set(full) == {"chargingStation", "reason"}
    assert set(full["chargingStation"]) == {
        "serialNumber",
        "model",
        "modem",
        "vendorName",
        "firmwareVersion",
    }
    assert "customData" not in str(full)
    assert examples.minimal(version, action, kind)["chargingStation"] == {
        "model": full["chargingStation"]["model"],
        "vendorName": full["chargingStation"]["vendorName"],
    }


def test_examples_are_deterministic() -> None:
    for version, action, kind in SCHEMAS[::7]:
        assert examples.full(version, action, kind) == examples.full(version, action, kind)


def test_strings_respect_max_length_and_arrays_min_items() -> None:
    full = examples.full(OcppVersion.V201, "SetVariables", PayloadKind.REQUEST)
    data = full["setVariableData"]
    assert len(data) == 1  # minItems 1
    assert len(data[0]["component"]["evse"]) == 2  # id and connectorId
    display = examples.full(OcppVersion.V201, "SetDisplayMessage", PayloadKind.REQUEST)
    assert display["message"]["message"]["language"] == examples.TEXT[:8]  # maxLength 8
    assert len(examples.TEXT) > 8


def test_unknown_action_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="NoSuchAction"):
        examples.minimal(OcppVersion.V201, "NoSuchAction", PayloadKind.REQUEST)
