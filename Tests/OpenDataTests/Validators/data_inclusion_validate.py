"""Validates a data·inclusion release with the schema's own pydantic models (PyPI data-inclusion-schema).

Usage: python3 data_inclusion_validate.py <dir holding structures.json and services.json>
Prints the schema version, then for each invalid record its file, index, id and errors; exits 1 if any.
Warnings of the schema (a name ending with a full stop...) count as errors here.
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import pydantic
from data_inclusion.schema import v1

folder = Path(sys.argv[1])
print(f"data-inclusion-schema {version('data-inclusion-schema')}")
failures = 0
strict = {"ignore_warnings": False}
structures = json.loads((folder / "structures.json").read_text())
services = json.loads((folder / "services.json").read_text())
for name, records, model in (("structures.json", structures, v1.Structure), ("services.json", services, v1.Service)):
    if not isinstance(records, list) or not records:
        print(f"{name}: expected a non-empty JSON array")
        failures += 1
        continue
    ids = [r.get("id") for r in records]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        print(f"{name}: duplicate id {duplicate}")
        failures += 1
    for index, record in enumerate(records):
        try:
            model.model_validate(record, context=strict)
        except pydantic.ValidationError as error:
            failures += 1
            print(f"{name}[{index}] {record.get('id')}: {error}")
        unknown = set(record) - set(model.model_fields)
        if unknown:
            failures += 1
            print(f"{name}[{index}] {record.get('id')}: fields not in the schema: {sorted(unknown)}")
structure_ids = {s.get("id") for s in structures}
for index, service in enumerate(services):
    if service.get("structure_id") not in structure_ids:
        failures += 1
        print(f"services.json[{index}] {service.get('id')}: structure_id {service.get('structure_id')} is not in structures.json")
sys.exit(1 if failures else 0)
