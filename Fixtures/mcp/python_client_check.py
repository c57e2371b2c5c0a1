#!/usr/bin/env python3
"""Drive quilt-mcp with the official Python MCP SDK (PyPI `mcp`) as the client, over stdio or streamable HTTP.

Usage: python3 Fixtures/mcp/python_client_check.py .build/debug/quilt-mcp           # stdio
       python3 Fixtures/mcp/python_client_check.py --http .build/debug/quilt-mcp    # streamable HTTP
       python3 Fixtures/mcp/python_client_check.py --platform .build/debug/quilt-mcp .build/debug/fake-catalog

stdio: starts the server with a private HOME and XDG_DATA_HOME (the zero-setup local registry).
--http: starts it twice on 127.0.0.1: the remote shape (stateless, auth=jwt with HS256 verification,
tenancy=multi, memory registry), with a JWT minted here, and local HTTP with sessions (file registry); also
checks that a request without a token is refused with 401 and a WWW-Authenticate challenge.
--platform: starts the fake catalog (Mocks/FakeCatalog) and quilt-mcp in `--mode remote` (Platform backend, JWT,
stateless, HTTP) against it; the client sends the catalog's JWT, which the server forwards per request; a token
the catalog refuses gives an `unauthenticated` tool error.
The remote shape also cancels a large package_create from the client side (the SDK's own notifications/cancelled)
and checks that no package was made. Each session then runs: initialize, list_tools (names), package_create with a progress callback,
package_browse, package_info (exact metadata), packages_list, failing calls (isError with a typed error),
both resources, ping. Prints one line per check and finally `mcp-python-client: N passed, M failed`
(`mcp-python-client-http: …` with --http); exits non-zero if anything failed.
"""
import asyncio
import atexit
import base64
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

