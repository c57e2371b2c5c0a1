#!/usr/bin/env python3
"""quilt-mcp over stdio against the official Python SDK (PyPI `mcp` 2.3.0) in each of its connection modes.

Usage: python3 Fixtures/mcp/python_modern_check.py .build/debug/quilt-mcp

1. `mcp.Client(StdioServerParameters(...), mode=M)` for M in "2026-07-28" (no handshake), "auto" (the client
   probes with server/discover and adopts 2026-07-28) and "legacy" (initialize handshake, 2025-11-25): the
   negotiated version, tools/list, package_create with a progress callback, package_browse, exact metadata, a
   failing call (isError), both resources and a missing one (an error), each in a fresh sandbox.
2. Raw lines on the server's stdin: every 2026-07-28 result (server/discover, tools/list, tools/call success and
   failure, resources/list, resources/read) passes the SDK's own `mcp_types.methods.validate_server_result`, and the
   handshake-era results pass it for 2025-11-25.

Prints one line per check and finally `mcp-python-modern: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types.methods import validate_server_result

passed = 0
failed = 0


def record(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def sandbox():
    home = tempfile.mkdtemp(prefix="quilt-mcp-modern-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    return home, env


EXPECTED_VERSION = {"2026-07-28": "2026-07-28", "auto": "2026-07-28", "legacy": "2025-11-25"}


async def client_mode(binary, mode):
    home, env = sandbox()
    try:
        params = StdioServerParameters(command=binary, args=[], env=env)
        async with Client(params, mode=mode, read_timeout_seconds=30) as client:
            label = f"[{mode}] "
            record(label + "protocol version", client.protocol_version == EXPECTED_VERSION[mode], client.protocol_version)
            info = client.server_info
            if mode == "2026-07-28":  # a pinned client skips the probe and synthesizes its result; ask the server
                discovered = await client.session.send_discover("2026-07-28")
                meta = discovered.get("_meta") or {}  # the raw result
                served = meta.get("io.modelcontextprotocol/serverInfo") if isinstance(meta, dict) else None
                info = type("Info", (), served) if isinstance(served, dict) else served
            record(label + "server info", info is not None and getattr(info, "name", None) == "quilt-mcp", f"{info}")
            tools = (await client.list_tools()).tools
            names = {t.name for t in tools}
            record(label + "tools/list", {"package_create", "package_browse", "packages_list"} <= names, f"{sorted(names)}")

            progress = []

            async def on_progress(value, total, message):
                progress.append((value, total))

            entries = [{"logical_key": f"d/{i}.txt", "text": f"entry {i}"} for i in range(300)]
            created = await client.call_tool(
                "package_create",
                {"package_name": "modern/check", "entries": entries, "metadata": {"z": 1.0, "big": 12345678901234567890}},
                progress_callback=on_progress)
            record(label + "package_create", not created.is_error, f"{created}")
            values = [p[0] for p in progress]
            record(label + "progress", len(values) > 0 and values == sorted(values), f"{progress[:5]}")

            browse = await client.call_tool("package_browse", {"package_name": "modern/check", "path": "d", "recursive": False})
            entries_seen = (browse.structured_content or {}).get("entries") or []
            record(label + "package_browse", not browse.is_error and len(entries_seen) == 300, f"{browse}")

            info_result = await client.call_tool("package_info", {"package_name": "modern/check"})
            text = info_result.content[0].text if info_result.content else ""
            record(label + "exact metadata", '"z":1.0' in text and "12345678901234567890" in text, text[:300])

            bad = await client.call_tool("package_info", {"package_name": "no-slash"})
            kind = ((bad.structured_content or {}).get("error") or {}).get("kind")
            record(label + "failing call is isError", bad.is_error and kind == "invalid_input", f"{bad}")

            resources = (await client.list_resources()).resources
            record(label + "resources/list", {str(r.uri) for r in resources} >= {"auth://status", "auth://catalog/info"})
            status = await client.read_resource("auth://status")
            body = json.loads(status.contents[0].text)
            record(label + "resources/read", body.get("authenticated") is True, f"{body}")
            try:
                await client.read_resource("auth://missing")
                record(label + "missing resource is an error", False, "no error")
            except Exception as error:  # the SDK raises its MCPError
                record(label + "missing resource is an error", "auth://status" in str(error), str(error))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def raw_exchange(binary, messages):
    """Writes `messages` (one per line) and closes stdin; returns the server's messages by id."""
    home, env = sandbox()
    try:
        lines = "".join(json.dumps(m) + "\n" for m in messages)
        done = subprocess.run([binary], input=lines.encode(), env=env, capture_output=True, timeout=60)
        out = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
        return {m["id"]: m for m in out if "id" in m and "method" not in m}, done.returncode
    finally:
        shutil.rmtree(home, ignore_errors=True)


def validate(label, method, version, message):
    try:
        result = message.get("result")
        if result is None:
            raise ValueError(f"no result: {message}")
        validate_server_result(method, version, result)
        record(label, True)
    except Exception as error:
        record(label, False, f"{error}"[:500])


def raw_checks(binary):
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"},
    }
    calls = [
        (1, "server/discover", {}),
        (2, "tools/list", {}),
        (3, "tools/call", {"name": "packages_list", "arguments": {}}),
        (4, "tools/call", {"name": "package_info", "arguments": {"package_name": "bad"}}),
        (5, "resources/list", {}),
        (6, "resources/read", {"uri": "auth://catalog/info"}),
    ]
    answers, status = raw_exchange(
        binary, [{"jsonrpc": "2.0", "id": i, "method": m, "params": {**p, "_meta": meta}} for i, m, p in calls])
    record("[raw 2026-07-28] exit 0 after end of input", status == 0, f"{status}")
    for i, method, _ in calls:
        validate(f"[raw 2026-07-28] {method} #{i} passes validate_server_result", method, "2026-07-28", answers.get(i, {}))

    legacy = [{"jsonrpc": "2.0", "id": 0, "method": "initialize",
               "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}},
              {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    legacy += [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, m, p in calls[1:]]
    answers, status = raw_exchange(binary, legacy)
    validate("[raw 2025-11-25] initialize passes validate_server_result", "initialize", "2025-11-25", answers.get(0, {}))
    for i, method, _ in calls[1:]:
        validate(f"[raw 2025-11-25] {method} #{i} passes validate_server_result", method, "2025-11-25", answers.get(i, {}))


async def main(binary):
    for mode in ("2026-07-28", "auto", "legacy"):
        try:
            await asyncio.wait_for(client_mode(binary, mode), 120)
        except Exception as error:
            record(f"[{mode}] session", False, repr(error)[:500])
    raw_checks(binary)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(main(os.path.abspath(sys.argv[1])))
    print(f"mcp-python-modern: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
