#!/usr/bin/env python3
"""Differential test: quilt-mcp against the official Python SDK's reference server on MCP 2026-07-28's raw HTTP rules.

Usage: python3 Fixtures/mcp/differential_check.py .build/debug/quilt-mcp

Starts the SDK's reference server (`mcp.server.mcpserver.MCPServer` with one tool, `streamable_http_app(
json_response=True)` under uvicorn on 127.0.0.1) and quilt-mcp in the remote shape without tokens (stateless,
memory registry), sends both the same raw requests — missing or half `_meta`, each routing header disagreeing with
the body, an unserved version, GET and DELETE, a notification, a batch, a posted response, a body that is not JSON,
the handshake and `ping` in 2026-07-28, an unknown method, tool and resource, `Accept` and `Content-Type` variants and
refusals, `Mcp-Name` in its base64 form, string ids, a notification without `_meta`, a bad `jsonrpc`, `_meta` or
`params`, and a routing header sent twice —
and compares what a client can act on: the HTTP status, the JSON-RPC error code (or that there is a result), the id
answered, and for -32022 the `data`. Tools differ between the servers, so a call names each server's own tool.
Then the same over stdio for a 2026-07-28 session (the reference server's `server.run()` against quilt-mcp): the
envelope checks, `initialize` on a modern connection, unknown method, tool and resource.
Prints one line per case and finally `mcp-differential: N passed, M failed`; exits non-zero if anything differed.
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_client_check as base  # noqa: E402 (record(), counters, HTTP start-up)

record = base.record
META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}


def start_reference():
    import uvicorn
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("reference")

    @server.tool()
    def echo(text: str) -> str:
        """Echoes its input."""
        return text

    app = server.streamable_http_app(json_response=True)
    port = base.free_port()
    thread = threading.Thread(
        target=lambda: uvicorn.run(app, host="127.0.0.1", port=port, log_level="error"), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=1)
        except urllib.error.HTTPError:
            return url  # it answers (405)
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the reference server did not start")


def send(url, body, headers, method="POST", raw=None):
    """(status, parsed JSON body or None)."""
    all_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    all_headers.update(headers)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, None


def send_headers(url, body, header_list):
    """Like send(), with headers as a list, so a name may repeat (urllib keeps one of each)."""
    import http.client
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("POST", parts.path)
        data = json.dumps(body).encode()
        for name, value in [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                            ("Content-Length", str(len(data)))] + header_list:
            connection.putheader(name, value)
        connection.endheaders(data)
        response = connection.getresponse()
        status, text = response.status, response.read().decode()
    finally:
        connection.close()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, None


def routing(method, name=None, version="2026-07-28"):
    headers = {"MCP-Protocol-Version": version, "Mcp-Method": method}
    if name is not None:
        headers["Mcp-Name"] = name
    return headers


def rpc(i, method, params=None, meta=META):
    p = dict(params or {})
    if meta is not None:
        p["_meta"] = meta
    return {"jsonrpc": "2.0", "id": i, "method": method, "params": p}


def summary(reply):
    """What a client acts on: status, error code or 'result', the id, -32022's data."""
    status, body = reply
    if not isinstance(body, dict):
        return (status, None, None, None)
    error = body.get("error")
    if error is not None:
        data = error.get("data") if error.get("code") == -32022 else None
        return (status, error.get("code"), body.get("id"), json.dumps(data, sort_keys=True) if data else None)
    result = body.get("result") or {}
    return (status, "result" + (" isError" if result.get("isError") else ""), body.get("id"), None)


# Where quilt-mcp answers differently on purpose: (the reference's summary, ours, why). Both sides are still checked
# exactly, so a change on either side shows.
DOCUMENTED = {
    "Accept: text/event-stream alone": (
        (406, None, None, None), (406, -32600, None, None),
        "the same status; quilt-mcp adds a JSON-RPC error body saying what to accept"),
    "Content-Type: text/plain": (
        (400, None, None, None), (415, -32600, None, None),
        "415 Unsupported Media Type is HTTP's status for a body in the wrong format (RFC 9110 15.5.16)"),
    "jsonrpc 1.0": (
        (400, -32600, None, None), (400, -32600, 25, None),
        "the id could be read, so quilt-mcp answers under it and the client can match the error to its request"),
    "params not an object": (
        (400, -32600, None, None), (400, -32602, 27, None),
        "a well-formed request whose params are not an object is -32602 Invalid params, under its id"),
}


def compare(label, theirs, mine):
    if label in DOCUMENTED:
        expected_theirs, expected_mine, why = DOCUMENTED[label]
        record(f"{label}: {theirs} vs {mine} (documented: {why})",
               theirs == expected_theirs and mine == expected_mine,
               f"expected reference {expected_theirs} and quilt-mcp {expected_mine}")
    else:
        record(f"{label}: {theirs}", theirs == mine, f"quilt-mcp answered {mine}")


