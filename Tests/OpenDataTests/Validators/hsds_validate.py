"""Validates an HSDS 3.0 release (one JSON array per table) against the HSDS JSON schemas with jsonschema.

Usage: python3 hsds_validate.py <HSDS schema folder> <release folder>
Each <table>.json is checked against schema/<object>.json, $refs resolved among the schema files and
formats (uuid, email, uri, date-time) checked; ids must be unique and every *_id must name an existing
record. Prints each error with its file and index; exits 1 if any.
"""
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

schemas, folder = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
tables = {
    "organizations": "organization", "organization_identifiers": "organization_identifier", "services": "service",
    "locations": "location", "addresses": "address", "service_at_location": "service_at_location", "phones": "phone",
    "schedules": "schedule", "languages": "language", "accessibility": "accessibility",
}
resources = []
for path in sorted(schemas.glob("*.json")):
    contents = json.loads(path.read_text())
    contents["$id"] = path.as_uri()
    resources.append((path.as_uri(), Resource.from_contents(contents, default_specification=DRAFT202012)))
registry = Registry().with_resources(resources)
checker = FormatChecker()
if "uri" not in checker.checkers:
    # jsonschema checks "uri" only with rfc3987 installed; an absolute URI has a scheme and, for http(s), a host.
    @checker.checks("uri")
    def is_uri(value):
        parts = urlsplit(value) if isinstance(value, str) else None
        return parts is None or (bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc)))
failures = 0
ids = {}
rows = {}
for table, schema_name in tables.items():
    path = folder / f"{table}.json"
    if not path.exists():
        print(f"{table}.json: missing")
        failures += 1
        continue
    records = json.loads(path.read_text())
    rows[table] = records
    validator = Draft202012Validator({"$ref": (schemas / f"{schema_name}.json").as_uri()}, registry=registry, format_checker=checker)
    for index, record in enumerate(records):
        for error in validator.iter_errors(record):
            failures += 1
            print(f"{table}.json[{index}] {record.get('id')}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    ids[schema_name] = {r.get("id") for r in records}
    if len(ids[schema_name]) != len(records):
        failures += 1
        print(f"{table}.json: ids are not unique")
for table, records in rows.items():
    for index, record in enumerate(records):
        for field, value in record.items():
            target = field[: -len("_id")]
            if field.endswith("_id") and target in ids and value not in ids[target]:
                failures += 1
                print(f"{table}.json[{index}] {record.get('id')}: {field} {value} names no {target}")
sys.exit(1 if failures else 0)
