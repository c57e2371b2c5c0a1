#!/usr/bin/env python3
"""Interoperability check with real quilt3 (PyPI), run by .ci/run after `swift test`.

1. quilt3 -> quilt-mcp: `quilt3 build` a package into the default local registry of a private XDG_DATA_HOME;
   `quilt-mcp call packages_list` / `package_browse` (no configuration) must show it with the same top hash.
2. quilt-mcp -> quilt3: `quilt-mcp call package_create` from local files with tricky metadata; quilt3
   `Package.browse` must open it with the same top hash, `verify` must accept the source files, and every entry's
   bytes must come back.

Usage: python3 Fixtures/quilt3/check_interop.py path/to/quilt-mcp
Needs: python3 -m pip install quilt3==8.0.0
"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    exe = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="quilt-interop-")
    atexit.register(shutil.rmtree, work, True)
    env = dict(os.environ)
    env.update({
        "HOME": os.path.join(work, "home"), "XDG_DATA_HOME": os.path.join(work, "xdg"),
        "XDG_CACHE_HOME": os.path.join(work, "cache"), "QUILT_DISABLE_USAGE_METRICS": "true",
        "QUILT_MINIMIZE_STDOUT": "true", "QUILT_DISABLE_CACHE": "true",
    })
    for k in [k for k in env if k.startswith("QUILT_MCP_") or k in ("QUILT_DEPLOYMENT", "FASTMCP_TRANSPORT")]:
        del env[k]
    os.makedirs(env["HOME"])
    os.environ.update(env)  # quilt3 reads XDG_* when imported
    import quilt3  # noqa: E402

    def call(tool, args):
        r = subprocess.run([exe, "call", tool, json.dumps(args)], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"quilt-mcp call {tool} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return json.loads(r.stdout)

    registry = "file://" + os.path.join(env["XDG_DATA_HOME"], "Quilt", "packages")
    src = os.path.join(work, "src")
    os.makedirs(os.path.join(src, "sub dir"))
    files = {"a.csv": "x,y\n1,2\n", "sub dir/ünï.txt": "unicode\n", "empty.txt": "", "big.bin": None}
    for name, text in files.items():
        with open(os.path.join(src, name), "wb") as f:
            f.write(bytes(i % 256 for i in range(9 * 1024 * 1024)) if text is None else text.encode())

    # 1. quilt3 -> quilt-mcp
    p = quilt3.Package()
    p.set_dir("", src, meta={"from": "quilt3", "f": 0.1, "big": 12345678901234567890})
    built = p.build("q3/made", registry=registry, message="built by quilt3")
    listed = call("packages_list", {})
    names = [x["name"] for x in listed["packages"]]
    assert "q3/made" in names, names
    info = call("package_info", {"package_name": "q3/made"})
    assert info["top_hash"] == built, (info["top_hash"], built)
    browse = call("package_browse", {"package_name": "q3/made", "recursive": True})
    assert sorted(e["logical_key"] for e in browse["entries"]) == sorted(files), browse
    print(f"quilt3 -> quilt-mcp: q3/made {built[:12]} browsed with {len(browse['entries'])} entries")

    # 2. quilt-mcp -> quilt3
    entries = [{"logical_key": k, "source": os.path.join(src, k), "meta": {"ünï": k, "n": 1e-5}} for k in files]
    made = call("package_create", {
        "package_name": "mcp/made", "entries": entries, "message": "made by quilt-mcp",
        "metadata": {"title": "Ünïcode ✓", "n": 1e16, "none": None, "list": [1, 2.5, "x"]},
    })
    pkg = quilt3.Package.browse("mcp/made", registry=registry)
    assert pkg.top_hash == made["top_hash"], (pkg.top_hash, made["top_hash"])
    assert pkg.verify(src), "quilt3 verify rejected the package"
    for k, text in files.items():
        data = pkg[k].get_bytes()
        want = bytes(i % 256 for i in range(9 * 1024 * 1024)) if text is None else text.encode()
        assert data == want, k
    assert pkg.meta["n"] == 1e16 and pkg.meta["none"] is None, pkg.meta
    print(f"quilt-mcp -> quilt3: mcp/made {made['top_hash'][:12]} opened, verified and read by quilt3")
    print("interop: 2 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
