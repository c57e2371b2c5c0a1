#!/usr/bin/env python3
"""What `tools/list` costs a client's context: bytes of its result as compact UTF-8 JSON, per toolset, beside the
Python quilt-mcp's.

    python3 Benchmarks/tools_list_bytes.py .build/debug/quilt-mcp [--python /tmp/quilt-mcp-py/bin/quilt-mcp]

Each figure is one fresh stdio process: initialize (2025-11-25), initialized, tools/list. The Python server runs in
its legacy (quilt3) mode with telemetry off, as `quilt-bench startup` runs it, so it starts without a catalog.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bytes", "version": "1"}}}


def tools_list(command, env):
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        messages = [INITIALIZE, {"jsonrpc": "2.0", "method": "notifications/initialized"},
                    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]
        process.stdin.write("".join(json.dumps(m) + "\n" for m in messages[:1]).encode())
        process.stdin.flush()
        process.stdout.readline()
        process.stdin.write("".join(json.dumps(m) + "\n" for m in messages[1:]).encode())
        process.stdin.flush()
        result = json.loads(process.stdout.readline())["result"]
    finally:
        process.stdin.close()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    return len(json.dumps(result, separators=(",", ":"), ensure_ascii=False).encode()), len(result["tools"])


def sandbox():
    home = tempfile.mkdtemp(prefix="quilt-tools-bytes-")
    env = {"HOME": home + "/home", "XDG_DATA_HOME": home + "/xdg", "XDG_CONFIG_HOME": home + "/config",
           "XDG_CACHE_HOME": home + "/cache", "PATH": "/usr/bin:/bin"}
    os.makedirs(env["HOME"])
    return home, env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--python", default="/tmp/quilt-mcp-py/bin/quilt-mcp")
    args = parser.parse_args()
    rows = []
    for label, flags in [("default", []), ("all", ["--toolsets", "all"]), ("default, --read-only", ["--read-only"]),
                         ("packages", ["--toolsets", "packages"]), ("objects", ["--toolsets", "objects"]),
                         ("search", ["--toolsets", "search"]), ("links", ["--toolsets", "links"])]:
        home, env = sandbox()
        try:
            rows.append((f"quilt-mcp {label}",) + tools_list([os.path.abspath(args.binary), *flags], env))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    if os.access(args.python, os.X_OK):
        home, env = sandbox()
        env.update({"QUILT_DEPLOYMENT": "legacy", "FASTMCP_TRANSPORT": "stdio", "MCP_SKIP_BANNER": "true",
                    "QUILT_DISABLE_USAGE_METRICS": "true", "MCP_TELEMETRY_LOCAL_ONLY": "true",
                    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
        try:
            rows.append(("Python quilt-mcp (every tool)",) + tools_list([args.python], env))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    else:
        print(f"(no Python server at {args.python}; skipped)")
    print("| served | tools | bytes |\n|---|---|---|")
    for label, size, count in rows:
        print(f"| {label} | {count} | {size:,} |")


if __name__ == "__main__":
    main()
