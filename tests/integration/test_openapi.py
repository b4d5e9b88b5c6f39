"""The OpenAPI document describes every success answer: each 2xx application/json response has a
schema with named properties (an object, a list of objects, or an object or null), so API clients
can rely on the shape and schemathesis checks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rugwijzer.settings import Settings
from rugwijzer.store.engine import make_engine
from rugwijzer.store.migrate import upgrade
from rugwijzer.web.app import create_app

Operation = tuple[str, str]


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("openapi")))
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    engine.dispose()
    return create_app(settings).openapi()


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        prefix = "#/components/schemas/"
        ref = schema["$ref"]
        assert ref.startswith(prefix), ref
        schema = spec["components"]["schemas"][ref.removeprefix(prefix)]
    return schema


def _has_named_properties(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object with properties, a list of such objects, or alternatives that all are (null
    aside: "the profile, or null before one is set")."""
    schema = _resolve(spec, schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        shapes = [s for s in alternatives if _resolve(spec, s).get("type") != "null"]
        return bool(shapes) and all(_has_named_properties(spec, s) for s in shapes)
    if schema.get("type") == "array":
        return _has_named_properties(spec, schema.get("items", {}))
    return schema.get("type") == "object" and bool(schema.get("properties"))


def _json_success_responses(spec: dict[str, Any]) -> dict[Operation, list[dict[str, Any]]]:
    found: dict[Operation, list[dict[str, Any]]] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.startswith("2") and "application/json" in content:
                    schema = content["application/json"].get("schema", {})
                    found.setdefault((method.upper(), path), []).append(schema)
    return found


def _untyped(spec: dict[str, Any]) -> set[Operation]:
    return {
        operation
        for operation, schemas in _json_success_responses(spec).items()
        if not all(_has_named_properties(spec, schema) for schema in schemas)
    }


def test_the_check_tells_a_typed_answer_from_an_untyped_one() -> None:
    spec: dict[str, Any] = {
        "components": {
            "schemas": {
                "Row": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Loose": {"type": "object", "additionalProperties": True},
            }
        }
    }
    row = {"$ref": "#/components/schemas/Row"}
    assert _has_named_properties(spec, row)
    assert _has_named_properties(spec, {"type": "array", "items": row})
    assert _has_named_properties(spec, {"anyOf": [row, {"type": "null"}]})
    assert not _has_named_properties(spec, {"$ref": "#/components/schemas/Loose"})
    assert not _has_named_properties(spec, {"type": "array", "items": {"type": "object"}})
    assert not _has_named_properties(spec, {"anyOf": [{"type": "null"}]})
    assert not _has_named_properties(spec, {})


def test_every_json_success_response_has_a_schema_with_named_properties(
    spec: dict[str, Any],
) -> None:
    operations = _json_success_responses(spec)
    assert len(operations) >= 30  # the check found the API
    assert sorted(_untyped(spec)) == []
