#!/usr/bin/env python3
"""The peer measurement for `quilt-bench manifest`: quilt3 opens a package from a local registry, lists one
directory and checks the top hash.

    python3 Benchmarks/quilt3_browse.py <registryDir> <package> <path>

Prints one JSON line to stdout: entries listed, the top hash, and per-phase milliseconds (import, browse, list,
verify). Exits 3 when the computed top hash differs from the `latest` pointer.

`quilt-bench manifest` runs this as a child process with QUILT_DISABLE_USAGE_METRICS=true,
QUILT_DISABLE_CACHE=true and fresh XDG_DATA_HOME / XDG_CACHE_HOME directories, and measures its wall time and
peak RSS from outside (wait4). Requires quilt3 (`python3 -m pip install quilt3==8.0.0`).
"""
import json
import os
import sys
import time


def vm_hwm_kib():
    """This process's own peak RSS (Linux VmHWM), in KiB, or None."""
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
    registry, name, path = argv[1], argv[2], argv[3].strip("/")

    t0 = time.perf_counter()
    import quilt3  # noqa: E402  (import time is part of what a user pays)

    t1 = time.perf_counter()
    # Package.browse reads a local manifest in place (no copy, no cache) and builds the in-memory tree.
    pkg = quilt3.Package.browse(name, registry="file://" + os.path.abspath(registry))
    t2 = time.perf_counter()

    node = pkg[path] if path else pkg
    keys = list(node.keys())
    files = sum(1 for k in keys if not isinstance(node[k], quilt3.Package))
    t3 = time.perf_counter()

    with open(os.path.join(registry, ".quilt", "named_packages", name, "latest"), encoding="utf-8") as f:
        latest = f.read().strip()
    computed = pkg.top_hash  # recomputed from the entries (sorted walk, canonical JSON, SHA-256)
    t4 = time.perf_counter()

    ms = lambda a, b: round((b - a) * 1000, 2)  # noqa: E731
    print(json.dumps({
        "entries": len(keys),
        "files": files,
        "directories": len(keys) - files,
        "top_hash": computed,
        "quilt3_version": getattr(quilt3, "__version__", "unknown"),
        "import_ms": ms(t0, t1),
        "browse_ms": ms(t1, t2),
        "list_ms": ms(t2, t3),
        "verify_ms": ms(t3, t4),
        "vm_hwm_kib": vm_hwm_kib(),
    }))
    if computed != latest:
        print(f"top hash mismatch: computed {computed}, latest names {latest}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
