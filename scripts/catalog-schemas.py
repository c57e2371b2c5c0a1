#!/usr/bin/env python3
"""The Platform backend's GraphQL operations against every catalog schema, checked with graphql-core (a GraphQL
implementation this project did not write).

    python3 scripts/catalog-schemas.py probe REF_DIR
        Runs Sources/QuiltPlatform/Operations/SchemaProbe.graphql against each published schema in REF_DIR
        (../shared/reference/catalog-graphql; not part of this repository) and writes the answers to
        Fixtures/platform/schema-probes.json. The Swift tests read them to learn what the backend would send to
        each catalog, and write Fixtures/platform/operations-by-catalog.json.
    python3 scripts/catalog-schemas.py check [REF_DIR]
        Validates every document in Fixtures/platform/operations-by-catalog.json against the project's SDL for
        that catalog (Mocks/FakeCatalog/Schema/variants.json) and, with REF_DIR, against the published schema.
        Exit status 1 on any invalid document.
"""
import hashlib
import json
import os
import sys

from graphql import build_schema, graphql_sync, parse, validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = os.path.join(ROOT, "Mocks/FakeCatalog/Schema")
PROBE = os.path.join(ROOT, "Sources/QuiltPlatform/Operations/SchemaProbe.graphql")
PROBES = os.path.join(ROOT, "Fixtures/platform/schema-probes.json")
SENT = os.path.join(ROOT, "Fixtures/platform/operations-by-catalog.json")


def variants():
    return json.load(open(os.path.join(SCHEMA_DIR, "variants.json")))["variants"]


def sdl(files):
    return "\n".join(open(os.path.join(SCHEMA_DIR, f + ".graphql")).read() for f in files)


def probe(ref):
    text = open(PROBE).read()
    answers = {}
    for name in sorted(os.listdir(ref)):
        if not name.endswith(".graphql"):
            continue
        result = graphql_sync(build_schema(open(os.path.join(ref, name)).read()), text)
        if result.errors:
            sys.exit(f"SchemaProbe failed on {name}: {result.errors}")
        answers[name] = result.data
    out = {"about": "SchemaProbe answers from each published catalog schema, computed by graphql-core; regenerate with "
                    "python3 scripts/catalog-schemas.py probe ../shared/reference/catalog-graphql",
           "probe_sha256": hashlib.sha256(text.encode()).hexdigest(), "answers": answers}
    with open(PROBES, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(PROBES, ROOT)}: {len(answers)} schemas")


def check(ref):
    sent = json.load(open(SENT))
    failures, checked = [], 0
    for variant, spec in variants().items():
        targets = {"project SDL": build_schema(sdl(spec["files"]))}
        if ref and spec.get("catalog", True):
            targets[spec["reference"]] = build_schema(open(os.path.join(ref, spec["reference"])).read())
        for op, digest in sent["catalogs"][variant]["operations"].items():
            document = parse(sent["documents"][digest])
            for label, schema in targets.items():
                checked += 1
                for e in validate(schema, document):
                    failures.append(f"{variant} ({label}): {op}: {e.message}")
    print("\n".join(failures))
    print(f"catalog-operations: {checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "probe":
        probe(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2] if len(sys.argv) > 2 else None))
    else:
        sys.exit(__doc__)
