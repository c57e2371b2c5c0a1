#!/usr/bin/env python3
"""Tabulator on a laptop, end to end: packages real quilt3 (PyPI) builds in its default local registry, and the
tabulator_* tools of quilt-mcp over stdio with the official Python MCP SDK (PyPI `mcp`) as the client. No AWS, no
catalog, no configuration: a private HOME and XDG_DATA_HOME, QUILT_MCP_TOOLSETS=tabulator.

Usage: python3 Fixtures/tabulator/check_tabulator_local.py path/to/quilt-mcp
Needs: python3 -m pip install quilt3==8.0.0 mcp==2.3.0

Checks: the table is created in the configured registry (no bucket_name); its definition is the YAML the catalog
stores and is listed back; a query answers what Python's csv computes from the same files (named group, $pkg_name,
$top_hash equal to quilt3's top hash); CSV output; a new revision quilt3 pushes is what the next query reads (the
latest only); quilt3 still lists exactly its packages and browses them (the definitions do not disturb it); an
Athena-only tool says it needs a catalog; delete without consent is refused, with `confirm` it deletes.
Prints one line per check and last `tabulator-local: N passed, M failed`; exits 1 if anything failed. Bounded (120 s).
"""
import asyncio
import atexit
import csv
import io
import json
import os
import shutil
import sys
import tempfile

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

passed = 0
failed = 0


