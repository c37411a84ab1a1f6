#!/usr/bin/env bash
# The completion benchmark: complete-shipment requests against pre-created
# RELEASED shipments on the durable default (SQLite, synchronous=FULL), and in
# the same run nginx returning the same 200 body: the machine's HTTP ceiling.
#
#   bench/run.sh [seconds] [connections]
#
# Needs wrk and nginx (apt-get install wrk nginx-light); loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}
BIN=${SHIPLINE_BIN:-build/shipline}
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# The reference first.
NGINX_PORT=$(free_port)
sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|$NGINX_PORT|g" bench/nginx.conf.in > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_port "$NGINX_PORT"
echo "== nginx fixed 200 (reference)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/complete_shipment.lua \
  "http://127.0.0.1:$NGINX_PORT" | tee "$WORK/nginx.txt"
kill "$(cat "$WORK/nginx.pid")"

PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$PORT" --data "$WORK/data" ${SHIPLINE_BENCH_FLAGS:-} \
  > "$WORK/out.txt" 2> "$WORK/shipline.log" &
echo $! > "$WORK/shipline.pid"
wait_port "$PORT"
export SHIPLINE_KEY
SHIPLINE_KEY=$(grep -o 'sl_[0-9a-f]*' "$WORK/out.txt")

echo "== creating orders (twice as long as the completion run, so none runs out)"
wrk -t2 -c"$CONNECTIONS" -d"$((SECONDS_PER_RUN * 2))s" -s bench/create_orders.lua \
  "http://127.0.0.1:$PORT" | tee "$WORK/create.txt"
echo "== complete-shipment on SQLite (durable)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/complete_shipment.lua \
  "http://127.0.0.1:$PORT" | tee "$WORK/complete.txt"

rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
echo
echo "nginx reference:   $(rate "$WORK/nginx.txt") req/s, p99 $(p99 "$WORK/nginx.txt")"
echo "complete-shipment: $(rate "$WORK/complete.txt") req/s, p99 $(p99 "$WORK/complete.txt")"
awk -v a="$(rate "$WORK/complete.txt")" -v b="$(rate "$WORK/nginx.txt")" \
  'BEGIN { printf "ratio:             %.2f of the HTTP ceiling\n", a / b }'
grep -q "Non-2xx" "$WORK/complete.txt" && echo "WARNING: some completions were not 200" || true
