#!/usr/bin/env python3
"""Build a quilt3 8.0.0 local registry of packages for Tabulator tables, the tables' definitions, and the answers.

How to run (from the package root; no network, no S3):

    python3 -m pip install quilt3==8.0.0 && python3 Fixtures/tabulator/generate.py

It writes next to this file:

* ``registry/``      packages built by real ``quilt3.Package.build`` under the FIXED path
                     ``/tmp/quilt-tabulator-registry`` (their physical keys name that path; the Swift tests copy
                     this directory there before reading it) and copied here. ``lab/run-2025`` has two revisions:
                     only the latest is a table's.
* ``expected.json``  the packages' files by revision (the conformance suite seeds every backend with them), the
                     table definitions (Quilt's documented YAML form, with comments), and for each query the rows it
                     must answer. The answers are computed here with Python's ``csv`` and ``re`` and plain Python:
                     no SQL engine, so they check the reading (skip rows, header, quoting, unicode, types), the
                     package and key matching, the named groups and the added columns.

Deterministic: the timestamp pointers are fixed (quilt3.backends.base.time patched during each build).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "/tmp/quilt-tabulator-registry"
TIMESTAMP = 1795282874

_STATE = tempfile.mkdtemp(prefix="quilt-tabulator-state-")
os.environ.update(
    QUILT_DISABLE_USAGE_METRICS="true", QUILT_MINIMIZE_STDOUT="true", QUILT_DISABLE_CACHE="true",
    XDG_DATA_HOME=os.path.join(_STATE, "data"), XDG_CACHE_HOME=os.path.join(_STATE, "cache"),
    XDG_CONFIG_HOME=os.path.join(_STATE, "config"), XDG_STATE_HOME=os.path.join(_STATE, "state"),
)

import quilt3  # noqa: E402
import quilt3.backends.base  # noqa: E402

HEADER = "# counts v1 (skipped)\nsample\treads\tratio\tpassed\n"

# package -> revisions (oldest first) -> {logical key: text}
PACKAGES = {
    "lab/run-2024": [{
        "counts/s1.tsv": HEADER + "A-1\t100\t0.5\ttrue\nA-2\t250\t1.25\tfalse\n",
        "counts/s2.tsv": HEADER + "\"B\t2\"\t40\t2\tTRUE\nZürich-1\t7\t0.125\tfalse\n",
        "notes.txt": "not a table\n",
        "events/e.jsonl": '{"sample": "A-1", "reads": 3, "ok": true, "tags": ["x", "y"]}\n'
                          '\n'
                          '{"Sample": "A-2", "reads": "4", "ok": false, "tags": {"k": 1}}\n'
                          '{"sample": "A-3", "ok": true}\n',
    }],
    "lab/run-2025": [
        {"counts/s1.tsv": HEADER + "OLD\t999999\t9\ttrue\n"},
        {
            "counts/s1.tsv": HEADER + "C-1\t12\t1.5\ttrue\n",
            "counts/s3.tsv": HEADER + "日本-3\t3000000000\t-0.75\tfalse\nshort\t5\n",
            "counts/deep/s4.tsv": HEADER + "nested\t1\t1\ttrue\n",
        },
    ],
    "lab/bad": [{"counts/x.tsv": HEADER + "ok\t1\t1\ttrue\nbroken\tmany\t1\ttrue\n"}],
    "other/misc": [{"counts/s9.tsv": HEADER + "other\t1\t1\ttrue\n"}],
}

COLUMNS = """schema:
  - name: sample      # the first column, whatever the header calls it
    type: STRING
  - name: reads
    type: BIGINT
  - name: ratio
    type: DOUBLE
  - name: passed
    type: BOOLEAN
"""
PARSER = """parser:
  format: csv
  delimiter: "\\t"
  header: true
  skip_rows: 1        # the comment line before the header
"""
DEFINITIONS = {
    # JSON lines: columns by name (any case), as Tabulator reads Parquet.
    "events": """schema:
  - {name: sample, type: STRING}
  - {name: reads, type: BIGINT}
  - {name: ok, type: BOOLEAN}
  - {name: tags, type: STRING}
source: {type: quilt-packages, package_name: ^lab/run-, logical_key: '\\.jsonl$'}
parser: {format: csv}
""",
    "counts": COLUMNS + """source:
  type: quilt-packages
  package_name: "^lab/(?P<run>run-\\\\d{4})$"
  logical_key: "^counts/(?P<sample_file>[^/]+)\\\\.tsv$"
""" + PARSER,
    "tolerant": COLUMNS + """source:
  type: quilt-packages
  package_name: ^lab/
  logical_key: \\.tsv$