def record(name, ok, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(f"ok   {name}" if ok else f"FAIL {name} {detail}", flush=True)


def field(obj, *names):
    return next((getattr(obj, n) for n in names if hasattr(obj, n)), None)


def answer(result):
    value = field(result, "structured_content", "structuredContent")
    text = next((item.text for item in result.content if getattr(item, "text", None) is not None), "")
    try:
        return value if value is not None else json.loads(text)
    except ValueError:
        return {"text": text}


def is_error(result):
    return bool(field(result, "is_error", "isError"))


FILES = {
    "lab/run-1": {"counts/a.csv": "sample,reads\nx,10\n\"y, quoted\",20\n", "readme.txt": "not a table\n"},
    "lab/run-2": {"counts/b.csv": "sample,reads\nz,5\nünï,7\n"},
    "other/skip": {"counts/c.csv": "sample,reads\nno,1\n"},
}


def sums(files):
    """Python's answer: reads per run, from the files as csv reads them."""
    out = {}
    for name, entries in files.items():
        if not name.startswith("lab/"):
            continue
        for key, text in entries.items():
            if key.endswith(".csv"):
                for row in list(csv.reader(io.StringIO(text)))[1:]:
                    out[name.split("/")[1]] = out.get(name.split("/")[1], 0) + int(row[1])
    return [[k, v] for k, v in sorted(out.items())]


async def checks(session, quilt3, registry, work):
    async def call(tool, args):
        result = await asyncio.wait_for(session.call_tool(tool, args), 60)
        return result, answer(result)

    names = {t.name for t in (await session.list_tools()).tools}
    check_tools = {"tabulator_tables_list", "tabulator_table_create", "tabulator_query_execute", "tabulator_table_delete"}
    record("list_tools offers the tabulator toolset", check_tools <= names, f"{sorted(names)}")

    result, body = await call("tabulator_table_create", {
        "table_name": "reads", "schema": [{"name": "sample", "type": "STRING"}, {"name": "reads", "type": "INT"}],
        "package_pattern": "^lab/(?P<run>run-[0-9]+)$", "logical_key_pattern": "^counts/.*\\.csv$", "parser_header": True})
    record("tabulator_table_create in the configured registry", not is_error(result) and body.get("count") == 1, f"{body}")
    config = (body.get("tables") or [{}])[0].get("config", "")
    result, body = await call("tabulator_tables_list", {})
    record("tabulator_tables_list: the same YAML, in the catalog's form",
           not is_error(result) and body.get("tables", [{}])[0].get("config") == config
           and "type: quilt-packages" in config and "header: true" in config, f"{body}")

    query = "SELECT run, sum(reads) FROM reads GROUP BY run ORDER BY run"
    result, body = await call("tabulator_query_execute", {"query": query})
    record("tabulator_query_execute: what Python's csv computes", not is_error(result) and body.get("rows") == sums(FILES),
           f"{body} vs {sums(FILES)}")
    top = quilt3.Package.browse("lab/run-1", registry=registry).top_hash
    result, body = await call("tabulator_query_execute", {
        "query": "SELECT DISTINCT \"$pkg_name\", \"$top_hash\", \"$logical_key\" FROM reads WHERE run = 'run-1'"})
    record("$pkg_name, $top_hash (quilt3's) and $logical_key", body.get("rows") == [["lab/run-1", top, "counts/a.csv"]], f"{body}")
    result, body = await call("tabulator_query_execute", {"query": "SELECT sample FROM reads WHERE reads = 20", "output_format": "csv"})
    record("output_format csv keeps the quoted comma", body.get("csv") == "sample\r\n\"y, quoted\"\r\n", f"{body}")

    # quilt3 pushes a new revision: the next query reads it, and only it.
    newer = {"counts/a.csv": "sample,reads\nx,1000\n"}
    src = os.path.join(work, "newer")
    os.makedirs(os.path.join(src, "counts"))
    with open(os.path.join(src, "counts", "a.csv"), "w") as f:
        f.write(newer["counts/a.csv"])
    p = quilt3.Package()
    p.set_dir("", src)
    p.build("lab/run-1", registry=registry, message="newer")
    result, body = await call("tabulator_query_execute", {"query": query})
    record("a revision quilt3 builds is the next query's (latest only)",
           body.get("rows") == sums({**FILES, "lab/run-1": newer}), f"{body}")

    listed = sorted(quilt3.list_packages(registry))
    record("quilt3 lists exactly its packages beside the definitions", listed == sorted(FILES), f"{listed}")
    record("quilt3 still browses them", quilt3.Package.browse("lab/run-2", registry=registry)["counts/b.csv"].size > 0)

    result, body = await call("tabulator_list_buckets", {})
    record("tabulator_list_buckets: unsupported without a catalog, saying so",
           is_error(result) and body.get("error", {}).get("kind") == "unsupported", f"{body}")

    result, body = await call("tabulator_table_delete", {"table_name": "reads"})
    record("tabulator_table_delete without consent is refused", is_error(result), f"{body}")
    result, body = await call("tabulator_table_delete", {"table_name": "reads", "confirm": True})
    record("tabulator_table_delete with confirm deletes", not is_error(result) and body.get("count") == 0, f"{body}")


async def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="quilt-tabulator-local-")
    atexit.register(shutil.rmtree, work, True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUILT_MCP_", "AWS_")) and k != "QUILT_DEPLOYMENT"}
    env.update({
        "HOME": os.path.join(work, "home"), "XDG_DATA_HOME": os.path.join(work, "xdg"), "XDG_CACHE_HOME": os.path.join(work, "cache"),
        "QUILT_DISABLE_USAGE_METRICS": "true", "QUILT_MINIMIZE_STDOUT": "true", "QUILT_DISABLE_CACHE": "true",
        "QUILT_MCP_TOOLSETS": "tabulator",
    })
    os.makedirs(env["HOME"])
    os.environ.update({k: v for k, v in env.items() if k.startswith(("XDG_", "HOME", "QUILT_D", "QUILT_M"))})
    import quilt3  # reads XDG_* when imported

    registry = "file://" + os.path.join(env["XDG_DATA_HOME"], "Quilt", "packages")
    for name, entries in FILES.items():
        src = os.path.join(work, "src", name)
        for key, text in entries.items():
            os.makedirs(os.path.dirname(os.path.join(src, key)), exist_ok=True)
            with open(os.path.join(src, key), "w") as f:
                f.write(text)
        p = quilt3.Package()
        p.set_dir("", src)
        p.build(name, registry=registry, message="built by quilt3")

    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            await checks(session, quilt3, registry, work)


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(), 120))
    except Exception as error:  # a check that could not run is a failure, said once
        record("the checks ran to the end", False, repr(error))
    print(f"tabulator-local: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