def cases(tool):
    """(label, body, headers, method, raw) for a server whose cheap tool is `tool`."""
    future = dict(META, **{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})
    half = {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}
    call = {"name": tool, "arguments": {} if tool != "echo" else {"text": "x"}}
    return [
        ("tools/list", rpc(1, "tools/list"), routing("tools/list"), "POST", None),
        ("tools/call of the server's own tool", rpc(2, "tools/call", call), routing("tools/call", tool), "POST", None),
        ("no _meta", rpc(3, "tools/list", meta=None), routing("tools/list"), "POST", None),
        ("_meta without clientCapabilities", rpc(4, "tools/list", meta=half), routing("tools/list"), "POST", None),
        ("no Mcp-Method", rpc(5, "tools/list"), {"MCP-Protocol-Version": "2026-07-28"}, "POST", None),
        ("Mcp-Method disagrees", rpc(6, "tools/list"), routing("tools/call"), "POST", None),
        ("version header disagrees", rpc(7, "tools/list"), routing("tools/list", version="2099-01-01"), "POST", None),
        ("Mcp-Name disagrees", rpc(8, "tools/call", call), routing("tools/call", "other"), "POST", None),
        ("no Mcp-Name", rpc(9, "tools/call", call), routing("tools/call"), "POST", None),
        ("unserved version", rpc(10, "tools/list", meta=future), routing("tools/list", version="2099-01-01"), "POST", None),
        ("initialize with _meta", rpc(11, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {}}),
         routing("initialize"), "POST", None),
        ("initialize without _meta", rpc(12, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {}}, meta=None),
         routing("initialize"), "POST", None),
        ("ping", rpc(13, "ping"), routing("ping"), "POST", None),
        ("unknown method", rpc(14, "no/such"), routing("no/such"), "POST", None),
        ("unknown tool", rpc(15, "tools/call", {"name": "nope", "arguments": {}}), routing("tools/call", "nope"), "POST", None),
        ("unknown resource", rpc(16, "resources/read", {"uri": "nope://x"}), routing("resources/read", "nope://x"), "POST", None),
        ("notification", {"jsonrpc": "2.0", "method": "notifications/initialized", "params": {"_meta": META}},
         routing("notifications/initialized"), "POST", None),
        ("batch", [rpc(17, "tools/list")], routing("tools/list"), "POST", None),
        ("posted response", {"jsonrpc": "2.0", "id": 18, "result": {}}, routing("tools/list"), "POST", None),
        ("body not JSON", None, routing("tools/list"), "POST", b"{not json"),
        ("GET", None, {"MCP-Protocol-Version": "2026-07-28", "Accept": "text/event-stream"}, "GET", None),
        ("DELETE", None, {"MCP-Protocol-Version": "2026-07-28"}, "DELETE", None),
        ("Accept: application/json alone", rpc(19, "tools/list"), dict(routing("tools/list"), Accept="application/json"),
         "POST", None),
        ("Accept: text/event-stream alone", rpc(20, "tools/list"), dict(routing("tools/list"), Accept="text/event-stream"),
         "POST", None),
        ("Accept: */*", rpc(21, "tools/list"), dict(routing("tools/list"), Accept="*/*"), "POST", None),
        ("Content-Type with charset", rpc(22, "tools/list"),
         dict(routing("tools/list"), **{"Content-Type": "application/json; charset=utf-8"}), "POST", None),
        ("Content-Type: text/plain", rpc(23, "tools/list"), dict(routing("tools/list"), **{"Content-Type": "text/plain"}),
         "POST", None),
        ("Mcp-Name in its base64 form", rpc(24, "tools/call", call),
         routing("tools/call", "=?base64?" + __import__("base64").b64encode(tool.encode()).decode() + "?="), "POST", None),
        ("a string id is answered as written", dict(rpc(0, "tools/list"), id="abc"), routing("tools/list"), "POST", None),
        ("notification without _meta", {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
         routing("notifications/cancelled"), "POST", None),
        ("jsonrpc 1.0", dict(rpc(25, "tools/list"), jsonrpc="1.0"), routing("tools/list"), "POST", None),
        ("protocolVersion in _meta not a string", rpc(26, "tools/list", meta=dict(META, **{
            "io.modelcontextprotocol/protocolVersion": 20260728})), routing("tools/list"), "POST", None),
        ("params not an object", {"jsonrpc": "2.0", "id": 27, "method": "tools/list", "params": [1]},
         routing("tools/list"), "POST", None),
    ]


