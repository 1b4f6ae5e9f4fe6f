#!/usr/bin/env bash
# Runs every test suite against a freshly built dure: C++ unit and storage tests (SQLite and a
# private PostgreSQL), HTTP tests against a real server (on SQLite, and the API suites again on
# PostgreSQL), and browser tests in Debian's Chromium. Prints one summary line at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(mktemp -d /tmp/dure-test.XXXXXX)
trap 'rm -rf "$out"' EXIT
status=0

section() { printf '\n==== %s ====\n' "$*"; }

section "C++ unit and storage tests (SQLite + PostgreSQL)"
DURE_REQUIRE_PG=1 ctest --test-dir build --output-on-failure --timeout 300 2>&1 | tee "$out/ctest.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

node_suite() {  # name, files...
  local name=$1; shift
  section "$name"
  node --test --test-concurrency=1 --test-timeout=300000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$out/$name.tap" "$@"
  local rc=$?
  [ "$rc" -eq 0 ] || status=1
}

node_suite http tests/http/*.test.mjs
DURE_HTTP_DB=postgresql node_suite http-postgresql tests/http/auth.test.mjs tests/http/admin.test.mjs tests/http/persons.test.mjs tests/http/eligibility.test.mjs tests/http/outreach.test.mjs tests/http/screening.test.mjs tests/http/cases.test.mjs tests/http/checkins.test.mjs tests/http/surveys.test.mjs tests/http/workload.test.mjs tests/http/staff_directory.test.mjs tests/http/screening_missed.test.mjs tests/http/privacy.test.mjs tests/http/scope.test.mjs tests/http/privacy_matrix.test.mjs tests/http/outreach_trust.test.mjs tests/http/survey_snapshots.test.mjs tests/http/audit_anchor.test.mjs tests/http/api_tokens.test.mjs tests/http/access_log_reads.test.mjs tests/http/scale_out.test.mjs
node_suite browser tests/e2e/*.test.mjs

# One closing line over every suite.
ctest_total=$(grep -Eo 'tests failed out of [0-9]+' "$out/ctest.log" | grep -Eo '[0-9]+$' || echo 0)
ctest_failed=$(grep -Eo '[0-9]+ tests failed out of' "$out/ctest.log" | grep -Eo '^[0-9]+' || echo 0)
passed=$(( ${ctest_total:-0} - ${ctest_failed:-0} ))
failed=${ctest_failed:-0}
for tap in "$out"/*.tap; do
  [ -f "$tap" ] || { failed=$((failed + 1)); continue; }
  p=$(grep -E '^# pass ' "$tap" | tail -n 1 | awk '{print $3}')
  f=$(grep -E '^# fail ' "$tap" | tail -n 1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
[ "$failed" -eq 0 ] || status=1
echo
echo "${passed} passed, ${failed} failed"
exit $status
