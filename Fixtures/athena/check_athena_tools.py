#!/usr/bin/env python3
"""The athena_* tools of quilt-mcp end to end: the official Python MCP SDK (PyPI `mcp`) as the client, moto
(moto[server] 5.2.1) as Athena, Glue and S3.

Usage:
    read -r port pid < <(Fixtures/s3/moto.sh)
    python3 Fixtures/athena/check_athena_tools.py QUILT_MCP FAKE_CATALOG http://127.0.0.1:$port
    kill $pid

Each mode starts on a reset moto seeded with boto3 (workgroup `quilt-checks` whose results go to bucket
`quilt-check-results`; Glue database `check-db` with tables `sales` and `stock`):
  iam   `quilt-mcp` on stdio: private HOME/XDG_DATA_HOME, QUILT_MCP_AUTH=iam, dummy AWS keys, AWS_ENDPOINT_URL=moto.
  session  `quilt-mcp` on stdio with QUILT_MCP_AUTH=session: a `quilt3 login` (auth.json for `fake-catalog`) and no
        AWS keys; Athena and Glue are signed with the credentials the catalog issues for that login.
  jwt   the remote shape: `fake-catalog --port 0` and `quilt-mcp --mode remote --transport http` against it (Platform
        backend). The client sends `Authorization: Bearer <fake-catalog mint-token>`; the server (which has no AWS
        keys) exchanges it at the catalog for AWS credentials and signs Athena and Glue with them
        (AWS_ENDPOINT_URL_ATHENA/_GLUE=moto). A token the catalog refuses (`mint-token --foreign-key`) must be refused.
Both serve QUILT_MCP_TOOLSETS=all (the athena tools are in the `query` toolset, off by default), AWS_REGION=us-east-2.
moto runs no SQL: the rows each athena_query_execute gets are queued first (POST /moto-api/static/athena/query-results,
header row first, as Athena sends it).

Checks per mode: the eight tools listed; workgroups (output location); execute (typed JSON rows without the header
row, CSV, workgroup discovered when not named); databases, tables (pattern), table schema (partition columns);
validate (DELETE refused, SELECT accepted); an INSERT refused as invalid_input with nothing sent to moto; history.
Prints one line per check and last `athena-tools: N passed, M failed`; exits 1 if anything failed. Bounded (180 s);
every process it starts is stopped at exit.

Needs: python3 with mcp==2.3.0 and boto3. The script resets the moto it is given (POST /moto-api/reset) before each
mode: give it a moto of its own.
"""
import asyncio
import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import secrets

import boto3
import botocore.session
from botocore.config import Config
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

ATHENA_TOOLS = {
    "athena_query_execute", "athena_query_results", "athena_query_validate", "athena_databases_list",
    "athena_tables_list", "athena_table_schema", "athena_workgroups_list", "athena_query_history",
}
REGION = "us-east-2"
WORKGROUP, DATABASE = "quilt-checks", "check-db"
RESULTS_BUCKET = "quilt-check-results"
OUTPUT_LOCATION = f"s3://{RESULTS_BUCKET}/q/"
SELECT = 'SELECT item, units FROM "check-db".sales'
ROWS = [["apple", "3"], ["pear", "5"]]
# Throwaway AWS credentials made per run (moto checks no signature); nothing credential-like is kept in this file.
RUN_KEY_ID, RUN_KEY = "QUILTCHECK" + secrets.token_hex(5).upper(), secrets.token_hex(20)
DUMMY_KEYS = {"AWS_ACCESS_KEY_ID": RUN_KEY_ID, "AWS_SECRET_ACCESS_KEY": RUN_KEY}
CHILDREN = []

passed = 0
failed = 0


