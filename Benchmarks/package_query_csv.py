#!/usr/bin/env python3
"""The embedded SQL engine over a 100 MB CSV package beside pandas, in one run.

    python3 Benchmarks/package_query_csv.py --server /work/bench-build/release/quilt-mcp \\
        --python /tmp/quilt-mcp-py/bin/python [--mb 100] [--runs 3] [--json PATH]

A deterministic CSV of about --mb megabytes (id, region, units, price, note; 8 regions) is written to a scratch
directory and pushed as package `bench/sales` (`data/sales.csv`) into a local registry there with quilt3 (the
interpreter given by --python must have quilt3 and pandas; the Python quilt-mcp 0.22.0 venv has both). Then, --runs
times each, in alternation:

  swift   `quilt-mcp call package_query` on that registry: the whole CLI process (read the manifest, read and
          hash-check the file, parse, type, load into SQLite, run the statement);
  pandas  `pandas.read_csv` of the same file plus the same aggregation, in a fresh interpreter (import time
          excluded: the timer starts after `import pandas`).

The statement: SELECT region, count(*), sum(units), round(avg(price), 6) FROM "data/sales.csv" GROUP BY region
ORDER BY region. Both answers are compared (counts and sums exactly, averages to 1e-6); a difference stops the run.
Reported per side: median wall seconds (min–max), rows per second, and the peak RSS of the process that answered
(ru_maxrss from wait4). Scratch files are removed at exit.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

QUERY = ('SELECT region, count(*) AS n, sum(units) AS units, round(avg(price), 6) AS price '
         'FROM "data/sales.csv" GROUP BY region ORDER BY region')
REGIONS = ["north", "south", "east", "west", "centre", "coast", "hills", "islands"]

PANDAS = r'''
import json, sys, time, pandas
t = time.perf_counter()
df = pandas.read_csv(sys.argv[1])
g = df.groupby("region").agg(n=("id", "size"), units=("units", "sum"), price=("price", "mean")).sort_index()
rows = [[r, int(x.n), int(x.units), round(float(x.price), 6)] for r, x in g.iterrows()]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows, "read": len(df)}))
'''


def write_csv(path, megabytes):
    rng = random.Random(20261204)
    target = megabytes * 1_000_000
    written = rows = 0
    with open(path, "w", newline="") as f:
        f.write("id,region,units,price,note\n")
        while written < target:
            lines = []
            for _ in range(10_000):
                rows += 1
                note = "" if rows % 7 == 0 else f'"order {rows}, batch {rows % 97}"'
                lines.append(f"{rows},{REGIONS[rows % 8]},{rng.randint(0, 500)},{rng.randint(1, 99999) / 100},{note}\n")
            chunk = "".join(lines)
            f.write(chunk)
            written += len(chunk)
    return rows


def timed(argv, env=None):
    """Runs argv; returns (seconds, stdout, peak RSS in MiB of that process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{argv[0]} failed ({status}): {err.decode(errors='replace')[-2000:]}")
    return seconds, out.decode(), usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--python", required=True, help="an interpreter with quilt3 and pandas")
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()

    scratch = tempfile.mkdtemp(prefix="quilt-query-bench-")
    try:
        data = os.path.join(scratch, "sales.csv")
        rows = write_csv(data, args.mb)
        size = os.path.getsize(data)
        registry = os.path.join(scratch, "registry")
        push = ("import quilt3, sys; p = quilt3.Package(); p.set('data/sales.csv', sys.argv[1]); "
                "p.build('bench/sales', registry=sys.argv[2])")
        subprocess.run([args.python, "-c", push, data, "file://" + registry], check=True, capture_output=True,
                       env={**os.environ, "HOME": scratch, "XDG_DATA_HOME": os.path.join(scratch, "xdg")})
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "QUILT_MCP_REGISTRY": "file://" + registry,
               "QUILT_MCP_MAX_OBJECT_BYTES": str(size + (64 << 20))}
        call = [args.server, "call", "package_query",
                json.dumps({"package_name": "bench/sales", "query": QUERY, "max_bytes": size + 1})]
        pandas = [args.python, "-c", PANDAS, data]

        swift_times, swift_rss, pandas_times, pandas_rss, inside = [], [], [], [], []
        expected = None
        for run in range(args.runs):
            seconds, out, rss = timed(call, env)
            answer = json.loads(out)
            got = [[r[0], r[1], r[2], r[3]] for r in answer["rows"]]
            seconds_p, out_p, rss_p = timed(pandas)
            theirs = json.loads(out_p)
            if run == 0:
                mine = {r[0]: r[1:] for r in got}
                for region, n, units, price in theirs["rows"]:
                    m = mine.get(region)
                    if m is None or m[0] != n or m[1] != units or abs(m[2] - price) > 1e-6:
                        sys.exit(f"answers differ for {region}: swift {m}, pandas {[n, units, price]}")
                expected = got
            elif got != expected:
                sys.exit("the swift answer changed between runs")
            swift_times.append(seconds)
            swift_rss.append(rss)
            pandas_times.append(seconds_p)
            pandas_rss.append(rss_p)
            inside.append(theirs["seconds"])

        def line(name, times, rss):
            med = statistics.median(times)
            return {"name": name, "median_s": med, "min_s": min(times), "max_s": max(times),
                    "rows_per_s": rows / med, "peak_rss_mib": max(rss)}
        result = {"csv_bytes": size, "rows": rows, "runs": args.runs, "query": QUERY,
                  "swift": line("quilt-mcp call package_query (whole process)", swift_times, swift_rss),
                  "pandas": line("pandas read_csv + groupby (process; timer after import)", pandas_times, pandas_rss),
                  "pandas_inside_s": statistics.median(inside)}
        print(f"\n{size / 1e6:.1f} MB CSV, {rows:,} rows, {args.runs} runs each\n")
        print("| | median s (min–max) | rows/s | peak RSS MiB |\n| --- | --- | --- | --- |")
        for key in ("swift", "pandas"):
            r = result[key]
            print(f"| {r['name']} | {r['median_s']:.2f} ({r['min_s']:.2f}–{r['max_s']:.2f}) | {r['rows_per_s']:,.0f} | {r['peak_rss_mib']:.0f} |")
        print(f"\npandas' own timer (read_csv + groupby, no process start, no import): {result['pandas_inside_s']:.2f} s")
        if args.json:
            text = json.dumps(result, indent=2)
            (sys.stdout.write(text + "\n") if args.json == "-" else open(args.json, "w").write(text + "\n"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
