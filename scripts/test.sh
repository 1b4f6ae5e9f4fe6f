#!/usr/bin/env bash
# Runs every test suite against a freshly built dure: C++ unit and storage tests (SQLite and a
# private PostgreSQL), HTTP tests against a real server (on SQLite, and the API suites again on
# PostgreSQL), and browser tests in Debian's Chromium. Prints one summary line at the end.
# Test files run side by side (each starts its own server on its own database, see
# tests/lib/server.mjs): DURE_TEST_JOBS files at once for the HTTP suites (default 3), DURE_BROWSER_JOBS
# for the browser suite (default 2), and ctest runs DURE_CTEST_JOBS tests at once (default: the cores).
# A test or file that runs 10 minutes is stopped as hung (files side by side each take longer than alone).
# DURE_TEST_SUITES picks suites (default "ctest http http-postgresql browser"); each one's wall time
# is printed before the summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(mktemp -d /tmp/dure-test.XXXXXX)
trap 'rm -rf "$out"' EXIT
status=0
jobs=${DURE_TEST_JOBS:-3}
browser_jobs=${DURE_BROWSER_JOBS:-2}
ctest_jobs=${DURE_CTEST_JOBS:-$(nproc)}
timings=()
ran=()  # node suites that ran: each must have left its TAP file
suites=" ${DURE_TEST_SUITES:-ctest http http-postgresql browser} "

section() { printf '\n==== %s ====\n' "$*"; }
timed() {  # label, command...: runs the command (if its suite is picked) and records its wall time
  local label=$1; shift
  [[ "$suites" == *" $label "* ]] || return 0
  local t0=$SECONDS
  "$@"
  timings+=("$label $((SECONDS - t0)) s")
}

ctest_suite() {
  section "C++ unit and storage tests (SQLite + PostgreSQL)"
  DURE_REQUIRE_PG=1 ctest --test-dir build --output-on-failure --timeout 300 -j "$ctest_jobs" 2>&1 | tee "$out/ctest.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}
timed ctest ctest_suite

node_suite() {  # name, concurrency, files...
  local name=$1 concurrency=$2; shift 2
  section "$name"
  node --test --test-concurrency="$concurrency" --test-timeout=600000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$out/$name.tap" "$@"
  local rc=$?
  [ "$rc" -eq 0 ] || status=1
  ran+=("$name")
}

timed http node_suite http "$jobs" tests/http/*.test.mjs
DURE_HTTP_DB=postgresql timed http-postgresql node_suite http-postgresql "$jobs" tests/http/auth.test.mjs tests/http/admin.test.mjs tests/http/persons.test.mjs tests/http/eligibility.test.mjs tests/http/outreach.test.mjs tests/http/screening.test.mjs tests/http/cases.test.mjs tests/http/checkins.test.mjs tests/http/surveys.test.mjs tests/http/workload.test.mjs tests/http/staff_directory.test.mjs tests/http/screening_missed.test.mjs tests/http/privacy.test.mjs tests/http/consents.test.mjs tests/http/staff_names.test.mjs tests/http/scope.test.mjs tests/http/privacy_matrix.test.mjs tests/http/outreach_trust.test.mjs tests/http/survey_snapshots.test.mjs tests/http/audit_anchor.test.mjs tests/http/api_tokens.test.mjs tests/http/access_log_reads.test.mjs tests/http/scale_out.test.mjs tests/http/idempotency.test.mjs tests/http/durability_kill.test.mjs tests/http/metrics.test.mjs tests/http/sharing.test.mjs tests/http/sharing_changes.test.mjs tests/http/sharing_projects.test.mjs tests/http/giving.test.mjs tests/http/giving-campaigns.test.mjs tests/http/applications.test.mjs tests/http/community.test.mjs tests/http/community-staff.test.mjs tests/http/community-academy.test.mjs tests/http/community-market.test.mjs
timed browser node_suite browser "$browser_jobs" tests/e2e/*.test.mjs

# One closing line over every suite.
touch "$out/ctest.log"
ctest_total=$(grep -Eo 'tests failed out of [0-9]+' "$out/ctest.log" | grep -Eo '[0-9]+$' || echo 0)
ctest_failed=$(grep -Eo '[0-9]+ tests failed out of' "$out/ctest.log" | grep -Eo '^[0-9]+' || echo 0)
passed=$(( ${ctest_total:-0} - ${ctest_failed:-0} ))
failed=${ctest_failed:-0}
for name in ${ran[@]+"${ran[@]}"}; do
  tap="$out/$name.tap"
  [ -f "$tap" ] || { failed=$((failed + 1)); continue; }
  p=$(grep -E '^# pass ' "$tap" | tail -n 1 | awk '{print $3}')
  f=$(grep -E '^# fail ' "$tap" | tail -n 1 | awk '{print $3}')
  c=$(grep -E '^# cancelled ' "$tap" | tail -n 1 | awk '{print $3}')  # a file that timed out is "cancelled"
  f=$((${f:-0} + ${c:-0}))
  [ -n "$p" ] || f=$((f + 1))  # a run cut short leaves no totals: count it as a failure
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
[ "$failed" -eq 0 ] || status=1
echo
echo "wall time per suite: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
echo "${passed} passed, ${failed} failed"
exit $status
