#!/usr/bin/python3
"""Validates JSON documents (or JSON lines with --lines) against a JSON Schema.

Usage: validate_json.py SCHEMA [--lines] FILE...
Prints one line per problem and exits 1 if any document does not conform,
so a test can also prove that a broken document is refused.
"""
import json
import sys

import jsonschema


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    lines = rest and rest[0] == "--lines"
    files = rest[1:] if lines else rest
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    problems = checked = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            docs = [(n, l) for n, l in enumerate(f, 1)] if lines else [(0, f.read())]
        for n, text in docs:
            where = f"{path}:{n}" if lines else path
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as err:
                print(f"{where}: not JSON: {err}")
                problems += 1
                continue
            checked += 1
            for err in validator.iter_errors(doc):
                print(f"{where}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
                problems += 1
    if checked == 0:
        print("no documents to check")
        return 1
    print(f"{checked} document(s) checked against {schema_path}, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