def record(name, ok, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(f"ok   {name}" if ok else f"FAIL {name} {detail}", flush=True)


def field(obj, *names):
    """An attribute under any of its spellings (mcp 1.x camelCase, 2.x snake_case)."""
    return next((getattr(obj, n) for n in names if hasattr(obj, n)), None)


def is_error(result):
    return bool(field(result, "is_error", "isError"))


def first_text(result):
    return next((item.text for item in result.content if getattr(item, "text", None) is not None), None)


def answer(result):
    """A tool result as JSON: structuredContent, else the text content parsed (else {"text": ...})."""
    value, text = field(result, "structured_content", "structuredContent"), first_text(result) or ""
    try:
        return value if value is not None else json.loads(text)
    except ValueError:
        return {"text": text}


def error_kind(result):
    error = answer(result).get("error")
    return error.get("kind") if isinstance(error, dict) else None


def aws(endpoint, service):
    session = botocore.session.get_session()
    session.set_credentials(RUN_KEY_ID, RUN_KEY)
    return boto3.Session(botocore_session=session).client(
        service, endpoint_url=endpoint, region_name=REGION, config=Config(retries={"max_attempts": 1}))


def moto_post(endpoint, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(endpoint + path, data=data, method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()


def seed(endpoint):
    """A clean moto with the workgroup, the results bucket and the Glue catalog the checks expect."""
    moto_post(endpoint, "/moto-api/reset")
    aws(endpoint, "s3").create_bucket(Bucket=RESULTS_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    aws(endpoint, "athena").create_work_group(
        Name=WORKGROUP, Description="quilt athena checks",
        Configuration={"ResultConfiguration": {"OutputLocation": OUTPUT_LOCATION}})
    glue = aws(endpoint, "glue")
    glue.create_database(DatabaseInput={"Name": DATABASE})
    for name, columns, partitions in (("sales", [("item", "string"), ("units", "int")], [("day", "date")]),
                                      ("stock", [("item", "string")], [])):
        glue.create_table(DatabaseName=DATABASE, TableInput={
            "Name": name, "TableType": "EXTERNAL_TABLE", "PartitionKeys": [{"Name": n, "Type": t} for n, t in partitions],
            "StorageDescriptor": {"Columns": [{"Name": n, "Type": t} for n, t in columns], "Location": f"s3://x/{name}/"}})


def queue_rows(endpoint):
    """The next StartQueryExecution's answer: the header row first, as Athena sends it."""
    rows = [{"Data": [{"VarCharValue": v} for v in row]} for row in [["item", "units"], *ROWS]]
    columns = [{"Name": "item", "Type": "varchar"}, {"Name": "units", "Type": "integer"}]
    moto_post(endpoint, "/moto-api/static/athena/query-results",
              {"region": REGION, "results": [{"rows": rows, "column_info": columns}]})


def execution_ids(endpoint):
    return aws(endpoint, "athena").list_query_executions()["QueryExecutionIds"]


async def checks(session, label, endpoint):
    def check(name, ok, detail=""):
        record(f"{label}{name}", ok, detail)

    async def call(tool, args):
        result = await asyncio.wait_for(session.call_tool(tool, args), 60)
        return result, answer(result)

    names = {t.name for t in (await session.list_tools()).tools}
    check("list_tools has the eight athena tools", ATHENA_TOOLS <= names, f"missing {sorted(ATHENA_TOOLS - names)}")

    result, body = await call("athena_workgroups_list", {})
    groups = {g.get("name"): g for g in body.get("workgroups", [])}
    check("athena_workgroups_list: quilt-checks with its output location",
          not is_error(result) and groups.get(WORKGROUP, {}).get("output_location") == OUTPUT_LOCATION, f"{body}")

    ran = []  # the execution ids of the three queries that run
    queue_rows(endpoint)
    result, body = await call("athena_query_execute", {"query": SELECT, "workgroup_name": WORKGROUP})
    ran.append(body.get("execution_id"))
    expected = [[item, int(units)] for item, units in ROWS]
    rows = body.get("rows")
    check("athena_query_execute: SUCCEEDED on athena, typed rows (units a number), no header row",
          not is_error(result) and body.get("state") == "SUCCEEDED" and body.get("engine") == "athena"
          and rows == expected and all(type(r[1]) is int for r in rows) and body.get("workgroup") == WORKGROUP
          and [c.get("name") for c in body.get("columns", [])] == ["item", "units"], f"{body}")

    queue_rows(endpoint)
    result, body = await call("athena_query_execute", {"query": SELECT, "workgroup_name": WORKGROUP, "output_format": "csv"})
    ran.append(body.get("execution_id"))
    check("athena_query_execute output_format csv: CSV text",
          not is_error(result) and body.get("csv") == "item,units\r\napple,3\r\npear,5\r\n" and "rows" not in body, f"{body}")

    queue_rows(endpoint)
    result, body = await call("athena_query_execute", {"query": SELECT})
    ran.append(body.get("execution_id"))
    check("athena_query_execute without workgroup_name: quilt-checks discovered",
          not is_error(result) and body.get("workgroup") == WORKGROUP and body.get("rows") == expected, f"{body}")

    result, body = await call("athena_databases_list", {})
    check("athena_databases_list includes check-db",
          not is_error(result) and DATABASE in [d.get("name") for d in body.get("databases", [])], f"{body}")

    result, body = await call("athena_tables_list", {"database": DATABASE, "table_pattern": "sa*"})
    check("athena_tables_list table_pattern sa*: only sales",
          not is_error(result) and [t.get("name") for t in body.get("tables", [])] == ["sales"], f"{body}")

    result, body = await call("athena_table_schema", {"database": DATABASE, "table": "sales"})
    check("athena_table_schema: columns and partition_columns",
          not is_error(result) and body.get("columns") == [{"name": "item", "type": "string"}, {"name": "units", "type": "int"}]
          and body.get("partition_columns") == [{"name": "day", "type": "date"}], f"{body}")

    result, body = await call("athena_query_validate", {"query": "DELETE FROM t"})
    check("athena_query_validate DELETE: not valid, with a reason",
          not is_error(result) and body.get("valid") is False and bool(body.get("reason")), f"{body}")
    result, body = await call("athena_query_validate", {"query": SELECT})
    check("athena_query_validate SELECT: valid", not is_error(result) and body.get("valid") is True, f"{body}")

    before = execution_ids(endpoint)
    result, body = await call("athena_query_execute", {"query": "INSERT INTO t VALUES (1)", "workgroup_name": WORKGROUP})
    after = execution_ids(endpoint)
    check("athena_query_execute INSERT: isError invalid_input on query", is_error(result)
          and error_kind(result) == "invalid_input" and body["error"].get("field") == "query", f"{body}")
    check("athena_query_execute INSERT: nothing reached moto (ListQueryExecutions unchanged)",
          len(before) == 3 and set(before) == set(ran) and after == before, f"ran {ran}, moto listed {before} before, {after} after")

    result, body = await call("athena_query_history", {"workgroup_name": WORKGROUP})
    listed = [e.get("execution_id") for e in body.get("executions", [])]
    check("athena_query_history lists the three executions",
          not is_error(result) and len(listed) == 3 and set(listed) == set(ran)
          and all(e.get("state") == "SUCCEEDED" and e.get("query") == SELECT for e in body.get("executions", [])), f"{body}")


def private_env(extra):
    home = tempfile.mkdtemp(prefix="quilt-athena-check-")
    atexit.register(shutil.rmtree, home, True)
    env = {"HOME": os.path.join(home, "home"), "XDG_DATA_HOME": os.path.join(home, "xdg"), "PATH": "/usr/bin:/bin",
           "QUILT_MCP_TOOLSETS": "all", "AWS_REGION": REGION}
    os.makedirs(env["HOME"])
    env.update(extra)
    return env, home


async def run_iam(binary, endpoint):
    seed(endpoint)
    env, _ = private_env(dict(DUMMY_KEYS, QUILT_MCP_AUTH="iam", AWS_ENDPOINT_URL=endpoint))
    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            await checks(session, "iam/stdio: ", endpoint)


def spawn(args, env, err_path, stdout=subprocess.DEVNULL):
    with open(err_path, "w") as err:
        process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
    CHILDREN.append(process)
    return process


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_http_server(binary, args, env, home):
    """`quilt-mcp ... --transport http` on a free port of 127.0.0.1; returns its URL."""
    port = free_port()
    err_path = os.path.join(home, f"stderr-{port}")
    process = spawn([binary, *args, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)], env, err_path)
    deadline = time.time() + 20
    while time.time() < deadline and process.poll() is None:
        with open(err_path) as err:
            if f"http://127.0.0.1:{port}/mcp" in err.read():
                return f"http://127.0.0.1:{port}/mcp"
        time.sleep(0.02)
    raise RuntimeError(f"quilt-mcp did not start serving HTTP: {open(err_path).read()[-2000:]}")


def http_transport(url, token):
    """The SDK's (mcp 2.x) streamable HTTP client sending `Authorization: Bearer <token>`."""
    headers = {"Authorization": f"Bearer {token}"}
    return streamable_http_client(url, http_client=create_mcp_http_client(headers=headers))


def catalog_token(fake_catalog, subject, foreign=False):
    command = [fake_catalog, "mint-token", subject] + (["--foreign-key"] if foreign else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout.strip()


def http_status(url, token):
    """The HTTP status of one plain JSON-RPC request with `token` (when the SDK's session could not be had)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def read_printed(process, log, deadline=30):
    """The fake catalog's three `NAME=value` lines on stdout (read unbuffered: select sees only the pipe)."""
    buffer, end = b"", time.time() + deadline
    while buffer.count(b"\n") < 3 and time.time() < end and process.poll() is None:
        if select.select([process.stdout], [], [], 0.5)[0]:
            buffer += os.read(process.stdout.fileno(), 4096)
    printed = dict(line.partition("=")[::2] for line in buffer.decode().splitlines() if "=" in line)
    if len(printed) < 3:
        raise RuntimeError(f"fake-catalog did not print its three lines: {buffer!r} {open(log).read()[-2000:]}")
    return printed


async def run_jwt(binary, fake_catalog, endpoint):
    seed(endpoint)
    env, home = private_env({})
    log = os.path.join(home, "fake-catalog.log")
    fake = spawn([fake_catalog, "--port", "0", "--bucket", "athena-check-bucket"], env, log, stdout=subprocess.PIPE)
    printed = read_printed(fake, log)
    printed.pop("QUILT_MCP_JWT_TOKEN")  # the client holds its token; the server is given none (and no AWS keys)
    env.update(printed, QUILT_MCP_REGISTRY="s3://athena-check-bucket",
               AWS_ENDPOINT_URL_ATHENA=endpoint, AWS_ENDPOINT_URL_GLUE=endpoint)
    url = start_http_server(binary, ["--mode", "remote"], env, home)
    token = catalog_token(fake_catalog, "athena-checker")
    async with http_transport(url, token) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 20)
            await checks(session, "jwt/http: ", endpoint)
    # A token signed with a key the catalog does not know: the server cannot verify it itself, so it is either
    # refused at the door (401) or the catalog refuses the credentials exchange (an `unauthenticated` tool error).
    forged = catalog_token(fake_catalog, "mallory", foreign=True)
    before = execution_ids(endpoint)
    queue_rows(endpoint)
    try:
        async with http_transport(url, forged) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await asyncio.wait_for(session.initialize(), 20)
                result = await asyncio.wait_for(session.call_tool("athena_query_execute", {"query": SELECT}), 30)
        outcome = f"{error_kind(result)} tool error: {answer(result).get('error', {}).get('message')}"
        refused = is_error(result) and error_kind(result) == "unauthenticated"
    except Exception as error:  # the SDK gives up on a refused HTTP request: ask the status plainly
        status = http_status(url, forged)
        outcome = f"HTTP {status} ({type(error).__name__} in the SDK)"
        refused = status == 401
    print(f"     a token the catalog refuses: {outcome}")
    record("jwt/http: a token the catalog refuses is refused (401 or an unauthenticated tool error)", refused, outcome)
    record("jwt/http: the refused caller started nothing on moto", execution_ids(endpoint) == before)


async def run_session(binary, fake_catalog, endpoint):
    """auth=session on stdio: the `quilt3 login` of a private XDG_DATA_HOME (auth.json for the fake catalog, as quilt3
    writes it) is the only credential; the catalog's /api/auth/get_credentials answer signs Athena and Glue."""
    seed(endpoint)
    env, home = private_env({})
    log = os.path.join(home, "fake-catalog.log")
    fake = spawn([fake_catalog, "--port", "0", "--bucket", "athena-check-bucket"], env, log, stdout=subprocess.PIPE)
    printed = read_printed(fake, log)
    catalog = printed["QUILT_MCP_CATALOG_URL"]
    data = os.path.join(env["XDG_DATA_HOME"], "Quilt")
    # `quilt3 config <catalog>` (real quilt3) reads the catalog's config.json into config.yml; the login's tokens
    # go where `quilt3 login` writes them (its code exchange needs a browser).
    configured = subprocess.run([sys.executable, "-c", "import quilt3, sys; quilt3.config(sys.argv[1])", catalog],
                                env=dict(env, PATH=os.environ.get("PATH", "/usr/bin:/bin")), capture_output=True, text=True, timeout=60)
    record("session: quilt3 config <fake catalog> wrote config.yml", configured.returncode == 0
           and os.path.exists(os.path.join(data, "config.yml")), configured.stderr[-500:])
    token = catalog_token(fake_catalog, "session-checker")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "auth.json"), "w") as f:
        json.dump({catalog: {"access_token": token, "refresh_token": token, "expires_at": int(time.time()) + 3600}}, f)
    os.chmod(os.path.join(data, "auth.json"), 0o600)
    env.update(QUILT_MCP_AUTH="session", QUILT_MCP_CATALOG_URL=catalog, QUILT_MCP_REGISTRY="s3://athena-check-bucket",
               AWS_ENDPOINT_URL_S3=printed["AWS_ENDPOINT_URL_S3"], AWS_ENDPOINT_URL_ATHENA=endpoint, AWS_ENDPOINT_URL_GLUE=endpoint)
    async with stdio_client(StdioServerParameters(command=binary, args=[], env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), 20)
            status = await asyncio.wait_for(session.read_resource("auth://status"), 20)
            text = next((c.text for c in status.contents if getattr(c, "text", None)), "")
            record("session/stdio: auth://status says quilt3-session (no AWS keys in the server's environment)",
                   "quilt3-session" in text and not any(k.startswith("AWS_ACCESS") for k in env), text[:300])
            await checks(session, "session/stdio: ", endpoint)


def stop_children():
    for process in CHILDREN:
        if process.poll() is None:
            process.kill()
            process.wait(5)


LABEL = "athena-tools"


def watchdog(signum, frame):
    """The hard bound: whatever blocks, the run ends (children stopped) 20 s after the budget."""
    stop_children()
    print(f"FAIL run ended by the watchdog\n{LABEL}: {passed} passed, {failed + 1} failed", flush=True)
    os._exit(1)


def run_modes(label, modes, bound, doc):
    """The driver of this script and of the checks that borrow its helpers: `modes` are (name, async function of
    binary, fake catalog and moto endpoint) run in turn within `bound` seconds, a crash recorded as a failure while
    the next mode still runs; prints `label: N passed, M failed` and returns the exit status."""
    global LABEL
    LABEL = label
    if len(sys.argv) != 4:
        print(doc)
        return 2
    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(bound + 20)
    binary, fake_catalog = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    endpoint = sys.argv[3].rstrip("/")
    atexit.register(stop_children)

    async def each():
        for name, job in modes:
            try:
                await job(binary, fake_catalog, endpoint)
            except Exception as error:  # a crash is a failure, not a traceback; the other modes still run
                record(f"{name}: session completed", False, f"{type(error).__name__}: {error}")
    try:
        asyncio.run(asyncio.wait_for(each(), bound))
    except Exception as error:
        record(f"run completed within {bound} s", False, f"{type(error).__name__}: {error}")
    signal.alarm(0)
    stop_children()
    print(f"{label}: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


def main():
    return run_modes("athena-tools", [
        ("iam", lambda binary, fake, endpoint: run_iam(binary, endpoint)),
        ("jwt", run_jwt),
        ("session", run_session),
    ], 180, __doc__)


if __name__ == "__main__":
    sys.exit(main())
