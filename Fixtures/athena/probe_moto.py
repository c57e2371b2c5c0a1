#!/usr/bin/env python3
"""Probe of moto 5.2.1 (moto_server) as an Athena / Glue peer, over the JSON 1.1 protocol.

Records, on the wire, what a hand-written Athena/Glue client (POST /, X-Amz-Target, Content-Type
application/x-amz-json-1.1, SigV4) sees from moto: status codes, headers, JSON bodies, error shapes,
which parameters (MaxResults, NextToken, Expression, ...) are honoured, and how the static Athena
query-results queue (POST /moto-api/static/athena/query-results) is consumed.

Usage:
    read -r port pid < <(Fixtures/s3/moto.sh)
    python3 Fixtures/athena/probe_moto.py http://127.0.0.1:$port
    kill $pid

Needs: python3 -m pip install 'moto[server]==5.2.1' boto3. The script resets moto's state first
(POST /moto-api/reset), so it may be run against a server that was used before. It only prints what
it observes ("obs" lines are raw wire facts, "note" lines are conclusions checked by the script);
it exits non-zero only if a conclusion it prints no longer holds, which would mean moto changed.
"""
import json
import re
import sys
import time
import urllib.error
import urllib.request

import secrets

import boto3
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-west-2"
OTHER_REGION = "us-east-1"
# Throwaway credentials made per run (moto checks no signature); nothing credential-like is kept in this file.
ACCESS_KEY = "QUILTPROBE" + secrets.token_hex(5).upper()
SECRET_KEY = secrets.token_hex(20)
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
FAILED = []
HELD = []

ENDPOINT = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else sys.exit(__doc__)


# --------------------------------------------------------------------------------------------- helpers


def section(title):
    print(f"\n=== {title}")


def obs(label, value=None):
    """Print a raw observation; dicts/lists as compact JSON (long ones truncated)."""
    if value is None:
        print(f"obs  {label}")
        return
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    if len(text) > 1500:
        text = text[:1500] + f"... ({len(text)} chars)"
    print(f"obs  {label}: {text}")


def note(conclusion, holds, detail=""):
    """Print a conclusion; remember it if it does not hold (moto's behaviour changed)."""
    print(f"{'note' if holds else 'DIFF'} {conclusion}" + (f"  [{detail}]" if detail and not holds else ""))
    if not holds:
        FAILED.append(conclusion)
    else:
        HELD.append(conclusion)


