#!/usr/bin/env python3
"""Writes Fixtures/python-server/glob-vectors.json: patterns and keys with Python's `fnmatch.fnmatchcase` verdict,
which the Python server's include/exclude patterns of package_create_from_s3 use (its keys are matched whole, case
as given on POSIX). The Swift `Glob` is checked against every one (Tests/ToolLayer/GlobTests.swift).

Usage: python3 Fixtures/python-server/glob_vectors.py
"""
import fnmatch
import json
import os

PATTERNS = [
    "*.csv", "*", "raw/*", "raw/*.csv", "*/*.csv", "data?.csv", "[abc]*", "[!abc]*", "[a-c]x", "[]]x", "[!]]x",
    "x[", "x[a", "*[", "**/*.json", "raw/**", "a*b*c", "*.CSV", "?", "", "a\\*b", "[*]", "x-[0-9][0-9].log", "*/", "[z-a]",
]
KEYS = [
    "a.csv", "raw/a.csv", "raw/b/c.csv", "data1.csv", "data12.csv", "b.txt", "dx", "cx", "]x", "ax", "x[", "x[a",
    "q[", "deep/x/y.json", "y.json", "raw/", "abc", "aXbYc", "acb", "A.CSV", "z", "", "a\\xb", "a\\b", "*", "x-42.log",
    "x-4.log", "dir/", "ü.csv", "raw/ü/ä.csv",
]


def main():
    vectors = [{"pattern": p, "key": k, "match": fnmatch.fnmatchcase(k, p)} for p in PATTERNS for k in KEYS]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "glob-vectors.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "Fixtures/python-server/glob_vectors.py", "vectors": vectors}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    main()
