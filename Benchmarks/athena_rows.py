#!/usr/bin/env python3
"""Time and peak memory of one `tools/call athena_query_execute` whose query returns 100,000 rows, ours against Python.

    python3 Benchmarks/athena_rows.py --server /work/bench-build/release/quilt-mcp \\
        --python /tmp/quilt-mcp-py/bin/quilt-mcp

One moto_server (moto[server] 5.2.1, the AWS emulator; started here the way Fixtures/s3/moto.sh does) serves both
servers in the same run. moto runs no SQL: before every call (warm-up calls too) this script queues one static result
(POST /moto-api/static/athena/query-results) of --rows data rows after the header row Athena sends for a SELECT, five
columns (id integer, name varchar, price double, ok boolean, day date) with the full ColumnInfo Athena sends (PyAthena
needs Precision/Scale/Nullable). moto returns every queued row in one GetQueryResults page, ignoring MaxResults, so each
server receives all --rows rows and must cut them down to max_results itself. Workgroup `bench` has the output location
s3://bench-results/q/ (the bucket exists: moto writes each result there as CSV).

  floor   StartQueryExecution + GetQueryExecution + GetQueryResults sent straight to moto (SigV4 by botocore, the
          bytes read, not parsed): what moto itself costs per call;
  swift   `quilt-mcp` (no arguments: stdio) with QUILT_MCP_TOOLSETS=all, QUILT_MCP_AUTH=iam, a memory registry;
  python  the PyPI `quilt-mcp` 0.22.0 over stdio in its legacy (quilt3, IAM) mode. It reaches moto through boto3's
          AWS_ENDPOINT_URL (PyAthena builds its boto3 client without an endpoint, so the variable applies) and takes
          its region only from AWS_DEFAULT_REGION (us-east-1 otherwise, where nothing is queued).

Arguments, the same for both: {"query": "SELECT * FROM big", "workgroup_name": "bench", "max_results": M,
"output_format": "json"} for each M in --max-results (default 10000,1000). Each (server, M) gets a fresh server process,
driven by the official Python MCP SDK (`mcp` 2.3.0, ClientSession over stdio_client, the initialize handshake): idle
RSS (VmRSS) after initialize, --warmup calls, then --calls measured calls (time.perf_counter() around call_tool), then
the process's peak RSS (VmHWM, /proc/<pid>/status of the server process itself). Every answer is checked: no isError,
success, row_count == M and that many rows, truncated, and exactly one StartQueryExecution per call (moto's
ListQueryExecutions); the first bad one stops the run with a non-zero exit. Response bytes are the CallToolResult as
the SDK parsed it, re-serialized as compact JSON (the text content and structuredContent both carry the rows).

Everything binds 127.0.0.1; every process started here is stopped at exit. The run is bounded by --deadline (default
900 s). Prints a Markdown table; --json PATH (`-` = stdout) writes the same figures as JSON.
"""
import argparse
import asyncio
import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

# Throwaway credentials made per run (moto checks no signature).
REGION, KEY, SECRET = "us-west-2", "QUILTBENCH" + secrets.token_hex(5).upper(), secrets.token_hex(20)
WORKGROUP, BUCKET = "bench", "bench-results"
COLUMNS = [("id", "integer", 10), ("name", "varchar", 2147483647), ("price", "double", 17), ("ok", "boolean", 0),
           ("day", "date", 0)]
MOTO_MAIN = "import signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); from moto.server import main; main(sys.argv[1:])"
STARTED = []  # Popen objects (moto) and pids (servers spawned by the SDK), stopped at exit


def fail(message):
    """Stop everything and exit 1 at once (also from inside the SDK's task groups); the logs stay for a look."""
    print(f"athena_rows: FAILED: {message}", file=sys.stderr, flush=True)
    stop_all()
    os._exit(1)


