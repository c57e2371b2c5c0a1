#!/usr/bin/env bash
# Re-records the S3 fixtures (Fixtures/s3/*.json) against a fresh moto_server on loopback.
#
#   Fixtures/s3/record.sh                      # every S3 fixture (all conformance scenarios)
#   Fixtures/s3/record.sh 'createThenBrowse'   # only the tests whose name matches (a `swift test --filter`)
#
# Against real AWS instead: QUILT_FIXTURES=record QUILT_FIXTURES_S3_BUCKET_PREFIX=<unique-prefix>- \
#   AWS_PROFILE=<profile> AWS_REGION=<region> swift test --filter <filter>   (buckets are created and removed).
# Recording refuses to run when CI is set. Review the diff of Fixtures/s3 before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${CI:-}" ]; then echo "record.sh: refusing to record with CI set" >&2; exit 1; fi
read -r port pid < <(Fixtures/s3/moto.sh)
trap 'kill "$pid" 2>/dev/null || true' EXIT
moto_version=$(python3 -c 'import moto; print(moto.__version__)')
QUILT_FIXTURES=record QUILT_FIXTURES_S3_ENDPOINT="http://127.0.0.1:$port" QUILT_FIXTURES_S3_SERVER="moto $moto_version" \
    swift test --filter "${1:-ConformanceTests}"
