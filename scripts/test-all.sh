#!/usr/bin/env bash
# Every test, in order: Swift (SQLite and the PostgreSQL that with-postgres.sh started),
# Python integration and browser tests against the real binary, then the agent's tests.
# Ends with one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
: "${GURU_TEST_POSTGRES_URL:?run me through scripts/with-postgres.sh}"
LOGS=$(mktemp -d /tmp/guru-test-logs.XXXXXX)
trap 'rm -rf "$LOGS"' EXIT

echo "== Swift tests (SQLite + PostgreSQL)"
swift test --skip-build 2>&1 | tee "$LOGS/swift.log"
echo "== Integration and browser tests"
# The end-to-end tests must run here, not skip: fail if the agent build or an X tool is missing.
export GURU_REQUIRE_REAL_AGENT=1
.venv/bin/python -m pytest -q -p no:cacheprovider tests/integration tests/browser 2>&1 | tee "$LOGS/pytest.log"
if [ -f agent/agent.mk ]; then
  echo "== Agent tests (ASan/UBSan, Xvfb, fuzzing)"
  make --no-print-directory agent-test 2>&1 | tee "$LOGS/agent.log"
fi
if [ -f agent/win.mk ]; then
  echo "== Windows agent under Wine (unit tests, then the real server and Chromium)"
  make --no-print-directory agent-win-test 2>&1 | tee "$LOGS/wine-unit.log"
  GURU_WINE_TESTS=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/wine 2>&1 | tee "$LOGS/wine.log"
fi

# pipefail has stopped us on any failure above; count what ran.
swift_count=$(grep -oE "Test run with [0-9]+ tests" "$LOGS/swift.log" | grep -oE "[0-9]+" | tail -n 1)
xctest_count=$(grep -oE "Executed [0-9]+ tests" "$LOGS/swift.log" | grep -oE "[0-9]+" | tail -n 1)
pytest_count=$(grep -oE "[0-9]+ passed" "$LOGS/pytest.log" | grep -oE "[0-9]+" | tail -n 1)
agent_count=$(grep -oE "tests failed out of [0-9]+" "$LOGS/agent.log" 2>/dev/null | grep -oE "[0-9]+$" | tail -n 1)
wine_unit_count=$(grep -oE "tests failed out of [0-9]+" "$LOGS/wine-unit.log" 2>/dev/null | grep -oE "[0-9]+$" | tail -n 1)
wine_count=$(grep -oE "[0-9]+ passed" "$LOGS/wine.log" 2>/dev/null | grep -oE "[0-9]+" | tail -n 1)
total=$(( ${swift_count:-0} + ${xctest_count:-0} + ${pytest_count:-0} + ${agent_count:-0} + ${wine_unit_count:-0} + ${wine_count:-0} ))
echo "swift ${swift_count:-0}, python ${pytest_count:-0}, agent ctest ${agent_count:-0}, wine ctest ${wine_unit_count:-0}, wine e2e ${wine_count:-0}"
echo "${total} passed, 0 failed"
