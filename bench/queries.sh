#!/usr/bin/env bash
# Operator queries at a million orders: seeds 1,000,000 orders with 2 shipments
# each into a fresh SQLite data folder and records, per filter, p50 and p99 of
# a 50-row page of GET /api/v1/orders or /api/v1/shipments, beside nginx
# serving the same bytes in the same run (bench/queries_bench.py).
#
#   bench/queries.sh [--orders N] [--requests N] [--bin PATH]
#
# Needs a Release build (build/shipline) and nginx (apt-get install nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 bench/queries_bench.py "$@"
