#!/usr/bin/env python3
"""Three stateless quilt-mcp replicas of the remote shape behind nginx, under load from several tenants, with one
replica killed (SIGKILL) and restarted mid-load; then proves that nothing acknowledged was lost.

Usage:
    python3 Fixtures/scaleout/scaleout.py --short QUILT_MCP FAKE_CATALOG            # CI: both backends, 1-1.5 min
    python3 Fixtures/scaleout/scaleout.py QUILT_MCP FAKE_CATALOG \\
        [--python-quilt-mcp /path/to/venv/bin/quilt-mcp]                           # longer load, then the figures

Needs: python3.11 with `mcp` (PyPI mcp==2.3.0) and boto3; nginx (installed with apt-get when missing: CI is a fresh
Debian machine running as root); moto[server] (Fixtures/s3/moto.sh installs moto[server]==5.2.1 with pip, a no-op
when present). The binaries are used as given (copy them first if a build may replace them under you).

Backends, each run in turn with its own replicas and nginx:
  platform  `quilt-mcp --mode remote` against one fake catalog (Mocks/FakeCatalog, `fake-catalog --port 0`), the
            shared state. Tenants are catalog users: alice is the token the fake prints; bob and carol (and a
            token signed with a foreign key, which must be refused) come from `fake-catalog mint-token`.
  s3        `--api registry --auth jwt --tenancy multi --state stateless --locale remote --registry s3://BUCKET` on
            moto (rule R10: the bearer token is exchanged for AWS credentials at the catalog, so the same fake catalog
            is configured as the catalog and AWS_ENDPOINT_URL_S3 points at moto, which takes the fake's credentials).

Load: 3 tenants x 2 clients, each with the official Python MCP client (streamable HTTP) through nginx, doing a mix of
reads (package_browse of its own acknowledged revisions, packages_list, bucket_objects_list, bucket_list,
auth://status) and writes (package_create, package_update with inline `text` entries), plus one more client of the
first tenant writing big packages (200 entries with --short, 300 otherwise) with progress. Every write is recorded
when acknowledged (a result without isError). A failed call (HTTP 5xx from nginx, a dropped stream, a timeout,
isError with kind `transient`) is retried up to MAX_ATTEMPTS times with backoff. A write whose first attempt may have
been applied is recognised on retry: package_update names its base revision (top_hash: a compare-and-swap), and every
write carries a nonce in its metadata, so a `conflict` on a retry is resolved by reading latest back.
Mid-load (40% in) the replica serving the big write (nginx's X-Upstream header) is SIGKILLed once a random share of
that write's progress has arrived, restarted ~1 s later on the same port, and the load goes on.

Checks after the load, through a fresh client and directly in storage (boto3 against moto, or against the fake
catalog's S3 endpoint with credentials from its /api/auth/get_credentials): every acknowledged revision resolves
with exactly its entries and sizes, every object's bytes are the ones written, latest names each package's last
acknowledged revision, every acknowledged revision has a timestamp pointer, no pointer names a missing manifest, no
tenant's data carries another tenant's tag, every auth://status read named the caller's own subject, a forged token is
refused by every replica, no operation gave up, the restarted replica takes traffic again. Prints `PASS ...` or
`FAIL ...` per check and `scaleout: N passed, M failed` last; exits 1 on any failure.

Without --short, a longer load runs, then the figures: calls/s and p50/p99 latency of a read mix with 1 and 3 of our
replicas behind nginx and, with --python-quilt-mcp, the Python quilt-mcp 0.22.0 (PyPI) behind the same nginx, against
the same fake catalog, with the same client (see Benchmarks/scaleout.md).
"""
import argparse
import asyncio
import atexit
import contextlib
import json
import os
import random
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# No credential, key or token is kept in this file, and it signs nothing: catalog tokens are minted at run time by
# the fake catalog binary (`fake-catalog mint-token`), expiring, and accepted only by a fake catalog this script
# starts on loopback. moto gets throwaway credentials.
TENANTS = ["alice", "bob", "carol"]
CLIENTS_PER_TENANT = 2
MAX_ATTEMPTS = 8
CALL_TIMEOUT = 45.0

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:2000], flush=True)


