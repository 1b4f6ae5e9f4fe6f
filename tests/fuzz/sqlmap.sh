#!/usr/bin/env bash
# Runs sqlmap (Debian package `sqlmap`) against a scratch `dure serve` on 127.0.0.1: the public
# endpoints anonymously and the staff API with a district administrator's session cookie and
# CSRF header. Each target is bounded in time. Prints one line per target and the server's
# status counts from its access log (a 5xx there is a finding even when sqlmap finds nothing).
#   tests/fuzz/sqlmap.sh [seconds per target, default 150] [parallel targets, default 4] [target name regex]
# Needs build/dure (and nothing else of the repository's state: the database is a temp file).
set -uo pipefail
cd "$(dirname "$0")/../.."
per=${1:-150}
par=${2:-4}
only=${3:-.}
dure=${DURE_BIN:-build/dure}
work=$(mktemp -d /tmp/dure-sqlmap.XXXXXX)
export DURE_DB="sqlite:$work/dure.db" DURE_KEY_FILE="$work/dure.key" DURE_ALERT_INTERVAL=86400
"$dure" demo --accounts-out "$work/accounts.json" >/dev/null 2>&1
# --trust-proxy: the throttled targets (login, public report) are sent with sqlmap's xforwardedfor
# tamper, a random X-Forwarded-For per request, so the per-address limits do not hide the endpoint.
"$dure" serve --listen 127.0.0.1:0 --trust-proxy --access-log "$work/access.log" 2>"$work/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  port=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$work/server.err" | grep -oE '[0-9]+$')
  [ -n "$port" ] && break
  sleep 0.2
done
B="http://127.0.0.1:$port"
echo "server $B, work dir $work"

admin_login=$(node -p "require('$work/accounts.json').find(a => a.role === 'district_admin').login")
admin_pw=$(node -p "require('$work/accounts.json').find(a => a.role === 'district_admin').password")
login=$(curl -s -D "$work/login.h" -H 'Content-Type: application/json' \
  -d "{\"login\":\"$admin_login\",\"password\":\"$admin_pw\"}" "$B/api/v1/auth/login")
