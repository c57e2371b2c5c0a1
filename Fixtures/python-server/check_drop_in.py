#!/usr/bin/env python3
"""The Python quilt-mcp server's callers, through quilt-mcp over stdio with the official Python SDK (PyPI `mcp`).

Usage: python3 Fixtures/python-server/check_drop_in.py .build/debug/quilt-mcp

Reads Fixtures/python-server/tools.json (the Python server's tools and parameters, 0.20-0.22) and, on a fresh local
registry with every toolset on, calls each Python tool this server serves with every one of its Python parameters
at the Python server's default (required ones from a sample). A call may fail for its own reasons (no S3 here, no
catalog), but never because of a Python parameter's name: no "unknown argument", and a refusal of a Python name or
value must name it as the Python server's. Then a few calls check meaning, not only names.

Prints one line per check and finally `python-drop-in: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import json
import os
import shutil
import sys
import tempfile

from mcp import Client
from mcp.client.stdio import StdioServerParameters

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "mcp"))
import python_client_check as base  # noqa: E402 (record() and its counters)

record = base.record

# Values for required parameters (the Python server has no default for them).
SAMPLES = {
    "package_name": "dropin/demo", "package1_name": "dropin/demo", "package2_name": "dropin/demo",
    "query": "demo", "partial_query": "dem", "s3_uri": "s3://dropin-missing-bucket/key.txt", "source_bucket": "dropin-missing-bucket",
    "bucket": "dropin-missing-bucket", "bucket_name": "dropin-missing-bucket", "table_name": "t",
    "new_table_name": "t2", "database": "db", "table": "tbl", "s3_uris": ["s3://dropin-missing-bucket/a.csv"],
    "items": [{"key": "dropin/a.txt", "text": "a"}], "schema": [{"name": "a", "type": "STRING"}],
    "package_pattern": "dropin/.*", "logical_key_pattern": ".*\\.csv", "enabled": False, "uri": "auth://status",
    "registry": None, "data": {"x": [1, 2], "y": [3, 4]}, "plot_type": "bar", "x_column": "x",
    "package_metadata": {}, "organized_structure": {"data": ["a.csv"]}, "readme_content": "", "source_info": {},
    "file_types": {}, "name": "nobody", "email": "nobody@example.com", "role": "ReadQuiltBucket", "roles": ["ReadQuiltBucket"],
    "admin": False, "active": True, "config": {"provider": "none"},
}
# Tools that would change the registry or ask for consent: called with names only where that is harmless.
SKIP_WRITES = {"package_delete", "admin_tabulator_open_query_set", "tabulator_table_delete"}


def arguments(tool, params):
    out = {}
    for name, facts in params.items():
        if name in SAMPLES and SAMPLES[name] is None:
            continue
        if facts.get("required") or "default" not in facts or facts.get("default") is None:
            if name in SAMPLES:
                out[name] = SAMPLES[name]
            elif facts.get("internal"):
                out[name] = None
            continue
        out[name] = facts["default"]
    return out


def error_of(result):
    content = result.structured_content or {}
    return content.get("error") if result.is_error else None


async def run(binary):
    tools = json.load(open(os.path.join(HERE, "tools.json")))["tools"]
    home = tempfile.mkdtemp(prefix="quilt-mcp-drop-in-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin",
           "QUILT_MCP_TOOLSETS": "all"}
    os.makedirs(env["HOME"])
    try:
        server = StdioServerParameters(command=binary, args=[], env=env)
        async with Client(server, mode="auto", read_timeout_seconds=60) as client:
            served = {t.name for t in (await client.list_tools()).tools}
            seeded = await client.call_tool("package_create", {
                "package_name": "dropin/demo", "entries": [{"logical_key": "d/e/a.csv", "text": "x\n1\n"},
                                                           {"logical_key": "b.txt", "text": "demo"}],
                "metadata": {"assay": "demo"}})
            record("seed a package", not seeded.is_error, f"{seeded}")
            for name in sorted(tools):
                if name not in served or name in SKIP_WRITES:
                    continue
                params = tools[name]["params"]
                args = arguments(name, params)
                result = await client.call_tool(name, args)
                err = error_of(result) or {}
                message = err.get("message", "")
                field = err.get("field")
                by_name = "unknown argument" in message
                refused_python = field in params and "Python quilt-mcp server" in message
                named_ours = field in params and not refused_python and err.get("kind") == "invalid_input"
                record(f"{name}: every Python parameter name is taken ({', '.join(sorted(args))})",
                       not by_name and (not named_ours or field in SAMPLES), f"{err}")
                if refused_python:
                    record(f"{name}: a refused Python value says what to use", "hint" in err and len(message) > 40, f"{err}")

            # Meaning, not only names.
            top = await client.call_tool("package_browse", {"package_name": "dropin/demo", "top": 1, "include_file_info": False})
            entries = (top.structured_content or {}).get("entries") or []
            record("package_browse top=1 include_file_info=false: one entry without size",
                   len(entries) == 1 and "size" not in entries[0], f"{top}")
            level = await client.call_tool("package_browse", {"package_name": "dropin/demo", "max_depth": 1})
            keys = [e.get("logical_key") for e in (level.structured_content or {}).get("entries") or []]
            record("package_browse max_depth=1: one level", keys == ["b.txt", "d/"], f"{keys}")
            found = await client.call_tool("search_catalog", {"query": "dropin", "scope": "package", "include_metadata": True,
                                                               "explain_query": True, "backend": "elasticsearch"})
            content = found.structured_content or {}
            hits = content.get("hits") or []
            record("search_catalog include_metadata and explain_query",
                   hits and hits[0].get("user_meta") == {"assay": "demo"} and "explanation" in content, f"{content}")
            counted = await client.call_tool("search_catalog", {"query": "dropin", "count_only": True})
            record("search_catalog count_only", (counted.structured_content or {}).get("total") == 3, f"{counted}")
            entry = await client.call_tool("search_catalog", {"query": "x", "scope": "packageEntry"})
            record("search_catalog scope=packageEntry is refused naming package_browse",
                   "package_browse" in ((error_of(entry) or {}).get("message") or ""), f"{entry}")
            resource = await client.call_tool("get_resource", {"uri": "auth://status"})
            record("get_resource auth://status", ((resource.structured_content or {}).get("data") or {}).get("authenticated") is True,
                   f"{resource}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(run(os.path.abspath(sys.argv[1])))
    print(f"python-drop-in: {base.passed} passed, {base.failed} failed")
    sys.exit(1 if base.failed or not base.passed else 0)


if __name__ == "__main__":
    main()
