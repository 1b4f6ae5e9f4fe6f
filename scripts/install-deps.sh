#!/usr/bin/env bash
# Installs the Debian packages dure needs, only when something is missing (so repeated runs
# are fast and offline-safe). Usage: scripts/install-deps.sh build|test|bench
set -euo pipefail
what=${1:-build}

build_pkgs=(build-essential cmake ninja-build ccache pkg-config git
            libboost1.81-dev libsoci-dev libsodium-dev libcli11-dev libfmt-dev
            libsqlite3-dev libpq-dev libgtest-dev zlib1g-dev libxlsxwriter-dev libcurl4-openssl-dev libqrencode-dev nodejs npm)
test_pkgs=(postgresql sqlite3 chromium fonts-noto-cjk python3-aiosmtpd nginx-light prometheus)
bench_pkgs=(wrk libbenchmark-dev)

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from outside Debian (e.g. NodeSource); accept any node >= 18 with npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -ge 18 ]; then
    missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
  fi
fi
read -r -a missing <<< "${missing[*]:-}"
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "dure: missing packages: ${missing[*]} — run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "dure: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
