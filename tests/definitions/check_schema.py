#!/usr/bin/env python3
"""Checks definition files against docs/definition.schema.json (JSON Schema 2020-12),
and that a few broken ones are refused by it. Exit 77 (skipped) without python3-jsonschema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)

schema_path, *files = sys.argv[1:]
schema = json.load(open(schema_path, encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
validator.check_schema(schema)
failed = 0
for f in files:
    errors = list(validator.iter_errors(json.load(open(f, encoding="utf-8"))))
    for e in errors:
        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed += bool(errors)

# The schema must refuse what the loader refuses for its shape.
good = json.load(open(files[0], encoding="utf-8"))
broken = {
    "unknown member": dict(good, colour="red"),
    "wrong format": dict(good, format="careflow.procedure/2"),
    "no states": {k: v for k, v in good.items() if k != "states"},
    "timer with two kinds": dict(good, timers=[{"state": "a", "event": "e", "after": "1h", "at": "now"}]),
    "bad type": dict(good, variables=[{"name": "x", "type": "int"}]),
    "bad action": dict(good, transitions=[{"source": "a", "actions": [{"shout": "x"}]}]),
}
for what, doc in broken.items():
    if validator.is_valid(doc):
        print(f"the schema accepts a definition with {what}")
        failed += 1
sys.exit(1 if failed else 0)
