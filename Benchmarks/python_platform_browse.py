#!/usr/bin/env python3
"""The Python quilt-mcp (PyPI 0.22.0) server's package_browse against the fake catalog, counting the HTTP requests
that reach the catalog (the fake counts them per path: GET /_fake/requests).

    python3 -m venv /tmp/pyqmcp && /tmp/pyqmcp/bin/pip install quilt-mcp==0.22.0
    swift build -c release --product fake-catalog
    /tmp/pyqmcp/bin/python Benchmarks/python_platform_browse.py .build/release/fake-catalog [--entries 10000]

The tool function is called in-process, with the bearer token set in its runtime context exactly as its HTTP
middleware does (0.22.0 does not register package_browse as an MCP tool, see the reference notes).
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

fake = sys.argv[1]
entries = int(sys.argv[sys.argv.index("--entries") + 1]) if "--entries" in sys.argv else 10000
server = subprocess.Popen([fake, "--port", "0", "--bucket", "bench", "--seed-bench", str(entries)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
env = {}
for _ in range(3):
    key, _, value = server.stdout.readline().strip().partition("=")
    env[key] = value
url, token = env["QUILT_MCP_CATALOG_URL"], env["QUILT_MCP_JWT_TOKEN"]
os.environ.update({"QUILT_CATALOG_URL": url, "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake",
                   "AWS_ENDPOINT_URL_S3": env["AWS_ENDPOINT_URL_S3"], "AWS_DEFAULT_REGION": "us-east-1",
                   "QUILT_DISABLE_USAGE_METRICS": "true"})


def counts():
    with urllib.request.urlopen(url + "/_fake/requests") as r:
        return json.load(r)


def reset():
    urllib.request.urlopen(urllib.request.Request(url + "/_fake/requests/reset", method="POST")).read()


try:
    from quilt_mcp.context.runtime_context import RuntimeAuthState, set_runtime_auth
    from quilt_mcp.tools.package_crud import package_browse

    set_runtime_auth(RuntimeAuthState(scheme="Bearer", access_token=token))
    for signed in (False, True):
        for run in range(3):
            reset()
            start = time.perf_counter()
            result = package_browse(package_name="bench/big", registry="s3://bench", recursive=False,
                                    include_signed_urls=signed)
            elapsed = time.perf_counter() - start
            c = counts()
            http = {k: v for k, v in c.items() if not k.startswith("graphql ") and not k.startswith("S3 ")}
            ops = {k[8:]: v for k, v in c.items() if k.startswith("graphql ")}
            body = result.model_dump() if hasattr(result, "model_dump") else result
            n = len(body.get("entries", [])) if isinstance(body, dict) else "?"
            err = body.get("error") if isinstance(body, dict) else None
            print(f"python package_browse (include_signed_urls={signed}, run {run + 1}): {sum(http.values())} requests "
                  f"{json.dumps(http, sort_keys=True)} graphql {json.dumps(ops, sort_keys=True)}, {n} entries, "
                  f"{elapsed:.3f} s{'; error: ' + str(err)[:200] if err else ''}")
finally:
    server.terminate()
    server.wait(timeout=10)