EXPECTED_TOOLS = {
    "packages_list", "package_browse", "package_info", "package_versions", "package_diff",
    "package_create", "package_update", "package_delete",
}

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
    atexit.register(shutil.rmtree, home, True)
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    params = StdioServerParameters(command=binary, args=[], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await checks(session, "", backend="file", transport="stdio", auth_method="local")


async def checks(session, label, backend, transport, auth_method, identity=None):
    """The same checks over any transport; `label` prefixes each check's name."""
    def check(name, ok, detail=""):
        record(f"{label}{name}", ok, detail)

    init = await asyncio.wait_for(session.initialize(), 20)
    version = field(init, "protocol_version", "protocolVersion")
    info = field(init, "server_info", "serverInfo")
    check("initialize", info is not None and info.name == "quilt-mcp", f"{init}")
    print(f"     negotiated protocol {version}")

    tools = (await session.list_tools()).tools
    names = {t.name for t in tools}
    check("list_tools names", EXPECTED_TOOLS <= names, f"{sorted(names)}")
    check("list_tools schemas", all(field(t, "input_schema", "inputSchema") for t in tools)
          and not any(field(t, "output_schema", "outputSchema") for t in tools))
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
    values = [value for value, _, _ in progress]
    # Every entry reported, increasing, and the last one (complete: progress == total) before the result.
    check("progress notifications: complete before the result, increasing",
          len(progress) >= 2 and progress[-1][0] == progress[-1][1]
          and all(a < b for a, b in zip(values, values[1:])), f"{progress}")
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

    found = await session.call_tool("search_catalog", {"query": "client", "scope": "package"})
    hits = [h.get("package_name") for h in (structured(found) or {}).get("hits", [])]
    check("call search_catalog", not is_error(found) and hits == ["py/client"], f"{found}")

    bad = await session.call_tool("package_info", {"package_name": "not a name"})
    kind = ((structured(bad) or {}).get("error") or {}).get("kind")
    check("failing call is isError with a typed error", is_error(bad) and kind == "invalid_input", f"{bad}")

    missing = await session.call_tool("package_browse", {"package_name": "no/such"})
    kind = ((structured(missing) or {}).get("error") or {}).get("kind")
    check("missing package is not_found", is_error(missing) and kind == "not_found", f"{missing}")

    resources = (await session.list_resources()).resources
    uris = {str(r.uri) for r in resources}
    # With a catalog the four admin resources are listed too (docs/guide/admin.md).
    admin = {"admin://users", "admin://roles", "admin://config/sso", "admin://config/tabulator"} if backend == "platform" else set()
    check("list_resources", uris == {"auth://status", "auth://catalog/info"} | admin, f"{uris}")

    status = json.loads(first_text(await session.read_resource("auth://status")) or "{}")
    check("read auth://status", status.get("authenticated") is True and status.get("method") == auth_method
          and (identity is None or status.get("identity") == identity), f"{status}")

    catalog = json.loads(first_text(await session.read_resource("auth://catalog/info")) or "{}")
    mode_transport = (catalog.get("mode") or {}).get("transport") or {}
    check("read auth://catalog/info", catalog.get("backend") == backend
          and mode_transport.get("value") == transport and "source" in mode_transport, f"{catalog}")

    await session.send_ping()
    check("ping", True)


SECRET = "python-client-hs256-secret-0123456789-abcdefgh"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(claims, secret=SECRET):
    """A JWT signed here with HMAC-SHA256 (the server verifies it with the same secret)."""
    signing_input = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_http_server(binary, args, extra_env):
    """Starts `quilt-mcp --transport http` on a free port; returns (process, url, stderr path)."""
    home = tempfile.mkdtemp(prefix="quilt-mcp-pyhttp-")
    atexit.register(shutil.rmtree, home, True)
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    env.update(extra_env)
    for _ in range(3):
        port = free_port()
        err_path = os.path.join(home, f"stderr-{port}")
        with open(err_path, "w") as err:
            process = subprocess.Popen(
                [binary, *args, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.time() + 20
        while time.time() < deadline and process.poll() is None:
            with open(err_path) as err:
                if f"http://127.0.0.1:{port}/mcp" in err.read():
                    return process, f"http://127.0.0.1:{port}/mcp", err_path
            time.sleep(0.02)
        process.kill()
        process.wait()
    raise RuntimeError(f"quilt-mcp did not start serving HTTP: {open(err_path).read()}")


def stop_http_server(label, process):
    process.terminate()
    try:
        status = process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        status = None
    record(f"{label}SIGTERM: graceful exit 0", status == 0, f"status {status}")


def http_transport(url, token):
    """The SDK's streamable HTTP client with `Authorization: Bearer` (mcp 2.x and 1.x spellings)."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    try:
        from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client
        return streamable_http_client(url, http_client=create_mcp_http_client(headers=headers))
    except ImportError:
        from mcp.client.streamable_http import streamablehttp_client
        return streamablehttp_client(url, headers=headers)


async def http_session(url, token, label, **expect):
    async with http_transport(url, token) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            await checks(session, label, transport="http", **expect)


async def caller_cancels(url, token, label):
    """The SDK's own cancellation: cancelling the awaiting task makes it send `notifications/cancelled` (on its own
    HTTP request, possibly while the large request body is still arriving); the call must stop, leaving no package.
    mcp 1.x does not send that cancellation, so the check is skipped there."""
    import importlib.metadata
    if int(importlib.metadata.version("mcp").split(".")[0]) < 2:
        print(f"skip {label}client-side cancellation (mcp 1.x sends no notifications/cancelled)")
        return
    async with http_transport(url, token) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            entries = [{"logical_key": f"f/{i}.txt", "text": f"entry {i}"} for i in range(40000)]
            task = asyncio.create_task(session.call_tool("package_create", {"package_name": "py/cancelled", "entries": entries}))
            await asyncio.sleep(0.2)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            await asyncio.sleep(2.0)  # an un-cancelled create would have finished by now
            info = await session.call_tool("package_info", {"package_name": "py/cancelled"})
            kind = ((structured(info) or {}).get("error") or {}).get("kind")
            record(f"{label}cancelling call_tool in the client stops the call (no package)", kind == "not_found", f"{info}")


def refused_without_token(url):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
    try:
        urllib.request.urlopen(request, timeout=10)
        return None, None
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("WWW-Authenticate")


async def run_http(binary):
    # The remote shape: stateless, JWT verified here (HS256), one tenant per verified subject.
    remote_args = ["--auth", "jwt", "--tenancy", "multi", "--state", "stateless", "--registry", "memory://python"]
    process, url, _ = start_http_server(binary, remote_args, {"QUILT_MCP_JWT_SECRET": SECRET})
    try:
        code, challenge = refused_without_token(url)
        record("remote: no token is 401 with WWW-Authenticate: Bearer", code == 401 and (challenge or "").startswith("Bearer "),
               f"{code} {challenge}")
        token = hs256_token({"sub": "python-client", "exp": int(time.time()) + 3600})
        await http_session(url, token, "remote: ", backend="memory", auth_method="jwt", identity="python-client")
        await caller_cancels(url, token, "remote: ")
    finally:
        stop_http_server("remote: ", process)
    # Local HTTP: sessions on the stateful transport, a file registry, no token.
    registry_dir = tempfile.mkdtemp(prefix="quilt-mcp-pyhttp-registry-")
    atexit.register(shutil.rmtree, registry_dir, True)
    registry = "file://" + registry_dir
    process, url, _ = start_http_server(binary, ["--registry", registry], {})
    try:
        await http_session(url, None, "local: ", backend="file", auth_method="local")
    finally:
        stop_http_server("local: ", process)


async def run_platform(binary, fake_catalog):
    """The remote deployment against the fake catalog: the client's bearer is the catalog's JWT, passed on per request."""
    fake = subprocess.Popen([fake_catalog, "--port", "0", "--bucket", "py-bucket"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        printed = dict(fake.stdout.readline().strip().partition("=")[::2] for _ in range(3))
        token = printed.pop("QUILT_MCP_JWT_TOKEN")  # the client holds the token; the server is not given it
        env = dict(printed, QUILT_MCP_REGISTRY="s3://py-bucket")
        process, url, _ = start_http_server(binary, ["--mode", "remote", "--toolsets", "all"], env)
        try:
            await http_session(url, token, "platform: ", backend="platform", auth_method="jwt")
            async with http_transport(url, token) as streams:
                async with ClientSession(streams[0], streams[1]) as session:
                    await session.initialize()
                    uri = await session.call_tool("catalog_uri", {"package_name": "py/client", "path": "data/a.csv"})
                    text = (structured(uri) or {}).get("uri", "")
                    record("platform: catalog_uri names the bucket, package and catalog",
                           text.startswith("quilt+s3://py-bucket#package=py/client&path=data%2Fa.csv&catalog=127.0.0.1%3A"),
                           f"{uri}")
                    link = await session.call_tool("catalog_url", {"package_name": "py/client"})
                    record("platform: catalog_url points at the configured catalog",
                           (structured(link) or {}).get("url") == printed["QUILT_MCP_CATALOG_URL"]
                           + "/b/py-bucket/packages/py/client/tree/latest/", f"{link}")
            forged = hs256_token({"sub": "mallory", "exp": int(time.time()) + 3600}, "not-the-catalogs-secret-0123456789abcdef")
            async with http_transport(url, forged) as streams:
                async with ClientSession(streams[0], streams[1]) as session:
                    await session.initialize()
                    refused = await session.call_tool("packages_list", {})
                    kind = ((structured(refused) or {}).get("error") or {}).get("kind")
                    record("platform: a token the catalog refuses is an unauthenticated tool error",
                           is_error(refused) and kind == "unauthenticated", f"{refused}")
        finally:
            stop_http_server("platform: ", process)
    finally:
        fake.terminate()
        fake.wait(10)


def main():
    args = sys.argv[1:]
    http = "--http" in args
    platform = "--platform" in args
    args = [a for a in args if a not in ("--http", "--platform")]
    if len(args) != (2 if platform else 1):
        print(__doc__)
        return 2
    binary = os.path.abspath(args[0])
    if platform:
        job, suffix = run_platform(binary, os.path.abspath(args[1])), "-platform"
    else:
        job, suffix = (run_http(binary), "-http") if http else (run(binary), "")
    try:
        asyncio.run(asyncio.wait_for(job, 180))
    except Exception as error:  # a crash or timeout is a failure, not a traceback
        record("session completed", False, f"{type(error).__name__}: {error}")
    print(f"mcp-python-client{suffix}: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
