#!/usr/bin/env python3
"""Vectors for quilt3's data directory: what platformdirs (the version quilt3 8.0.0 installs with) answers for
`user_data_dir("Quilt", "QuiltData")` on Linux and macOS, for a few environments. Writes platform_paths.json beside
this script; Tests/Mode/Quilt3PathsTests.swift checks QuiltMode against it.

    python3 -m pip install quilt3==8.0.0 && python3 Fixtures/quilt3/platform_paths.py

Windows is not computed here: platformdirs asks the Windows API for the folder (it cannot run on Linux).
"""
import json
import os

import platformdirs
import platformdirs.macos
import platformdirs.unix

CASES = [
    {"HOME": "/Users/ann"},
    {"HOME": "/Users/ann/", "XDG_DATA_HOME": ""},
    {"HOME": "/home/bo", "XDG_DATA_HOME": "/data/xdg"},
    {"HOME": "/home/bo", "XDG_DATA_HOME": "relative/ignored"},
]

vectors = []
for env in CASES:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        vectors.append({
            "environment": env,
            "linux": platformdirs.unix.Unix("Quilt", "QuiltData").user_data_dir,
            "macOS": platformdirs.macos.MacOS("Quilt", "QuiltData").user_data_dir,
        })
    finally:
        os.environ.clear()
        os.environ.update(saved)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "platform_paths.json")
with open(out, "w") as f:
    json.dump({"platformdirs": platformdirs.__version__, "vectors": vectors}, f, indent=2)
    f.write("\n")
print(f"wrote {len(vectors)} vectors to {out} (platformdirs {platformdirs.__version__})")
