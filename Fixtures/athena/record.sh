#!/usr/bin/env bash
# Re-records the Athena fixtures (Fixtures/athena/*.json) against a fresh moto_server on loopback.
#
#   Fixtures/athena/record.sh                 # every Athena scenario
#   Fixtures/athena/record.sh 'glueCatalog'   # only the tests whose name matches (a `swift test --filter`)
#
# moto runs no SQL: each scenario queues the rows its queries answer through moto's own API, as the fixtures show.
# Recording refuses to run when CI is set. Review the diff of Fixtures/athena before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${CI:-}" ]; then echo "record.sh: refusing to record with CI set" >&2; exit 1; fi
read -r port pid < <(Fixtures/s3/moto.sh)
trap 'kill "$pid" 2>/dev/null || true' EXIT
moto_version=$(python3 -c 'import moto; print(moto.__version__)')
QUILT_FIXTURES=record QUILT_FIXTURES_ATHENA_ENDPOINT="http://127.0.0.1:$port" QUILT_FIXTURES_ATHENA_SERVER="moto $moto_version" \
    swift test --filter "${1:-Athena(Tool)?Scenarios}"