def info(text):
    print(f"     {text}", flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Processes: every child is recorded and killed at exit.

CHILDREN = []
DETACHED = []  # pids of processes started by a helper script (moto_server from moto.sh)


def _kill_children():
    for pid in DETACHED:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for proc in CHILDREN:
        if proc.poll() is None:
            try:
                if getattr(proc, "own_group", False):
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            except (ProcessLookupError, PermissionError):
                pass
    for proc in CHILDREN:
        try:
            proc.wait(5)
        except Exception:
            pass


atexit.register(_kill_children)


def _on_signal(signum, _frame):
    """SIGTERM/SIGINT: kill every child now, clean up, exit (no waiting for the event loop to unwind)."""
    print(f"scaleout: stopped by signal {signum}", flush=True)
    atexit._run_exitfuncs()
    os._exit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def spawn(args, env, log_path, own_group=False, stdout=None):
    log = open(log_path, "ab")
    proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=stdout or log, stderr=log,
                            start_new_session=own_group)
    log.close()
    proc.own_group = own_group
    CHILDREN.append(proc)
    return proc


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def base_env(home):
    os.makedirs(os.path.join(home, "home"), exist_ok=True)
    return {"HOME": os.path.join(home, "home"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def start_fake_catalog(binary, bucket, workdir):
    """`fake-catalog --port 0 --bucket BUCKET`; returns (process, {printed variables})."""
    log = os.path.join(workdir, "fake-catalog.log")
    proc = spawn([binary, "--port", "0", "--bucket", bucket], base_env(workdir), log, stdout=subprocess.PIPE)
    printed = {}
    deadline = time.time() + 30
    buffer = b""
    while len(printed) < 3 and time.time() < deadline and proc.poll() is None:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                key, _, value = line.decode().strip().partition("=")
                if key:
                    printed[key] = value
    if len(printed) < 3:
        raise RuntimeError(f"fake-catalog did not print its three lines: {printed} {open(log).read()[-2000:]}")
    return proc, printed


def start_moto(workdir):
    """Fixtures/s3/moto.sh: moto_server on 127.0.0.1; returns (endpoint, pid)."""
    env = dict(os.environ, MOTO_LOG=os.path.join(workdir, "moto.log"))
    out = subprocess.run([os.path.join(REPO, "Fixtures", "s3", "moto.sh")], env=env, capture_output=True, text=True,
                         timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"moto.sh failed: {out.stderr[-2000:]}")
    port, pid = out.stdout.split()
    DETACHED.append(int(pid))
    return f"http://127.0.0.1:{port}", int(pid)


class Replica:
    """One `quilt-mcp --transport http` process on a fixed port (restartable on the same port)."""

    def __init__(self, binary, args, env, port, workdir, name):
        self.binary, self.args, self.env, self.port, self.workdir, self.name = binary, args, env, port, workdir, name
        self.proc = None
        self.starts = 0
        self.logs = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/mcp"

    def start(self, timeout=30.0):
        self.starts += 1
        log = os.path.join(self.workdir, f"{self.name}-{self.port}-{self.starts}.log")
        self.logs.append(log)
        deadline = time.time() + timeout
        while True:
            self.proc = spawn([self.binary, *self.args, "--transport", "http", "--host", "127.0.0.1",
                               "--port", str(self.port)], self.env, log)
            while time.time() < deadline and self.proc.poll() is None:
                with open(log, errors="replace") as f:
                    if self.url in f.read():
                        return
                time.sleep(0.02)
            if self.proc.poll() is None or time.time() >= deadline:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError(f"{self.name} did not start on port {self.port}: {open(log).read()[-2000:]}")
            # It exited (e.g. the port was still held): try again until the deadline.
            time.sleep(0.2)

    def sigkill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                return self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode if self.proc else None


class PythonReplica(Replica):
    """The Python quilt-mcp (PyPI) in its remote deployment, over HTTP (FastMCP + uvicorn)."""

    def start(self, timeout=60.0):
        self.starts += 1
        log = os.path.join(self.workdir, f"{self.name}-{self.port}-{self.starts}.log")
        self.logs.append(log)
        env = dict(self.env, FASTMCP_TRANSPORT="http", FASTMCP_HOST="127.0.0.1", FASTMCP_PORT=str(self.port))
        self.proc = spawn([self.binary, "--skip-banner"], env, log)
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start on port {self.port}: {open(log).read()[-3000:]}")


class Nginx:
    """nginx in the foreground (daemon off) with everything under its own directory."""

    def __init__(self, ports, workdir):
        self.dir = tempfile.mkdtemp(prefix="nginx-", dir=workdir)
        self.port = free_port()
        with open(os.path.join(HERE, "nginx.conf.template")) as f:
            template = f.read()
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=1s;" for p in ports)
        user = "user root root;" if os.geteuid() == 0 else ""  # workers as root only when we are root already
        conf = (template.replace("@USER_DIRECTIVE@", user).replace("@SERVERS@", servers)
                .replace("@PORT@", str(self.port)).replace("@DIR@", self.dir))
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.proc = spawn([nginx_binary(), "-p", self.dir, "-c", self.conf, "-e", os.path.join(self.dir, "error.log")],
                          dict(os.environ), os.path.join(self.dir, "stderr.log"), own_group=True)
        deadline = time.time() + 15
        while time.time() < deadline and self.proc.poll() is None:
            if port_open(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {open(os.path.join(self.dir, 'error.log')).read()[-2000:]}")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/mcp"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: the master stops its worker and exits
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def access_log(self):
        """(end time, status, [upstream addresses], [upstream statuses]) per request."""
        rows = []
        path = os.path.join(self.dir, "access.log")
        if not os.path.exists(path):
            return rows
        pattern = re.compile(r'^(\S+) (\d+) "([^"]*)" "([^"]*)" (\S+) "(.*)"$')
        with open(path) as f:
            for line in f:
                m = pattern.match(line.strip())
                if m:
                    rows.append((float(m.group(1)), int(m.group(2)), [a.strip() for a in re.split("[,:]\\s", m.group(3))],
                                 m.group(4)))
        return rows


def nginx_binary():
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None)
    if found:
        return found
    print("     nginx is missing: apt-get install nginx", flush=True)
    subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null",
                   shell=True, check=True, timeout=600)
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(found):
        raise RuntimeError("nginx is still missing after apt-get install nginx")
    return found


# ---------------------------------------------------------------------------------------------------------------
# Tokens

def catalog_token(fake_catalog, subject, foreign=False):
    """A token the fake catalog accepts for `subject`, or (foreign) one signed with a key it does not know."""
    command = [fake_catalog, "mint-token", subject] + (["--foreign-key"] if foreign else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout.strip()


# ---------------------------------------------------------------------------------------------------------------
# The MCP client (official Python SDK, streamable HTTP)

from mcp import ClientSession  # noqa: E402


def http_transport(url, token, on_response=None):
    """The SDK's streamable HTTP client with `Authorization: Bearer`; `on_response(response)` sees each response's
    headers as they arrive (nginx adds X-Upstream: the replica serving the request)."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    try:
        from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client
        client = create_mcp_http_client(headers=headers)
        if on_response:
            client.event_hooks = {"request": [], "response": [on_response]}
        return streamable_http_client(url, http_client=client)
    except ImportError:
        from mcp.client.streamable_http import streamablehttp_client
        return streamablehttp_client(url, headers=headers)


@contextlib.asynccontextmanager
async def mcp_session(url, token, on_response=None):
    async with http_transport(url, token, on_response) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await asyncio.wait_for(session.initialize(), 30)
            yield session


def field(obj, *names):
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def is_error(result):
    return bool(field(result, "is_error", "isError"))


def structured(result):
    value = field(result, "structured_content", "structuredContent")
    if value is None:
        for item in getattr(result, "content", None) or []:
            text = getattr(item, "text", None)
            if text:
                try:
                    value = json.loads(text)
                except ValueError:
                    value = {"text": text}
                break
    return value if isinstance(value, dict) else {}


def error_kind(result):
    return (structured(result).get("error") or {}).get("kind") if is_error(result) else None


def resource_json(result):
    for item in result.contents:
        if getattr(item, "text", None) is not None:
            return json.loads(item.text)
    return {}


class Retryable(Exception):
    """A call that may succeed if made again (the reason is the message)."""


async def call_tool(session, name, args, progress=None, timings=None):
    """One attempt: the result, or Retryable for what a retry may fix."""
    t0 = time.monotonic()
    try:
        result = await asyncio.wait_for(session.call_tool(name, args, read_timeout_seconds=CALL_TIMEOUT,
                                                          progress_callback=progress), CALL_TIMEOUT + 5)
    except asyncio.TimeoutError:
        raise Retryable("timeout")
    except Exception as error:  # MCPError for an HTTP error status (502 from nginx) or a dropped stream
        if type(error).__name__ in ("MCPError", "McpError"):
            raise Retryable(f"mcp-error: {getattr(error, 'error', error)}")
        raise
    if error_kind(result) == "transient":
        raise Retryable("isError transient")
    if timings is not None:
        timings.append((name, time.monotonic(), time.monotonic() - t0))
    return result


# ---------------------------------------------------------------------------------------------------------------
# The load

class Stats:
    def __init__(self):
        self.ops = 0
        self.ops_retried = 0
        self.retries = 0
        self.reasons = {}
        self.gave_up = []
        self.recovered = 0
        self.unexpected = []
        self.identity_reads = 0
        self.identity_wrong = []
        self.reads_checked = 0
        self.reads_wrong = []
        self.calls = 0
        self.done_at = []  # when each operation finished (monotonic)
        self.timings = []  # (tool, finished at, seconds) per successful call

    def merge(self, other):
        for k, v in vars(other).items():
            mine = getattr(self, k)
            if isinstance(v, list):
                mine.extend(v)
            elif isinstance(v, dict):
                for kk, vv in v.items():
                    mine[kk] = mine.get(kk, 0) + vv
            else:
                setattr(self, k, mine + v)


def text_for(tenant, writer, package, key, seq, nonce):
    body = f"tenant={tenant} writer={writer} package={package} key={key} seq={seq} nonce={nonce}\n"
    return body + "x" * (seq % 97)  # sizes vary


class Worker:
    """One client of one tenant: its own packages, written and read through nginx."""

    def __init__(self, backend, tenant, index, token, url, rng, heavy=0):
        self.backend, self.tenant, self.index, self.token, self.url, self.rng = backend, tenant, index, token, url, rng
        self.writer = f"{tenant}-{index}"
        # heavy > 0: only writes of `heavy` entries each, with progress; the kill is timed to land inside one.
        self.heavy = heavy
        self.in_write = None  # (tool, package) while a write is in flight
        self.upstream = None  # the replica serving it (nginx's X-Upstream)
        self.progress = 0  # progress notifications received for it
        self.killed_during = None  # the write in flight when its replica was killed: {"package", "tool", "outcome"}
        self.packages = {}  # name -> (top_hash, {logical_key: text})
        self.acked = []  # {"package", "top_hash", "entries": {lk: text}, "nonce"}
        self.stats = Stats()
        self.seq = 0

    def next_op(self):
        self.seq += 1
        if self.heavy:
            if not self.packages or self.rng.random() < 0.5:
                return ("create", f"{self.tenant}/{self.index}-p{self.seq}")
            return ("update", self.rng.choice(sorted(self.packages)))
        roll = self.rng.random()
        if roll < 0.35 or not self.packages:
            if not self.packages or self.rng.random() < 0.3:
                return ("create", f"{self.tenant}/{self.index}-p{self.seq}")
            return ("update", self.rng.choice(sorted(self.packages)))
        reads = ["browse", "browse", "list", "objects", "status"]
        if self.backend.has_bucket_list:
            reads.append("buckets")
        return (self.rng.choice(reads), self.rng.choice(sorted(self.packages)))

    async def run(self, until):
        op, attempts = None, 0
        while True:
            if op is None:
                if time.monotonic() >= until:
                    return
                op, attempts = self.next_op(), 0
                self.stats.ops += 1
            try:
                async with mcp_session(self.url, self.token, self.on_response) as session:
                    while True:
                        attempts += 1
                        self.stats.calls += 1
                        try:
                            await self.perform(session, op, attempts)
                        except Retryable as why:
                            if not self.retry_or_give_up(op, attempts, str(why)):
                                op = None
                            await asyncio.sleep(min(2.0, 0.1 * 2 ** attempts) * (0.5 + self.rng.random()))
                            if op is None:
                                break
                            continue
                        if attempts > 1:
                            self.stats.ops_retried += 1
                        self.stats.done_at.append(time.monotonic())
                        op = None
                        if time.monotonic() >= until:
                            return
                        op, attempts = self.next_op(), 0
                        self.stats.ops += 1
            except Exception as error:  # the session itself failed (initialize refused, transport crashed)
                reason = f"session: {type(error).__name__}: {error}"[:200]
                if op is not None and not self.retry_or_give_up(op, attempts, reason):
                    op = None
                await asyncio.sleep(min(2.0, 0.1 * 2 ** max(attempts, 1)) * (0.5 + self.rng.random()))

    async def on_response(self, response):
        request = response.request
        if self.in_write and request.method == "POST" and b'"tools/call"' in (request.content or b""):
            self.upstream = response.headers.get("x-upstream")

    def on_progress_factory(self):
        async def on_progress(value, total, message):
            self.progress += 1
        return on_progress

    async def write_call(self, session, tool, package, args, attempts):
        self.in_write, self.upstream, self.progress = (tool, package), None, 0
        try:
            return await call_tool(session, tool, args, progress=self.on_progress_factory(),
                                   timings=None if self.heavy else self.stats.timings)
        finally:
            self.in_write = None

    def retry_or_give_up(self, op, attempts, reason):
        if "Server returned an error response" in reason:
            key = "HTTP error status (nginx 502)"
        elif "SSE stream" in reason:
            key = "response stream dropped"
        else:
            key = reason.split(":")[0] if not reason.startswith("mcp-error") else reason[:80]
        self.stats.reasons[key] = self.stats.reasons.get(key, 0) + 1
        if attempts >= MAX_ATTEMPTS:
            self.stats.gave_up.append((self.writer, op, reason))
            return False
        self.stats.retries += 1
        return True

    async def perform(self, session, op, attempts):
        kind, package = op
        if kind == "create":
            await self.create(session, package, attempts)
        elif kind == "update":
            await self.update(session, package, attempts)
        elif kind == "browse":
            top_hash, entries = self.packages[package]
            result = await call_tool(session, "package_browse", {"package_name": package, "top_hash": top_hash, "recursive": True},
                                   timings=self.stats.timings)
            got = {e.get("logical_key"): e.get("size") for e in structured(result).get("entries", [])}
            want = {k: len(v.encode()) for k, v in entries.items()}
            self.stats.reads_checked += 1
            if is_error(result) or got != want:
                self.stats.reads_wrong.append((self.writer, package, top_hash, "browse", str(structured(result))[:300]))
        elif kind == "list":
            result = await call_tool(session, "packages_list", {"prefix": f"{self.tenant}/", "limit": 1000},
                                     timings=self.stats.timings)
            names = {p.get("name") for p in structured(result).get("packages", [])}
            mine = {a["package"] for a in self.acked}
            self.stats.reads_checked += 1
            if is_error(result) or not mine <= names:
                self.stats.reads_wrong.append((self.writer, package, None, "packages_list",
                                               f"missing {sorted(mine - names)} {str(structured(result))[:300]}"))
        elif kind == "objects":
            result = await call_tool(session, "bucket_objects_list", {"bucket": self.backend.bucket, "prefix": package + "/",
                                                                       "max_keys": 100}, timings=self.stats.timings)
            self.stats.reads_checked += 1
            if is_error(result):
                self.stats.reads_wrong.append((self.writer, package, None, "bucket_objects_list", str(structured(result))[:300]))
        elif kind == "buckets":
            result = await call_tool(session, "bucket_list", {}, timings=self.stats.timings)
            self.stats.reads_checked += 1
            if is_error(result):
                self.stats.reads_wrong.append((self.writer, package, None, "bucket_list", str(structured(result))[:300]))
        elif kind == "status":
            try:
                status = resource_json(await asyncio.wait_for(session.read_resource("auth://status"), CALL_TIMEOUT))
            except asyncio.TimeoutError:
                raise Retryable("timeout")
            except Exception as error:
                if type(error).__name__ in ("MCPError", "McpError"):
                    raise Retryable(f"mcp-error: {getattr(error, 'error', error)}")
                raise
            self.stats.identity_reads += 1
            # The Platform backend names the catalog user's email, the S3 registry backend the token's subject.
            if status.get("identity") not in (self.tenant, f"{self.tenant}@example.com"):
                self.stats.identity_wrong.append((self.writer, status))

    def note_killed_write(self, package, result, attempts):
        if self.killed_during and self.killed_during["package"] == package and "outcome" not in self.killed_during:
            self.killed_during["outcome"] = (f"attempt {attempts}: " + ("acknowledged" if not is_error(result)
                                             else f"isError {error_kind(result)}"))

    def acknowledge(self, package, result, entries, nonce, recovered=False):
        top_hash = result.get("top_hash")
        stamps = [p for p in result.get("pointers") or [] if p != "latest"]
        self.packages[package] = (top_hash, entries)
        self.acked.append({"package": package, "top_hash": top_hash, "entries": dict(entries), "nonce": nonce,
                           "tenant": self.tenant, "recovered": recovered, "timestamp": stamps[0] if stamps else None})
        if recovered:
            self.stats.recovered += 1

    async def recover(self, session, package, nonce, entries):
        """After a conflict on a retry: was our earlier attempt applied? (latest carries our nonce)"""
        result = await call_tool(session, "package_info", {"package_name": package})
        data = structured(result)
        meta = data.get("user_meta") or data.get("metadata") or {}
        if not is_error(result) and isinstance(meta, dict) and meta.get("nonce") == nonce:
            self.acknowledge(package, data, entries, nonce, recovered=True)
            return True
        return False

    async def create(self, session, package, attempts):
        nonce = getattr(self, "_nonce", None) if attempts > 1 else None
        if nonce is None:
            nonce = self._nonce = uuid.uuid4().hex
            keys = [f"f/{i:04d}.txt" for i in range(self.heavy)] if self.heavy else ["README.md", "data/part-0.csv"]
            self._entries = {k: text_for(self.tenant, self.writer, package, k, self.seq + i, nonce) for i, k in enumerate(keys)}
        entries = self._entries
        args = {"package_name": package, "entries": [{"logical_key": k, "text": v} for k, v in entries.items()],
                "metadata": {"nonce": nonce, "tenant": self.tenant, "writer": self.writer}, "message": f"create {nonce}"}
        result = await self.write_call(session, "package_create", package, args, attempts)
        self.note_killed_write(package, result, attempts)
        if not is_error(result):
            self.acknowledge(package, structured(result), entries, nonce)
            self._nonce = None
            return
        if error_kind(result) == "conflict" and attempts > 1 and await self.recover(session, package, nonce, entries):
            self._nonce = None
            return
        self.stats.unexpected.append((self.writer, "package_create", package, attempts, str(structured(result))[:400]))
        self._nonce = None

    async def update(self, session, package, attempts):
        nonce = getattr(self, "_nonce", None) if attempts > 1 else None
        base, base_entries = self.packages[package]
        if nonce is None:
            nonce = self._nonce = uuid.uuid4().hex
            if self.heavy:  # replace a quarter of the entries, add a few
                keys = self.rng.sample(sorted(base_entries), len(base_entries) // 4) + [f"g/{self.seq}-{i}.txt" for i in range(5)]
            else:
                keys = [f"data/part-{self.seq}.csv" if self.rng.random() < 0.7 else "README.md"]
            self._put = {k: text_for(self.tenant, self.writer, package, k, self.seq + i, nonce) for i, k in enumerate(keys)}
        entries = dict(base_entries, **self._put)
        args = {"package_name": package, "top_hash": base,
                "entries": [{"logical_key": k, "text": v} for k, v in self._put.items()],
                "metadata": {"nonce": nonce}, "message": f"update {nonce}"}
        result = await self.write_call(session, "package_update", package, args, attempts)
        self.note_killed_write(package, result, attempts)
        if not is_error(result):
            self.acknowledge(package, structured(result), entries, nonce)
            self._nonce = None
            return
        if error_kind(result) == "conflict" and attempts > 1 and await self.recover(session, package, nonce, entries):
            self._nonce = None
            return
        self.stats.unexpected.append((self.writer, "package_update", package, attempts, str(structured(result))[:400]))
        self._nonce = None


# ---------------------------------------------------------------------------------------------------------------
# Direct storage checks (boto3)

def s3_client(endpoint, key_id, secret, session_token=None):
    """A boto3 client with the run's own credentials (moto's or the fake catalog's, made at run time; none recorded)."""
    import boto3
    import botocore.session
    from botocore.config import Config
    session = botocore.session.get_session()
    session.set_credentials(key_id, secret, session_token)
    return boto3.Session(botocore_session=session).client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3},
                                      request_checksum_calculation="when_required",
                                      response_checksum_validation="when_required"))