""" + PARSER + "continue_on_error: true\n",
}

# ---------------------------------------------------------------------------------------------------------------
# the tables, by Python's readers


def definition(name):
    import yaml  # PyYAML, which quilt3 depends on

    return yaml.safe_load(DEFINITIONS[name])


def convert(value, kind):
    if value == "":
        return None
    if kind == "BIGINT":
        return int(value)
    if kind == "DOUBLE":
        return float(value)
    if kind == "BOOLEAN":
        return {"true": 1, "false": 0}[value.lower()]
    return value


def table(name, hashes):
    d = definition(name)
    schema = [(c["name"], c["type"]) for c in d["schema"]]
    pkg_re, key_re = re.compile(d["source"]["package_name"]), re.compile(d["source"]["logical_key"])
    groups = list(pkg_re.groupindex) + [g for g in key_re.groupindex if g not in pkg_re.groupindex]
    rows = []
    for pkg in sorted(PACKAGES):
        pm = pkg_re.search(pkg)
        if not pm:
            continue
        latest = PACKAGES[pkg][-1]
        for key in sorted(latest):
            km = key_re.search(key)
            if not km:
                continue
            found = {**km.groupdict(), **pm.groupdict()}
            added = {"$pkg_name": pkg, "$logical_key": key, "$top_hash": hashes[pkg]}
            records = list(csv.reader(io.StringIO(latest[key], newline=""), delimiter="\t"))[2:]
            try:
                converted = []
                for r in records:
                    values = [convert(r[i], t) if i < len(r) else None for i, (_, t) in enumerate(schema)]
                    converted.append((values, len(r) < len(schema)))
            except (ValueError, KeyError):
                if not d.get("continue_on_error"):
                    raise
                rows.append({**{n: None for n, _ in schema}, **{g: found.get(g) for g in groups}, **added, "issue": True})
                continue
            for values, short in converted:
                rows.append({**dict(zip([n for n, _ in schema], values)), **{g: found.get(g) for g in groups}, **added, "issue": short})
    return rows


def events_table():
    """The events table by Python's json: each column by its name, any case; a missing name is None."""
    rows = []
    for pkg in sorted(PACKAGES):
        if not re.search("^lab/run-", pkg):
            continue
        for key, text in sorted(PACKAGES[pkg][-1].items()):
            if not re.search(r"\.jsonl$", key):
                continue
            for line in text.splitlines():
                if not line.strip():
                    continue
                obj = {k.lower(): v for k, v in json.loads(line).items()}
                tags = obj.get("tags")
                rows.append({"sample": obj.get("sample"), "reads": None if obj.get("reads") is None else int(obj["reads"]),
                             "ok": None if obj.get("ok") is None else int(obj["ok"]),
                             "tags": None if tags is None else json.dumps(tags, separators=(",", ":")),
                             "issue": any(k not in obj for k in ("sample", "reads", "ok", "tags"))})
    return rows


def queries(hashes):
    counts, tolerant = table("counts", hashes), table("tolerant", hashes)
    events = events_table()
    by = lambda rows, *keys: sorted(rows, key=lambda r: tuple(r[k] for k in keys))  # noqa: E731
    return [
        ("SELECT run, sample_file, sample, reads FROM counts ORDER BY run, sample",
         [[r["run"], r["sample_file"], r["sample"], r["reads"]] for r in by(counts, "run", "sample")]),
        ('SELECT "$pkg_name", sum(reads) FROM counts GROUP BY 1 ORDER BY 1',
         [[p, sum(r["reads"] or 0 for r in counts if r["$pkg_name"] == p)] for p in sorted({r["$pkg_name"] for r in counts})]),
        ("SELECT count(*) FROM counts WHERE passed", [[sum(1 for r in counts if r["passed"])]]),
        ("SELECT sample, ratio FROM counts WHERE ratio < 1 ORDER BY ratio",
         [[r["sample"], r["ratio"]] for r in sorted((r for r in counts if r["ratio"] is not None and r["ratio"] < 1), key=lambda r: r["ratio"])]),
        ('SELECT sample, ratio IS NULL, "$issue" IS NOT NULL FROM counts WHERE "$issue" IS NOT NULL',
         [[r["sample"], 1, 1] for r in counts if r["issue"]]),
        ('SELECT "$logical_key", "$top_hash" FROM counts WHERE sample = \'Zürich-1\'',
         [[r["$logical_key"], r["$top_hash"]] for r in counts if r["sample"] == "Zürich-1"]),
        ('SELECT "$pkg_name", count(*), count("$issue"), count(sample) FROM tolerant GROUP BY 1 ORDER BY 1',
         [[p, sum(1 for r in tolerant if r["$pkg_name"] == p), sum(1 for r in tolerant if r["$pkg_name"] == p and r["issue"]),
           sum(1 for r in tolerant if r["$pkg_name"] == p and r["sample"] is not None)]
          for p in sorted({r["$pkg_name"] for r in tolerant})]),
        ('SELECT sample, reads, ok, tags, "$issue" IS NOT NULL FROM events ORDER BY sample',
         [[r["sample"], r["reads"], r["ok"], r["tags"], int(r["issue"])] for r in sorted(events, key=lambda r: r["sample"])]),
    ]


def build(name, files, timestamp):
    pkg = quilt3.Package()
    for key, text in files.items():
        path = os.path.join(ROOT, "files", name, str(timestamp), key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        pkg.set(key, path)
    saved = quilt3.backends.base.time
    quilt3.backends.base.time = types.SimpleNamespace(time=lambda: float(timestamp))
    try:
        return pkg.build(name, registry="file://" + ROOT, message="seed")
    finally:
        quilt3.backends.base.time = saved


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    hashes = {}
    for name, revisions in PACKAGES.items():
        for i, files in enumerate(revisions):
            hashes[name] = build(name, files, TIMESTAMP + i)
    out = os.path.join(HERE, "registry")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(ROOT, out)
    expected = {
        "generated_registry_root": ROOT,
        "packages": [{"name": n, "revisions": r, "top_hash": hashes[n]} for n, r in PACKAGES.items()],
        "definitions": DEFINITIONS,
        "queries": [{"query": q, "rows": r} for q, r in queries(hashes)],
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"{len(expected['queries'])} queries over {len(PACKAGES)} packages")


if __name__ == "__main__":
    main()
