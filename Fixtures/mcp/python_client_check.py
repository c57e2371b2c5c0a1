#!/usr/bin/env python3
"""Drive quilt-mcp over stdio with the official Python MCP SDK (PyPI `mcp`) as the client.

Usage: python3 Fixtures/mcp/python_client_check.py .build/debug/quilt-mcp

Starts the server with a private HOME and XDG_DATA_HOME (the zero-setup local registry), then: initialize,
list_tools (names), package_create with a progress callback, package_browse, packages_list, a failing call
(isError with a typed error), and both resources. Prints one line per check and finally
`mcp-python-client: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import json
import os
import sys
import tempfile

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

EXPECTED_TOOLS = {
    "packages_list", "package_browse", "package_info", "package_versions", "package_diff",
    "package_create", "package_update", "package_delete",
}

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def field(obj, *names):
    """An attribute under any of its spellings (mcp 1.x camelCase, 2.x snake_case)."""
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def is_error(result):
    return bool(field(result, "is_error", "isError"))


def structured(result):
    return field(result, "structured_content", "structuredContent")


def first_text(result):
    for item in result.contents if hasattr(result, "contents") else result.content:
        if getattr(item, "text", None) is not None:
            return item.text
    return None


async def run(binary):
    home = tempfile.mkdtemp(prefix="quilt-mcp-pyclient-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    params = StdioServerParameters(command=binary, args=[], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await asyncio.wait_for(session.initialize(), 20)
            version = field(init, "protocol_version", "protocolVersion")
            info = field(init, "server_info", "serverInfo")
            check("initialize", info is not None and info.name == "quilt-mcp", f"{init}")
            print(f"     negotiated protocol {version}")

            tools = (await session.list_tools()).tools
            names = {t.name for t in tools}
            check("list_tools names", names == EXPECTED_TOOLS, f"{sorted(names)}")
            check("list_tools schemas", all(field(t, "output_schema", "outputSchema") for t in tools)
                  and all(field(t, "input_schema", "inputSchema") for t in tools))
            browse_tool = next((t for t in tools if t.name == "package_browse"), None)
            check("annotations", browse_tool is not None and browse_tool.annotations is not None
                  and field(browse_tool.annotations, "read_only_hint", "readOnlyHint") is True)

            progress = []

            async def on_progress(value, total, message):
                progress.append((value, total, message))

            created = await session.call_tool(
                "package_create",
                {"package_name": "py/client", "entries": [
                    {"logical_key": "README.md", "text": "# hello"},
                    {"logical_key": "data/a.csv", "text": "x,y\n1,2\n"},
                ], "metadata": {"ratio": 1.0, "source": "python mcp"}, "message": "from the python client"},
                progress_callback=on_progress,
            )
            top_hash = (structured(created) or {}).get("top_hash")
            check("call package_create", not is_error(created) and isinstance(top_hash, str) and len(top_hash) == 64,
                  f"{created}")
            check("progress notifications", len(progress) >= 1, f"{progress}")
            check("text content is the JSON result", json.loads(first_text(created) or "null") == structured(created))

            browsed = await session.call_tool("package_browse", {"package_name": "py/client", "recursive": True})
            keys = [e.get("logical_key") for e in (structured(browsed) or {}).get("entries", [])]
            check("call package_browse", not is_error(browsed) and keys == ["README.md", "data/a.csv"], f"{browsed}")

            info_result = await session.call_tool("package_info", {"package_name": "py/client"})
            meta = (structured(info_result) or {}).get("user_meta")
            check("metadata kept exactly (1.0 stays a float)",
                  meta == {"ratio": 1.0, "source": "python mcp"} and isinstance(meta.get("ratio"), float), f"{meta}")

            listed = await session.call_tool("packages_list", {})
            packages = [p.get("name") for p in (structured(listed) or {}).get("packages", [])]
            check("call packages_list", not is_error(listed) and packages == ["py/client"], f"{listed}")

            bad = await session.call_tool("package_info", {"package_name": "not a name"})
            kind = ((structured(bad) or {}).get("error") or {}).get("kind")
            check("failing call is isError with a typed error", is_error(bad) and kind == "invalid_input", f"{bad}")

            missing = await session.call_tool("package_browse", {"package_name": "no/such"})
            kind = ((structured(missing) or {}).get("error") or {}).get("kind")
            check("missing package is not_found", is_error(missing) and kind == "not_found", f"{missing}")

            resources = (await session.list_resources()).resources
            uris = {str(r.uri) for r in resources}
            check("list_resources", uris == {"auth://status", "auth://catalog/info"}, f"{uris}")

            status = json.loads(first_text(await session.read_resource("auth://status")) or "{}")
            check("read auth://status", status.get("authenticated") is True and status.get("method") == "local", f"{status}")

            catalog = json.loads(first_text(await session.read_resource("auth://catalog/info")) or "{}")
            transport = (catalog.get("mode") or {}).get("transport") or {}
            check("read auth://catalog/info", catalog.get("backend") == "file" and transport.get("value") == "stdio"
                  and "source" in transport, f"{catalog}")

            await session.send_ping()
            check("ping", True)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    try:
        asyncio.run(asyncio.wait_for(run(binary), 120))
    except Exception as error:  # a crash or timeout is a failure, not a traceback
        check("session completed", False, f"{type(error).__name__}: {error}")
    print(f"mcp-python-client: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
