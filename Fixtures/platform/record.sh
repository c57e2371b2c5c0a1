#!/usr/bin/env bash
# Re-records the Platform fixtures (Fixtures/platform/*.json) that the `platform-replay` conformance harness replays.
#
#   Fixtures/platform/record.sh                  # every scenario, against an in-process fake catalog over loopback HTTP
#   Fixtures/platform/record.sh 'largeBrowse'    # only the tests whose name matches (a `swift test --filter`)
#
# Against a real catalog instead (buckets <QUILT_TEST_BUCKET_PREFIX>quilt-c-<scenario> must exist there; their
# packages are deleted before each case):
#   QUILT_CATALOG_URL=https://catalog.example.com QUILT_TEST_JWT=<token> QUILT_TEST_BUCKET_PREFIX=<prefix> \
#     Fixtures/platform/record.sh
# Recording refuses to run when CI is set. Review the diff of Fixtures/platform before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${CI:-}" ]; then echo "record.sh: refusing to record with CI set" >&2; exit 1; fi
QUILT_FIXTURES_PLATFORM=record swift test --filter "${1:-ConformanceTests}"
