#!/usr/bin/env python3
"""Resource templates, entry reads, completions and prompts of quilt-mcp over stdio, against the official Python
SDK (PyPI `mcp` 2.3.0).

Usage: python3 Fixtures/mcp/python_surface_check.py .build/debug/quilt-mcp

Each run makes a local registry with the binary's CLI (`quilt-mcp --registry file://… call package_create …`):
`res/one` with a text entry (data/a.csv), a nested one and a binary one (bin.dat), then a second revision that adds
data/new.csv.

1. `mcp.Client(StdioServerParameters(...), mode=M)` for M in "2026-07-28", "auto" and "legacy": the negotiated
   version, resources/templates/list, resources/read of a text entry at the pinned first hash, at latest and by
   tag, of the binary entry (a base64 blob) and of an entry the pinned revision lacks (an error), completion/complete of the template's name,
   hash and path and of a prompt argument, prompts/list, prompts/get and an unknown prompt (an error).
2. Raw lines on the server's stdin: every 2026-07-28 result of those methods passes the SDK's own
   `mcp_types.methods.validate_server_result`, and so do the handshake-era (2025-11-25) ones.

Prints one line per check and finally `mcp-python-surface: N passed, M failed`; exits non-zero if anything failed.
"""
import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import PromptReference, ResourceTemplateReference

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_client_check as base  # noqa: E402 (record() and its counters)
from python_modern_check import RAW_META, each_mode, validate  # noqa: E402 (the client modes; one raw answer validated)

record = base.record

BINARY = bytes([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, 0xFF, 0xFE])
EXPECTED_VERSION = {"2026-07-28": "2026-07-28", "auto": "2026-07-28", "legacy": "2025-11-25"}


class Registry:
    """A sandbox with a seeded local registry; `args` serve it."""

    def __init__(self, binary):
        self.home = tempfile.mkdtemp(prefix="quilt-mcp-surface-")
        self.env = {"HOME": os.path.join(self.home, "home"), "XDG_DATA_HOME": os.path.join(self.home, "xdg"),
                    "PATH": "/usr/bin:/bin"}
        os.makedirs(self.env["HOME"])
        self.path = os.path.join(self.home, "registry")
        os.makedirs(self.path)
        self.args = ["--registry", "file://" + self.path]
        bin_path = os.path.join(self.home, "bin.dat")
        with open(bin_path, "wb") as f:
            f.write(BINARY)
        first = self.cli(binary, "package_create", {
            "package_name": "res/one", "files": [bin_path],
            "entries": [{"logical_key": "data/a.csv", "text": "x,y\n1,2\n"}, {"logical_key": "data/b/c.txt", "text": "deep"}]})
        time.sleep(1.1)  # timestamp pointers have one-second resolution: both revisions stay listed
        second = self.cli(binary, "package_update", {
            "package_name": "res/one", "entries": [{"logical_key": "data/new.csv", "text": "x,y\n3,4\n"}]})
        self.hashes = [first["top_hash"], second["top_hash"]]
        self.template = f"quilt+file://{self.path}#package={{name}}@{{hash}}&path={{path}}"

    def cli(self, binary, tool, arguments):
        done = subprocess.run([binary, *self.args, "call", tool, json.dumps(arguments)], env=self.env,
                              capture_output=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout.decode()} {done.stderr.decode()}")
        return json.loads(done.stdout)

    def uri(self, name, revision, path):
        """The template expanded (RFC 6570 simple expansion: reserved characters percent-encoded)."""
        quote = lambda s: urllib.parse.quote(s, safe="")  # noqa: E731
        return self.template.replace("@{hash}", revision).replace("{name}", quote(name)).replace("{path}", quote(path))

    def close(self):
        shutil.rmtree(self.home, ignore_errors=True)


async def client_mode(binary, mode):
    registry = Registry(binary)
    try:
        server = StdioServerParameters(command=binary, args=registry.args, env=registry.env)
        await client_checks(server, mode, f"[{mode}] ", registry)
    finally:
        registry.close()


