#!/usr/bin/env python3
"""Build a quilt3 8.0.0 local registry of tabular files, and the answers to SQL over them, for the embedded engine.

How to run (from the package root; no network, no S3):

    python3 -m pip install quilt3==8.0.0 && python3 Fixtures/quilt3-tabular/generate.py

It writes next to this file:

* ``registry/``      one package, ``tabular/sales``, built by real ``quilt3.Package.build`` under the FIXED path
                     ``/tmp/quilt-tabular-registry`` (its physical keys name that path; the Swift tests copy this
                     directory there before reading) and copied here.
* ``expected.json``  the top hash, and for each query the rows it must answer. The answers are computed here with
                     Python's own ``csv`` and ``json`` readers and plain Python arithmetic: no SQL engine, so they check
                     the engine's CSV, TSV and JSON-lines reading (quoting, CR LF, empty fields, unicode) and its SQL.

Deterministic: the timestamp pointer is fixed (quilt3.backends.base.time patched during the build).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "/tmp/quilt-tabular-registry"
TIMESTAMP = 1795282874

_STATE = tempfile.mkdtemp(prefix="quilt-tabular-state-")
os.environ.update(
    QUILT_DISABLE_USAGE_METRICS="true", QUILT_MINIMIZE_STDOUT="true", QUILT_DISABLE_CACHE="true",
    XDG_DATA_HOME=os.path.join(_STATE, "data"), XDG_CACHE_HOME=os.path.join(_STATE, "cache"),
    XDG_CONFIG_HOME=os.path.join(_STATE, "config"), XDG_STATE_HOME=os.path.join(_STATE, "state"),
)

import quilt3  # noqa: E402
import quilt3.backends.base  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------
# the files (bytes exactly as written)

SALES = (
    "region,product,units,price,note\r\n"
    "North,A1,10,2.5,plain\r\n"
    "\"North, East\",B2,4,10,\"He said \"\"hi\"\"\"\r\n"
    "Zürich,007,3,1.25,\"two\r\nlines\"\r\n"
    "South,A1,,2.5,\r\n"
    "South,C3,7,0.5,\"\"\r\n"
    "日本,B2,12,10,unicode ✓\r\n"
    "North,C3,1,0.5,last\r\n"
)
INVENTORY = (
    "product\tname\tqty\n"
    "A1\tWidget\t100\n"
    "B2\t\"Tab\tbed\"\t40\n"
    "C3\tGizmo large\t75\n"
    "007\tSecret\t1\n"
)
EVENTS = (
    '{"user": "ana", "amount": 12.5, "ok": true, "tags": ["a", "b"]}\n'
    '{"user": "bo", "amount": 3, "ok": false}\n'
    "\n"
    '{"user": "cy", "amount": 7.25, "ok": true, "extra": {"k": 1}}\n'
    '{"user": "dee", "amount": null, "ok": true}\n'
)
DUPLICATES = "id,id,\n1,2,3\n4,5,6\n"
FILES = {
    "data/sales.csv": SALES,
    "data/inventory.tsv": INVENTORY,
    "events.jsonl": EVENTS,
    "data/dup header.csv": DUPLICATES,
    "README.md": "# Sales\n\nTabular files for the embedded SQL engine's tests.\n",
}
PARQUET = b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00PAR1"  # named .parquet: refused by name

# ---------------------------------------------------------------------------------------------------------------
# the answers, by Python's readers

def typed(text):
    """The engine's column typing, per value: integers without leading zeros, then decimals, else text."""
    if text == "":
        return None
    body = text.lstrip("+-")
    if body.isdigit() and body.isascii() and (body == "0" or not body.startswith("0")):
        return int(text)
    try:
        if body[:1].isdigit() and body.startswith("0") and len(body.split(".")[0]) > 1:
            return text
        return float(text)
    except ValueError:
        return text


def rows(text, delimiter):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    return [dict(zip(header, r)) for r in reader]


sales = rows(SALES, ",")
inventory = rows(INVENTORY, "\t")
events = [json.loads(line) for line in EVENTS.splitlines() if line.strip()]

