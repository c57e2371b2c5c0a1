#!/usr/bin/env python3
"""S3 interoperability with real quilt3 (PyPI) on a loopback S3 emulator (moto), run by the live tier of .ci/run.

In a versioned and an unversioned bucket:
1. quilt3 -> quilt-mcp: quilt3 pushes a package (nested directories, unicode and space-containing keys, an empty
   file, a multi-chunk 9 MiB file, package and entry metadata of every JSON kind); `quilt-mcp call` over S3 shows
   the same top hash, message, metadata and entries (logical key, physical key with or without versionId, size,
   hash, entry metadata), and reads the bytes back.
2. quilt-mcp -> quilt3: `quilt-mcp call package_create` uploads local files (the 9 MiB one as a multipart upload
   whose composite checksum is quilt's hash) into the bucket; quilt3 `Package.browse` opens it with the same top
   hash, `verify` accepts the source directory and every entry reads back byte for byte.

Usage: python3 Fixtures/s3/check_s3_interop.py path/to/quilt-mcp http://127.0.0.1:<port>
Needs: python3 -m pip install quilt3==8.0.0 'moto[server]==5.2.1' and a running moto_server (Fixtures/s3/moto.sh).

moto does not return ChecksumSHA256 from CompleteMultipartUpload (real S3 does); quilt3 needs it, so the
botocore call is patched to add exactly what S3 computes: base64(SHA-256(part digests)) + "-<parts>".
"""
import atexit
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

PASSED = []


def check(name, condition, detail=""):
    if not condition:
        raise SystemExit(f"FAIL {name}: {detail}")
    PASSED.append(name)
    print(f"ok   {name}")


def patch_complete_multipart_upload():
    import botocore.client

    original = botocore.client.BaseClient._make_api_call

    def make_api_call(self, operation_name, api_params):
        result = original(self, operation_name, api_params)
        if operation_name == "CompleteMultipartUpload" and "ChecksumSHA256" not in result:
            parts = api_params.get("MultipartUpload", {}).get("Parts", [])
            digests = b"".join(base64.b64decode(p["ChecksumSHA256"]) for p in parts)
            result["ChecksumSHA256"] = base64.b64encode(hashlib.sha256(digests).digest()).decode() + f"-{len(parts)}"
        return result

    botocore.client.BaseClient._make_api_call = make_api_call


def pattern(n):
    return bytes(i % 256 for i in range(n))


FILES = {
    "README.md": b"# interop\n",
    "data/a.csv": b"x,y\n1,2\n3,4\n",
    "data/nested/deep/b.txt": b"hello",
    "empty.txt": b"",
    "unicod\u00e9/\u00df.txt": "unicode name\n".encode(),
    "sub dir/two words.txt": b"two\n",
    "big/nine.bin": pattern(9 * 1024 * 1024),
}
PACKAGE_META = {
    "string": "\u00dcn\u00efc\u00f8d\u00e9 \u2713", "int": 42, "big": 123456789012345678901234567890, "float": 0.1,
    "exp": 1e16, "small": 1e-05, "true": True, "false": False, "none": None, "list": [1, 2.5, "x", None, [], {}],
    "nested": {"b": {"c": [True]}, "a": 1}, "\u00fcn\u00ef": "keys too",
}
ENTRY_META = {"data/a.csv": {"rows": 2, "score": 1.5, "ok": True, "none": None, "\u00fcn\u00ef": "\u00e7\u00f8d\u00e9"},
              "empty.txt": {"empty": ""}}


