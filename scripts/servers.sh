#!/usr/bin/env bash
# Start PostgreSQL and MariaDB for running `go test` by hand:
#
#   eval "$(./scripts/servers.sh)"
#   go test ./...
#
# It prints `export RETORT_TEST_...` lines and the command that stops them.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test.sh" --servers-only "$@"