QUERIES = [
    ('SELECT sum(units) FROM "data/sales.csv"', [[sum(int(r["units"]) for r in sales if r["units"])]]),
    ('SELECT region, count(*) AS n FROM "data/sales.csv" GROUP BY region ORDER BY region',
     [[k, sum(1 for r in sales if r["region"] == k)] for k in sorted({r["region"] for r in sales})]),
    ("SELECT note FROM \"data/sales.csv\" WHERE product = '007'", [[r["note"]] for r in sales if r["product"] == "007"]),
    ('SELECT count(*) FROM "data/sales.csv" WHERE units IS NULL', [[sum(1 for r in sales if r["units"] == "")]]),
    ("SELECT note FROM \"data/sales.csv\" WHERE region = 'South' ORDER BY product",
     [[r["note"] or None if r["product"] == "A1" else r["note"]] for r in sorted((r for r in sales if r["region"] == "South"), key=lambda r: r["product"])]),
    ('SELECT name, qty FROM "data/inventory.tsv" ORDER BY qty DESC LIMIT 2',
     [[r["name"], int(r["qty"])] for r in sorted(inventory, key=lambda r: -int(r["qty"]))[:2]]),
    ('SELECT s.region, i.name, s.units FROM "data/sales.csv" s JOIN "data/inventory.tsv" i USING (product) '
     "WHERE s.units IS NOT NULL ORDER BY s.units DESC LIMIT 3",
     [[s["region"], i["name"], int(s["units"])]
      for s, i in sorted(((s, i) for s in sales for i in inventory if s["product"] == i["product"] and s["units"]),
                         key=lambda p: -int(p[0]["units"]))[:3]]),
    ('SELECT "user", amount FROM "events.jsonl" WHERE ok = 1 AND amount IS NOT NULL ORDER BY amount',
     [[e["user"], e["amount"]] for e in sorted((e for e in events if e["ok"] and e["amount"] is not None), key=lambda e: e["amount"])]),
    ('SELECT tags FROM "events.jsonl" WHERE "user" = \'ana\'', [[json.dumps(events[0]["tags"], separators=(",", ":"))]]),
    ("SELECT units, price FROM \"data/sales.csv\" WHERE region = 'Zürich'",
     [[typed(r["units"]), typed(r["price"])] for r in sales if r["region"] == "Zürich"]),
    ('SELECT "id", "id.1", "column_3" FROM "data/dup header.csv" ORDER BY 1', [[1, 2, 3], [4, 5, 6]]),
    ("SELECT typeof(product), typeof(units), typeof(price) FROM \"data/sales.csv\" WHERE product = '007'",
     [["text", "integer", "real"]]),
]


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    data = os.path.join(ROOT, "tabular", "sales")
    pkg = quilt3.Package()
    for key, text in FILES.items():
        path = os.path.join(data, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        pkg.set(key, path)
    parquet = os.path.join(data, "data", "raw.parquet")
    with open(parquet, "wb") as f:
        f.write(PARQUET)
    pkg.set("data/raw.parquet", parquet)
    pkg.set_meta({"about": "tabular files for SQL tests"})
    saved = quilt3.backends.base.time
    quilt3.backends.base.time = types.SimpleNamespace(time=lambda: float(TIMESTAMP))
    try:
        top_hash = pkg.build("tabular/sales", registry="file://" + ROOT, message="tabular files")
    finally:
        quilt3.backends.base.time = saved

    out = os.path.join(HERE, "registry")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(ROOT, out)
    expected = {
        "generated_registry_root": ROOT,
        "quilt3_version": quilt3.__version__ if hasattr(quilt3, "__version__") else "8.0.0",
        "package": "tabular/sales",
        "top_hash": top_hash,
        "tables": sorted(k for k in FILES if k.endswith((".csv", ".tsv", ".jsonl"))),
        "queries": [{"query": q, "rows": r} for q, r in QUERIES],
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="ascii") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
