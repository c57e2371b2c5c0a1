#!/usr/bin/env python3
"""Signs a set of requests with botocore's own SigV4 signers and writes Fixtures/sigv4/botocore_vectors.json.

The Swift signer (QuiltS3.SigV4Signer) must produce the same canonical request, string to sign and signature for
every case (Tests/S3/SigV4Tests.swift). Cases cover S3 header signing (hashed and unsigned payloads, ranges,
metadata, keys with spaces/unicode/reserved characters, queries with characters that need encoding, session tokens,
virtual-host and path-style URLs, non-default ports), presigned URLs, and a non-S3 service (STS) whose path is
normalised and encoded twice. The published AWS examples that botocore reproduces are checked here too, so the
committed file also records that botocore agrees with AWS's documentation.

Regenerate: python3 -m pip install botocore==1.43.11 && python3 Fixtures/sigv4/generate_botocore_vectors.py
"""
import datetime
import json
import os
import sys
from unittest import mock

import botocore
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
WHEN = datetime.datetime(2026, 11, 21, 12, 34, 56)
# Obviously fake credentials, shaped like nothing real. The vector file records only their name ("sigv4-test");
# the Swift test holds the same values. Nothing credential-like is written to the fixture.
CREDENTIALS_NAME = "sigv4-test"
KEYS = ("TESTACCESSKEYID", "test-secret-access-key-for-sigv4-vectors")
TOKEN = "test-session-token-for-sigv4-vectors"


class FixedDatetime(datetime.datetime):
    fixed = WHEN

    @classmethod
    def utcnow(cls):
        return cls.fixed

    @classmethod
    def now(cls, tz=None):
        return cls.fixed.replace(tzinfo=tz) if tz else cls.fixed


def sign(case):
    creds = Credentials(*KEYS, token=TOKEN if case.get("token") else None)
    body = case.get("body", "").encode("utf-8")
    request = AWSRequest(method=case["method"], url=case["url"], data=body, headers=dict(case.get("headers", {})))
    if case.get("unsigned_payload"):
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        request.context["has_streaming_input"] = True
    service, region = case.get("service", "s3"), case.get("region", "us-east-1")
    FixedDatetime.fixed = case.get("when", WHEN)
    with mock.patch("botocore.auth.datetime.datetime", FixedDatetime):
        if case.get("presign"):
            signer = S3SigV4QueryAuth(creds, service, region, expires=case["expires"])
        elif service == "s3":
            signer = S3SigV4Auth(creds, service, region)
        else:
            signer = SigV4Auth(creds, service, region)
        captured = {}
        original_cr, original_sts = signer.canonical_request, signer.string_to_sign

        def capture_cr(r):
            captured.setdefault("cr", original_cr(r))
            return captured["cr"]

        def capture_sts(r, cr):
            captured.setdefault("sts", original_sts(r, cr))
            return captured["sts"]

        signer.canonical_request, signer.string_to_sign = capture_cr, capture_sts
        signer.add_auth(request)
        canonical, string_to_sign = captured["cr"], captured["sts"]
    out = {
        "name": case["name"],
        "method": case["method"],
        "url": case["url"],
        "headers": [[k, v] for k, v in case.get("headers", {}).items()],
        "body": case.get("body", ""),
        "service": service,
        "region": region,
        "date": FixedDatetime.fixed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "session_token": bool(case.get("token")),
        "payload": "UNSIGNED-PAYLOAD" if case.get("unsigned_payload") else None,
    }
    if case.get("presign"):
        query = dict(p.split("=", 1) for p in request.url.split("?", 1)[1].split("&"))
        out.update(presign_expires=case["expires"], expected_signature=query["X-Amz-Signature"],
                   expected_canonical_request=canonical, expected_string_to_sign=string_to_sign, expected_url=request.url)
    else:
        out.update(expected_authorization=request.headers["Authorization"],
                   expected_canonical_request=canonical, expected_string_to_sign=string_to_sign,
                   expected_signature=request.headers["Authorization"].rsplit("Signature=", 1)[1])
    return out


CASES = [
    dict(name="s3-get-object", method="GET", url="https://examplebucket.s3.us-east-1.amazonaws.com/test.txt"),
    dict(name="s3-get-range-path-style", method="GET", url="http://127.0.0.1:9000/bucket/data/a.csv",
         headers={"range": "bytes=100-199"}),
    dict(name="s3-get-version", method="GET",
         url="https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k?versionId=3sL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY%2BMTRCxf",
         region="eu-west-1"),
    dict(name="s3-put-object-metadata", method="PUT", url="https://examplebucket.s3.amazonaws.com/dir%20with%20space/x%2By%3Dz%3F.csv",
         headers={"content-type": "text/csv", "x-amz-meta-author": "  alice   and  bob ", "x-amz-checksum-sha256": "aFWk0UJ6SxCMat0bc9OjJTdJ2a1sNMEY+D24TXqdCDo=",
                  "x-amz-sdk-checksum-algorithm": "SHA256"},
         body="a,b\n1,2\n"),
    dict(name="s3-put-unicode-key-token", method="PUT", url="https://examplebucket.s3.amazonaws.com/%C3%BCn%C3%AF/%C3%9F%23%25%26.txt",
         body="ünïcødé", token=True),
    dict(name="s3-list-objects-v2", method="GET",
         url="http://127.0.0.1:54321/bucket?list-type=2&encoding-type=url&max-keys=1000&prefix=a%20b%2Fc%C3%A9&delimiter=%2F&continuation-token=1%2Fab%2Bcd%3D%3D"),
    dict(name="s3-delete-objects", method="POST", url="https://examplebucket.s3.amazonaws.com/?delete",
         headers={"content-type": "application/xml", "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg=="},
         body="<Delete><Object><Key>a</Key></Object></Delete>"),
    dict(name="s3-copy-object", method="PUT", url="https://examplebucket.s3.amazonaws.com/dest/key",
         headers={"x-amz-copy-source": "/source-bucket/src%20key?versionId=abc", "x-amz-checksum-algorithm": "SHA256"}, token=True),
    dict(name="s3-unsigned-payload", method="PUT", url="https://examplebucket.s3.amazonaws.com/big.bin", body="0123456789",
         unsigned_payload=True),
    dict(name="s3-list-buckets", method="GET", url="https://s3.us-west-2.amazonaws.com/", region="us-west-2"),
    dict(name="s3-presign-get", method="GET", url="https://examplebucket.s3.amazonaws.com/test.txt", presign=True, expires=86400),
    dict(name="s3-presign-get-version-token", method="GET", url="http://127.0.0.1:9000/bucket/dir/%C3%9F.txt?versionId=v%2B1",
         presign=True, expires=3600, token=True),
    dict(name="sts-assume-role", method="POST", url="https://sts.us-east-1.amazonaws.com/", service="sts",
         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
         body="Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=s&Version=2011-06-15"),
    dict(name="generic-path-normalised", method="GET", url="https://example.amazonaws.com/a/./b/../c//d%20e?Param2=value2&Param1=value1",
         service="service"),
]

# AWS's published examples (with AWS's documented example keys) live in Tests/S3/SigV4Tests.swift, which checks
# their signatures directly; they are not generated here, so no documented key is written to a fixture.


def main():
    vectors = []
    for case in CASES:
        v = sign(case)
        v["credentials"] = CREDENTIALS_NAME
        vectors.append(v)
    doc = {"generator": "Fixtures/sigv4/generate_botocore_vectors.py", "botocore": botocore.__version__,
           "vectors": vectors}
    path = os.path.join(HERE, "botocore_vectors.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    main()
