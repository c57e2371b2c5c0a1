#!/usr/bin/env python3
"""The built quilt-mcp CLI with --api platform against the built fake catalog (both over loopback HTTP).

    python3 Fixtures/platform/check_cli.py .build/debug/quilt-mcp .build/debug/fake-catalog

Starts `fake-catalog --port 0`, exports the catalog URL, token and S3 endpoint it prints, and drives the package
and bucket tools end to end through `quilt-mcp call`. Prints `platform-cli: N passed, M failed`; exits 1 on failure.
"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from cli_checks import Checks, caller  # noqa: E402

quilt_mcp, fake = sys.argv[1], sys.argv[2]
server = subprocess.Popen([fake, "--port", "0", "--bucket", "cli-bucket"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
env = dict(os.environ)
home = tempfile.mkdtemp(prefix="quilt-platform-cli-")
atexit.register(shutil.rmtree, home, True)
for _ in range(3):
    key, _, value = server.stdout.readline().strip().partition("=")
    env[key] = value
env.update({"QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "jwt", "QUILT_MCP_REGISTRY": "s3://cli-bucket",
            "HOME": home, "QUILT_MCP_LOG_LEVEL": "error"})
checks = Checks("platform-cli")
check = checks.check
call = caller(quilt_mcp, env)


try:
    src = tempfile.mkdtemp(prefix="quilt-platform-cli-src-")
    atexit.register(shutil.rmtree, src, True)
    with open(os.path.join(src, "data.csv"), "w") as f:
        f.write("a,b\n1,2\n")
    rc, created = call("package_create", {"package_name": "cli/demo", "files": [os.path.join(src, "data.csv")],
                                          "metadata": {"project": "demo"}, "message": "first cut"})
    check("package_create uploads the file and constructs the revision", rc == 0 and created.get("top_hash"), created)
    top = (created or {}).get("top_hash", "")
    rc, listed = call("packages_list", {})
    check("packages_list", rc == 0 and "cli/demo" in json.dumps(listed), listed)
    rc, browsed = call("package_browse", {"package_name": "cli/demo", "recursive": True})
    check("package_browse recursive with hashes", rc == 0 and '"data.csv"' in json.dumps(browsed) and "sha2-256-chunked" in json.dumps(browsed), browsed)
    rc, info = call("package_info", {"package_name": "cli/demo", "top_hash": top[:8]})
    check("package_info by hash prefix", rc == 0 and info.get("user_meta") == {"project": "demo"}, info)
    time.sleep(1.1)  # quilt3 names timestamp pointers in whole seconds: two pushes in one second share one
    rc, updated = call("package_update", {"package_name": "cli/demo", "entries": [{"logical_key": "notes.txt", "text": "hello"}], "message": "second"})
    check("package_update", rc == 0, updated)
    rc, versions = call("package_versions", {"package_name": "cli/demo"})
    check("package_versions lists both", rc == 0 and json.dumps(versions).count("top_hash") >= 2, versions)
    rc, diff = call("package_diff", {"package1_name": "cli/demo", "package1_hash": top})
    check("package_diff vs latest", rc == 0 and "notes.txt" in json.dumps(diff), diff)
    rc, text = call("bucket_object_text", {"s3_uri": "s3://cli-bucket/cli/demo/data.csv"})
    check("bucket_object_text through the catalog's credentials", rc == 0 and text.get("text") == "a,b\n1,2\n", text)
    rc, buckets = call("bucket_list", {})
    check("bucket_list from bucketConfigs", rc == 0 and "cli-bucket" in json.dumps(buckets), buckets)
    rc, deleted = call("package_delete", {"package_name": "cli/demo"})
    check("package_delete", rc == 0, deleted)
    rc, gone = call("package_info", {"package_name": "cli/demo"})
    check("a deleted package is not_found", rc == 1 and gone.get("error", {}).get("kind") == "not_found", gone)
finally:
    server.terminate()
    server.wait(timeout=10)
checks.finish()
