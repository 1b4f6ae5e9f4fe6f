#!/usr/bin/env bash
# Runs a command with a private, throw-away PostgreSQL 15: initdb in a temp dir, a free port on
# 127.0.0.1, trust auth, stopped and deleted at exit. The command sees DURE_TEST_PG.
# Usage: scripts/with-postgres.sh CMD [ARGS...]
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/dure-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
       || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
"${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres dure_test
export DURE_TEST_PG="postgresql://postgres@127.0.0.1:$port/dure_test"
echo "dure: private PostgreSQL on 127.0.0.1:$port"
set +e
"$@"
rc=$?
set -e
exit $rc
