#!/usr/bin/env python3
"""package_create_from_s3 of quilt-mcp end to end: the official Python MCP SDK (PyPI `mcp`) as the client, moto as
S3 with tens of thousands of keys, quilt3 (PyPI) reading the result, and the fake catalog.

Usage:
    read -r port pid < <(Fixtures/s3/moto.sh)
    python3 Fixtures/s3/check_from_s3.py QUILT_MCP FAKE_CATALOG http://127.0.0.1:$port
    kill $pid

  iam   moto (reset) holds 20,000 objects under `big/` of `from-s3-source` (plus a few elsewhere); `quilt-mcp` on stdio
        with QUILT_MCP_AUTH=iam and registry `s3://from-s3-registry`. dry_run counts every object and lists the first
        1,000; the write stores them all (listing paged through), keyed under the prefix, with README.md and
        quilt_summarize.json as files; quilt3 `Package.browse` reads the same keys and physical keys back.
  jwt   the remote shape: `fake-catalog --port 0` and `quilt-mcp --mode remote --transport http` (Platform backend).
        Objects put into the catalog's bucket with bucket_objects_put become a package there.
Prints one line per check and last `from-s3: N passed, M failed`; exits 1 if anything failed. Bounded (420 s; about 5 min here, most of it moto answering 60,000 requests).
Needs: python3 with mcp==2.3.0, boto3 and quilt3. Resets the moto it is given.
"""
import asyncio
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "athena"))
import check_athena_tools as base  # noqa: E402 (process, HTTP and moto helpers, and the counters)

record = base.record
SOURCE, REGISTRY, COUNT = "from-s3-source", "from-s3-registry", 20_000


def seed(endpoint):
    base.moto_post(endpoint, "/moto-api/reset")
    s3 = base.aws(endpoint, "s3")
    for bucket in (SOURCE, REGISTRY):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": base.REGION})

    def put(i):
        s3.put_object(Bucket=SOURCE, Key=f"big/part-{i // 1000:02d}/row-{i:05d}.csv", Body=f"n\n{i}\n".encode())
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(COUNT)))
    for key in ("elsewhere/x.csv", "big/"):
        s3.put_object(Bucket=SOURCE, Key=key, Body=b"")


async def call(session, tool, arguments, timeout=120):
    result = await asyncio.wait_for(session.call_tool(tool, arguments), timeout)
    return result, base.answer(result)


async def run_iam(binary, endpoint):
    seed(endpoint)
    env, home = base.private_env(dict(base.DUMMY_KEYS, QUILT_MCP_AUTH="iam", AWS_ENDPOINT_URL=endpoint,
                                      QUILT_MCP_REGISTRY=f"s3://{REGISTRY}"))
    args = {"source_bucket": SOURCE, "source_prefix": "big/", "package_name": "big/rows", "auto_organize": False}
    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            result, preview = await call(session, "package_create_from_s3", dict(args, dry_run=True))
            record("iam: dry_run counts every object and the two generated files",
                   preview.get("entry_count") == COUNT + 2 and preview.get("entries_truncated") is True
                   and len(preview.get("entries") or []) == 1000, str(preview)[:300])
            listed = await session.list_tools()
            record("iam: package_create_from_s3 is served with QUILT_MCP_TOOLSETS=all",
                   any(t.name == "package_create_from_s3" for t in listed.tools))
            result, made = await call(session, "package_create_from_s3", args, timeout=360)
            record("iam: the write stores every object", not base.is_error(result) and made.get("entry_count") == COUNT + 2,
                   str(made)[:300])
            top_hash = made.get("top_hash")
    # quilt3 reads the package back: the same logical keys, the source objects as physical keys.
    script = (
        "import json, quilt3, sys\n"
        "p = quilt3.Package.browse('big/rows', registry=sys.argv[1], top_hash=sys.argv[2])\n"
        "keys = [k for k, _ in p.walk()]\n"
        "print(json.dumps({'count': len(keys), 'first': sorted(keys)[0], 'physical': p['part-00/row-00000.csv'].physical_key.path,"
        " 'readme': p['README.md'].get_as_string()[:40], 'meta': p.meta.get('quilt', {}).get('source', {})}))\n")
    q3_env = dict(env, PATH=os.environ.get("PATH", "/usr/bin:/bin"), AWS_DEFAULT_REGION=base.REGION,
                  QUILT_DISABLE_USAGE_METRICS="true", AWS_EC2_METADATA_DISABLED="true")
    done = subprocess.run([sys.executable, "-c", script, f"s3://{REGISTRY}", top_hash or ""], env=q3_env,
                          capture_output=True, text=True, timeout=180)
    seen = json.loads(done.stdout) if done.returncode == 0 else {}
    record("iam: quilt3 Package.browse reads every entry", seen.get("count") == COUNT + 2, (done.stdout + done.stderr)[-400:])
    record("iam: keys are relative to the prefix and point at the source objects",
           seen.get("first") == "README.md" and seen.get("physical") == "big/part-00/row-00000.csv", str(seen))
    record("iam: README.md is a file and the source is in the package metadata",
           (seen.get("readme") or "").startswith("# big/rows") and seen.get("meta", {}).get("total_objects") == COUNT, str(seen))


async def run_jwt(binary, fake_catalog, endpoint):
    env, home = base.private_env({})
    log = os.path.join(home, "fake-catalog.log")
    fake = base.spawn([fake_catalog, "--port", "0", "--bucket", "from-s3-catalog"], env, log, stdout=subprocess.PIPE)
    printed = base.read_printed(fake, log)
    printed.pop("QUILT_MCP_JWT_TOKEN")
    env.update(printed, QUILT_MCP_REGISTRY="s3://from-s3-catalog")
    url = base.start_http_server(binary, ["--mode", "remote"], env, home)
    token = base.catalog_token(fake_catalog, "from-s3-checker")
    async with base.http_transport(url, token) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 20)
            items = [{"key": f"in/{name}", "text": "a,b\n1,2\n"} for name in ("one.csv", "two.csv", "notes.md")]
            result, put = await call(session, "bucket_objects_put", {"items": items, "confirm": True})
            record("jwt: objects put into the catalog's bucket", not base.is_error(result), str(put)[:300])
            result, made = await call(session, "package_create_from_s3", {
                "source_bucket": "from-s3-catalog", "source_prefix": "in/", "package_name": "cat/from-s3"})
            record("jwt: the catalog makes the package", not base.is_error(result) and made.get("entry_count") == 5, str(made)[:400])
            result, browsed = await call(session, "package_browse", {"package_name": "cat/from-s3"})
            keys = sorted(e.get("logical_key") for e in browsed.get("entries") or [])
            record("jwt: organised keys and generated files in the revision",
                   keys == ["README.md", "data/processed/one.csv", "data/processed/two.csv", "docs/notes.md", "quilt_summarize.json"],
                   str(keys))


def main():
    return base.run_modes("from-s3", [("iam", lambda binary, fake, endpoint: run_iam(binary, endpoint)), ("jwt", run_jwt)],
                          420, __doc__)


if __name__ == "__main__":
    sys.exit(main())