def ours(pid):
    """pid is still a child of this process (not reaped, not reused), so signalling its group is safe."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except (OSError, ValueError, IndexError):
        return False


def stop_all():
    for item in reversed(STARTED):  # each runs in its own session: its group holds only what it started
        pid = item.pid if isinstance(item, subprocess.Popen) else item
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if (item.poll() is not None) if isinstance(item, subprocess.Popen) else not ours(pid):
                break
            try:
                os.killpg(pid, sig)
            except (ProcessLookupError, PermissionError):
                break
            end = time.monotonic() + 5
            while time.monotonic() < end and (item.poll() is None if isinstance(item, subprocess.Popen) else ours(pid)):
                time.sleep(0.05)


def proc_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def server_pid(command):
    """The child process running `command` (the SDK starts it; for a console script, the interpreter it execs)."""
    for name in os.listdir("/proc"):
        if name.isdigit() and ours(int(name)) and int(name) not in STARTED:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if command.encode() in f.read().split(b"\0"):
                    return int(name)
    fail(f"no child process runs {command}")


class Moto:
    def __init__(self, workdir, rows):
        port = socket.socket()
        port.bind(("127.0.0.1", 0))
        self.port = port.getsockname()[1]
        port.close()
        self.log = os.path.join(workdir, "moto.log")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", MOTO_MAIN, "-H", "127.0.0.1", "-p", str(self.port)],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        STARTED.append(self.proc)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).read()
                break
            except OSError:
                if self.proc.poll() is not None:
                    fail(f"moto_server exited with {self.proc.returncode} (pip install 'moto[server]==5.2.1'); see {self.log}")
                time.sleep(0.1)
        else:
            fail("moto_server did not answer within 20 s")
        session = botocore.session.get_session()
        session.set_credentials(KEY, SECRET)
        aws = boto3.Session(botocore_session=session)
        kw = dict(endpoint_url=self.endpoint, region_name=REGION)
        aws.client("s3", **kw).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        self.athena = aws.client("athena", **kw)
        self.athena.create_work_group(Name=WORKGROUP, Configuration={
            "ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/q/"}})
        header = {"Data": [{"VarCharValue": name} for name, _, _ in COLUMNS]}
        data = [{"Data": [{"VarCharValue": str(i)}, {"VarCharValue": f"name-{i}"}, {"VarCharValue": f"{i * 0.25:.2f}"},
                          {"VarCharValue": "true" if i % 2 else "false"},
                          {"VarCharValue": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}]} for i in range(rows)]
        info = [{"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": n, "Label": n, "Type": t,
                 "Precision": p, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": t == "varchar"} for n, t, p in COLUMNS]
        self.result = json.dumps({"region": REGION, "results": [{"rows": [header] + data, "column_info": info}]}).encode()

    def queue(self):
        request = urllib.request.Request(self.endpoint + "/moto-api/static/athena/query-results", self.result,
                                         {"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    def executions(self):
        return len(self.athena.list_query_executions()["QueryExecutionIds"])  # moto: every one, no paging

    def raw(self, action, payload):
        body = json.dumps(payload).encode()
        headers = {"X-Amz-Target": "AmazonAthena." + action, "Content-Type": "application/x-amz-json-1.1"}
        signed = AWSRequest(method="POST", url=self.endpoint + "/", data=body, headers=headers)
        SigV4Auth(Credentials(KEY, SECRET), "athena", REGION).add_auth(signed)
        request = urllib.request.Request(self.endpoint + "/", body, dict(signed.headers.items()), method="POST")
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.read()

    def floor_call(self):
        qid = json.loads(self.raw("StartQueryExecution", {"QueryString": "SELECT * FROM big", "WorkGroup": WORKGROUP}))
        qid = qid["QueryExecutionId"]
        self.raw("GetQueryExecution", {"QueryExecutionId": qid})
        return len(self.raw("GetQueryResults", {"QueryExecutionId": qid, "MaxResults": 1000}))


def check(name, result, expected):
    """None if `result` is a successful answer with `expected` rows, else what is wrong."""
    data = result.structured_content or {}
    if result.is_error:
        return f"isError: {str(result.content)[:600]}"
    if name == "python":
        rows = data.get("formatted_data")
        if data.get("success") is not True:
            return f"success is not true: {str(data)[:600]}"
    else:
        rows = data.get("rows")
        if data.get("state") != "SUCCEEDED":
            return f"state {data.get('state')!r}: {str(data)[:600]}"
        if rows and rows[0] and rows[0][0] == "id":
            return "the header row came through as data"
    if data.get("row_count") != expected or not isinstance(rows, list) or len(rows) != expected:
        return f"row_count {data.get('row_count')!r}, {len(rows) if isinstance(rows, list) else rows!r} rows, want {expected}"
    if data.get("truncated") is not True:
        return f"truncated is {data.get('truncated')!r} with {expected} of the queued rows"
    return None


async def measure(name, argv, env, cwd, max_results, args, moto, log_path):
    arguments = {"query": "SELECT * FROM big", "workgroup_name": WORKGROUP, "max_results": max_results,
                 "output_format": "json"}
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=env, cwd=cwd)
    with open(log_path, "a") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write, read_timeout_seconds=args.call_timeout) as session:
                init = await asyncio.wait_for(session.initialize(), 120)
                pid = server_pid(argv[0])
                STARTED.append(pid)
                idle_kb = proc_kb(pid, "VmRSS")
                times, sizes = [], []
                for i in range(args.warmup + args.calls):
                    moto.queue()
                    before = moto.executions()
                    t0 = time.perf_counter()
                    result = await session.call_tool("athena_query_execute", arguments)
                    elapsed = time.perf_counter() - t0
                    ran = moto.executions() - before
                    problem = check(name, result, max_results) or (
                        None if ran == 1 else f"{ran} StartQueryExecution calls, want 1")
                    if problem:
                        fail(f"{name} max_results={max_results} call {i + 1}: {problem} (server stderr: {log_path})")
                    if i >= args.warmup:
                        times.append(elapsed)
                        sizes.append(len(result.model_dump_json(by_alias=True, exclude_none=True).encode()))
                    print(f"{name:6} max_results={max_results}: call {i + 1} {elapsed * 1000:9.1f} ms",
                          file=sys.stderr, flush=True)
                peak_kb = proc_kb(pid, "VmHWM")
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    process = f.read().split(b"\0")[0].decode()
    info = init.server_info
    return {"target": name, "server": f"{info.name} {info.version}", "process": process, "pid": pid,
            "max_results": max_results, "times_ms": [round(t * 1000, 1) for t in times],
            "response_bytes": max(sizes), "idle_rss_mb": round(idle_kb / 1024, 1), "peak_rss_mb": round(peak_kb / 1024, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="our quilt-mcp binary (release build)")
    parser.add_argument("--python", help="the Python quilt-mcp 0.22.0 console script (skipped without it)")
    parser.add_argument("--rows", type=int, default=100_000, help="data rows the query returns (default 100000)")
    parser.add_argument("--max-results", default="10000,1000", help="comma-separated max_results values")
    parser.add_argument("--calls", type=int, default=3, help="measured calls per server and max_results")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up calls first (not measured)")
    parser.add_argument("--call-timeout", type=float, default=300, help="seconds one tools/call may take")
    parser.add_argument("--deadline", type=float, default=900, help="abort the whole run after this many seconds")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON (- for stdout)")
    args = parser.parse_args()
    limits = [int(m) for m in args.max_results.split(",") if m.strip()]

    def on_alarm(signum, frame):
        fail(f"the run took longer than --deadline {args.deadline:.0f} s")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.deadline))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    atexit.register(stop_all)

    workdir = tempfile.mkdtemp(prefix="quilt-athena-rows-")
    atexit.register(shutil.rmtree, workdir, True)
    moto = Moto(workdir, args.rows)
    aws = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
           "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ENDPOINT_URL": moto.endpoint,
           "AWS_EC2_METADATA_DISABLED": "true"}
    targets = []
    if not os.access(args.server, os.X_OK):
        fail(f"{args.server} is not an executable")
    targets.append(("swift", [args.server], dict(aws, QUILT_MCP_TOOLSETS="all", QUILT_MCP_AUTH="iam",
                                                  QUILT_MCP_REGISTRY="memory://bench", QUILT_MCP_LOG_LEVEL="error")))
    skipped = None
    if not args.python or not os.access(args.python, os.X_OK):
        skipped = "no --python given" if not args.python else f"{args.python} is not an executable"
    else:
        # Legacy mode: quilt3 backend, IAM credentials from the environment, no catalog and no JWT needed.
        targets.append(("python", [args.python, "--skip-banner"], dict(
            aws, QUILT_DEPLOYMENT="legacy", FASTMCP_TRANSPORT="stdio", QUILT_DISABLE_QUILT3_SESSION="1",
            QUILT_DISABLE_USAGE_METRICS="1", MCP_SKIP_BANNER="true")))

    labels = {"swift": "ours (Swift)"}
    if not skipped:
        venv_python = os.path.join(os.path.dirname(args.python), "python3")
        version = subprocess.run([venv_python, "-c", "import importlib.metadata as m; print(m.version('quilt-mcp'))"],
                                 capture_output=True, text=True, timeout=60).stdout.strip() or "?"
        labels["python"] = f"Python quilt-mcp {version} (PyPI)"
    results = []
    floor = []
    for i in range(args.warmup + args.calls):  # moto alone, the same answers, bytes only
        moto.queue()
        t0 = time.perf_counter()
        size = moto.floor_call()
        if i >= args.warmup:
            floor.append(time.perf_counter() - t0)
    results.append({"target": "floor", "server": "moto_server 5.2.1 (no MCP server)", "max_results": None,
                    "times_ms": [round(t * 1000, 1) for t in floor], "response_bytes": size,
                    "idle_rss_mb": None, "peak_rss_mb": None})
    for max_results in limits:
        for name, argv, env in targets:
            home = os.path.join(workdir, f"{name}-{max_results}")
            os.makedirs(home)  # empty HOME and cwd (the Python server loads .env from its working directory)
            results.append(asyncio.run(measure(name, argv, dict(env, HOME=home), home, max_results, args, moto,
                                               os.path.join(workdir, f"{name}.log"))))
    for r in results:
        r["median_ms"] = round(statistics.median(r["times_ms"]), 1)

    def cell(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    print(f"\n{args.rows:,} rows queued per call (5 columns); {args.warmup} warm-up + {args.calls} measured calls per "
          f"row; a fresh server process per row; {os.cpu_count()} CPUs.\n")
    print("| target | max_results | median ms/call | min–max ms | response bytes | idle RSS MB | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        label = "moto alone (Start+Get+GetQueryResults, raw bytes)" if r["target"] == "floor" else \
            f"{labels[r['target']]}, serverInfo {r['server']}"
        print(f"| {label} | {r['max_results'] or '—'} | {cell(r['median_ms'])} | {cell(min(r['times_ms']))}–"
              f"{cell(max(r['times_ms']))} | {r['response_bytes']:,} | {cell(r['idle_rss_mb'])} | {cell(r['peak_rss_mb'])} |")
    if skipped:
        print(f"\nSkipped python: {skipped}.")
    if args.json:
        text = json.dumps({"rows": args.rows, "results": results}, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as f:
                f.write(text + "\n")


if __name__ == "__main__":
    main()