def list_keys(s3, bucket, prefix):
    keys = {}
    token = None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": 1000}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        for obj in page.get("Contents", []):
            keys[obj["Key"]] = obj["Size"]
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


_object_cache = {}


def read_object(s3, bucket, key, version=None, cache=False):
    """An object's bytes (cached when asked: the storage checks run after the load, when nothing writes)."""
    if cache and (id(s3), bucket, key, version) in _object_cache:
        return _object_cache[(id(s3), bucket, key, version)]
    kwargs = {"Bucket": bucket, "Key": key}
    if version and version != "null":
        kwargs["VersionId"] = version
    data = s3.get_object(**kwargs)["Body"].read()
    if cache:
        _object_cache[(id(s3), bucket, key, version)] = data
    return data


def parse_physical_key(url):
    parsed = urllib.parse.urlsplit(url)
    version = urllib.parse.parse_qs(parsed.query).get("versionId", [None])[0]
    return parsed.netloc, urllib.parse.unquote(parsed.path.lstrip("/")), version


def storage_checks(label, s3, bucket, workers):
    acked = [a for w in workers for a in w.acked]
    keys = list_keys(s3, bucket, ".quilt/")
    manifests = {k.rsplit("/", 1)[1] for k in keys if k.startswith(".quilt/packages/")}
    pointers = {k: None for k in keys if k.startswith(".quilt/named_packages/")}
    for k in pointers:
        pointers[k] = read_object(s3, bucket, k).decode().strip()
    dangling = {k: v for k, v in pointers.items() if v not in manifests}
    check(f"{label}: storage: no latest or timestamp pointer names a missing manifest ({len(pointers)} pointers, "
          f"{len(manifests)} manifests)", not dangling and pointers, f"{sorted(dangling.items())[:10]}")

    by_package = {}
    for k, v in pointers.items():
        name, _, leaf = k[len(".quilt/named_packages/"):].rpartition("/")
        by_package.setdefault(name, {})[leaf] = v

    missing_manifest, wrong_entries, wrong_bytes, no_timestamp, shadowed, lost_answer = [], [], [], [], [], []
    manifest_cache = {}

    def manifest(top_hash):
        if top_hash not in manifest_cache:
            lines = read_object(s3, bucket, f".quilt/packages/{top_hash}").decode().splitlines()
            manifest_cache[top_hash] = [json.loads(line) for line in lines[1:] if line.strip()]
        return manifest_cache[top_hash]

    # In an unversioned bucket (the fake catalog's) a physical key has no versionId: a later revision that replaces
    # a logical key overwrites the object older revisions name (quilt3 does the same; Quilt buckets are versioned).
    # Such an object must then hold exactly what a later acknowledged revision of the same package wrote there.
    later_bytes = {}
    for a in acked:
        for k, v in a["entries"].items():
            later_bytes.setdefault((a["package"], k), set()).add(v.encode())
    overwritten = []
    for a in acked:
        if a["top_hash"] not in manifests:
            missing_manifest.append((a["package"], a["top_hash"]))
            continue
        rows = manifest(a["top_hash"])
        got = {r["logical_key"]: r.get("size") for r in rows}
        want = {k: len(v.encode()) for k, v in a["entries"].items()}
        if got != want:
            wrong_entries.append((a["package"], a["top_hash"], got, want))
            continue
        for r in rows:
            pk = (r.get("physical_keys") or [r.get("physical_key")])[0]
            b, key, version = parse_physical_key(pk)
            try:
                data = read_object(s3, b, key, version, cache=True)
            except Exception as error:
                wrong_bytes.append((a["package"], r["logical_key"], pk, f"{type(error).__name__}: {error}"))
                continue
            if data != a["entries"][r["logical_key"]].encode():
                if version is None and data in later_bytes.get((a["package"], r["logical_key"]), ()):
                    overwritten.append((a["package"], a["top_hash"], r["logical_key"]))
                else:
                    wrong_bytes.append((a["package"], r["logical_key"], pk, data[:80]))
        # quilt3's layout names timestamp pointers by the second: a later revision of the same package pushed in
        # the same second replaces the pointer (quilt3 does the same); the earlier one stays reachable by hash.
        # A write whose answer was lost (its stream dropped) may still finish on its replica after the client's
        # retry made another revision of the same content in the same second; its pointer write can then land last.
        # Such a pointer names a stored revision with exactly this operation's entries, not a foreign one.
        named = by_package.get(a["package"], {}).get(a["timestamp"])
        later_same_second = {b["top_hash"] for b in acked if b["package"] == a["package"] and b["timestamp"] == a["timestamp"]}
        want = {k: len(v.encode()) for k, v in a["entries"].items()}
        if named == a["top_hash"]:
            pass
        elif named in later_same_second:
            shadowed.append((a["package"], a["top_hash"], a["timestamp"]))
        elif named in manifests and {r["logical_key"]: r.get("size") for r in manifest(named)} == want:
            lost_answer.append((a["package"], a["top_hash"], a["timestamp"], named))
        else:
            no_timestamp.append((a["package"], a["top_hash"], a["timestamp"], named))
    check(f"{label}: storage: every acknowledged revision's manifest exists ({len(acked)} revisions)",
          acked and not missing_manifest, f"{missing_manifest[:10]}")
    check(f"{label}: storage: every acknowledged manifest lists exactly the acknowledged entries and sizes",
          not wrong_entries, f"{wrong_entries[:5]}")
    unversioned = f"; {len(overwritten)} objects of older revisions overwritten by a later revision (unversioned bucket)" \
        if overwritten else ""
    check(f"{label}: storage: every entry's object holds exactly the bytes written{unversioned}", not wrong_bytes,
          f"{wrong_bytes[:5]}")
    check(f"{label}: storage: every acknowledged revision's timestamp pointer (as acknowledged) names it, or a later "
          f"revision of the same package from the same second ({len(shadowed)} such), or the same entries written by "
          f"an attempt whose answer was lost ({len(lost_answer)} such{': ' + str(lost_answer[:3]) if lost_answer else ''})",
          not no_timestamp, f"{no_timestamp[:10]}")

    last = {}
    for w in workers:
        for name, (top_hash, _) in w.packages.items():
            last[name] = top_hash
    wrong_latest = {n: (by_package.get(n, {}).get("latest"), h) for n, h in last.items()
                    if by_package.get(n, {}).get("latest") != h}
    check(f"{label}: storage: latest names each package's last acknowledged revision ({len(last)} packages)",
          last and not wrong_latest, f"{sorted(wrong_latest.items())[:10]}")

    # Isolation in a shared bucket: a package under a tenant's prefix holds only that tenant's bytes, in every revision
    # any pointer names (acknowledged or not), and no package exists that no tenant wrote.
    foreign, unknown = [], []
    for name, leaves in by_package.items():
        tenant = name.split("/")[0]
        if tenant not in TENANTS:
            continue
        for top_hash in set(leaves.values()):
            if top_hash not in manifests:
                continue
            for r in manifest(top_hash):
                b, key, version = parse_physical_key((r.get("physical_keys") or [r.get("physical_key")])[0])
                head = read_object(s3, b, key, version, cache=True)[:200].decode(errors="replace")
                if not head.startswith(f"tenant={tenant} "):
                    foreign.append((name, r["logical_key"], head[:60]))
        if name not in last:
            unknown.append(name)
    check(f"{label}: isolation: every object in a tenant's packages carries that tenant's tag", not foreign, f"{foreign[:5]}")
    check(f"{label}: storage: no package exists that no client acknowledged", not unknown, f"{unknown[:10]}")


