#!/usr/bin/env python3
"""Checks that every target's declared dependencies in Package.swift equal the modules its sources import.

    python3 scripts/check-imports.py

An import of a module the target does not declare builds today only because another dependency happens to bring
it in (and breaks when that one changes); a declared dependency nothing imports is a false arrow in the module
graph. Both are reported, one line each, and the exit status is 1. Modules of the platform (Foundation, Glibc,
Testing, ...) are not declared in Package.swift and are ignored. Run by `.ci/run unit`.

It also keeps the server's modules on FoundationEssentials: an `import Foundation` (or FoundationXML,
FoundationNetworking) in a library or executable target outside FULL_FOUNDATION loads libFoundation and ICU into
every process (docs/design/shipped-binary.md).
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# Modules the toolchain provides: never declared as dependencies.
PLATFORM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Musl",
    "Darwin", "os", "Synchronization", "Testing", "XCTest", "_Concurrency", "CoreFoundation", "WinSDK", "Android",
    "ucrt", "RegexBuilder", "Observation",
}

# Targets that may import all of Foundation: what never ships in the server (benchmarks, fakes, test support).
FULL_FOUNDATION = {"quilt-bench", "FakeCatalog", "fake-catalog", "QuiltMocks", "QuiltTestSupport"}
FULL_FOUNDATION_MODULES = {"Foundation", "FoundationXML", "FoundationNetworking"}

IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.M)


def matching(text, start):
    """The index just past the bracket that closes the one at `start`."""
    depth = 0
    i = start
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced brackets in Package.swift")


def targets(manifest):
    """(kind, name, path, declared module names) for each target in Package.swift."""
    out = []
    for m in re.finditer(r"\.(target|executableTarget|testTarget)\(", manifest):
        start = m.end() - 1
        body = manifest[start:matching(manifest, start)]
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        path = re.search(r'path:\s*"([^"]+)"', body)
        kind = m.group(1)
        default = ("Tests/" if kind == "testTarget" else "Sources/") + name
        declared = set()
        deps = re.search(r"dependencies:\s*\[", body)
        if deps:
            open_at = deps.end() - 1
            listing = body[open_at:matching(body, open_at)]
            listing = re.sub(r"//[^\n]*", "", listing)
            for product in re.finditer(r'\.product\(\s*name:\s*"([^"]+)"', listing):
                declared.add(product.group(1))
            without_products = re.sub(r"\.product\([^)]*\)", "", listing)
            declared.update(re.findall(r'"([^"]+)"', without_products))
        out.append((kind, name, path.group(1) if path else default, declared))
    return out


def imports(path):
    found = {}
    for directory, _, files in os.walk(os.path.join(ROOT, path)):
        for f in files:
            if not f.endswith(".swift"):
                continue
            full = os.path.join(directory, f)
            with open(full, encoding="utf-8") as handle:
                text = handle.read()
            # Multi-line string literals (an embedded Python script) hold no Swift imports.
            text = re.sub(r'"""(?:.|\n)*?"""', "", text)
            for module in IMPORT.findall(text):
                found.setdefault(module, os.path.relpath(full, ROOT))
    return found


def main():
    with open(os.path.join(ROOT, "Package.swift"), encoding="utf-8") as handle:
        manifest = re.sub(r"//[^\n]*", "", handle.read())
    problems = []
    for kind, name, path, declared in targets(manifest):
        used = imports(path)
        module = name.replace("-", "_")
        for imported, where in sorted(used.items()):
            if imported in PLATFORM or imported == module or imported in declared:
                continue
            problems.append(f"{name}: {where} imports {imported}, which Package.swift does not declare for it")
        if kind != "testTarget" and name not in FULL_FOUNDATION:
            for imported in sorted(FULL_FOUNDATION_MODULES & set(used)):
                problems.append(f"{name}: {used[imported]} imports {imported}; the server's modules use FoundationEssentials "
                                f"(and Glibc for what it lacks)")
        for dependency in sorted(declared - set(used)):
            problems.append(f"{name}: declares {dependency} but no source in {path} imports it")
    for p in problems:
        print(p)
    print(f"check-imports: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
