#!/usr/bin/env python3
"""The Platform backend against a real catalog written by Quilt: quilt3-local 2.0.0 (`quilt3 catalog`), over moto.

    python3 Fixtures/quilt3-local/check_local_catalog.py .build/debug/quilt-mcp /path/to/venv/bin/quilt3

The second argument is `quilt3` from a virtualenv with `quilt3[catalog]==8.0.0` (quilt3-local pins old libraries,
so it gets its own). Starts moto on loopback, pushes a package there with this interpreter's quilt3, starts
`quilt3 catalog` against moto, and drives `quilt-mcp call` with --api platform at it. The local catalog serves
config.json with a relative registryUrl, answers /__reg/graphql with a 307, reads package lists and revisions, and
lends the workstation's AWS credentials; it resolves no mutation and has no search or revision details, which must
fail as `unsupported` before anything is uploaded. (moto's S3 Select returns nothing for quilt3-local's directory
query, so directory listings are not checked here.) Prints `quilt3-local: N passed, M failed`; exits 1 on failure.
"""
import atexit
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from cli_checks import Checks, caller  # noqa: E402
import urllib.request

quilt_mcp, catalog_quilt3 = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
moto_port, moto_pid = subprocess.run([os.path.join(root, "Fixtures/s3/moto.sh")], capture_output=True, text=True,
                                     check=True).stdout.split()
atexit.register(os.kill, int(moto_pid), signal.SIGTERM)
home = tempfile.mkdtemp(prefix="quilt3-local-home-")
atexit.register(shutil.rmtree, home, True)
# Throwaway credentials for moto, made per run; nothing here is a secret.
aws = {"AWS_ACCESS_KEY_ID": "AKID" + os.urandom(6).hex().upper(), "AWS_SECRET_ACCESS_KEY": os.urandom(20).hex(),
       "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}"}
os.environ.update(aws)
bucket = "local-catalog-bucket"

import boto3  # noqa: E402  (after the environment points at moto)
import quilt3  # noqa: E402

s3 = boto3.client("s3")
s3.create_bucket(Bucket=bucket)
src = tempfile.mkdtemp(prefix="quilt3-local-src-")
atexit.register(shutil.rmtree, src, True)
with open(os.path.join(src, "a.csv"), "w") as f:
    f.write("x,y\n1,2\n")
pkg = quilt3.Package()
pkg.set("a.csv", os.path.join(src, "a.csv"))
pkg.set_meta({"project": "local"})
top_hash = pkg.push("team/data", registry=f"s3://{bucket}", message="first", force=True).top_hash


def keys():
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
catalog_env = dict(os.environ, HOME=home)
catalog = subprocess.Popen([catalog_quilt3, "catalog", "--host", "127.0.0.1", "--port", str(port), "--no-browser"],
                           env=catalog_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
atexit.register(lambda: os.killpg(catalog.pid, signal.SIGTERM) if catalog.poll() is None else None)
url = f"http://127.0.0.1:{port}"
for _ in range(600):
    try:
        urllib.request.urlopen(url + "/config.json", timeout=1)
        break
    except OSError:
        if catalog.poll() is not None:
            sys.exit(f"quilt3 catalog exited with status {catalog.returncode}")
        time.sleep(0.1)
else:
    sys.exit("quilt3 catalog did not answer within 60 s")


def b64(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()


# The local catalog has no users and ignores the bearer token; the Platform backend still sends one.
token = b64({"alg": "none", "typ": "JWT"}) + "." + b64({"sub": "local", "exp": int(time.time()) + 3600}) + ".x"
env = dict(os.environ, HOME=home, QUILT_MCP_API="platform", QUILT_MCP_AUTH="jwt", QUILT_MCP_CATALOG_URL=url,
           QUILT_MCP_JWT_TOKEN=token, QUILT_MCP_REGISTRY=f"s3://{bucket}", QUILT_MCP_LOG_LEVEL="error")
checks = Checks("quilt3-local")
check = checks.check
call = caller(quilt_mcp, env)


def refused(answer):
    return (answer or {}).get("error", {}).get("kind") == "unsupported"


rc, listed = call("packages_list", {})
check("packages_list (relative registryUrl, GraphQL behind a 307)", rc == 0 and [p["name"] for p in listed["packages"]] == ["team/data"], listed)
rc, versions = call("package_versions", {"package_name": "team/data"})
check("package_versions names the pushed revision", rc == 0 and [v["top_hash"] for v in versions["versions"]] == [top_hash], versions)
rc, objects = call("bucket_objects_list", {"prefix": "team/data/"})
check("bucket_objects_list with the catalog's credentials", rc == 0 and [o["key"] for o in objects["objects"]] == ["team/data/a.csv"], objects)
rc, text = call("bucket_object_text", {"s3_uri": f"s3://{bucket}/team/data/a.csv"})
check("bucket_object_text", rc == 0 and text.get("text") == "x,y\n1,2\n", text)
before = keys()
rc, created = call("package_create", {"package_name": "team/new", "entries": [{"logical_key": "b.txt", "text": "hi"}]})
check("package_create is unsupported and uploads nothing", rc != 0 and refused(created) and keys() == before, (created, keys()))
rc, deleted = call("package_delete", {"package_name": "team/data"})
check("package_delete is unsupported and deletes nothing", rc != 0 and refused(deleted) and keys() == before, deleted)
rc, found = call("search_catalog", {"query": "team"})
check("search_catalog is unsupported", rc != 0 and refused(found), found)
rc, info = call("package_info", {"package_name": "team/data"})
check("package_info is unsupported (the catalog leaves revision details null)", rc != 0 and refused(info), info)
checks.finish()