cookie=$(grep -oE 'dure_session=[^;]+' "$work/login.h")
csrf=$(node -p "JSON.parse(process.argv[1]).csrf_token" "$login")
dong=$(curl -s "$B/api/v1/districts" | node -p "JSON.parse(require('fs').readFileSync(0)).at(0).dongs[0].id")
staff=(-H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json')
person=$(curl -s "${staff[@]}" -d "{\"name\":\"검사\",\"phone\":\"01055500099\",\"dong_id\":$dong}" "$B/api/v1/persons" | node -p "JSON.parse(require('fs').readFileSync(0)).id")
household=$(curl -s "${staff[@]}" -d "{\"channel\":\"counter\",\"dong_id\":$dong,\"address\":\"은행로 1\",\"concern\":\"난방\"}" "$B/api/v1/outreach/intake" | node -p "JSON.parse(require('fs').readFileSync(0)).household_id")
case_id=$(curl -s "${staff[@]}" -d "{\"household_id\":$household}" "$B/api/v1/cases" | node -p "JSON.parse(require('fs').readFileSync(0)).id")
service=$(curl -s "$B/api/v1/services?page=1" | node -p "JSON.parse(require('fs').readFileSync(0)).items[0].id")
hsds_service=$(curl -s "$B/hsds/services?page=1" | node -p "JSON.parse(require('fs').readFileSync(0)).contents[0].id")
echo "service $service, HSDS service $hsds_service"
echo "staff session ok; person $person, household $household, case $case_id, dong $dong"

# Moderate: level 3 (also cookies, User-Agent, Referer), risk 2 (heavy time-based queries),
# every technique, non-interactive, no state carried between runs.
common=(--batch --level=3 --risk=2 --flush-session --disable-coloring --time-sec=2 --timeout=10 --retries=1
  --answers="follow=N,process=Y,keep testing=Y")
SEP='|'  # not a whitespace character: `read` would merge empty fields
targets=(
  "search GET${SEP}$B/api/v1/services?q=%EA%B8%B0%EC%B4%88%EC%97%B0%EA%B8%88&topic=housing&dong=$dong&page=1"
  "search POST${SEP}$B/api/v1/services/search${SEP}{\"q\":\"연금\",\"topic\":[\"housing\"],\"life_stage\":[\"senior\"]}"
  "service by id${SEP}$B/api/v1/services/${service}*"
  "facilities${SEP}$B/api/v1/facilities?q=%EB%B3%B5%EC%A7%80&dong=$dong&near=37.5,127.0,500&page=1"
  "simulations${SEP}$B/api/v1/simulations?trace=1${SEP}{\"date\":\"2026-03-01\",\"household\":{\"members\":[{\"relation\":\"self\",\"age\":80}],\"residence\":{\"tenure\":\"monthly_rent\",\"rent\":250000},\"recognized_income\":420000}}"
  "public report${SEP}$B/api/v1/outreach/reports${SEP}{\"address\":\"은행로 1\",\"concern\":\"연락이 안 됨\",\"urgency\":\"normal\",\"dong_id\":$dong,\"contact\":\"01000000000\"}${SEP}throttled"
  "statistics${SEP}$B/api/v1/statistics?indicator=aged_65_share&year=2022&district_id=1"
  "hsds services${SEP}$B/hsds/services?page=1&per_page=10&taxonomy_term_id=1"
  "hsds service id${SEP}$B/hsds/services/${hsds_service}*"
  "login${SEP}$B/api/v1/auth/login${SEP}{\"login\":\"nobody@example.org\",\"password\":\"x-wrong-password\"}${SEP}throttled"
  "staff persons by phone${SEP}$B/api/v1/persons?phone=01055500099${SEP}${SEP}staff"
  "staff person id${SEP}$B/api/v1/persons/${person}*${SEP}${SEP}staff"
  "staff accounts${SEP}$B/api/v1/admin/accounts?q=admin%40demo.dure.kr&page=1${SEP}${SEP}staff"
  "staff access log${SEP}$B/api/v1/admin/access-log?person_id=$person&page=1${SEP}${SEP}staff"
  "staff queue${SEP}$B/api/v1/outreach/queue?dong_id=$dong&status=open&assigned_to=me&page=1${SEP}${SEP}staff"
  "staff cases${SEP}$B/api/v1/cases?dong=$dong&scope=all${SEP}${SEP}staff"
  "staff create person${SEP}$B/api/v1/persons${SEP}{\"name\":\"검사\",\"phone\":\"01055500098\",\"address\":\"은행로 2\",\"dong_id\":$dong}${SEP}staff"
  "staff case note${SEP}$B/api/v1/cases/$case_id/notes${SEP}{\"text\":\"메모\"}${SEP}staff"
)

run_one() {
  local spec=$1 name url data who log
  IFS="$SEP" read -r name url data who <<<"$spec"
  log="$work/$(echo "$name" | tr ' +' '__').log"
  local args=(-u "$url" --output-dir="$log.out")
  [ -n "$data" ] && args+=(--data "$data")
  # Login answers 401 to a wrong password (its normal answer); both are limited per address.
  [ "$who" = throttled ] && args+=(--ignore-code=401,429 --tamper=xforwardedfor)
  if [ "$who" = staff ]; then
    # The session cookie and CSRF token are not themselves tested (they would only log us out).
    args+=(--cookie "$cookie" --headers "X-CSRF-Token: $csrf
X-Access-Reason: sqlmap security test" --skip "dure_session,X-CSRF-Token")
  fi
  local t0=$SECONDS
  timeout "$per" sqlmap "${common[@]}" "${args[@]}" >"$log" 2>&1
  local rc=$? verdict
  # "appears to be … injectable" is only a candidate; sqlmap then checks it for a false positive.
  if grep -qE "sqlmap identified the following injection|is vulnerable" "$log"; then verdict="INJECTABLE"
  elif grep -q "all tested parameters do not appear to be injectable" "$log"; then verdict="not injectable (all tested)"
  elif [ $rc -eq 124 ]; then verdict="not injectable so far (stopped at ${per}s)"
  else verdict="ended rc=$rc: $(grep -E 'CRITICAL|ERROR' "$log" | tail -1)"; fi
  local tested
  tested=$(grep -oE "testing (if )?(GET|POST|JSON|URI|Cookie|User-Agent|Referer|Host|\(custom\)|\(custom\) POST)[^']*'[^']+'" "$log" | grep -oE "'[^']+'$" | sort -u | tr '\n' ' ')
  local fp
  fp=$(grep -c "false positive or unexploitable" "$log")
  [ "$fp" -gt 0 ] && verdict="$verdict; $fp candidate(s) refuted as false positive"
  printf '%-26s %-40s %4ds  params: %s\n' "$name" "$verdict" $((SECONDS - t0)) "$tested"
}



running=0
for spec in "${targets[@]}"; do
  [[ "${spec%%|*}" =~ $only ]] || continue
  run_one "$spec" &
  running=$((running + 1))
  if [ $running -ge "$par" ]; then wait -n; running=$((running - 1)); fi
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null

echo
if kill -0 $pid 2>/dev/null; then echo "server still running"; else echo "SERVER DIED"; fi
echo "requests by status (server access log):"
node -e "
const lines = require('fs').readFileSync('$work/access.log', 'utf8').trim().split('\n').map(JSON.parse);
const by = {}; for (const l of lines) by[l.status] = (by[l.status] || 0) + 1;
console.log('  total', lines.length, JSON.stringify(by));
const bad = lines.filter((l) => l.status >= 500);
for (const l of bad.slice(0, 20)) console.log('  5xx:', l.method, l.path, l.status, l.request_id);
"
grep -E 'failed:' "$work/server.err" | head -20
echo "logs: $work"