# ---------------------------------------------------------------------------------------------------------------
# One backend: replicas + nginx + load + kill/restart + verification

class Backend:
    def __init__(self, label, bucket, has_bucket_list, replica_args, replica_env, tokens, s3, storage_bucket, forged):
        self.label, self.bucket, self.has_bucket_list, self.forged = label, bucket, has_bucket_list, forged
        self.replica_args, self.replica_env, self.tokens, self.s3, self.storage_bucket = (
            replica_args, replica_env, tokens, s3, storage_bucket)


async def run_backend(backend, binary, workdir, duration, seed, heavy_entries):
    label = backend.label
    replicas = [Replica(binary, backend.replica_args, backend.replica_env, free_port(), workdir, f"{label}-r{i}")
                for i in range(3)]
    started = time.monotonic()
    for r in replicas:
        r.start()
    nginx = Nginx([r.port for r in replicas], workdir)
    info(f"{label}: 3 replicas on {', '.join(str(r.port) for r in replicas)} behind nginx on {nginx.port} "
         f"(started in {time.monotonic() - started:.1f} s)")
    try:
        # The tools this shape offers, from tools/list.
        async with mcp_session(nginx.url, backend.tokens[TENANTS[0]]) as session:
            tools = {t.name for t in (await session.list_tools()).tools}
        needed = {"package_browse", "packages_list", "package_create", "package_update", "package_info", "bucket_objects_list"}
        check(f"{label}: tools/list through nginx offers the load's tools", needed <= tools, f"{sorted(tools)}")
        backend.has_bucket_list = "bucket_list" in tools

        rng = random.Random(seed)
        workers = [Worker(backend, t, f"c{i}", backend.tokens[t], nginx.url, random.Random(rng.random()))
                   for t in TENANTS for i in range(CLIENTS_PER_TENANT)]
        # One more client of the first tenant writes big packages (with progress) so that the kill lands mid-write.
        heavy = Worker(backend, TENANTS[0], "heavy", backend.tokens[TENANTS[0]], nginx.url, random.Random(rng.random()),
                       heavy=heavy_entries)
        workers.append(heavy)
        load_start = time.monotonic()
        until = load_start + duration
        load = [asyncio.create_task(w.run(until)) for w in workers]

        # Kill the replica serving the heavy client's write once a random share of its progress has arrived.
        await asyncio.sleep(duration * 0.4)
        threshold = rng.randint(3, 60)
        victim, what = None, None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and victim is None:
            if heavy.in_write and heavy.upstream and heavy.progress >= threshold:
                port = int(heavy.upstream.split(",")[-1].strip().rsplit(":", 1)[1])
                victim = next((r for r in replicas if r.port == port), None)
                what = f"{heavy.in_write[0]} of {heavy.in_write[1]} ({heavy_entries} entries) after {heavy.progress} progress notifications"
                heavy.killed_during = {"package": heavy.in_write[1], "tool": heavy.in_write[0]}
            else:
                await asyncio.sleep(0.002)
        check(f"{label}: the replica was killed while serving a write ({what})", victim is not None)
        victim = victim or replicas[1]
        kill_at = time.time()
        victim.sigkill()
        await asyncio.sleep(1.0)
        await asyncio.to_thread(victim.start)
        restarted_at = time.time()
        info(f"{label}: SIGKILLed replica {victim.port}, serving again {restarted_at - kill_at:.2f} s later")
        done, pending = await asyncio.wait(load, timeout=duration + 240)
        for task in pending:
            task.cancel()
        check(f"{label}: every client finished its load in time", not pending, f"{len(pending)} still running")
        for task in done:
            if task.exception():
                check(f"{label}: client task raised", False, repr(task.exception()))

        stats = Stats()
        for w in workers:
            stats.merge(w.stats)
        acked = [a for w in workers for a in w.acked]
        writes = len(acked)
        info(f"{label}: {stats.ops} operations ({stats.calls} calls, {writes} acknowledged writes, {stats.recovered} "
             f"recognised on retry) by {len(workers)} clients of {len(TENANTS)} tenants in {duration:.0f} s; "
             f"{stats.retries} retries over {stats.ops_retried} operations: {stats.reasons}")
        check(f"{label}: writes were acknowledged under load ({writes})", writes >= len(workers))
        step = max(1.0, round(duration / 6))
        windows = [sum(1 for t in stats.done_at if load_start + i * step <= t < load_start + (i + 1) * step)
                   for i in range(int(duration // step))]
        info(f"{label}: operations finished per {step:.0f} s: {windows}")
        third = duration / 3
        growth = []
        for tool in sorted({t[0] for t in stats.timings}):
            early = sorted(e for n, at, e in stats.timings if n == tool and at < load_start + third)
            late = sorted(e for n, at, e in stats.timings if n == tool and at >= load_start + 2 * third)
            if early and late:
                growth.append(f"{tool} {1000 * early[len(early) // 2]:.0f}->{1000 * late[len(late) // 2]:.0f}")
        info(f"{label}: median call latency (ms), first third -> last third of the load: {', '.join(growth)}")
        if heavy.killed_during:
            info(f"{label}: the write killed mid-flight ({heavy.killed_during['tool']} {heavy.killed_during['package']}) "
                 f"then: {heavy.killed_during.get('outcome', 'no further attempt (load ended)')}")
        check(f"{label}: no operation gave up after {MAX_ATTEMPTS} attempts ({stats.retries} retries, all succeeded)",
              not stats.gave_up, f"{stats.gave_up[:5]}")
        check(f"{label}: no write was refused unexpectedly", not stats.unexpected, f"{stats.unexpected[:5]}")
        check(f"{label}: every read during the load saw the acknowledged state ({stats.reads_checked} reads)",
              not stats.reads_wrong, f"{stats.reads_wrong[:5]}")
        check(f"{label}: isolation: every auth://status read named the caller's own subject ({stats.identity_reads} reads)",
              stats.identity_reads > 0 and not stats.identity_wrong, f"{stats.identity_wrong[:5]}")

        # The restarted replica takes traffic again (nginx retries it after fail_timeout).
        await asyncio.sleep(1.5)
        async with mcp_session(victim.url, backend.tokens[TENANTS[0]]) as session:
            direct = await with_retries(session, "packages_list", {"limit": 5})
        check(f"{label}: the restarted replica answers directly", not is_error(direct), f"{direct}")
        rows = nginx.access_log()
        after = [r for r in rows if r[0] > restarted_at + 0.05 and any(a.endswith(f":{victim.port}") for a in r[2])]
        gateway = [r for r in rows if r[1] >= 500]
        check(f"{label}: nginx sent traffic to the restarted replica ({len(after)} requests after its restart)", after)
        info(f"{label}: nginx saw {len(rows)} requests, {len(gateway)} answered 5xx "
             f"({sorted({(r[1], r[3]) for r in gateway})[:6]})")

        t0 = time.monotonic()
        await verify_fresh(backend, nginx.url, workers)
        t1 = time.monotonic()
        await asyncio.to_thread(storage_checks, label, backend.s3(), backend.storage_bucket, workers)
        t2 = time.monotonic()
        await refused_forged(backend, replicas)
        info(f"{label}: verification took {t1 - t0:.1f} s through the fresh client, {t2 - t1:.1f} s in storage")

        dead = [r for r in replicas if r.proc.poll() is not None]
        check(f"{label}: every replica is still running after the load", not dead,
              f"{[(r.port, r.proc.returncode, open(r.logs[-1]).read()[-500:]) for r in dead]}")
        return stats
    finally:
        nginx.stop()
        statuses = [r.stop() for r in replicas]
        check(f"{label}: every replica exits 0 on SIGTERM after the load ({statuses})", all(s == 0 for s in statuses),
              f"{[(r.port, open(r.logs[-1]).read()[-300:]) for r, s in zip(replicas, statuses) if s != 0]}")


async def verify_fresh(backend, url, workers):
    """Through a fresh client per tenant: every acknowledged revision resolves with its entries; latest; listings."""
    label = backend.label
    unresolved, wrong_latest, listing = [], [], []
    for tenant in TENANTS:
        mine = [w for w in workers if w.tenant == tenant]
        async with mcp_session(url, backend.tokens[tenant]) as session:
            for w in mine:
                for a in w.acked:
                    result = await with_retries(session, "package_browse",
                                                {"package_name": a["package"], "top_hash": a["top_hash"], "recursive": True})
                    got = {e.get("logical_key"): e.get("size") for e in structured(result).get("entries", [])}
                    want = {k: len(v.encode()) for k, v in a["entries"].items()}
                    if is_error(result) or got != want:
                        unresolved.append((a["package"], a["top_hash"], str(structured(result))[:200]))
                for name, (top_hash, _) in w.packages.items():
                    result = await with_retries(session, "package_info", {"package_name": name})
                    if is_error(result) or structured(result).get("top_hash") != top_hash:
                        wrong_latest.append((name, top_hash, str(structured(result))[:200]))
            result = await with_retries(session, "packages_list", {"prefix": f"{tenant}/", "limit": 1000})
            names = {p.get("name") for p in structured(result).get("packages", [])}
            expected = {n for w in mine for n in w.packages}
            if is_error(result) or names != expected:
                listing.append((tenant, sorted(expected - names), sorted(names - expected)))
    total = sum(len(w.acked) for w in workers)
    check(f"{label}: fresh client: every acknowledged revision resolves by top hash with its entries and sizes "
          f"({total} revisions)", total and not unresolved, f"{unresolved[:5]}")
    check(f"{label}: fresh client: package_info latest is each package's last acknowledged revision",
          not wrong_latest, f"{wrong_latest[:5]}")
    check(f"{label}: fresh client: each tenant's packages_list (its prefix) holds exactly its acknowledged packages",
          not listing, f"{listing[:3]}")


async def with_retries(session, name, args):
    for attempt in range(MAX_ATTEMPTS):
        try:
            return await call_tool(session, name, args)
        except Retryable:
            await asyncio.sleep(0.2 * (attempt + 1))
    return await call_tool(session, name, args)


async def refused_forged(backend, replicas):
    forged = backend.forged
    kinds = []
    for r in replicas:
        try:
            async with mcp_session(r.url, forged) as session:
                result = await session.call_tool("packages_list", {}, read_timeout_seconds=CALL_TIMEOUT)
                kinds.append(error_kind(result))
        except Exception as error:  # a 401 at the HTTP layer is a refusal too
            kinds.append(f"refused: {type(error).__name__}")
    check(f"{backend.label}: a token the catalog refuses is refused by every replica ({kinds})",
          all(k == "unauthenticated" or (k or "").startswith("refused") for k in kinds), f"{kinds}")


# ---------------------------------------------------------------------------------------------------------------
# Figures

# (tool, arguments) in turn; BUCKET is replaced by the bench bucket. bench/small holds 20 objects.
_LIST = {"bucket": "BUCKET", "prefix": "bench/small/", "max_keys": 50}
READ_MIXES = {
    "full": [("package_browse", {"package_name": "bench/small", "recursive": True}), ("packages_list", {"limit": 100}),
             ("bucket_objects_list", dict(_LIST, include_signed_urls=False)), ("bucket_list", {})],
    # Both servers offer these two (0.22.0 registers no package_* tools, see the reference notes).
    "common": [("bucket_list", {}), ("bucket_objects_list", dict(_LIST, include_signed_urls=False))],
    # The listing with a presigned URL per object (both servers' default), one client at a time.
    "signed": [("bucket_objects_list", dict(_LIST, include_signed_urls=True))],
}


def mix_call(mix, n, bucket):
    tool, args = READ_MIXES[mix][n % len(READ_MIXES[mix])]
    return tool, {k: (bucket if v == "BUCKET" else v) for k, v in args.items()}


def result_ok(tool, result):
    """A real answer, not an error (the Python server reports failures as success-shaped payloads)."""
    if is_error(result):
        return False
    data = structured(result)
    data = data.get("result", data) if isinstance(data.get("result"), dict) else data
    if data.get("error") or data.get("success") is False:
        return False
    if tool == "bucket_objects_list":
        return bool(data.get("objects"))
    if tool == "bucket_list":
        return bool(data.get("buckets"))
    return True


def process_cpu(pids):
    """CPU seconds (user + system, all threads) used so far by these processes."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            total += (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def machine_cpu():
    """CPU seconds every process on the machine has used (from /proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


async def measure(url, token, mix, bucket, concurrency, duration, cpu_probe=None):
    """`concurrency` clients, each with its own session, call the mix's tools in turn for `duration` seconds once
    every client has warmed up (each tool called twice); returns calls, calls/s, p50/p99 latency and errors."""
    latencies, errors, samples = [], [], {}
    ready = [0]
    start = asyncio.Event()
    window = {"stop": float("inf")}

    async def client(i):
        n = i
        async with mcp_session(url, token) as session:
            for _ in range(2 * len(READ_MIXES[mix])):
                tool, args = mix_call(mix, n, bucket)
                n += 1
                await session.call_tool(tool, args, read_timeout_seconds=120)
            ready[0] += 1
            await start.wait()
            while time.monotonic() < window["stop"]:
                tool, args = mix_call(mix, n, bucket)
                n += 1
                t0 = time.perf_counter()
                try:
                    result = await session.call_tool(tool, args, read_timeout_seconds=120)
                    ok = result_ok(tool, result)
                except Exception as error:
                    result, ok = error, False
                elapsed = time.perf_counter() - t0
                if time.monotonic() <= window["stop"] or not latencies:  # a call longer than the window still counts once
                    latencies.append(elapsed)
                    window["last"] = max(window.get("last", 0), time.monotonic())
                    if not ok:
                        errors.append(tool)
                        samples.setdefault(tool, str(result if isinstance(result, Exception) else structured(result))[:600])

    tasks = [asyncio.create_task(client(i)) for i in range(concurrency)]
    deadline = time.monotonic() + 120
    while ready[0] < concurrency and time.monotonic() < deadline and not any(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    cpu_before = cpu_probe() if cpu_probe else {}
    window["start"] = time.monotonic()
    window["stop"] = window["start"] + duration
    start.set()
    outcomes = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), duration + 120)
    cpu_after = cpu_probe() if cpu_probe else {}
    wall = time.monotonic() - window["start"]
    failures = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    span = max(duration, window.get("last", 0) - window["start"])
    return {"calls": len(latencies), "per_s": len(latencies) / span, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "errors": len(errors) + len(failures), "error_samples": dict(samples, **({"client": failures[0][:600]} if failures else {})),
            "cpu_ms_per_call": {k: 1000 * (cpu_after[k] - cpu_before[k]) / max(1, len(latencies))
                                for k in cpu_before if k != "machine"},
            "cpu_busy": sum(cpu_after[k] - cpu_before[k] for k in cpu_before if k != "machine") / wall if cpu_before else None,
            # Whatever else ran on the machine meanwhile (other jobs), in cores.
            "other_busy": ((cpu_after["machine"] - cpu_before["machine"])
                           - sum(cpu_after[k] - cpu_before[k] for k in cpu_before if k != "machine")) / wall
            if cpu_before else None}


async def figures(args, workdir):
    print("== figures: read mix throughput and latency (1 and 3 replicas behind nginx; Python quilt-mcp 0.22.0)", flush=True)
    bucket = "scale-bench"
    fake, printed = start_fake_catalog(args.fake_catalog, bucket, workdir)
    token = printed["QUILT_MCP_JWT_TOKEN"]
    env = dict(base_env(os.path.join(workdir, "bench")), QUILT_MCP_CATALOG_URL=printed["QUILT_MCP_CATALOG_URL"],
               AWS_ENDPOINT_URL_S3=printed["AWS_ENDPOINT_URL_S3"], QUILT_MCP_REGISTRY=f"s3://{bucket}")
    rows = []
    concurrency, duration = args.bench_concurrency, args.bench_seconds

    async def run_config(name, replicas, mixes):
        for r in replicas:
            r.start()
        nginx = Nginx([r.port for r in replicas], workdir)

        def cpu_probe():
            return {"server": process_cpu([r.proc.pid for r in replicas]), "catalog": process_cpu([fake.pid]),
                    "nginx": process_cpu([nginx.proc.pid] + children_of(nginx.proc.pid)), "client": time.process_time(),
                    "machine": machine_cpu()}
        try:
            for mix in mixes:
                result = await measure(nginx.url, token, mix, bucket, 1 if mix == "signed" else concurrency, duration,
                                       cpu_probe)
                rows.append((name, mix, result))
                cpu = " ".join(f"{k} {v:.1f}" for k, v in result["cpu_ms_per_call"].items())
                print(f"     {name:<28} {mix:<7} {result['calls']:>6} calls  {result['per_s']:7.1f}/s  "
                      f"p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}  "
                      f"CPU ms/call: {cpu} (these: {100 * result['cpu_busy']:.0f}% of one core; other processes: "
                      f"{100 * result['other_busy']:.0f}%)", flush=True)
                for tool, sample in result["error_samples"].items():
                    print(f"       error sample {tool}: {sample}", flush=True)
                if result["errors"]:
                    bad = [r for r in nginx.access_log() if r[1] >= 500]
                    print(f"       nginx: {len(bad)} requests answered 5xx {sorted({(r[1], r[3]) for r in bad})}", flush=True)
                    with open(os.path.join(nginx.dir, "error.log"), errors="replace") as f:
                        for line in [line for line in f if "upstream" in line][-3:]:
                            print(f"       nginx error.log: {line.strip()[:400]}", flush=True)
        finally:
            nginx.stop()
            for r in replicas:
                r.stop()

    try:
        # Seed a small package (20 entries) through our server, then measure.
        seed = Replica(args.quilt_mcp, ["--mode", "remote"], env, free_port(), workdir, "bench-seed")
        seed.start()
        async with mcp_session(seed.url, token) as session:
            made = await session.call_tool("package_create", {
                "package_name": "bench/small",
                "entries": [{"logical_key": f"dir-{i % 4}/file-{i}.csv", "text": f"{i},{i * i}\n"} for i in range(20)],
                "message": "bench"})
            check("figures: seeded bench/small", not is_error(made), f"{made}")
        seed.stop()
        for n in (1, 3):
            replicas = [Replica(args.quilt_mcp, ["--mode", "remote"], env, free_port(), workdir, f"bench-ours{n}-{i}")
                        for i in range(n)]
            await run_config(f"quilt-mcp (Swift) x{n}", replicas, ["full", "common"] + (["signed"] if n == 1 else []))
        if args.python_quilt_mcp:
            penv = dict(base_env(os.path.join(workdir, "bench-py")), QUILT_DEPLOYMENT="remote",
                        QUILT_CATALOG_URL=printed["QUILT_MCP_CATALOG_URL"], AWS_ENDPOINT_URL_S3=printed["AWS_ENDPOINT_URL_S3"],
                        AWS_DEFAULT_REGION="us-east-1", QUILT_DISABLE_USAGE_METRICS="true", MCP_SKIP_BANNER="true")
            for n in (1, 3):
                replicas = [PythonReplica(args.python_quilt_mcp, [], penv, free_port(), workdir, f"bench-py{n}-{i}")
                            for i in range(n)]
                await run_config(f"quilt-mcp 0.22.0 (Python) x{n}", replicas, ["common"] + (["signed"] if n == 1 else []))
        else:
            info("Python quilt-mcp 0.22.0 not measured: pass --python-quilt-mcp /path/to/venv/bin/quilt-mcp")
    finally:
        fake.terminate()
        fake.wait(10)
    print("     | server | replicas | mix | clients | calls | calls/s | p50 ms | p99 ms | errors | "
          "CPU ms/call server / catalog / nginx / client | other load |", flush=True)
    print("     |---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for name, mix, r in rows:
        server, _, n = name.rpartition(" x")
        c = r["cpu_ms_per_call"]
        print(f"     | {server} | {n} | {mix} | {1 if mix == 'signed' else concurrency} | {r['calls']} | {r['per_s']:.1f} | "
              f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {c['server']:.1f} / {c['catalog']:.1f} / "
              f"{c['nginx']:.1f} / {c['client']:.1f} | {100 * r['other_busy']:.0f}% |", flush=True)
    return rows


# ---------------------------------------------------------------------------------------------------------------

async def main_async(args, workdir):
    duration = args.seconds or (14.0 if args.short else 60.0)
    heavy_entries = 200 if args.short else 300
    # a. Platform: one fake catalog is the shared state.
    if "platform" in args.backends:
        print("== platform: 3 x quilt-mcp --mode remote (fake catalog) behind nginx", flush=True)
        fake, printed = start_fake_catalog(args.fake_catalog, "scale-bucket", workdir)
        try:
            tokens = {t: catalog_token(args.fake_catalog, t) for t in TENANTS}
            tokens["alice"] = printed["QUILT_MCP_JWT_TOKEN"]  # the fake's own token for alice

            def fake_s3():
                request = urllib.request.Request(printed["QUILT_MCP_CATALOG_URL"] + "/api/auth/get_credentials",
                                                 headers={"Authorization": f"Bearer {tokens['alice']}"})
                with urllib.request.urlopen(request, timeout=10) as r:
                    creds = json.load(r)
                return s3_client(printed["AWS_ENDPOINT_URL_S3"], creds["AccessKeyId"], creds["SecretAccessKey"],
                                 creds["SessionToken"])
            env = dict(base_env(os.path.join(workdir, "platform")), QUILT_MCP_CATALOG_URL=printed["QUILT_MCP_CATALOG_URL"],
                       AWS_ENDPOINT_URL_S3=printed["AWS_ENDPOINT_URL_S3"], QUILT_MCP_REGISTRY="s3://scale-bucket")
            backend = Backend("platform", "scale-bucket", True, ["--mode", "remote"], env, tokens, fake_s3, "scale-bucket",
                              catalog_token(args.fake_catalog, "mallory", foreign=True))
            await run_backend(backend, args.quilt_mcp, workdir, duration, seed=1, heavy_entries=heavy_entries)
        finally:
            fake.terminate()
            fake.wait(10)
    # b. S3 registry on moto; the fake catalog mints the tokens and exchanges them for (fake) AWS credentials, which moto accepts.
    if "s3" in args.backends:
        print("== s3: 3 x quilt-mcp --api registry --auth jwt --tenancy multi (moto; fake catalog for credentials) behind nginx",
              flush=True)
        endpoint, moto_pid = start_moto(workdir)
        fake = None
        try:
            bucket = "scale-registry"
            # moto accepts any credentials and checks no signature: throwaway ones, made for this run only.
            moto = s3_client(endpoint, "moto-throwaway-" + secrets.token_hex(4), secrets.token_hex(20))
            moto.create_bucket(Bucket=bucket)
            # Quilt registries are versioned buckets: physical keys then carry a versionId, so every revision keeps
            # its own bytes even when a later one replaces a logical key.
            moto.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
            fake, printed = start_fake_catalog(args.fake_catalog, "unused-bucket", workdir)
            tokens = {t: catalog_token(args.fake_catalog, t) for t in TENANTS}
            tokens["alice"] = printed["QUILT_MCP_JWT_TOKEN"]
            env = dict(base_env(os.path.join(workdir, "s3")), QUILT_MCP_CATALOG_URL=printed["QUILT_MCP_CATALOG_URL"],
                       AWS_ENDPOINT_URL_S3=endpoint, AWS_DEFAULT_REGION="us-east-1")
            replica_args = ["--api", "registry", "--auth", "jwt", "--tenancy", "multi", "--state", "stateless",
                            "--locale", "remote", "--registry", f"s3://{bucket}"]
            backend = Backend("s3", bucket, False, replica_args, env, tokens, lambda: moto, bucket,
                              catalog_token(args.fake_catalog, "mallory", foreign=True))
            await run_backend(backend, args.quilt_mcp, workdir, duration, seed=2, heavy_entries=heavy_entries)
        finally:
            if fake:
                fake.terminate()
                fake.wait(10)
            try:
                os.kill(moto_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    if not args.short and not args.no_figures:
        await figures(args, workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("quilt_mcp")
    parser.add_argument("fake_catalog")
    parser.add_argument("--short", action="store_true", help="the CI run: short load, no figures")
    parser.add_argument("--seconds", type=float, help="load duration per backend (default 14 with --short, else 60)")
    parser.add_argument("--backends", default="platform,s3", help="comma list: platform, s3")
    parser.add_argument("--python-quilt-mcp", help="the Python quilt-mcp 0.22.0 executable, for the figures")
    parser.add_argument("--no-figures", action="store_true")
    parser.add_argument("--bench-seconds", type=float, default=20.0)
    parser.add_argument("--bench-concurrency", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs) and print its path")
    args = parser.parse_args()
    args.quilt_mcp = os.path.abspath(args.quilt_mcp)
    args.fake_catalog = os.path.abspath(args.fake_catalog)
    args.backends = set(args.backends.split(","))
    workdir = tempfile.mkdtemp(prefix="quilt-mcp-scaleout-")
    if not args.keep:
        atexit.register(shutil.rmtree, workdir, True)
    else:
        info(f"work directory: {workdir}")
    started = time.monotonic()
    nginx_binary()  # install it first if missing
    try:
        asyncio.run(asyncio.wait_for(main_async(args, workdir), 1800))
    except Exception as error:
        import traceback
        traceback.print_exc()
        check("scaleout run completed", False, f"{type(error).__name__}: {error}")
    info(f"wall time {time.monotonic() - started:.1f} s")
    print(f"scaleout: {passed} passed, {failed} failed", flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
