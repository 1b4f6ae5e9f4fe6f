#!/usr/bin/env bash
# HTTP throughput baseline: dure's GET /healthz against a private nginx serving the same bytes as
# a static file, both on loopback, measured with wrk. Prints requests/s of each, the ratio
# dure/nginx (target >= 0.7) and dure's idle RSS (target < 40 MB). Prints figures, never fails on
# them. Builds nothing: uses build/dure (or $DURE_BIN), Debian wrk and nginx.
#
# Env: DURE_BIN, WRK_THREADS (2), WRK_CONNS (64), WRK_SECS (10), NGINX_WORKERS (auto),
#      BENCH_PATH (/healthz: the dure path to load), BENCH_TARGET (0.7: the ratio to reach).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dure="${DURE_BIN:-$root/build/dure}"
threads="${WRK_THREADS:-2}"
conns="${WRK_CONNS:-64}"
secs="${WRK_SECS:-10}"
nginx_workers="${NGINX_WORKERS:-auto}"
bench_path="${BENCH_PATH:-/healthz}"
target="${BENCH_TARGET:-0.7}"

for tool in wrk nginx curl node; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light curl)" >&2; exit 2; }
done
[[ -x "$dure" ]] || { echo "missing $dure: build dure first" >&2; exit 2; }

tmp="$(mktemp -d /tmp/dure-bench-http.XXXXXX)"
chmod 755 "$tmp" # nginx workers run as an unprivileged user and must read the docroot
dure_pid=""; nginx_pid=""
cleanup() {
  [[ -n "$dure_pid" ]] && kill "$dure_pid" 2>/dev/null && wait "$dure_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'
}

# Waits until `url` answers, at most ~10 s.
wait_http() {
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}

# --- dure -----------------------------------------------------------------------------------
export DURE_DB="sqlite:$tmp/dure.db" DURE_KEY_FILE="$tmp/dure.key"
mkdir -p "$tmp/web"
echo '<!doctype html><title>bench</title>' >"$tmp/web/index.html"
"$dure" demo --accounts-out "$tmp/accounts.json" >/dev/null 2>"$tmp/demo.err" || { cat "$tmp/demo.err" >&2; exit 1; }
# Starts dure with the given --access-log value; sets dure_pid and dure_port.
start_dure() {
  : >"$tmp/dure.err"
  "$dure" serve --listen 127.0.0.1:0 --web-root "$tmp/web" --access-log "$1" 2>"$tmp/dure.err" >/dev/null &
  dure_pid=$!
  dure_port=""
  for _ in $(seq 1 200); do
    dure_port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/dure.err" | head -1)"
    [[ -n "$dure_port" ]] && break
    kill -0 "$dure_pid" 2>/dev/null || { cat "$tmp/dure.err" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$dure_port" ]] || { echo "dure did not start" >&2; cat "$tmp/dure.err" >&2; exit 1; }
}
start_dure "$tmp/dure-access.log"
dure_url="http://127.0.0.1:$dure_port$bench_path"
wait_http "$dure_url"
sleep 1
idle_rss_kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$dure_pid/status")"

# --- nginx serving the identical bytes -------------------------------------------------------
mkdir -p "$tmp/www" "$tmp/nginx-tmp"
curl -fsS "$dure_url" >"$tmp/www/body"
nginx_port="$(free_port)"
cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes $nginx_workers;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $tmp/nginx-access.log;
  client_body_temp_path $tmp/nginx-tmp/body;
  proxy_temp_path $tmp/nginx-tmp/proxy;
  fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
  uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
  scgi_temp_path $tmp/nginx-tmp/scgi;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
    location = /body { default_type application/json; }
  }
}
EOF
nginx -p "$tmp/" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/body"
wait_http "$nginx_url"
cmp -s <(curl -fsS "$dure_url") <(curl -fsS "$nginx_url") || { echo "nginx and dure bodies differ" >&2; exit 1; }

# --- load ------------------------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
echo "== wrk -t$threads -c$conns -d${secs}s, $(nproc) CPUs, body $(wc -c <"$tmp/www/body") bytes"
wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$dure_url" >"$tmp/wrk-dure.txt"
wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$nginx_url" >"$tmp/wrk-nginx.txt"
after_rss_kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$dure_pid/status")"

echo "-- dure  $dure_url"; grep -E 'Latency  |99%|Requests/sec|Non-2xx|errors' "$tmp/wrk-dure.txt" || true
echo "-- nginx $nginx_url (worker_processes $nginx_workers)"; grep -E 'Latency  |99%|Requests/sec|Non-2xx|errors' "$tmp/wrk-nginx.txt" || true

dure_rps="$(rps "$tmp/wrk-dure.txt")"; nginx_rps="$(rps "$tmp/wrk-nginx.txt")"
echo
printf 'dure  requests/s: %s\n' "${dure_rps:-n/a}"
printf 'nginx requests/s: %s\n' "${nginx_rps:-n/a}"
if [[ -n "$dure_rps" && -n "$nginx_rps" ]]; then
  awk -v d="$dure_rps" -v n="$nginx_rps" -v t="$target" 'BEGIN { r = d / n; printf "ratio dure/nginx: %.2f (target >= %.2f: %s)\n", r, t, (r >= t ? "met" : "NOT met") }'
fi
awk -v k="$idle_rss_kb" 'BEGIN { printf "dure idle RSS: %.1f MB (target < 40 MB: %s)\n", k / 1024, (k / 1024 < 40 ? "met" : "NOT met") }'
awk -v k="$after_rss_kb" 'BEGIN { printf "dure RSS after load: %.1f MB\n", k / 1024 }'

# For information: the same run with dure's access log off, to show what logging costs.
if [[ "${BENCH_NOLOG:-1}" == 1 ]]; then
  kill "$dure_pid" && wait "$dure_pid" 2>/dev/null || true
  start_dure ""
  wait_http "http://127.0.0.1:$dure_port/healthz"
  wrk -t"$threads" -c"$conns" -d"${secs}s" "http://127.0.0.1:$dure_port$bench_path" >"$tmp/wrk-dure-nolog.txt"
  nolog_rps="$(rps "$tmp/wrk-dure-nolog.txt")"
  printf 'dure requests/s without access log (info): %s' "${nolog_rps:-n/a}"
  [[ -n "$nolog_rps" && -n "$nginx_rps" ]] && awk -v d="$nolog_rps" -v n="$nginx_rps" 'BEGIN { printf " (ratio to nginx %.2f)", d / n }'
  echo
fi
