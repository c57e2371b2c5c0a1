#!/usr/bin/env python3
"""quilt-mcp over stdio against the official Python SDK (PyPI `mcp` 2.3.0) in each of its connection modes.

Usage: python3 Fixtures/mcp/python_modern_check.py .build/debug/quilt-mcp
       python3 Fixtures/mcp/python_modern_check.py --http .build/debug/quilt-mcp
       python3 Fixtures/mcp/python_modern_check.py --platform .build/debug/quilt-mcp .build/debug/fake-catalog

1. `mcp.Client(StdioServerParameters(...), mode=M)` for M in "2026-07-28" (no handshake), "auto" (the client
   probes with server/discover and adopts 2026-07-28) and "legacy" (initialize handshake, 2025-11-25): the
   negotiated version, tools/list, package_create with a progress callback, package_browse, exact metadata, a
   failing call (isError), both resources and a missing one (an error), each in a fresh sandbox.
2. Raw lines on the server's stdin: every 2026-07-28 result (server/discover, tools/list, tools/call success and
   failure, resources/list, resources/read) passes the SDK's own `mcp_types.methods.validate_server_result`, and the
   handshake-era results pass it for 2025-11-25.

--http: the remote shape (stateless, JWT verified with HS256, one tenant per subject, memory registry) over
streamable HTTP: the client in "2026-07-28" and "auto" modes as above (legacy is python_client_check.py --http's),
then raw POSTs for the revision's transport rules (routing headers -32020, unknown version -32022, missing _meta
-32602, GET 405, notification 202, batch 400, their statuses), results through validate_server_result, and a client
that disconnects mid-call cancelling it (no package is made); then local HTTP (sessions for the handshake era,
single exchanges for 2026-07-28 on the same /mcp) with the client in "auto" and "legacy" modes.
--platform: the remote shape on the Platform backend against the fake catalog (Mocks/FakeCatalog), the client in
"2026-07-28" and "auto" modes with the catalog's token.

Prints one line per check and finally `mcp-python-modern: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types.methods import validate_server_result
import mcp_types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_client_check as base  # noqa: E402 (its record() and counters, HTTP start-up and token helpers)

record = base.record


def sandbox():
    home = tempfile.mkdtemp(prefix="quilt-mcp-modern-")
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    return home, env


EXPECTED_VERSION = {"2026-07-28": "2026-07-28", "auto": "2026-07-28", "legacy": "2025-11-25"}


async def client_mode(binary, mode):
    home, env = sandbox()
    try:
        await client_checks(StdioServerParameters(command=binary, args=[], env=env), mode, f"[{mode}] ", "modern/check")
    finally:
        shutil.rmtree(home, ignore_errors=True)


async def client_checks(server, mode, label, package, consent="asks"):
    """The SDK client's everyday calls; `consent` says what package_delete should meet: "asks" (elicitation or
    InputRequiredResult, answered by the callback below), "confirm" (no channel to ask: refused until confirm=true),
    or None (not checked here)."""
    answers = ["decline", "accept"]
    asked = []

    async def on_elicit(context, params):
        asked.append(params.message)
        action = answers.pop(0) if answers else "accept"
        return mcp_types.ElicitResult(action=action, content={"confirm": True} if action == "accept" else None)

    async with Client(server, mode=mode, read_timeout_seconds=30, elicitation_callback=on_elicit) as client:
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
            {"package_name": package, "entries": entries, "metadata": {"z": 1.0, "big": 12345678901234567890}},
            progress_callback=on_progress)
        record(label + "package_create", not created.is_error, f"{created}")
        values = [p[0] for p in progress]
        record(label + "progress", len(values) > 0 and values == sorted(values), f"{progress[:5]}")

        browse = await client.call_tool("package_browse", {"package_name": package, "path": "d", "recursive": False})
        entries_seen = (browse.structured_content or {}).get("entries") or []
        record(label + "package_browse", not browse.is_error and len(entries_seen) == 300, f"{browse}")

        info_result = await client.call_tool("package_info", {"package_name": package})
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
        await family_checks(client, label, package)
        if consent:
            await consent_checks(client, label, package, consent, asked)
        if client.protocol_version == "2026-07-28":
            async with client.listen(tools_list_changed=True, resource_subscriptions=["auth://status"]) as sub:
                honored = sub.honored
                record(label + "subscriptions/listen acknowledged: list changes honoured, resource updates not",
                       honored is not None and honored.tools_list_changed is True and not honored.resource_subscriptions,
                       f"{honored}")
                again = await client.list_tools()  # other requests go on while the stream is open
                record(label + "requests beside an open listen", len(again.tools) > 0)


async def family_checks(client, label, package):
    """One call of each default toolset besides packages: objects (write, list, read back) and search."""
    key = package.replace("/", "-") + "/notes.txt"
    put = await client.call_tool("bucket_objects_put", {"items": [{"key": key, "text": "family check"}]})
    record(label + "objects: bucket_objects_put", not put.is_error and (put.structured_content or {}).get("uploaded") == 1,
           f"{put}")
    listed = await client.call_tool("bucket_objects_list", {"prefix": key.split("/")[0] + "/"})
    objects = (listed.structured_content or {}).get("objects") or []
    record(label + "objects: bucket_objects_list", not listed.is_error and len(objects) == 1, f"{listed}")
    uri = objects[0].get("s3_uri") if objects else None
    text = await client.call_tool("bucket_object_text", {"s3_uri": uri or "s3://missing/key"})
    record(label + "objects: bucket_object_text", (text.structured_content or {}).get("text") == "family check", f"{text}")
    found = await client.call_tool("search_catalog", {"query": package.split("/")[1], "scope": "package"})
    hits = (found.structured_content or {}).get("hits") or []
    record(label + "search: search_catalog finds the package",
           not found.is_error and any(h.get("package_name") == package for h in hits), f"{found}")


async def consent_checks(client, label, package, consent, asked):
    """package_delete asks the user first: a decline keeps the package, an accept deletes it."""
    def error_of(result):
        return (result.structured_content or {}).get("error") or {}

    first = await client.call_tool("package_delete", {"package_name": package})
    kept = not (await client.call_tool("package_info", {"package_name": package})).is_error
    if consent == "asks":
        record(label + "consent: the user is asked, naming the package",
               len(asked) == 1 and package in asked[0], f"{asked}")
        record(label + "consent: a decline keeps the package",
               first.is_error and error_of(first).get("kind") == "cancelled" and kept, f"{first}")
        second = await client.call_tool("package_delete", {"package_name": package})
    else:
        record(label + "consent: refused naming confirm (no way to ask)",
               first.is_error and error_of(first).get("field") == "confirm" and kept and not asked, f"{first}")
        second = await client.call_tool("package_delete", {"package_name": package, "confirm": True})
    gone = (await client.call_tool("package_info", {"package_name": package})).is_error
    record(label + "consent: then the package is deleted", not second.is_error and gone, f"{second}")


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


# The 2026-07-28 envelope of the raw-line checks.
RAW_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"},
}


def raw_checks(binary):
    meta = RAW_META
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


# MARK: - HTTP (the remote shape)

MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "raw-http", "version": "1"},
}


def post(url, token, message, headers=None, accept="application/json, text/event-stream", method="POST"):
    """One raw request; returns (status, content type, parsed JSON body or None, raw text)."""
    data = json.dumps(message).encode() if message is not None else None
    all_headers = {"Content-Type": "application/json", "Accept": accept, "Authorization": f"Bearer {token}"}
    all_headers.update(headers or {})
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, ctype, text = response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        status, ctype, text = error.code, error.headers.get("Content-Type", ""), error.read().decode()
    try:
        body = json.loads(text) if text and "json" in ctype else None
    except ValueError:
        body = None
    return status, ctype, body, text


def modern_headers(method, name=None, version="2026-07-28"):
    headers = {"MCP-Protocol-Version": version, "Mcp-Method": method}
    if name is not None:
        headers["Mcp-Name"] = name
    return headers


def rpc(i, method, params, meta=True):
    p = dict(params)
    if meta:
        p["_meta"] = MODERN_META
    return {"jsonrpc": "2.0", "id": i, "method": method, "params": p}


def raw_http_checks(url, token):
    def expect(label, reply, status, code=None):
        got_code = ((reply[2] or {}).get("error") or {}).get("code")
        record(f"[http raw] {label}: {status}" + (f" / {code}" if code else ""),
               reply[0] == status and (code is None or got_code == code), f"{reply[0]} {reply[3][:300]}")

    listing = rpc(1, "tools/list", {})
    expect("no Mcp-Method", post(url, token, listing, {"MCP-Protocol-Version": "2026-07-28"}), 400, -32020)
    expect("Mcp-Method disagrees", post(url, token, listing, modern_headers("tools/call")), 400, -32020)
    expect("version header disagrees with _meta", post(url, token, listing, modern_headers("tools/list", version="2099-01-01")), 400, -32020)
    unknown = rpc(2, "tools/list", {})
    unknown["params"]["_meta"] = dict(MODERN_META, **{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})
    reply = post(url, token, unknown, modern_headers("tools/list", version="2099-01-01"))
    expect("unknown version", reply, 400, -32022)
    data = ((reply[2] or {}).get("error") or {}).get("data") or {}
    record("[http raw] -32022 names supported and requested", data == {"supported": ["2026-07-28"], "requested": "2099-01-01"}, f"{data}")
    expect("no _meta", post(url, token, rpc(3, "tools/list", {}, meta=False), modern_headers("tools/list")), 400, -32602)
    call = rpc(4, "tools/call", {"name": "packages_list", "arguments": {}})
    expect("Mcp-Name disagrees", post(url, token, call, modern_headers("tools/call", "package_info")), 400, -32020)
    reply = post(url, token, call, modern_headers("tools/call", "packages_list"))
    expect("tools/call", reply, 200)
    validate("[http raw] tools/call passes validate_server_result", "tools/call", "2026-07-28", reply[2] or {})
    base64_name = "=?base64?" + base64.b64encode(b"packages_list").decode() + "?="
    expect("Mcp-Name in base64 form", post(url, token, call, modern_headers("tools/call", base64_name)), 200)
    for i, method, params in [(5, "server/discover", {}), (6, "tools/list", {}), (7, "resources/list", {}),
                              (8, "resources/read", {"uri": "auth://status"})]:
        name = params.get("uri")
        reply = post(url, token, rpc(i, method, params), modern_headers(method, name))
        validate(f"[http raw] {method} passes validate_server_result", method, "2026-07-28", reply[2] or {})
    expect("unknown method", post(url, token, rpc(9, "no/such", {}), modern_headers("no/such")), 404, -32601)
    missing = post(url, token, rpc(10, "resources/read", {"uri": "auth://nope"}), modern_headers("resources/read", "auth://nope"))
    expect("missing resource", missing, 400, -32602)
    expect("GET", post(url, token, None, method="GET", accept="text/event-stream"), 405)
    expect("DELETE", post(url, token, None, method="DELETE"), 405)
    note = {"jsonrpc": "2.0", "method": "notifications/initialized", "params": {"_meta": MODERN_META}}
    expect("notification", post(url, token, note, modern_headers("notifications/initialized")), 202)
    expect("batch", post(url, token, [listing], modern_headers("tools/list")), 400, -32600)
    expect("Accept without JSON", post(url, token, listing, modern_headers("tools/list"), accept="text/event-stream"), 406)


def disconnect_cancels(url, token, stderr_path):
    """A 2026-07-28 call whose client disconnects after its first progress event is cancelled: no package."""
    parsed = urllib.parse.urlparse(url)
    entries = [{"logical_key": f"f/{i}.txt", "text": f"entry {i}"} for i in range(20000)]
    message = rpc(20, "tools/call", {"name": "package_create", "arguments": {"package_name": "gone/away", "entries": entries}})
    message["params"]["_meta"] = dict(MODERN_META, progressToken="bye")
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    connection.request("POST", parsed.path, body=json.dumps(message), headers=dict(
        modern_headers("tools/call", "package_create"), **{
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "Authorization": f"Bearer {token}"}))
    response = connection.getresponse()
    first = response.readline().decode()
    record("[http raw] progress arrives as an event stream", response.status == 200
           and response.getheader("Content-Type") == "text/event-stream" and first.startswith("event: message"), first)
    connection.sock.shutdown(socket.SHUT_RDWR)
    connection.close()
    deadline = time.time() + 30
    while time.time() < deadline and "tools/call cancelled" not in open(stderr_path).read():
        time.sleep(0.1)
    record("[http raw] the server saw the disconnect as a cancellation", "tools/call cancelled" in open(stderr_path).read())
    reply = post(url, token, rpc(21, "tools/call", {"name": "package_info", "arguments": {"package_name": "gone/away"}}),
                 modern_headers("tools/call", "package_info"))
    kind = ((((reply[2] or {}).get("result") or {}).get("structuredContent") or {}).get("error") or {}).get("kind")
    record("[http raw] disconnecting cancels the call (no package)", kind == "not_found", reply[3][:300])


async def http_modes(url, token, modes, label, package_prefix, consent=lambda mode: "asks"):
    """client_checks over streamable HTTP at `url` (bearer `token`, if any) once per client mode."""
    from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

    headers = {"Authorization": f"Bearer {token}"} if token else None
    for mode in modes:
        transport = streamable_http_client(url, http_client=create_mcp_http_client(headers=headers))
        try:
            await asyncio.wait_for(
                client_checks(transport, mode, f"[{label} {mode}] ", f"{package_prefix}/{mode}", consent(mode)), 120)
        except Exception as error:
            record(f"[{label} {mode}] session", False, repr(error)[:500])


async def run_http(binary):
    remote_args = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://modern"]
    process, url, stderr_path = base.start_http_server(
        binary, remote_args, {"QUILT_MCP_JWT_SECRET": base.SECRET, "QUILT_MCP_LOG_LEVEL": "info"})
    try:
        token = base.hs256_token({"sub": "modern-client", "exp": int(time.time()) + 3600})
        await http_modes(url, token, ("2026-07-28", "auto"), "http", "modern")
        raw_http_checks(url, token)
        disconnect_cancels(url, token, stderr_path)
    finally:
        process.terminate()
        process.wait(20)
    # Local HTTP: handshake-era sessions, and 2026-07-28 requests (by their version header) as single exchanges.
    registry_dir = tempfile.mkdtemp(prefix="quilt-mcp-modern-local-")
    process, url, _ = base.start_http_server(binary, ["--registry", "file://" + registry_dir], {})
    try:
        await http_modes(url, None, ("auto", "legacy"), "local http", "local")
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(registry_dir, ignore_errors=True)


async def run_platform(binary, fake_catalog):
    """The remote shape on the Platform backend (the fake catalog) with the client in 2026-07-28 and auto modes."""
    fake = subprocess.Popen([fake_catalog, "--port", "0", "--bucket", "modern-bucket"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        printed = dict(fake.stdout.readline().strip().partition("=")[::2] for _ in range(3))
        token = printed.pop("QUILT_MCP_JWT_TOKEN")  # the client holds the catalog's token; the server is not given it
        env = dict(printed, QUILT_MCP_REGISTRY="s3://modern-bucket")
        process, url, _ = base.start_http_server(binary, ["--mode", "remote"], env)
        try:
            await http_modes(url, token, ("2026-07-28", "auto"), "platform", "platform", consent=lambda mode: None)
        finally:
            process.terminate()
            process.wait(20)
    finally:
        fake.terminate()
        fake.wait(10)


async def each_mode(binary, session):
    """`session(binary, mode)` once per client mode, each bounded and recorded as failed if it raises."""
    for mode in ("2026-07-28", "auto", "legacy"):
        try:
            await asyncio.wait_for(session(binary, mode), 120)
        except Exception as error:
            record(f"[{mode}] session", False, repr(error)[:500])


async def main(binary):
    await each_mode(binary, client_mode)
    raw_checks(binary)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    flavour = arguments[0][2:] if arguments[:1] in (["--http"], ["--platform"]) else ""
    if flavour:
        arguments = arguments[1:]
    if len(arguments) != (2 if flavour == "platform" else 1):
        sys.exit(__doc__)
    binary = os.path.abspath(arguments[0])
    if flavour == "http":
        asyncio.run(run_http(binary))
    elif flavour == "platform":
        asyncio.run(run_platform(binary, os.path.abspath(arguments[1])))
    else:
        asyncio.run(main(binary))
    print(f"mcp-python-modern{'-' + flavour if flavour else ''}: {base.passed} passed, {base.failed} failed")
    sys.exit(1 if base.failed else 0)