def main():
    exe, endpoint = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp(prefix="quilt-s3-interop-")
    atexit.register(shutil.rmtree, work, True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUILT_MCP_", "AWS_"))}
    env.update({
        "HOME": os.path.join(work, "home"), "XDG_DATA_HOME": os.path.join(work, "xdg"), "XDG_CACHE_HOME": os.path.join(work, "cache"),
        "QUILT_DISABLE_USAGE_METRICS": "true", "QUILT_MINIMIZE_STDOUT": "true", "QUILT_DISABLE_CACHE": "true",
        "AWS_ACCESS_KEY_ID": "interop-testing-key", "AWS_SECRET_ACCESS_KEY": "interop-testing-secret",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true",
    })
    os.makedirs(env["HOME"])
    os.environ.clear()
    os.environ.update(env)
    import boto3
    import quilt3

    patch_complete_multipart_upload()
    s3 = boto3.client("s3")

    def call(tool, args, registry):
        r = subprocess.run([exe, "--auth", "iam", "--registry", registry, "call", tool, json.dumps(args)],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"quilt-mcp call {tool} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return json.loads(r.stdout)

    src = os.path.join(work, "src")
    for key, data in FILES.items():
        os.makedirs(os.path.dirname(os.path.join(src, key)), exist_ok=True)
        with open(os.path.join(src, key), "wb") as f:
            f.write(data)

    run = os.urandom(4).hex()  # fresh buckets on every run, even against a long-lived emulator
    for bucket, versioned in ((f"qinterop-versioned-{run}", True), (f"qinterop-plain-{run}", False)):
        s3.create_bucket(Bucket=bucket)
        if versioned:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        registry = f"s3://{bucket}"
        label = "versioned" if versioned else "unversioned"

        # 1. quilt3 -> quilt-mcp
        pkg = quilt3.Package()
        pkg.set_dir("", src)
        for lk, meta in ENTRY_META.items():
            pkg[lk].set_meta(meta)
        pkg.set_meta(PACKAGE_META)
        pushed = pkg.push("q3/interop", registry=registry, message="pushed by quilt3", force=True)
        remote = quilt3.Package.browse("q3/interop", registry=registry, top_hash=pushed.top_hash)
        info = call("package_info", {"package_name": "q3/interop"}, registry)
        check(f"{label}: quilt3 push -> quilt-mcp top hash", info["top_hash"] == pushed.top_hash, (info["top_hash"], pushed.top_hash))
        check(f"{label}: package metadata identical", info["user_meta"] == PACKAGE_META and info["message"] == "pushed by quilt3", info)
        browse = call("package_browse", {"package_name": "q3/interop", "recursive": True}, registry)
        ours = {e["logical_key"]: e for e in browse["entries"]}
        theirs = {lk: e for lk, e in remote.walk()}
        check(f"{label}: same logical keys", sorted(ours) == sorted(theirs) == sorted(FILES), (sorted(ours), sorted(theirs)))
        for lk, entry in theirs.items():
            mine = ours[lk]
            same = (mine["physical_key"] == str(entry.physical_key) and mine["size"] == entry.size
                    and mine["hash"] == entry.hash and mine["meta"] == entry._meta)
            check(f"{label}: entry {lk}", same, (mine, str(entry.physical_key), entry.size, entry.hash, entry._meta))
            if versioned:  # (in the unversioned bucket moto answers multipart uploads with VersionId "null", which quilt3 records)
                check(f"{label}: {lk} versionId present", "?versionId=" in mine["physical_key"], mine["physical_key"])
        text = call("bucket_object_text", {"s3_uri": ours["data/a.csv"]["physical_key"]}, registry)
        check(f"{label}: object read back", text["text"] == FILES["data/a.csv"].decode(), text)
        # moto refuses versionId=null (real S3 reads the null version), so that one is read without it.
        big = call("bucket_object_info", {"s3_uri": ours["big/nine.bin"]["physical_key"].replace("?versionId=null", "")}, registry)
        check(f"{label}: multi-chunk object size", big["size"] == len(FILES["big/nine.bin"]), big)

        # 2. quilt-mcp -> quilt3
        entries = [{"logical_key": lk, "source": os.path.join(src, lk), **({"meta": ENTRY_META[lk]} if lk in ENTRY_META else {})}
                   for lk in FILES]
        made = call("package_create", {"package_name": "mcp/interop", "entries": entries, "message": "made by quilt-mcp",
                                        "metadata": PACKAGE_META}, registry)
        opened = quilt3.Package.browse("mcp/interop", registry=registry, top_hash=made["top_hash"])
        check(f"{label}: quilt-mcp create -> quilt3 top hash", opened.top_hash == made["top_hash"], (opened.top_hash, made["top_hash"]))
        check(f"{label}: quilt3 verify accepts the source files", opened.verify(src))
        for lk, data in FILES.items():
            check(f"{label}: quilt3 reads {lk}", opened[lk].get_bytes() == data)
            check(f"{label}: {lk} physical key {'versioned' if versioned else 'unversioned'}",
                  (opened[lk].physical_key.version_id is not None) == versioned and "versionId=null" not in str(opened[lk].physical_key),
                  str(opened[lk].physical_key))
        check(f"{label}: metadata as quilt3 reads it", opened.meta == PACKAGE_META, opened.meta)
        latest = quilt3.Package.browse("mcp/interop", registry=registry)
        check(f"{label}: latest names the new revision", latest.top_hash == made["top_hash"])

    print(f"s3 interop: {len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
