#!/usr/bin/env python3
"""Server memory of the remote shape (Platform backend, stateless HTTP, JWT) over many calls.

    python3 Benchmarks/platform_http_memory.py dist/quilt-mcp .build/debug/fake-catalog 6000

Starts the fake catalog (Mocks/FakeCatalog) and `quilt-mcp --mode remote` against it on loopback, makes a 20-entry
package, then sends N `tools/call package_info` from 8 threads (each its own keep-alive connection, the catalog's
JWT as bearer) and prints the server's VmRSS as the calls go. A flat series means nothing is kept per request.
"""
import atexit
import http.client
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


def main():
    binary, fake_catalog, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fake = subprocess.Popen([fake_catalog, "--port", "0", "--bucket", "pm-bucket"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    atexit.register(lambda: (fake.terminate(), fake.wait(10)))
    printed = dict(fake.stdout.readline().strip().partition("=")[::2] for _ in range(3))
    token = printed.pop("QUILT_MCP_JWT_TOKEN")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    home = tempfile.mkdtemp(prefix="quilt-bench-platform-")
    atexit.register(shutil.rmtree, home, True)
    env = dict(printed, QUILT_MCP_REGISTRY="s3://pm-bucket", HOME=home, PATH="/usr/bin:/bin", QUILT_MCP_LOG_LEVEL="error")
    server = subprocess.Popen([binary, "--mode", "remote", "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(lambda: (server.terminate(), server.wait(10)))
    time.sleep(2.0)

    def call(conn, request_id, name, arguments):
        body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                           "params": {"name": name, "arguments": arguments}})
        conn.request("POST", "/mcp", body, {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                                           "Accept": "application/json", "MCP-Protocol-Version": "2025-06-18"})
        response = conn.getresponse()
        return response.status, response.read()

    status, data = call(http.client.HTTPConnection("127.0.0.1", port), 1, "package_create", {
        "package_name": "pm/pkg", "entries": [{"logical_key": f"f{i}.txt", "text": str(i)} for i in range(20)]})
    if status != 200 or b'"isError":false' not in data.replace(b" ", b""):
        sys.exit(f"seeding failed: {status} {data[:300]!r}")

    def rss_mib():
        with open(f"/proc/{server.pid}/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

    done = [0]
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                if done[0] >= total or failures:
                    return
                done[0] += 1
                request_id = done[0] + 10
            status, data = call(conn, request_id, "package_info", {"package_name": "pm/pkg"})
            if status != 200 or b"top_hash" not in data:
                failures.append(data[:300])

    started = time.time()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    marks = []
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        marks.append((done[0], round(rss_mib(), 1)))
    if failures:
        sys.exit(f"a call failed: {failures[0]!r}")
    shown = marks[:: max(1, len(marks) // 8)] + [marks[-1]]
    print("calls → server VmRSS MiB:", ", ".join(f"{n}: {m}" for n, m in shown),
          f"({total / (time.time() - started):.0f} req/s)")


if __name__ == "__main__":
    main()
