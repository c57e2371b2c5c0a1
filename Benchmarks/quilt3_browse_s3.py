#!/usr/bin/env python3
"""The peer measurement for `quilt-bench s3-browse`: quilt3 opens a package from an S3 registry (an emulator
named by AWS_ENDPOINT_URL), lists one directory and checks the top hash.

    python3 Benchmarks/quilt3_browse_s3.py <bucket> <package> <path>

Prints one JSON line like Benchmarks/quilt3_browse.py. `quilt-bench s3-browse` runs it as a child with
AWS_ENDPOINT_URL and test credentials, QUILT_DISABLE_USAGE_METRICS=true, QUILT_DISABLE_CACHE=true and fresh
XDG directories, and measures wall time and peak RSS from outside (wait4). Requires quilt3==8.0.0.
"""
import json
import sys
import time


def vm_hwm_kib():
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    bucket, name, path = argv[1], argv[2], argv[3].strip("/")
    t0 = time.perf_counter()
    import quilt3  # noqa: E402  (import time is part of what a user pays)

    t1 = time.perf_counter()
    # Resolves latest, downloads the manifest and builds the in-memory tree.
    pkg = quilt3.Package.browse(name, registry=f"s3://{bucket}")
    t2 = time.perf_counter()
    node = pkg[path] if path else pkg
    keys = list(node.keys())
    files = sum(1 for k in keys if not isinstance(node[k], quilt3.Package))
    t3 = time.perf_counter()
    computed = pkg.top_hash  # recomputed from the entries
    t4 = time.perf_counter()
    ms = lambda a, b: round((b - a) * 1000, 2)  # noqa: E731
    print(json.dumps({
        "entries": len(keys), "files": files, "directories": len(keys) - files, "top_hash": computed,
        "quilt3_version": getattr(quilt3, "__version__", "unknown"), "import_ms": ms(t0, t1), "browse_ms": ms(t1, t2),
        "list_ms": ms(t2, t3), "verify_ms": ms(t3, t4), "vm_hwm_kib": vm_hwm_kib(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
