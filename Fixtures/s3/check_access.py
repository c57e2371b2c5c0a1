#!/usr/bin/env python3
"""discover_permissions and check_bucket_access of quilt-mcp end to end: the official Python MCP SDK (PyPI `mcp`) as
the client, moto (S3 and STS) as AWS, the fake catalog as the catalog.

Usage:
    read -r port pid < <(Fixtures/s3/moto.sh)
    python3 Fixtures/s3/check_access.py QUILT_MCP FAKE_CATALOG http://127.0.0.1:$port
    kill $pid

Each mode starts on a reset moto with two buckets made by boto3: `access-plain` (one object) and `access-versioned`
(versioning on, empty).
  iam   `quilt-mcp` on stdio, QUILT_MCP_AUTH=iam, throwaway AWS keys, AWS_ENDPOINT_URL=moto: the STS identity, both
        buckets found by ListBuckets with their versioning; check_bucket_access with write on the versioned bucket
        leaves no object, version or delete marker (boto3 lists them); a missing bucket is not `allowed`.
  jwt   the remote shape: `fake-catalog --port 0` and `quilt-mcp --mode remote --transport http` (Platform backend,
        no AWS keys; STS at moto). The client's token names the catalog user: discover_permissions reports it and
        the catalog's bucket; check_bucket_access says the catalog lists it.
Prints one line per check and last `access-tools: N passed, M failed`; exits 1 if anything failed. Bounded (120 s).
Needs: python3 with mcp==2.3.0 and boto3. Resets the moto it is given: give it a moto of its own.
"""
import asyncio
import os
import subprocess
import sys

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "athena"))
import check_athena_tools as base  # noqa: E402 (process, HTTP and moto helpers, and the counters)

record = base.record


def seed(endpoint):
    base.moto_post(endpoint, "/moto-api/reset")
    s3 = base.aws(endpoint, "s3")
    for bucket in ("access-plain", "access-versioned"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": base.REGION})
    s3.put_object(Bucket="access-plain", Key="data/a.txt", Body=b"a")
    s3.put_bucket_versioning(Bucket="access-versioned", VersioningConfiguration={"Status": "Enabled"})


async def call(session, tool, arguments):
    result = await asyncio.wait_for(session.call_tool(tool, arguments), 60)
    return result, base.answer(result)


async def iam_checks(session, endpoint):
    result, found = await call(session, "discover_permissions", {})
    record("iam: discover_permissions answers", not base.is_error(result), str(found)[:300])
    identity = found.get("aws_identity") or {}
    record("iam: the STS identity (moto's account)", identity.get("account") == "123456789012", str(identity))
    buckets = {b.get("bucket"): b for b in found.get("buckets") or []}
    record("iam: both buckets found by S3 ListBuckets",
           all("S3 ListBuckets" in (buckets.get(b) or {}).get("found_by", []) for b in ("access-plain", "access-versioned")),
           str(list(buckets)))
    versioning = {p["check"]: p.get("detail") for p in (buckets.get("access-versioned") or {}).get("probes", [])}
    record("iam: versioning of each bucket", versioning.get("versioning") == "Enabled", str(versioning))
    record("iam: discovery writes nothing", all("write" not in b for b in buckets.values()))

    result, checked = await call(session, "check_bucket_access", {"bucket": "access-plain"})
    record("iam: check_bucket_access lists and reads by default",
           checked.get("list") == "allowed" and checked.get("read") == "allowed" and "write" not in checked, str(checked)[:300])
    result, written = await call(session, "check_bucket_access", {"bucket": "access-versioned", "operations": ["write"]})
    record("iam: the write probe is allowed and removed", written.get("write") == "allowed"
           and any(p.get("detail") == "written and removed" for p in written.get("probes", [])), str(written)[:400])
    versions = base.aws(endpoint, "s3").list_object_versions(Bucket="access-versioned")
    left = (versions.get("Versions") or []) + (versions.get("DeleteMarkers") or [])
    record("iam: nothing left behind in the versioned bucket (no version, no delete marker)", not left, str(left)[:300])
    result, missing = await call(session, "check_bucket_access", {"bucket": "access-missing-bucket"})
    record("iam: a missing bucket is not allowed", missing.get("list") not in (None, "allowed"), str(missing)[:300])
    result, bad = await call(session, "check_bucket_access", {"bucket": "access-plain", "operations": ["delete"]})
    record("iam: an unknown operation is refused by name", base.is_error(result) and "operations" in str(bad), str(bad)[:200])


async def run_iam(binary, endpoint):
    seed(endpoint)
    env, _ = base.private_env(dict(base.DUMMY_KEYS, QUILT_MCP_AUTH="iam", AWS_ENDPOINT_URL=endpoint))
    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            await iam_checks(session, endpoint)


async def run_jwt(binary, fake_catalog, endpoint):
    seed(endpoint)
    env, home = base.private_env({})
    log = os.path.join(home, "fake-catalog.log")
    fake = base.spawn([fake_catalog, "--port", "0", "--bucket", "access-catalog"], env, log, stdout=subprocess.PIPE)
    printed = base.read_printed(fake, log)
    printed.pop("QUILT_MCP_JWT_TOKEN")
    env.update(printed, QUILT_MCP_REGISTRY="s3://access-catalog", AWS_ENDPOINT_URL_STS=endpoint)
    url = base.start_http_server(binary, ["--mode", "remote"], env, home)
    token = base.catalog_token(fake_catalog, "access-checker")
    async with base.http_transport(url, token) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 20)
            result, found = await call(session, "discover_permissions", {})
            record("jwt: discover_permissions answers", not base.is_error(result), str(found)[:300])
            user = found.get("catalog_user") or {}
            record("jwt: the catalog user behind the token", user.get("name") == "access-checker", str(user))
            probes = {p.get("how"): p.get("outcome") for p in found.get("bucket_probes") or []}
            record("jwt: buckets from the catalog", probes.get("catalog bucketConfigs") == "allowed", str(probes))
            identity = [p for p in found.get("identity_probes") or [] if p.get("check") == "identity"]
            record("jwt: STS identity with the credentials the catalog issued for the token",
                   identity and identity[0].get("outcome") == "allowed", str(identity))
            result, checked = await call(session, "check_bucket_access", {"bucket": "access-catalog"})
            catalog = [p for p in checked.get("probes") or [] if p.get("check") == "catalog"]
            record("jwt: check_bucket_access says the catalog lists the bucket",
                   catalog and catalog[0].get("outcome") == "allowed", str(checked)[:400])


def main():
    return base.run_modes("access-tools", [("iam", lambda binary, fake, endpoint: run_iam(binary, endpoint)), ("jwt", run_jwt)],
                          120, __doc__)


if __name__ == "__main__":
    sys.exit(main())