def header_cases():
    """(label, body, header list): headers a dict cannot carry, a routing header sent twice."""
    twice = [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list"), ("Mcp-Method", "tools/list")]
    versions = [("MCP-Protocol-Version", "2026-07-28"), ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list")]
    return [
        ("Mcp-Method sent twice", rpc(30, "tools/list"), twice),
        ("MCP-Protocol-Version sent twice", rpc(31, "tools/list"), versions),
    ]


REFERENCE_STDIO = """
from mcp.server.mcpserver import MCPServer
server = MCPServer("reference")

@server.tool()
def echo(text: str) -> str:
    \"\"\"Echoes its input.\"\"\"
    return text

server.run()
"""


def stdio_exchange(command, lines, env=None):
    """Sends `lines` to a stdio server one at a time, each after the previous one's answer (up to 10 s), then closes
    its input; returns its answers by id (None: not answered)."""
    import select
    import subprocess
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env)
    answers = {}
    pending = b""
    try:
        for line in lines:
            process.stdin.write((json.dumps(line) + "\n").encode())
            process.stdin.flush()
            key = json.dumps(line.get("id"))
            deadline = time.time() + 10
            while key not in answers and time.time() < deadline:
                ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.time()))
                if not ready:
                    break
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                pending += chunk
                while b"\n" in pending:
                    raw, pending = pending.split(b"\n", 1)
                    try:
                        message = json.loads(raw)
                    except ValueError:
                        continue
                    if isinstance(message, dict) and "method" not in message:
                        answers[json.dumps(message.get("id"))] = message
    finally:
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    return answers


def stdio_summary(message):
    if message is None:
        return None
    if "error" in message:
        data = message["error"].get("data") if message["error"].get("code") == -32022 else None
        return (message["error"].get("code"), json.dumps(data, sort_keys=True) if data else None)
    return ("result", bool((message.get("result") or {}).get("isError")))


def stdio_cases(tool):
    """A 2026-07-28 stdio session: the first request opens the modern era; later ones test its rules."""
    future = dict(META, **{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})
    call = {"name": tool, "arguments": {} if tool != "echo" else {"text": "x"}}
    return [
        ("server/discover opens the modern era", rpc(1, "server/discover")),
        ("tools/list", rpc(2, "tools/list")),
        ("tools/call of the server's own tool", rpc(3, "tools/call", call)),
        ("no _meta", rpc(4, "tools/list", meta=None)),
        ("_meta without clientCapabilities", rpc(5, "tools/list", meta={"io.modelcontextprotocol/protocolVersion": "2026-07-28"})),
        ("unserved version", rpc(6, "tools/list", meta=future)),
        ("initialize on a modern connection", rpc(7, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {}}, meta=None)),
        ("ping", rpc(8, "ping")),
        ("unknown method", rpc(9, "no/such")),
        ("unknown tool", rpc(10, "tools/call", {"name": "nope", "arguments": {}})),
        ("unknown resource", rpc(11, "resources/read", {"uri": "nope://x"})),
    ]


def stdio_main(binary):
    import tempfile
    home = tempfile.mkdtemp(prefix="quilt-mcp-differential-")
    env = {"HOME": home, "XDG_DATA_HOME": home + "/xdg", "PATH": "/usr/bin:/bin"}
    theirs = stdio_exchange([sys.executable, "-c", REFERENCE_STDIO], [m for _, m in stdio_cases("echo")])
    mine = stdio_exchange([binary], [m for _, m in stdio_cases("packages_list")], env=env)
    for label, message in stdio_cases("echo"):
        key = json.dumps(message["id"])
        a, b = stdio_summary(theirs.get(key)), stdio_summary(mine.get(key))
        record(f"[stdio] {label}: {a}", a == b, f"quilt-mcp answered {b}")


def main(binary):
    reference = start_reference()
    process, ours, _ = base.start_http_server(
        binary, ["--state", "stateless", "--auth", "iam", "--registry", "memory://differential"], {})
    try:
        for (label, body, headers, method, raw), (_, body2, headers2, _, _) in zip(cases("echo"), cases("packages_list")):
            theirs = summary(send(reference, body, headers, method, raw))
            mine = summary(send(ours, body2, headers2, method, raw))
            compare(label, theirs, mine)
        for label, body, header_list in header_cases():
            theirs, mine = summary(send_headers(reference, body, header_list)), summary(send_headers(ours, body, header_list))
            compare(label, theirs, mine)
    finally:
        process.terminate()
        process.wait(20)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]))
    stdio_main(os.path.abspath(sys.argv[1]))
    print(f"mcp-differential: {base.passed} passed, {base.failed} failed")
    sys.exit(1 if base.failed or base.passed == 0 else 0)