async def client_checks(server, mode, label, reg):
    first, second = reg.hashes
    async with Client(server, mode=mode, read_timeout_seconds=30) as client:
        record(label + "protocol version", client.protocol_version == EXPECTED_VERSION[mode], client.protocol_version)

        templates = (await client.list_resource_templates()).resource_templates
        listed = [t.uri_template for t in templates]
        record(label + "resources/templates/list", listed == [reg.template], f"{listed}")

        pinned = await client.read_resource(reg.uri("res/one", "@" + first, "data/a.csv"))
        content = pinned.contents[0]
        record(label + "read a text entry at a pinned hash",
               getattr(content, "text", None) == "x,y\n1,2\n" and content.mime_type == "text/csv", f"{content}")
        latest = await client.read_resource(reg.uri("res/one", "", "data/new.csv"))
        record(label + "read a text entry at latest", getattr(latest.contents[0], "text", None) == "x,y\n3,4\n", f"{latest}")
        tagged = await client.read_resource(reg.uri("res/one", ":latest", "data/b/c.txt"))
        record(label + "read a nested entry by tag", getattr(tagged.contents[0], "text", None) == "deep", f"{tagged}")
        blob = (await client.read_resource(reg.uri("res/one", "@" + second, "bin.dat"))).contents[0]
        record(label + "read a binary entry as a blob",
               base64.b64decode(getattr(blob, "blob", "") or "") == BINARY and blob.mime_type == "application/octet-stream",
               f"{blob}")
        try:
            await client.read_resource(reg.uri("res/one", "@" + first, "data/new.csv"))
            record(label + "an entry the pinned revision lacks is an error", False, "no error")
        except Exception as error:  # the SDK raises its MCPError
            record(label + "an entry the pinned revision lacks is an error", "data/new.csv" in str(error), str(error))

        ref = ResourceTemplateReference(type="ref/resource", uri=reg.template)
        names = (await client.complete(ref, {"name": "name", "value": "res/"})).completion
        record(label + "complete a package name", names.values == ["res/one"] and names.has_more is False, f"{names}")
        hashes = (await client.complete(ref, {"name": "hash", "value": first[:5]}, {"name": "res/one"})).completion
        record(label + "complete a top hash", first in hashes.values, f"{hashes}")
        paths = (await client.complete(ref, {"name": "path", "value": "data/"}, {"name": "res/one"})).completion
        record(label + "complete a path", paths.values == ["data/a.csv", "data/b/", "data/new.csv"], f"{paths}")
        prompt_ref = PromptReference(type="ref/prompt", name="compare_revisions")
        froms = (await client.complete(prompt_ref, {"name": "from", "value": ""}, {"package_name": "res/one"})).completion
        record(label + "complete a prompt argument", set(froms.values) == set(reg.hashes), f"{froms}")

        prompts = [p.name for p in (await client.list_prompts()).prompts]
        record(label + "prompts/list", prompts == ["find_package", "make_package", "compare_revisions"], f"{prompts}")
        got = await client.get_prompt("compare_revisions", {"package_name": "res/one", "from": first[:8]})
        text = got.messages[0].content.text if got.messages else ""
        record(label + "prompts/get", "package_diff" in text and first[:8] in text, text[:300])
        try:
            await client.get_prompt("nope", {})
            record(label + "an unknown prompt is an error", False, "no error")
        except Exception as error:
            record(label + "an unknown prompt is an error", "find_package" in str(error), str(error))


def raw_exchange(binary, reg, messages):
    """Writes `messages` (one per line) and closes stdin; returns the server's messages by id and its status."""
    lines = "".join(json.dumps(m) + "\n" for m in messages)
    done = subprocess.run([binary, *reg.args], input=lines.encode(), env=reg.env, capture_output=True, timeout=60)
    out = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    return {m["id"]: m for m in out if "id" in m and "method" not in m}, done.returncode


def raw_checks(binary):
    reg = Registry(binary)
    try:
        first = reg.hashes[0]
        meta = RAW_META
        calls = [
            (1, "resources/templates/list", {}),
            (2, "resources/read", {"uri": reg.uri("res/one", "@" + first, "data/a.csv")}),
            (3, "resources/read", {"uri": reg.uri("res/one", "", "bin.dat")}),
            (4, "completion/complete", {"ref": {"type": "ref/resource", "uri": reg.template},
                                        "argument": {"name": "path", "value": ""}, "context": {"arguments": {"name": "res/one"}}}),
            (5, "completion/complete", {"ref": {"type": "ref/prompt", "name": "find_package"},
                                        "argument": {"name": "query", "value": "res"}}),
            (6, "prompts/list", {}),
            (7, "prompts/get", {"name": "find_package", "arguments": {"query": "rnaseq"}}),
        ]
        answers, status = raw_exchange(
            binary, reg, [{"jsonrpc": "2.0", "id": i, "method": m, "params": {**p, "_meta": meta}} for i, m, p in calls])
        record("[raw 2026-07-28] exit 0 after end of input", status == 0, f"{status}")
        for i, method, _ in calls:
            validate(f"[raw 2026-07-28] {method} #{i} passes validate_server_result", method, "2026-07-28", answers.get(i, {}))

        legacy = [{"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}},
                  {"jsonrpc": "2.0", "method": "notifications/initialized"}]
        legacy += [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, m, p in calls]
        answers, status = raw_exchange(binary, reg, legacy)
        validate("[raw 2025-11-25] initialize passes validate_server_result", "initialize", "2025-11-25", answers.get(0, {}))
        capabilities = (answers.get(0, {}).get("result") or {}).get("capabilities") or {}
        record("[raw 2025-11-25] initialize declares prompts and completions",
               capabilities.get("prompts") == {"listChanged": False} and capabilities.get("completions") == {}, f"{capabilities}")
        for i, method, _ in calls:
            validate(f"[raw 2025-11-25] {method} #{i} passes validate_server_result", method, "2025-11-25", answers.get(i, {}))
    finally:
        reg.close()


async def main(binary):
    await each_mode(binary, client_mode)
    raw_checks(binary)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(main(os.path.abspath(sys.argv[1])))
    print(f"mcp-python-surface: {base.passed} passed, {base.failed} failed")
    sys.exit(1 if base.failed or base.passed == 0 else 0)
