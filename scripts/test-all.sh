#!/usr/bin/env bash
# Every test, in order: Swift (SQLite and the PostgreSQL that with-postgres.sh started),
# Python integration and browser tests against the real binary, then the agent's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${GURU_TEST_POSTGRES_URL:?run me through scripts/with-postgres.sh}"
echo "== Swift tests (SQLite + PostgreSQL)"
swift test --skip-build
echo "== Integration and browser tests"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/integration tests/browser
if [ -f agent/agent.mk ]; then
  echo "== Agent tests (ASan/UBSan, Xvfb, fuzzing)"
  make --no-print-directory agent-test
fi