class Raw:
    def __init__(self, status, headers, text):
        self.status, self.headers, self.text = status, headers, text
        try:
            self.json = json.loads(text) if text else None
        except ValueError:
            self.json = None

    def show(self, label, headers=False):
        if self.json is not None:
            shown = self.json
        elif self.text.lstrip().lower().startswith("<!doctype html"):
            shown = "<Werkzeug HTML error page: " + re.sub(r"<[^>]+>", "", self.text.split("<title>")[1].split("</title>")[0]) + ">"
        else:
            shown = " ".join(self.text.split())[:200] or "<empty>"
        obs(f"{label} -> HTTP {self.status}", shown)
        if headers:
            obs(f"{label} headers", self.headers)


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Raw(resp.status, dict(resp.headers.items()), resp.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as err:
        return Raw(err.code, dict(err.headers.items()), err.read().decode("utf-8", "replace"))


def raw(signing_service, target, payload, region=REGION, sign=True, secret=SECRET_KEY,
        content_type="application/x-amz-json-1.1", authorization=None):
    """POST / with X-Amz-Target, exactly like a hand-written JSON 1.1 client.

    sign=True signs with botocore's SigV4 signer (service `signing_service`, `region`, `secret`);
    sign=False sends no Authorization header; `authorization` overrides the header verbatim.
    """
    body = json.dumps(payload).encode()
    headers = {"X-Amz-Target": target}
    if content_type:
        headers["Content-Type"] = content_type
    if sign:
        req = AWSRequest(method="POST", url=ENDPOINT + "/", data=body, headers=headers)
        SigV4Auth(Credentials(ACCESS_KEY, secret), signing_service, region).add_auth(req)
        headers = dict(req.headers.items())
    if authorization is not None:
        headers["Authorization"] = authorization
    return http("POST", ENDPOINT + "/", body, headers)


def athena_raw(action, payload, **kw):
    return raw("athena", f"AmazonAthena.{action}", payload, **kw)


def glue_raw(action, payload, **kw):
    return raw("glue", f"AWSGlue.{action}", payload, **kw)


def client(service, region=REGION):
    session = botocore.session.get_session()
    session.set_credentials(ACCESS_KEY, SECRET_KEY)
    return boto3.Session(botocore_session=session).client(
        service, endpoint_url=ENDPOINT, region_name=region, config=Config(retries={"max_attempts": 1}))


def queue_results(results, region=REGION):
    """Queue static Athena results (moto-only API). Each entry: {"rows": [...], "column_info": [...]}."""
    body = json.dumps({"region": region, "results": results}).encode()
    return http("POST", ENDPOINT + "/moto-api/static/athena/query-results", body,
                {"Content-Type": "application/json"})


def set_execution_transition(transition):
    """moto's state manager: how athena::execution advances QUEUED -> RUNNING -> SUCCEEDED."""
    body = json.dumps({"model_name": "athena::execution", "transition": transition}).encode()
    return http("POST", ENDPOINT + "/moto-api/state-manager/set-transition", body,
                {"Content-Type": "application/json"})


def unset_execution_transition():
    body = json.dumps({"model_name": "athena::execution"}).encode()
    return http("POST", ENDPOINT + "/moto-api/state-manager/unset-transition", body,
                {"Content-Type": "application/json"})


def varchar_rows(*rows):
    return [{"Data": [{"VarCharValue": v} for v in row]} for row in rows]


athena = client("athena")
glue = client("glue")

reset = http("POST", ENDPOINT + "/moto-api/reset")
obs("POST /moto-api/reset", f"HTTP {reset.status}")
unset_execution_transition()  # in case an earlier run was interrupted mid-way

# ------------------------------------------------------------------------------ 8. headers (first call)
section("8. Response headers of a normal JSON response")
r = athena_raw("ListWorkGroups", {})
r.show("ListWorkGroups", headers=True)
note("Athena success responses carry Content-Type 'text/html; charset=utf-8' (real AWS: application/x-amz-json-1.1)",
     r.headers.get("Content-Type") == "text/html; charset=utf-8", r.headers.get("Content-Type"))
note("request id header is lowercase 'x-amzn-requestid' (52 random alphanumerics, not a UUID)",
     re.fullmatch(r"[A-Za-z0-9]{52}", r.headers.get("x-amzn-requestid", "")) is not None, r.headers)
r = athena_raw("GetWorkGroup", {"WorkGroup": "primary"})
obs("Athena GetWorkGroup Content-Type", r.headers.get("Content-Type"))
r = athena_raw("StartQueryExecution", {"QueryString": "SELECT 1", "WorkGroup": "no-such-workgroup"})
r.show("Athena error (unknown WorkGroup)", headers=True)
note("Athena errors raised by the response layer (unknown/duplicate WorkGroup) use the key 'Message' (capital M), "
     "Content-Type text/html and no X-Amzn-ErrorType header",
     set(r.json) == {"__type", "Message"} and "X-Amzn-ErrorType" not in r.headers, r.headers)
r = glue_raw("GetDatabases", {})
r.show("Glue GetDatabases", headers=True)
note("Glue success responses carry Content-Type 'application/x-amz-json-1.1'",
     r.headers.get("Content-Type") == "application/x-amz-json-1.1", r.headers.get("Content-Type"))
r = glue_raw("GetDatabase", {"Name": "no_such_db"})
r.show("Glue error (unknown database)", headers=True)
note("Glue error responses carry Content-Type 'application/json' and X-Amzn-ErrorType",
     r.headers.get("Content-Type") == "application/json" and r.headers.get("X-Amzn-ErrorType") == "EntityNotFoundException")
reset = http("POST", ENDPOINT + "/moto-api/reset")  # start section 1 from a clean state again

# ---------------------------------------------------------------------------------- 1. workgroups
section("1. Athena workgroups")
r = athena_raw("ListWorkGroups", {})
r.show("ListWorkGroups on a fresh server")
names = [w["Name"] for w in r.json["WorkGroups"]]
note("'primary' exists by default", names == ["primary"], names)

r = athena_raw("CreateWorkGroup", {
    "Name": "wg-probe", "Description": "probe workgroup",
    "Configuration": {"ResultConfiguration": {"OutputLocation": "s3://probe-results/athena/"}},
})
r.show("CreateWorkGroup wg-probe")
r = athena_raw("CreateWorkGroup", {"Name": "wg-probe"})
r.show("CreateWorkGroup wg-probe again (duplicate)")
for i in range(3):
    athena_raw("CreateWorkGroup", {"Name": f"wg-extra-{i}"})  # no Description, no Configuration
r = athena_raw("ListWorkGroups", {"MaxResults": 2})
r.show("ListWorkGroups MaxResults=2 (5 exist)")
note("ListWorkGroups ignores MaxResults and returns no NextToken",
     len(r.json["WorkGroups"]) == 5 and "NextToken" not in r.json, len(r.json["WorkGroups"]))
r = athena_raw("ListWorkGroups", {"NextToken": "bogus-token"})
note("ListWorkGroups ignores NextToken (even a bogus one)", r.status == 200 and len(r.json["WorkGroups"]) == 5)
obs("ListWorkGroups entry keys", sorted(r.json["WorkGroups"][0]))
again = athena_raw("ListWorkGroups", {})
note("workgroup CreationTime is the time of the request (time.time() per call), not of creation",
     again.json["WorkGroups"][0]["CreationTime"] != r.json["WorkGroups"][0]["CreationTime"])

r = athena_raw("GetWorkGroup", {"WorkGroup": "wg-probe"})
r.show("GetWorkGroup wg-probe")
r = athena_raw("GetWorkGroup", {"WorkGroup": "wg-extra-0"})
r.show("GetWorkGroup wg-extra-0 (created with Name only)")
r = athena_raw("GetWorkGroup", {"WorkGroup": "primary"})
r.show("GetWorkGroup primary")
r = athena_raw("GetWorkGroup", {"WorkGroup": "no-such-workgroup"})
r.show("GetWorkGroup unknown")
note("GetWorkGroup on an unknown name is HTTP 200 with {\"WorkGroup\": null}",
     r.status == 200 and r.json == {"WorkGroup": None}, r.text)

# --------------------------------------------------------------------------- 2. query executions
section("2. Athena query executions")
start_params = {
    "QueryString": "SELECT * FROM sales LIMIT 10",
    "QueryExecutionContext": {"Database": "probe_db", "Catalog": "AwsDataCatalog"},
    "WorkGroup": "wg-probe",
    "ResultConfiguration": {"OutputLocation": "s3://probe-results/athena"},
}
r = athena_raw("StartQueryExecution", start_params)
r.show("StartQueryExecution")
qid = r.json["QueryExecutionId"]
note("QueryExecutionId is a lowercase UUID v4", bool(UUID_RE.match(qid)), qid)
r = athena_raw("GetQueryExecution", {"QueryExecutionId": qid})
r.show("GetQueryExecution immediately after start")
qe = r.json["QueryExecution"]
note("default progression: Status.State is SUCCEEDED on the first GetQueryExecution",
     qe["Status"]["State"] == "SUCCEEDED", qe["Status"]["State"])
note("SubmissionDateTime/CompletionDateTime are epoch seconds as JSON floats",
     isinstance(qe["Status"]["SubmissionDateTime"], float) and isinstance(qe["Status"]["CompletionDateTime"], float))
note("Status has no StatusChangeDateTime / StateChangeReason", not {"StatusChangeDateTime", "StateChangeReason"} & set(qe["Status"]))
note("ResultConfiguration.OutputLocation gets '/<QueryExecutionId>.csv' appended",
     qe["ResultConfiguration"]["OutputLocation"] == f"s3://probe-results/athena/{qid}.csv",
     qe["ResultConfiguration"]["OutputLocation"])
obs("Statistics keys", sorted(qe["Statistics"]))

r = athena_raw("StartQueryExecution", {"QueryString": "SELECT 1"})
r.show("StartQueryExecution with only QueryString")
r = athena_raw("GetQueryExecution", {"QueryExecutionId": r.json["QueryExecutionId"]})
r.show("GetQueryExecution of it")
note("no WorkGroup / ResultConfiguration / context given -> WorkGroup, ResultConfiguration and "
     "QueryExecutionContext are JSON null (no default 'primary', workgroup OutputLocation not applied)",
     r.json["QueryExecution"]["WorkGroup"] is None and r.json["QueryExecution"]["ResultConfiguration"] is None
     and r.json["QueryExecution"]["QueryExecutionContext"] is None)
r = athena_raw("StartQueryExecution", {"QueryString": "SELECT 1", "WorkGroup": "wg-probe"})
r = athena_raw("GetQueryExecution", {"QueryExecutionId": r.json["QueryExecutionId"]})
note("WorkGroup with its own OutputLocation but no ResultConfiguration in the request -> ResultConfiguration null",
     r.json["QueryExecution"]["ResultConfiguration"] is None, r.json["QueryExecution"]["ResultConfiguration"])
r = athena_raw("StartQueryExecution", {"QueryString": "CREATE TABLE x (a int)", "WorkGroup": "wg-probe"})
r = athena_raw("GetQueryExecution", {"QueryExecutionId": r.json["QueryExecutionId"]})
obs("StatementType for CREATE TABLE / SELECT", [r.json["QueryExecution"]["StatementType"], qe["StatementType"]])

r = athena_raw("StartQueryExecution", dict(start_params, WorkGroup="no-such-workgroup"))
r.show("StartQueryExecution with an unknown WorkGroup")

# Simulated progression: moto's state manager can make an execution advance one state per N describes.
# The transition setting is global to the server (every account and region) and is NOT cleared by
# /moto-api/reset; it is unset again below (back to moto's default, "immediate").
r = set_execution_transition({"progression": "manual", "times": 2})
obs("set-transition athena::execution manual/times=2", f"HTTP {r.status}")
qid_slow = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
r = athena_raw("GetQueryResults", {"QueryExecutionId": qid_slow})
r.show("GetQueryResults before any GetQueryExecution (manual progression)")
states = [athena_raw("GetQueryExecution", {"QueryExecutionId": qid_slow}).json["QueryExecution"]["Status"]["State"]
          for _ in range(4)]
obs("Status.State over 4 GetQueryExecution calls (manual, times=2)", states)
note("manual times=2 shows QUEUED, RUNNING, RUNNING, SUCCEEDED (each GetQueryExecution is one tick)",
     states == ["QUEUED", "RUNNING", "RUNNING", "SUCCEEDED"], states)
set_execution_transition({"progression": "time", "seconds": 1})
qid_timed = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
timed = []
for _ in range(6):
    timed.append(athena_raw("GetQueryExecution", {"QueryExecutionId": qid_timed}).json["QueryExecution"]["Status"]["State"])
    time.sleep(0.5)
obs("Status.State every 0.5 s (progression time, seconds=1)", timed)
r = unset_execution_transition()
obs("unset-transition athena::execution", f"HTTP {r.status}")

qid_stop = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
r = athena_raw("StopQueryExecution", {"QueryExecutionId": qid_stop})
r.show("StopQueryExecution")
r = athena_raw("GetQueryExecution", {"QueryExecutionId": qid_stop})
note("after StopQueryExecution the state is CANCELLED", r.json["QueryExecution"]["Status"]["State"] == "CANCELLED",
     r.json["QueryExecution"]["Status"])
r = athena_raw("GetQueryResults", {"QueryExecutionId": qid_stop})
r.show("GetQueryResults of a CANCELLED execution", headers=True)
note("Athena errors raised by the backend (query not finished, MetadataException, InvalidToken) use the key "
     "'message' (lowercase), Content-Type application/json and an X-Amzn-ErrorType header",
     set(r.json) == {"__type", "message"} and r.headers.get("X-Amzn-ErrorType") == "InvalidRequestException", r.headers)
r = athena_raw("StopQueryExecution", {"QueryExecutionId": qid})
r = athena_raw("GetQueryExecution", {"QueryExecutionId": qid})
note("StopQueryExecution of an already SUCCEEDED execution turns it CANCELLED (real Athena keeps SUCCEEDED)",
     r.json["QueryExecution"]["Status"]["State"] == "CANCELLED", r.json["QueryExecution"]["Status"])

unknown_id = "00000000-0000-4000-8000-000000000000"
r = athena_raw("GetQueryExecution", {"QueryExecutionId": unknown_id})
r.show("GetQueryExecution unknown id", headers=True)
r = athena_raw("StopQueryExecution", {"QueryExecutionId": unknown_id})
r.show("StopQueryExecution unknown id")
note("unknown QueryExecutionId in Get/StopQueryExecution -> HTTP 500 with an HTML body (a KeyError inside moto)",
     r.status == 500 and r.headers.get("Content-Type", "").startswith("text/html"))

# ------------------------------------------------------------------------------- 3. query results
section("3. Athena GetQueryResults and the static results queue")
qid_plain = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
r = athena_raw("GetQueryResults", {"QueryExecutionId": qid_plain})
r.show("GetQueryResults, nothing queued")
note("nothing queued -> {\"ResultSet\": {\"Rows\": [], \"ResultSetMetadata\": {\"ColumnInfo\": []}}}, no UpdateCount",
     r.json == {"ResultSet": {"Rows": [], "ResultSetMetadata": {"ColumnInfo": []}}}, r.text)

full_column = {"CatalogName": "hive", "SchemaName": "probe_db", "TableName": "sales", "Name": "region",
               "Label": "region", "Type": "varchar", "Precision": 2147483647, "Scale": 0,
               "Nullable": "UNKNOWN", "CaseSensitive": True}
r = queue_results([
    {"rows": varchar_rows(["region", "total"], ["eu", "1"]),
     "column_info": [full_column, {"Name": "total", "Type": "bigint"}]},
    {"rows": varchar_rows(["second"]), "column_info": [{"Name": "second", "Type": "varchar"}]},
])
obs("queue two results for us-west-2", f"HTTP {r.status} {r.text!r}")
r = queue_results([{"rows": varchar_rows(["east"]), "column_info": [{"Name": "east", "Type": "varchar"}]}],
                  region=OTHER_REGION)
obs("queue one result for us-east-1", f"HTTP {r.status}")

qa = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
qb = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
qc = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
# Fetch in reverse order: if results were bound at GetQueryResults time, qc would get the first one.
rc = athena_raw("GetQueryResults", {"QueryExecutionId": qc})
rb = athena_raw("GetQueryResults", {"QueryExecutionId": qb})
ra = athena_raw("GetQueryResults", {"QueryExecutionId": qa})
ra.show("GetQueryResults qa (1st started)")
rb.show("GetQueryResults qb (2nd started)")
rc.show("GetQueryResults qc (3rd started, queue exhausted)")
note("queued results are bound to executions in StartQueryExecution order (not GetQueryResults order)",
     ra.json["ResultSet"]["Rows"][0]["Data"][0]["VarCharValue"] == "region"
     and rb.json["ResultSet"]["Rows"][0]["Data"][0]["VarCharValue"] == "second"
     and rc.json["ResultSet"]["Rows"] == [])
note("the queue is per region: the us-east-1 result was not used by us-west-2 executions",
     rc.json["ResultSet"]["Rows"] == [])
note("rows are returned exactly as queued: no header row is synthesised from column_info",
     [d["VarCharValue"] for d in ra.json["ResultSet"]["Rows"][0]["Data"]] == ["region", "total"]
     and len(ra.json["ResultSet"]["Rows"]) == 2)
note("ColumnInfo echoes exactly the queued dicts (all fields when given, only Name/Type when not)",
     ra.json["ResultSet"]["ResultSetMetadata"]["ColumnInfo"] == [full_column, {"Name": "total", "Type": "bigint"}])
again = athena_raw("GetQueryResults", {"QueryExecutionId": qa})
note("GetQueryResults twice for the same id returns the same result", again.json == ra.json)
note("no UpdateCount and no NextToken in GetQueryResults", not {"UpdateCount", "NextToken"} & set(ra.json))

east = client("athena", OTHER_REGION)
qe_east = east.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
obs("us-east-1 execution (boto3) gets the us-east-1 queued result",
    east.get_query_results(QueryExecutionId=qe_east)["ResultSet"]["Rows"])

# An id moto never issued: GetQueryResults takes the next queued result for it.
queue_results([{"rows": varchar_rows(["orphan"]), "column_info": [{"Name": "o", "Type": "varchar"}]}])
r = athena_raw("GetQueryResults", {"QueryExecutionId": unknown_id})
r.show("GetQueryResults of an unknown id with one result queued")
r = athena_raw("GetQueryResults", {"QueryExecutionId": "not-even-a-uuid"})
r.show("GetQueryResults of a non-UUID unknown id, queue empty")

# 2,500 rows: does GetQueryResults paginate?
big = varchar_rows(["n"], *[[str(i)] for i in range(1, 2500)])
queue_results([{"rows": big, "column_info": [{"Name": "n", "Type": "integer"}]}])
qbig = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
r = athena_raw("GetQueryResults", {"QueryExecutionId": qbig, "MaxResults": 1000})
note("GetQueryResults ignores MaxResults=1000: all 2,500 rows in one page, no NextToken",
     len(r.json["ResultSet"]["Rows"]) == 2500 and "NextToken" not in r.json, len(r.json["ResultSet"]["Rows"]))
r = athena_raw("GetQueryResults", {"QueryExecutionId": qbig, "MaxResults": 1000, "NextToken": "bogus"})
note("GetQueryResults ignores NextToken (bogus token -> the same 2,500 rows)",
     r.status == 200 and len(r.json["ResultSet"]["Rows"]) == 2500, r.status)
r = athena_raw("GetQueryResults", {"QueryExecutionId": qbig, "MaxResults": 5000})
obs("GetQueryResults MaxResults=5000 (real limit is 1000)", f"HTTP {r.status}")

# Side effect: moto writes the queued rows as CSV to the OutputLocation if that bucket exists.
s3 = client("s3")
s3.create_bucket(Bucket="probe-results", CreateBucketConfiguration={"LocationConstraint": REGION})
queue_results([{"rows": varchar_rows(["h1", "h2"], ["a", "b"]),
                "column_info": [{"Name": "h1", "Type": "varchar"}, {"Name": "h2", "Type": "varchar"}]}])
qcsv = athena_raw("StartQueryExecution", start_params).json["QueryExecutionId"]
try:
    body = s3.get_object(Bucket="probe-results", Key=f"athena/{qcsv}.csv")["Body"].read()
    obs("CSV written by moto at the OutputLocation", repr(body.decode()))
except ClientError as err:
    obs("no CSV at the OutputLocation", str(err))

# ------------------------------------------------------------------------ 4. listing executions
section("4. ListQueryExecutions / BatchGetQueryExecution")
athena_raw("CreateWorkGroup", {"Name": "wg-list"})
listed_ids = [athena_raw("StartQueryExecution", {"QueryString": f"SELECT {i}", "WorkGroup": "wg-list"})
              .json["QueryExecutionId"] for i in range(3)]
r = athena_raw("ListQueryExecutions", {"WorkGroup": "wg-list"})
r.show("ListQueryExecutions WorkGroup=wg-list")
note("WorkGroup filter works; ids in start order (oldest first; real Athena lists newest first)",
     r.json["QueryExecutionIds"] == listed_ids, r.json)
r = athena_raw("ListQueryExecutions", {"WorkGroup": "wg-list", "MaxResults": 2})
note("ListQueryExecutions ignores MaxResults, never returns NextToken",
     len(r.json["QueryExecutionIds"]) == 3 and "NextToken" not in r.json, r.json)
r = athena_raw("ListQueryExecutions", {})
note("ListQueryExecutions without WorkGroup lists every execution in the region (not only 'primary')",
     set(listed_ids + [qa, qb]) <= set(r.json["QueryExecutionIds"]), len(r.json["QueryExecutionIds"]))
r = athena_raw("ListQueryExecutions", {"WorkGroup": "no-such-workgroup"})
r.show("ListQueryExecutions unknown WorkGroup")
r = athena_raw("BatchGetQueryExecution", {"QueryExecutionIds": listed_ids})
r.show("BatchGetQueryExecution", headers=True)
r = athena_raw("ListTableMetadata", {"CatalogName": "AwsDataCatalog", "DatabaseName": "default"})
r.show("ListTableMetadata")
r = athena_raw("GetTableMetadata", {"CatalogName": "AwsDataCatalog", "DatabaseName": "default", "TableName": "t"})
r.show("GetTableMetadata")

# --------------------------------------------------------------- 5. Athena catalogs and databases
section("5. Athena data catalogs and databases")
r = athena_raw("ListDataCatalogs", {})
r.show("ListDataCatalogs on a fresh region")
note("AwsDataCatalog is NOT listed by default (DataCatalogsSummary is [])", r.json == {"DataCatalogsSummary": []})
r = athena_raw("GetDataCatalog", {"Name": "AwsDataCatalog"})
r.show("GetDataCatalog AwsDataCatalog")
glue_raw("CreateDatabase", {"DatabaseInput": {"Name": "glue_only_db"}})
r = athena_raw("ListDatabases", {"CatalogName": "AwsDataCatalog"})
r.show("ListDatabases CatalogName=AwsDataCatalog (after Glue CreateDatabase glue_only_db)")
note("Athena ListDatabases does NOT reflect Glue databases; it has its own list, pre-seeded with 'default'",
     [d["Name"] for d in r.json["DatabaseList"]] == ["default"], r.json)
for name in ("db_b", "db_a", "db_c"):
    athena_raw("StartQueryExecution", {"QueryString": f"CREATE DATABASE IF NOT EXISTS {name}"})
r = athena_raw("ListDatabases", {"CatalogName": "AwsDataCatalog", "MaxResults": 2})
r.show("ListDatabases MaxResults=2 after 'CREATE DATABASE db_b/db_a/db_c' via StartQueryExecution")
token = r.json.get("NextToken")
r2 = athena_raw("ListDatabases", {"CatalogName": "AwsDataCatalog", "MaxResults": 2, "NextToken": token})
r2.show("ListDatabases page 2")
note("ListDatabases honours MaxResults/NextToken, sorted by name, and sees CREATE DATABASE run through Athena",
     [d["Name"] for d in r.json["DatabaseList"] + r2.json["DatabaseList"]] == ["db_a", "db_b", "db_c", "default"])
r = athena_raw("ListDatabases", {"CatalogName": "AwsDataCatalog", "NextToken": "bogus"})
r.show("ListDatabases bogus NextToken")
r = athena_raw("ListDatabases", {"CatalogName": "NoSuchCatalog"})
r.show("ListDatabases unknown catalog")
note("ListDatabases of an unknown catalog answers an empty list, not an error (the engine then asks ListDataCatalogs)",
     r.status == 200 and r.json == {"DatabaseList": []}, r.text)
athena_raw("CreateDataCatalog", {"Name": "probe-tabulator", "Type": "LAMBDA",
                                 "Parameters": {"function": "arn:aws:lambda:us-east-1:123456789012:function:f"}})
r = athena_raw("ListDataCatalogs", {})
r.show("ListDataCatalogs after CreateDataCatalog probe-tabulator (LAMBDA)")
note("ListDataCatalogs lists created catalogs as {CatalogName, Type}",
     {"CatalogName": "probe-tabulator", "Type": "LAMBDA"} in r.json.get("DataCatalogsSummary", []), r.json)
r = athena_raw("GetDatabase", {"CatalogName": "AwsDataCatalog", "DatabaseName": "DB_A"})
r.show("GetDatabase DB_A (case-insensitive lookup)")
r = athena_raw("GetDatabase", {"CatalogName": "AwsDataCatalog", "DatabaseName": "glue_only_db"})
r.show("GetDatabase of a Glue-only database")

# ----------------------------------------------------------------------------------------- 6. Glue
section("6. Glue databases and tables")
r = glue_raw("CreateDatabase", {"DatabaseInput": {"Name": "probe_db", "Description": "probe"}})
r.show("CreateDatabase probe_db")
r = glue_raw("CreateDatabase", {"DatabaseInput": {"Name": "probe_db"}})
r.show("CreateDatabase probe_db again")
for i in range(3):
    glue_raw("CreateDatabase", {"DatabaseInput": {"Name": f"extra_db_{i}"}})
r = glue_raw("GetDatabase", {"Name": "probe_db"})
r.show("GetDatabase probe_db")
r = glue_raw("GetDatabases", {"MaxResults": 2})
r.show("GetDatabases MaxResults=2 (5 exist)")
note("Glue GetDatabases ignores MaxResults and returns no NextToken",
     len(r.json["DatabaseList"]) == 5 and "NextToken" not in r.json, len(r.json["DatabaseList"]))
r = glue_raw("GetDatabases", {"NextToken": "bogus"})
obs("GetDatabases bogus NextToken", f"HTTP {r.status}, {len((r.json or {}).get('DatabaseList', []))} databases")


def table_input(name, **extra):
    return dict({
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet"},
        "StorageDescriptor": {
            "Columns": [{"Name": "id", "Type": "bigint", "Comment": "row id"}, {"Name": "amount", "Type": "double"}],
            "Location": f"s3://probe-data/{name}/",
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        },
        "PartitionKeys": [{"Name": "dt", "Type": "string"}],
    }, **extra)


for name in ("sales", "salaries", "orders", "Sales_Upper", "resale"):
    r = glue_raw("CreateTable", {"DatabaseName": "probe_db", "TableInput": table_input(name)})
r.show("CreateTable (last one)")
r = glue_raw("CreateTable", {"DatabaseName": "probe_db", "TableInput": table_input("sales")})
r.show("CreateTable sales again")
r = glue_raw("CreateTable", {"DatabaseName": "no_such_db", "TableInput": table_input("t")})
r.show("CreateTable in an unknown database")
r = glue_raw("GetTable", {"DatabaseName": "probe_db", "Name": "sales"})
r.show("GetTable probe_db.sales")
obs("GetTable Table keys", sorted(r.json["Table"]))
note("GetTable CreateTime is epoch seconds (JSON number)", isinstance(r.json["Table"]["CreateTime"], (int, float)),
     r.json["Table"]["CreateTime"])

r = glue_raw("GetTables", {"DatabaseName": "probe_db"})
obs("GetTables names (no Expression)", [t["Name"] for t in r.json["TableList"]])
obs("GetTables response keys", sorted(r.json))
for expr in ("sal*", "sal.*", "sales", "SAL*", "*sale*", "sales|orders", "ale"):
    r = glue_raw("GetTables", {"DatabaseName": "probe_db", "Expression": expr})
    obs(f"GetTables Expression={expr!r}", [t["Name"] for t in r.json["TableList"]] if r.json and "TableList" in r.json
        else f"HTTP {r.status} {r.text[:200]}")
r = glue_raw("GetTables", {"DatabaseName": "probe_db", "MaxResults": 2})
note("Glue GetTables ignores MaxResults and returns no NextToken",
     len(r.json["TableList"]) == 5 and "NextToken" not in r.json, len(r.json["TableList"]))

r = glue_raw("GetDatabase", {"Name": "no_such_db"})
r.show("GetDatabase unknown", headers=True)
r = glue_raw("GetTables", {"DatabaseName": "no_such_db"})
r.show("GetTables unknown database")
r = glue_raw("GetTable", {"DatabaseName": "probe_db", "Name": "no_such_table"})
r.show("GetTable unknown table")
r = glue_raw("GetTable", {"DatabaseName": "no_such_db", "Name": "sales"})
r.show("GetTable unknown database")
note("Glue not-found errors are HTTP 400 {\"__type\": \"EntityNotFoundException\", \"message\": ...} (lowercase key)",
     r.status == 400 and r.json.get("__type") == "EntityNotFoundException" and "message" in r.json, r.text)
try:
    glue.get_table(DatabaseName="probe_db", Name="no_such_table")
except ClientError as err:
    obs("boto3 sees", err.response["Error"])

# ------------------------------------------------------------------------------------ 7. signing
section("7. Signatures, routing and X-Amz-Target")
r = athena_raw("ListWorkGroups", {}, secret="not-the-secret")
note("SigV4 with a wrong secret succeeds (moto does not verify signatures)", r.status == 200, r.status)
bogus_auth = (f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20000101/{REGION}/athena/aws4_request, "
              "SignedHeaders=host, Signature=" + "0" * 64)
r = athena_raw("ListWorkGroups", {}, sign=False, authorization=bogus_auth)
note("a garbage Authorization header with a well-formed credential scope succeeds (no X-Amz-Date needed)",
     r.status == 200 and "WorkGroups" in (r.json or {}), r.status)
r = athena_raw("ListWorkGroups", {}, sign=False)
r.show("unsigned AmazonAthena.ListWorkGroups", headers=True)
note("an unsigned request is NOT routed to Athena (moto picks the service from the Authorization credential scope)",
     not (r.json and "WorkGroups" in r.json))
r = glue_raw("GetDatabases", {}, sign=False)
r.show("unsigned AWSGlue.GetDatabases")
r = athena_raw("ListWorkGroups", {}, region=OTHER_REGION)
obs("ListWorkGroups signed for us-east-1 (region comes from the credential scope)",
    [w["Name"] for w in r.json["WorkGroups"]])
r = raw("glue", "AWSGlue.GetTables", {"DatabaseName": "probe_db", "Expression": "orders"})
obs("X-Amz-Target AWSGlue.GetTables", f"HTTP {r.status} {[t['Name'] for t in r.json['TableList']]}")
r = raw("athena", "AmazonAthena.StartQueryExecution", {"QueryString": "SELECT 1"})
obs("X-Amz-Target AmazonAthena.StartQueryExecution", f"HTTP {r.status} {r.json}")
r = raw("athena", "WrongPrefix.ListWorkGroups", {})
r.show("X-Amz-Target WrongPrefix.ListWorkGroups (signed for athena)")
note("the X-Amz-Target prefix is ignored: only the action after the dot and the signing service matter",
     r.status == 200 and "WorkGroups" in (r.json or {}))
r = raw("athena", "AmazonAthena.NoSuchAction", {})
r.show("X-Amz-Target AmazonAthena.NoSuchAction")
r = raw("glue", "AmazonAthena.ListWorkGroups", {})
r.show("Athena target but signed for glue")
r = athena_raw("ListWorkGroups", {}, content_type="application/json")
obs("Content-Type application/json instead of x-amz-json-1.1", f"HTTP {r.status} keys={sorted(r.json or {})}")
r = athena_raw("ListWorkGroups", {}, content_type=None)
obs("no Content-Type", f"HTTP {r.status} keys={sorted(r.json or {})}")

print()
if FAILED:
    print(f"{len(FAILED)} conclusion(s) no longer hold:")
    for f in FAILED:
        print(f"  - {f}")
    sys.exit(1)
print(f"all conclusions hold: {len(HELD)} passed")
