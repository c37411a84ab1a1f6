#!/usr/bin/env bash
# Installs the Debian bookworm packages shipline needs to build, run and test,
# skipping those already present. Runs as root (or through sudo when available).
set -euo pipefail

build_packages=(build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-context1.81-dev
  libsqlite3-dev libcurl4-openssl-dev libssl-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libpq-dev libtomlplusplus-dev
  # curl: the README's walkthrough talks to the server with it.
  curl
  # tzdata is a runtime dependency too: the shipping order contract writes
  # status-history times in a location's IANA time zone, with the zone's
  # abbreviation, from /usr/share/zoneinfo.
  tzdata)
# postgresql: the throwaway server `make test` starts (initdb, pg_ctl, psql).
# nodejs (and npm, unless a Node.js install brought its own): the OpenAPI
# validator (tests/openapi, from the npm registry, versions pinned by its
# package-lock.json), which Debian does not package.
# python3-prometheus-client: the metrics test parses /metrics with its text parser.
# chromium: the browser the console test drives (tests/console, through
# playwright-core from the npm registry, which downloads no browser).
# openssl: the broker TLS test makes its CA, certificate and PKCS12 key store.
test_packages=(python3 python3-pytest python3-aiosmtpd python3-prometheus-client curl activemq
               postgresql nodejs chromium openssl)

# clang and its runtime libraries (libFuzzer, the sanitizers' runtimes):
# `make fuzz` only.
fuzz_packages=(clang libclang-rt-dev)

# debootstrap and systemd-nspawn: the package tests in a throwaway Debian root
# (`make test-deb`, `make test-systemd`, `make test-fresh`) only.
package_packages=(debootstrap systemd-container)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--package" ]]; then
  wanted+=("${package_packages[@]}")
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  wanted+=("${fuzz_packages[@]}")
fi
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
  if ! command -v npm >/dev/null; then wanted+=(npm); fi
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" ]]; then
  checker="$(cd "$(dirname "$0")/.." && pwd)/tests/openapi"
  if [[ ! -d "$checker/node_modules/@apidevtools/swagger-parser" ]]; then
    echo "installing the OpenAPI validator into $checker/node_modules"
    npm ci --prefix "$checker" --no-audit --no-fund --silent
  fi
  console="$(cd "$(dirname "$0")/.." && pwd)/tests/console"
  if [[ ! -d "$console/node_modules/playwright-core" || ! -d "$console/node_modules/axe-core" ]]; then
    echo "installing the console test's browser driver and accessibility checker into $console/node_modules"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$console" --no-audit --no-fund --silent
  fi
fi
