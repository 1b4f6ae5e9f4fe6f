#!/usr/bin/env bash
# Catalogue search over HTTP: GET /api/v1/services?q=어르신 돌봄 on the demo catalogue (3,000
# services) under wrk at 64 connections, against nginx serving a static file of the same bytes in
# the same run. Prints both requests/s and the ratio (target >= 0.5). See bench/http.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_PATH="${BENCH_PATH:-/api/v1/services?q=%EC%96%B4%EB%A5%B4%EC%8B%A0%20%EB%8F%8C%EB%B4%84}" \
BENCH_TARGET="${BENCH_TARGET:-0.5}" BENCH_NOLOG="${BENCH_NOLOG:-0}" exec "$here/http.sh"
