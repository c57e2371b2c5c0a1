#!/usr/bin/env python3
"""Writes yaml-vectors.json: YAML documents and what PyYAML's safe_load reads from them.

    python3 Fixtures/tabulator/yaml_vectors.py

The Swift reader of Tabulator definitions (BlockYAML) must read each document to the same value
(Tests/Core/BlockYAMLTests.swift). The documents are Quilt's documented Tabulator examples, the forms this
server writes, and the YAML features the reader claims (comments, quoting and escapes, flow collections,
YAML 1.1 booleans, integers and floats, sequences at their key's indentation).
"""
import json
import os

import yaml

DOCS = [
    # Quilt's documentation (docs/advanced-features/tabulator.md), with its comments.
    '''schema:
  - name: name  # must match ^[a-z_][a-z0-9_]*$
    type: STRING  # usually BOOLEAN, INT, FLOAT, DOUBLE, STRING, DATE, TIMESTAMP
  - name: length
    type: INT
source:
  type: quilt-packages  # currently the only supported type
  package_name: "^ccle/(?<date>[^_]+)_(?<study_id>[^_]+)_nfcore_rnaseq$"
  logical_key: "salmon/(?<sample_id>[^/]+)/quant*\\\\.genes\\\\.sf$"
parser:
  format: csv  # or `parquet`
  delimiter: "\\t"
  header: true
continue_on_error: true
''',
    # Quilt's tabulator-example.yaml: four-space indentation, a trailing space, comments after quoted values.
    '''schema:
    - name: distinct_id
      type: STRING
    - name: last_seen
      type: TIMESTAMP 
source:
    type: quilt-packages
    package_name: "^metrics\\/(?<pkg_date>.+)+$" # specify a Python RegEx for matching packages
    logical_key: "^user-export-[^-]+-(?<date>.+)_[^.]+_[^.]+_[^.]+.csv$" # specify a Python RegEx
parser:
    format: csv # or parquet
    header: true
''',
    # What this server writes: the list at its key's indentation, JSON-style quoting.
    '''schema:
- name: sample_id
  type: STRING
- name: reads
  type: BIGINT
source:
  type: quilt-packages
  package_name: "^lab/(?<run>[^/]+)$"
  logical_key: "counts/.*\\\\.tsv$"
parser:
  format: csv
  delimiter: "\\t"
  header: true
  skip_rows: 2
''',
    # Plain regular expressions, single quotes, flow collections.
    '''---
schema: [{name: a, type: STRING}, {name: b, type: "INT"}]
source: {type: quilt-packages, package_name: ^team/.*$, logical_key: 'data/.*\\.csv$'}
parser: {format: csv, header: yes}
''',
    "a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41 \\\\ \\\" \\/\"\nc: plain # comment\nd: 'hash # inside'\ne: \"hash # inside\"\n",
    "t: [true, True, TRUE, yes, Yes, YES, on, On, ON]\nf: [false, False, FALSE, no, No, NO, off, Off, OFF]\n"
    "n: [~, null, Null, NULL]\nempty:\n",
    "ints: [0, 7, -12, +3, 1_000, 0x1F, 0b101, 017, 09]\nfloats: [1.5, -2.25, .5, 1., 3.0e+2, 1e5, 1.2.3]\n",
    "words: [a b, a:b, 'x, y', \"[z]\", -, '-', '#']\n",
    "nested:\n  deeper:\n    - one\n    -\n      k: v\n    - - inner\n      - list\n  after: 2\n",
    "url: http://example.com:8080/path\n",
    "\ufeffbom: first\n",
    "list:\n- a\n- b\nnext: c\n",
    "crlf: yes\r\nsecond: 'x'\r\n",
    "unicode: é日本\nkey with spaces: v\n\"quoted key\": v2\n",
    "- top\n- level\n- [list]\n",
    "just a scalar\n",
    "",
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    vectors = [{"yaml": doc, "value": yaml.safe_load(doc)} for doc in DOCS]
    with open(os.path.join(here, "yaml-vectors.json"), "w", encoding="utf-8") as f:
        json.dump({"pyyaml": yaml.__version__, "vectors": vectors}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(vectors)} vectors from PyYAML {yaml.__version__}")


if __name__ == "__main__":
    main()
