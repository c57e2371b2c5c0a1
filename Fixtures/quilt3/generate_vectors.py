#!/usr/bin/env python3
"""Generate quilt3 8.0.0 test vectors and a real local registry for the Swift tests.

How to run (from the package root; needs no network and no S3):

    python3 -m pip install quilt3==8.0.0 && python3 Fixtures/quilt3/generate_vectors.py

It writes, next to this file:

* ``registry/``     a quilt3 V1 registry (``.quilt/packages/<tophash>``, ``.quilt/named_packages/<user>/<pkg>/<ts>``
                    and ``latest``, data under ``<user>/<pkg>/...``), built under the FIXED path
                    ``/tmp/quilt-vectors-registry`` (recorded as ``generated_registry_root`` in expected.json) and
                    then copied here. Large pattern files are left out of the copy (``omitted_data_files``).
* ``expected.json`` every vector (see README.md for its structure).

The output is deterministic: running the script twice gives identical files (``diff -r``). quilt3 state
(config, cache) goes to throw-away XDG directories; usage metrics are disabled; the real home is never touched.

quilt3 8.0.0 refuses ``Package.push`` to a ``file://`` registry ("Can only 'push' to remote registries in S3 ...
use 'build' instead"). ``push_local`` below therefore replays ``Package._push`` step by step against the local
registry with quilt3's own pieces (name validation, workflow validation, commit message, ``copy_file_list`` to
``<registry>/<user>/<pkg>/<logical_key>``, ``_calculate_missing_hashes``, ``_calculate_top_hash``,
``_push_manifest``). Like the real push it does not carry directory metadata over (``_push`` builds a fresh
``Package`` and only ``_set``s file entries), so the directory-metadata package is written with the real
``Package.build`` instead. Every revision in expected.json says which ``method`` made it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY_ROOT = "/tmp/quilt-vectors-registry"  # fixed: it appears in every file:// physical key
SOURCE_ROOT = "/tmp/quilt-vectors-src"  # fixed: never recorded, but keeps runs identical
REGISTRY_URL = "file://" + REGISTRY_ROOT
FIRST_TIMESTAMP = 1795282874  # pointer names: FIRST_TIMESTAMP + 5 * push_number
QUILT3_VERSION = "8.0.0"
MiB = 1024 * 1024

_STATE = tempfile.mkdtemp(prefix="quilt-vectors-state-")
os.environ.update(
    QUILT_DISABLE_USAGE_METRICS="true",
    QUILT_MINIMIZE_STDOUT="true",
    QUILT_DISABLE_CACHE="true",
    XDG_DATA_HOME=os.path.join(_STATE, "data"),
    XDG_CACHE_HOME=os.path.join(_STATE, "cache"),
    XDG_CONFIG_HOME=os.path.join(_STATE, "config"),
    XDG_STATE_HOME=os.path.join(_STATE, "state"),
)

import awscrt.checksums  # noqa: E402  (after the environment is set)
import quilt3  # noqa: E402
import quilt3.backends.base  # noqa: E402
from quilt3 import Package  # noqa: E402
from quilt3 import checksums  # noqa: E402
from quilt3.backends import get_package_registry  # noqa: E402
from quilt3.data_transfer import FileChecksumTask, calculate_multipart_checksum, copy_file_list  # noqa: E402
from quilt3.util import PhysicalKey, QuiltException, validate_package_name  # noqa: E402

if quilt3.__version__ != QUILT3_VERSION:
    sys.exit(f"need quilt3=={QUILT3_VERSION}, found {quilt3.__version__}")

# --------------------------------------------------------------------------------------------------------------
# helpers


def pattern(n: int) -> bytes:
    """bytes(i % 256 for i in range(n)), fast."""
    return (bytes(range(256)) * (n // 256 + 1))[:n]


assert pattern(1000) == bytes(i % 256 for i in range(1000))


def write_source(rel: str, data: bytes | str) -> str:
    path = os.path.join(SOURCE_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


class FixedClock:
    """Replaces quilt3.backends.base.time so that timestamp pointer names are fixed."""

    def __init__(self):
        self.pushes = 0

    def __enter__(self):
        ts = FIRST_TIMESTAMP + 5 * self.pushes
        self.pushes += 1
        self.current = ts
        self._saved = quilt3.backends.base.time
        quilt3.backends.base.time = types.SimpleNamespace(time=lambda: float(ts))
        return str(ts)

    def __exit__(self, *exc):
        quilt3.backends.base.time = self._saved
        return False


CLOCK = FixedClock()


def push_local(pkg: Package, name: str, message, *, dest: str | None = None):
    """Replays quilt3 8.0.0 ``Package._push(name, registry=REGISTRY_URL, force=True)`` on a local registry.

    Objects already inside the registry root are kept where they are (the default selector_fn keeps objects that
    are "in the registry bucket"); all others are copied to ``dest/<logical_key>`` (default ``<registry>/<name>``).
    Returns (pushed package, top hash, timestamp pointer name).
    """
    validate_package_name(name)
    registry_parsed = PhysicalKey.from_url(REGISTRY_URL)
    dest_parsed = registry_parsed.join(name) if dest is None else PhysicalKey.from_url(dest)
    registry = get_package_registry(REGISTRY_URL)
    pkg._validate_with_workflow(registry=registry, workflow=..., name=name, message=message)

    out = Package()
    out._meta = pkg._meta
    out._set_commit_message(message)
    file_list, entries = [], []
    root_prefix = registry_parsed.path.rstrip("/") + "/"
    for lk, entry in pkg.walk():
        if entry.physical_key.is_local() and entry.physical_key.path.startswith(root_prefix):
            out._set(lk, entry)  # already "in the registry bucket": not copied
            continue
        new_pk = dest_parsed.join(lk)
        entries.append((lk, entry))
        file_list.append((entry.physical_key, new_pk, entry.size))
    results = copy_file_list(file_list, message="Copying objects")
    for (lk, entry), (versioned_key, checksum) in zip(entries, results, strict=True):
        new_entry = entry.with_physical_key(versioned_key)
        if checksum is not None:
            new_entry.hash = dict(type=checksums.DEFAULT_HASH, value=checksum)
        out._set(lk, new_entry)
    out._calculate_missing_hashes()
    top_hash = out._calculate_top_hash(out._meta, out.walk())
    with CLOCK as ts:
        out._push_manifest(name, registry, top_hash)
    assert out.top_hash == top_hash
    return out, top_hash, ts


def build_local(pkg: Package, name: str, message):
    """The real ``Package.build(name, registry=REGISTRY_URL, message=...)``; physical keys stay as set."""
    with CLOCK as ts:
        top_hash = pkg.build(name, registry=REGISTRY_URL, message=message)
    return pkg, top_hash, ts


def canon(obj) -> str:
    """The exact encoder quilt3 uses for the top hash."""
    return json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode(obj)


def manifest_line(obj) -> str:
    """The exact encoder quilt3 uses for manifest lines."""
    return json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode(obj)


# --------------------------------------------------------------------------------------------------------------
# packages

PACKAGES: dict[str, list[dict]] = {}  # name -> revisions (push order)
OMITTED: list[str] = []


def record(name: str, method: str, pushed: Package, top_hash: str, ts: str, notes: str):
    PACKAGES.setdefault(name, []).append(
        dict(method=method, top_hash=top_hash, pointer=ts, notes=notes, pkg_top_hash=pushed.top_hash)
    )


def make_alice_simple():
    files = {
        "README.md": "# Simple package\n",
        "data/a.csv": "x,y\n1,2\n3,4\n",
        "data/nested/deep/b.txt": "hello",
        "empty.txt": "",
        "unicodé/ß.txt": "unicode name\n",
    }
    pkg = Package()
    for lk, data in files.items():
        pkg.set(lk, write_source("simple/" + lk, data))
    pkg["data/a.csv"].set_meta({"rows": 2, "score": 1.5, "ok": True, "none": None, "ünï": "çødé"})
    pkg.set_meta({"author": "alice", "f": 0.1, "n": 1, "nested": {"a": 1, "b": 2}, "tags": ["x", "y"]})
    pushed, top_hash, ts = push_local(pkg, "alice/simple", "first revision")
    assert top_hash == "8f6897b482ee9f62471e3950595fcd36d16758a44b1d40e7a4c016a60b4ada30", top_hash
    record("alice/simple", "push", pushed, top_hash, ts,
           "r1: reproduces the reference top hash 8f6897b4...ada30 (physical keys take no part in it)")

    # r2: browse r1 -> modify a file, add one, delete empty.txt, new meta. Pushed with a custom dest so that the
    # changed README.md does not overwrite r1's object (a local registry is like an unversioned bucket).
    r2 = Package.browse("alice/simple", registry=REGISTRY_URL)
    r2.set("README.md", write_source("simple-r2/README.md", "# Simple package\n\nRevision two.\n"))
    r2.set("data/c.json", write_source("simple-r2/data/c.json", '{"k": [1, 2, 3]}\n'))
    r2.delete("empty.txt")
    r2.set_meta({"author": "alice", "revision": 2, "tags": ["x", "y", "z"]})
    pushed, top_hash, ts = push_local(r2, "alice/simple", "second revision",
                                      dest=REGISTRY_URL + "/custom-dest/alice-simple-r2")
    record("alice/simple", "push", pushed, top_hash, ts,
           "r2: browse r1, change README.md, add data/c.json, delete empty.txt, new meta; pushed with "
           "dest=<registry>/custom-dest/alice-simple-r2, so unchanged entries keep r1's physical keys")


TRICKY_META = {
    "zeta": "last in sorted order, first here",
    "B": "upper case sorts before lower",
    "alpha": {"b": [1, 2.5, {"y": None, "x": True}], "a": []},
    "ünï": "çødé",
    "日本": "語",
    "😀": "astral key (UTF-16 surrogates when escaped)",
    "\u00e9": "precomposed", "e\u0301": "decomposed (e + U+0301): a distinct key",
    "": "empty key",
    "floats": [1e16, 1e-5, 0.1, 1.5e300, -0.0, 1.0, 1e15, 2.5e-308, 5e-324, 1.7976931348623157e308,
               123456789.123, 0.00001234, 1e22, -1.5],
    "bigint": 123456789012345678901234567890,
    "negbig": -123456789012345678901234567890,
    "ints": [0, -1, 9007199254740993, 18446744073709551616],
    "strings": {
        "quote": 'say "hi"',
        "backslash": "a\\b\\\\c",
        "newlines": "l1\nl2\r\nl3",
        "tab_bs_ff": "\t\b\f",
        "control": "\x00\x01\x1e\x1f",
        "del": "\x7f",
        "u2028": "\u2028\u2029",
        "emoji": "😀🎉👩‍💻",
        "slash": "a/b</script>",
        "nbsp_bom": "\u00a0\ufeff",
        "max_bmp": "\uffff",
    },
    "empty_obj": {},
    "empty_arr": [],
    "nested": [[[]], [{}], [[1, [2, [3, {"deep": [None]}]]]]],
    "bools": [True, False, None],
}


def make_tricky_meta():
    pkg = Package()
    pkg.set("absent-meta.txt", write_source("tricky/absent-meta.txt", "absent\n"))
    pkg.set("null-meta.txt", write_source("tricky/null-meta.txt", "null\n"))
    pkg["null-meta.txt"].set_meta(None)
    pkg.set("empty-meta.txt", write_source("tricky/empty-meta.txt", "empty\n"), meta={})
    pkg.set("rich-meta.txt", write_source("tricky/rich-meta.txt", "rich\n"),
            meta={"z": -0.0, "a": 1e-5, "list": [1e16, "ß", None], "ünï": {"k": "\u2028"}})
    pkg.set("sub/inner.txt", write_source("tricky/sub/inner.txt", "inner\n"))
    pkg.set_dir("sub", os.path.join(SOURCE_ROOT, "tricky/sub"), meta={"dropped": "by push"})
    pkg.set_meta(TRICKY_META)
    pushed, top_hash, ts = push_local(pkg, "tricky/meta", 'tricky "message" \\ ünï\nsecond line')
    assert not list(pushed._walk_dir_meta()), "push drops directory metadata"
    record("tricky/meta", "push", pushed, top_hash, ts,
           "package meta with unicode keys, floats, big ints, escapes, unsorted keys; entries with absent, "
           "null and {} user meta; set_dir(meta=...) on sub/ before push (push drops it: no dir-meta line)")


def make_tricky_dirmeta():
    # Files are written straight into the registry data area, then Package.build keeps those physical keys.
    base = os.path.join(REGISTRY_ROOT, "tricky/dirmeta")
    for rel, data in {
        "top.txt": "top\n",
        "docs/readme.txt": "docs\n",
        "docs/inner/deep.txt": "deep\n",
        "empty-meta-dir/x.txt": "x\n",
        "plain/y.txt": "y\n",
    }.items():
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(data)
    pkg = Package()
    pkg.set("top.txt", os.path.join(base, "top.txt"))
    pkg.set_dir("docs", os.path.join(base, "docs"), meta={"dir": "meta", "z": 1, "a": [1.5, None]})
    pkg.set_dir("docs/inner", os.path.join(base, "docs/inner"), meta={"deep": True})
    pkg.set_dir("empty-meta-dir", os.path.join(base, "empty-meta-dir"), meta={})
    pkg.set_dir("plain", os.path.join(base, "plain"))
    pkg.set_meta({"kind": "dir meta"})
    built, top_hash, ts = build_local(pkg, "tricky/dirmeta", "directory metadata")
    record("tricky/dirmeta", "build", built, top_hash, ts,
           "real Package.build: dir-meta lines for docs/ and docs/inner/ (not part of the top hash); "
           "empty-meta-dir/ ({}) and plain/ (None) get no line")


def make_nulls():
    pkg = Package()
    pkg.set("x.txt", write_source("nulls/none/x.txt", "x\n"))
    pkg.set_meta(None)
    pushed, top_hash, ts = push_local(pkg, "nulls/none", None)
    record("nulls/none", "push", pushed, top_hash, ts, "set_meta(None) and message None: user_meta null")

    pkg = Package()
    pkg.set("x.txt", write_source("nulls/absent/x.txt", "x\n"))
    pushed, top_hash, ts = push_local(pkg, "nulls/absent", None)
    record("nulls/absent", "push", pushed, top_hash, ts, "set_meta never called, message None: no user_meta key")

    pkg = Package()
    pushed, top_hash, ts = push_local(pkg, "nulls/empty", None)
    assert top_hash == "2a5a67156ca9238c14d12042db51c5b52260fdd5511b61ea89b58929d6e1769b", top_hash
    record("nulls/empty", "push", pushed, top_hash, ts, "empty package, no message: header-only reference vector")

    pkg = Package()
    pkg.set("x.txt", write_source("nulls/emptymsg/x.txt", "x\n"))
    pkg.set_meta({})
    pushed, top_hash, ts = push_local(pkg, "nulls/emptymsg", "")
    record("nulls/emptymsg", "push", pushed, top_hash, ts, 'user_meta {} and message ""')


def make_carol_plain():
    pkg = Package()
    pkg.set("one.txt", write_source("carol/one.txt", "one\n"))
    pkg.set("sub dir/two words.txt", write_source("carol/sub dir/two words.txt", "two\n"))
    pkg.set_meta(None)
    pushed, top_hash, ts = push_local(pkg, "carol/plain", "plain")
    assert top_hash == "988062fd4f09ce4ed8988c66511a1e78cc0e1c5f669b71b90e6cfc3bd7877371", top_hash
    record("carol/plain", "push", pushed, top_hash, ts, "reproduces the reference carol/plain r1 top hash")


BIG_SIZES = {"8MiB-1.bin": 8 * MiB - 1, "8MiB.bin": 8 * MiB, "8MiB+1.bin": 8 * MiB + 1, "9MiB.bin": 9 * MiB}


def make_big_chunks():
    pkg = Package()
    for lk, size in BIG_SIZES.items():
        pkg.set(lk, write_source("big/" + lk, pattern(size)))
    pkg.set("small.txt", write_source("big/small.txt", "small\n"))
    pkg.set_meta(None)
    pushed, top_hash, ts = push_local(pkg, "big/chunks", None)
    for lk in BIG_SIZES:
        OMITTED.append("big/chunks/" + lk)
    record("big/chunks", "push", pushed, top_hash, ts,
           "pattern files (bytes(i % 256 for i in range(N))) around the 8 MiB chunk boundary; their data is "
           "omitted from the committed registry (regenerate the pattern)")


QUOTING_KEYS = [
    "dir with space/x+y=z?.csv",
    "hash#mark.txt",
    "100%.txt",
    "100%20literal.txt",
    "q?a=b&c=d.txt",
    "plus+sign.txt",
    "tilde~_-.!*'(),;:@$.txt",
    "ünï/ß#%&.txt",
]


def make_keys_quoting():
    pkg = Package()
    for i, lk in enumerate(QUOTING_KEYS):
        pkg.set(lk, write_source("keys/" + lk, f"key {i}\n"))
    pushed, top_hash, ts = push_local(pkg, "keys/quoting", "physical-key quoting")
    record("keys/quoting", "push", pushed, top_hash, ts, "logical keys that need percent-encoding in file:// URLs")


def make_unicode_name():
    pkg = Package()
    pkg.set("dätä.txt", write_source("unicode/dätä.txt", "ünï\n"))
    pkg.set_meta({"name": "ünï/päckage"})
    pushed, top_hash, ts = push_local(pkg, "ünï/päckage", "unicode package name")
    record("ünï/päckage", "push", pushed, top_hash, ts, "package name with non-ASCII letters (quilt3 accepts it)")


# --------------------------------------------------------------------------------------------------------------
# describe the registry


def describe_revision(name: str, rev_index: int, rec: dict, latest_hash: str) -> dict:
    top_hash = rec["top_hash"]
    manifest_rel = f".quilt/packages/{top_hash}"
    with open(os.path.join(REGISTRY_ROOT, manifest_rel), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[-1] == "", "manifest ends with a newline"
    lines = lines[:-1]
    header = json.loads(lines[0])
    browsed = Package.browse(name, registry=REGISTRY_URL, top_hash=top_hash)
    assert browsed.top_hash == top_hash
    parts = [canon(p) for p in Package._get_top_hash_parts(browsed._meta, browsed.walk())]
    joined = "".join(parts)
    assert hashlib.sha256(joined.encode()).hexdigest() == top_hash

    dir_meta, entries = [], []
    root_prefix = REGISTRY_ROOT + "/"
    for line in lines[1:]:
        obj = json.loads(line)
        assert manifest_line(obj) == line
        if not obj.get("physical_keys"):
            dir_meta.append(dict(logical_key=obj["logical_key"], meta=obj["meta"], line=line))
            continue
        url = obj["physical_keys"][0]
        pk = PhysicalKey.from_url(url)
        assert pk.is_local() and pk.path.startswith(root_prefix), url
        registry_path = pk.path[len(root_prefix):]
        omitted = registry_path in OMITTED
        if not omitted:
            with open(pk.path, "rb") as f:
                data = f.read()
            got = checksums.calculate_multipart_checksum_bytes(data, checksum_type=obj["hash"]["type"])
            assert got == obj["hash"]["value"], (name, obj["logical_key"])
        entries.append(dict(
            logical_key=obj["logical_key"],
            physical_key=url,
            registry_path=registry_path,
            data_omitted=omitted,
            size=obj["size"],
            hash=obj["hash"],
            meta=obj["meta"],
            line=line,
        ))
    return dict(
        revision=rev_index + 1,
        method=rec["method"],
        notes=rec["notes"],
        pointer=rec["pointer"],
        is_latest=(top_hash == latest_hash),
        top_hash=rec["pkg_top_hash"],
        top_hash_browsed=browsed.top_hash,
        manifest=manifest_rel,
        header=header,
        header_keys=list(header.keys()),
        header_line=lines[0],
        dir_meta=dir_meta,
        entries=entries,
        top_hash_parts=parts,
        top_hash_input=joined,
    )


def describe_packages() -> list[dict]:
    out = []
    for name in sorted(PACKAGES):
        ptr_dir = os.path.join(REGISTRY_ROOT, ".quilt/named_packages", name)
        pointers = {}
        for p in sorted(os.listdir(ptr_dir)):
            with open(os.path.join(ptr_dir, p), "rb") as f:
                raw = f.read()
            assert len(raw) == 64 and raw.decode() == raw.decode().strip(), "pointer: 64 chars, no newline"
            pointers[p] = raw.decode()
        latest = pointers["latest"]
        revisions = [describe_revision(name, i, rec, latest) for i, rec in enumerate(PACKAGES[name])]
        out.append(dict(name=name, pointers=pointers, latest=latest, revisions=revisions))
    return out


# --------------------------------------------------------------------------------------------------------------
# standalone vectors


def object_hash_vectors() -> list[dict]:
    inputs = []
    for n in (0, 5, 8 * MiB - 1, 8 * MiB, 8 * MiB + 1, 9 * MiB, 16 * MiB, 17 * MiB + 5):
        inputs.append(({"kind": "pattern", "size": n}, pattern(n)))
    for unit, count in (("hello", 1), ("hello\n", 1), ("Hello, World!", 1), ("a", 1_000_000),
                        ("123456789", 1), ("1234567890abcdefgh", 1_048_576)):
        inputs.append(({"kind": "repeat", "unit": unit, "count": count, "size": len(unit) * count},
                       unit.encode() * count))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for desc, data in inputs:
            size = len(data)
            chunk = checksums.get_checksum_chunksize(size)
            chunked = checksums.calculate_multipart_checksum_bytes(data, checksum_type="sha2-256-chunked")
            crc = checksums.calculate_multipart_checksum_bytes(data, checksum_type="CRC64NVME")
            crc_int = awscrt.checksums.crc64nvme(data)
            assert base64.b64decode(crc) == crc_int.to_bytes(8, "big")
            # Cross-check the file path quilt3 uses for local files (parallel per-chunk hashing).
            path = os.path.join(tmp, "blob")
            with open(path, "wb") as f:
                f.write(data)
            from_file = calculate_multipart_checksum([
                FileChecksumTask.create(PhysicalKey.from_path(path), size, "sha2-256-chunked"),
                FileChecksumTask.create(PhysicalKey.from_path(path), size, "CRC64NVME"),
            ])
            assert from_file == [chunked, crc], (desc, from_file)
            out.append(dict(
                input=desc,
                size=size,
                chunk_size=chunk,
                parts=-(-size // chunk),
                sha2_256_chunked=chunked,
                sha256=checksums.legacy_calculate_checksum_bytes(data),
                crc64nvme=crc,
                crc64nvme_hex=f"{crc_int:016x}",
            ))
    return out


def chunk_size_vectors() -> list[dict]:
    sizes = [0, 1, 8 * MiB, 8 * MiB + 1, 83886080000 - 1, 83886080000, 83886080001, 167772160000,
             167772160001, 335544320000, 335544320001, 5 * 1024 ** 4]
    return [dict(size=s, chunk_size=checksums.get_checksum_chunksize(s)) for s in sizes]


def physical_key_vectors() -> dict:
    to_url = []
    for bucket, path, version in [
        ("b", "dir with space/x+y=z?.csv", None),
        ("b", "ünï/ß#%&.txt", "abc"),
        ("b", "k", "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"),
        ("b", "k", "a/b+c=d e&f"),
        ("b", "~tilde_-.!*'()", None),
        ("b", "a//b", None),
        ("b", "", None),
        ("b", "dir/", None),
        ("b", "100%20literal", None),
        ("b", "semi;colon,comma:colon@at$dollar", None),
        ("b", "e\u0301 decomposed", None),
        ("my-bucket.with.dots", "x/y.z", "null"),
    ]:
        to_url.append(dict(bucket=bucket, path=path, version_id=version, url=str(PhysicalKey(bucket, path, version))))
    from_path = []
    for p in ["/tmp/some dir/ü+x.txt", "/tmp/a#b?c=d&e.txt", "/tmp/100%.txt", "/tmp/dir/", "/tmp/~x/y z",
              "/tmp/quilt-vectors-registry/alice/simple/unicodé/ß.txt"]:
        pk = PhysicalKey.from_path(p)
        from_path.append(dict(path=p, url=str(pk), key_path=pk.path))
    from_url = []
    for url in [
        "s3://b/k",
        "s3://b/dir%20with%20space/x%2By%3Dz%3F.csv",
        "s3://b/a+b",
        "s3://b/%C3%BCn%C3%AF/%C3%9F%23%25%26.txt?versionId=abc",
        "s3://b/k?versionId=3sL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY%2BMTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
        "s3://b/k?versionId=a+b",
        "s3://b/k?versionId=a%2Fb",
        "s3://b/k?versionId=",
        "s3://b/k?versionId=1&versionId=2",
        "s3://b/k?foo=bar",
        "s3://b/k?versionId=1&foo=bar",
        "s3://b/k#fragment",
        "s3://b",
        "s3://b/",
        "s3://b/a//b",
        "s3:///k",
        "S3://b/k",
        "file:///tmp/x",
        "file:///tmp/some%20dir/%C3%BC%2Bx.txt",
        "file://localhost/tmp/x",
        "file://host/tmp/x",
        "file:relative/x",
        "file:///tmp/x?versionId=1",
        "file:///tmp/dir/",
        "http://b/k",
        "b/k",
    ]:
        try:
            pk = PhysicalKey.from_url(url)
            from_url.append(dict(url=url, bucket=pk.bucket, path=pk.path, version_id=pk.version_id,
                                 str=str(pk), error=False))
        except Exception as e:  # noqa: BLE001 - recording the verdict is the point
            from_url.append(dict(url=url, error=True, error_type=type(e).__name__, message=str(e)))
    return dict(to_url=to_url, from_path=from_path, from_url=from_url)


PACKAGE_NAME_CANDIDATES = [
    "a/b", "ünï/päckage", "日本/語", "a٠/b", "a.b/c", "a b/c", "a/b/c", "a/b\n", "-/-", "_/_", "a/", "/b",
    "A-1/b_2", "e\u0301/x", "x/ⅷ", "x/²", "x/½", "x/٣", "", "/", "a", "a/b ", " a/b", "a/b\t", "a/b\r",
    "a/b\n\n", "a\n/b", "a/b\x00", "ä/b", "a\u0308/b", "Ａ/ｂ", "ß/ẞ", "a/b\u00a0", "a/b\u200d", "𝟘/x", "a/🙂",
    "a--/_b", "a~/b", "a+/b", "a@b/c", "a/b.c", "user/pkg-name_1", "a//b", "ﬁ/x", "ǅ/x", "x/ー", "x/〇",
]


def package_name_vectors() -> list[dict]:
    out = []
    for name in PACKAGE_NAME_CANDIDATES:
        try:
            validate_package_name(name)
            valid = True
        except QuiltException:
            valid = False
        out.append(dict(name=name, valid=valid))
    return out


LOGICAL_KEY_CANDIDATES = [
    "a", "a/b", ".b", ".quilt/x", "a//b", "/a", "a/", "./a", "a/../b", "a/.", "", "ü/ß.txt", "..", ".",
    "a/./b", "...", "a/..b", "a b", " ", "a\\b", "a/b/c/d/e.txt", "e\u0301.txt", "a?b#c%d.txt", "\n", "a\x00b",
]


def logical_key_vectors() -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "f.txt")
        with open(src, "w") as f:
            f.write("f")
        for lk in LOGICAL_KEY_CANDIDATES:
            try:
                Package().set(lk, src)
                valid = True
            except (QuiltException, ValueError):
                valid = False
            out.append(dict(logical_key=lk, valid=valid))
    return out


NUMBER_TEXTS = ["1", "1.0", "1.10", "1E2", "1e15", "1e16", "1e-5", "0.0001", "0.1", "-0", "-0.0", "1.5e300",
                "2.5e-308", "123456789012345678901234567890", "5e-324", "1.7976931348623157e308", "1e22",
                "0.00001234", "123456789.123", "-1.5E-7", "100", "1e400", "-1e400", "9007199254740993",
                "9007199254740993.0", "0.1e1", "12345678901234567890.0", "1e-7", "0.000123"]


def canonical_number_vectors() -> list[dict]:
    out = []
    for text in NUMBER_TEXTS:
        value = json.loads(text)
        out.append(dict(
            text=text,
            python_type=type(value).__name__,
            canonical=json.dumps(value, sort_keys=True, separators=(",", ":")),
        ))
    return out


# --------------------------------------------------------------------------------------------------------------


def main():
    for d in (REGISTRY_ROOT, SOURCE_ROOT):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)

    make_alice_simple()
    make_tricky_meta()
    make_tricky_dirmeta()
    make_nulls()
    make_carol_plain()
    make_big_chunks()
    make_keys_quoting()
    make_unicode_name()

    packages = describe_packages()
    alice_r1 = next(p for p in packages if p["name"] == "alice/simple")["revisions"][0]

    expected = dict(
        schema_version=1,
        quilt3_version=quilt3.__version__,
        generated_registry_root=REGISTRY_ROOT,
        registry_dir="registry",
        omitted_data_files=sorted(OMITTED),
        omitted_data_pattern="bytes(i % 256 for i in range(size))",
        packages=packages,
        object_hashes=object_hash_vectors(),
        chunk_sizes=chunk_size_vectors(),
        physical_keys=physical_key_vectors(),
        package_names=package_name_vectors(),
        logical_keys=logical_key_vectors(),
        canonical_numbers=canonical_number_vectors(),
        top_hash_parts=dict(
            package="alice/simple",
            revision=1,
            top_hash=alice_r1["top_hash"],
            parts=alice_r1["top_hash_parts"],
            joined=alice_r1["top_hash_input"],
        ),
    )

    target = os.path.join(HERE, "registry")
    shutil.rmtree(target, ignore_errors=True)
    omitted_abs = {os.path.join(REGISTRY_ROOT, p) for p in OMITTED}

    def ignore(directory, names):
        return [n for n in names if os.path.join(directory, n) in omitted_abs]

    shutil.copytree(REGISTRY_ROOT, target, ignore=ignore)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="ascii") as f:
        json.dump(expected, f, sort_keys=True, indent=1, ensure_ascii=True)
        f.write("\n")

    for d in (SOURCE_ROOT, REGISTRY_ROOT, _STATE):
        shutil.rmtree(d, ignore_errors=True)
    print(f"wrote {target} and {os.path.join(HERE, 'expected.json')}")


if __name__ == "__main__":
    main()
