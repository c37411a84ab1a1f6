#!/usr/bin/env bash
# The completion benchmark: complete-shipment requests against pre-created
# RELEASED shipments, and in the same run nginx returning the same 200 body:
# the machine's HTTP ceiling.
#
#   bench/run.sh [seconds] [connections]
#
# The store (environment):
#   SHIPLINE_BENCH_STORE=sqlite    the durable default (SQLite, synchronous=FULL); the default
#   SHIPLINE_BENCH_STORE=postgres  a throwaway PostgreSQL 15 cluster on this machine, with its
#                                  durable defaults (fsync on, synchronous_commit on)
#   SHIPLINE_BENCH_NODES=2         postgres only: that many shipline nodes on the one database,
#                                  each driven by its own wrk (connections split evenly)
#   SHIPLINE_BENCH_FLAGS=...       extra flags for every `shipline serve`
#
# Needs wrk and nginx (apt-get install wrk nginx-light), and postgresql for the
# PostgreSQL modes; loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}
STORE=${SHIPLINE_BENCH_STORE:-sqlite}
NODES=${SHIPLINE_BENCH_NODES:-1}
BIN=${SHIPLINE_BIN:-build/shipline}
WORK=$(mktemp -d)
cleanup() {
  local pids
  pids=$(cat "$WORK"/*.pid 2>/dev/null || true)
  kill $pids 2>/dev/null || true
  # shipline finishes the email in hand before it exits: wait, then remove.
  for pid in $pids; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  if [[ -d "$WORK/pg" ]]; then scripts/pg-test-cluster.sh stop "$WORK/pg"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
if [[ "$STORE" != sqlite && "$STORE" != postgres ]]; then
  echo "SHIPLINE_BENCH_STORE must be sqlite or postgres" >&2
  exit 2
fi
if [[ "$STORE" == sqlite && "$NODES" != 1 ]]; then
  echo "several nodes need SHIPLINE_BENCH_STORE=postgres" >&2
  exit 2
fi

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

DATABASE_ARGS=()
if [[ "$STORE" == postgres ]]; then
  DATABASE_URL=$(scripts/pg-test-cluster.sh start "$WORK/pg" "$(free_port)")
  DATABASE_ARGS=(--database "$DATABASE_URL")
  echo "== PostgreSQL at $DATABASE_URL"
fi

PORTS=()
for node in $(seq "$NODES"); do
  port=$(free_port)
  PORTS+=("$port")
  "$BIN" serve --listen "127.0.0.1:$port" --data "$WORK/data$node" "${DATABASE_ARGS[@]}" \
    ${SHIPLINE_BENCH_FLAGS:-} > "$WORK/out$node.txt" 2> "$WORK/shipline$node.log" &
  echo $! > "$WORK/shipline$node.pid"
  wait_port "$port"  # the first node creates the tenant and prints its key
done
export SHIPLINE_KEY
SHIPLINE_KEY=$(grep -o 'sl_[0-9a-f]*' "$WORK/out1.txt")

# Runs wrk with `script` for `seconds` against every node at once, each with
# its share of the connections and its own order numbers; writes OUT.<node>.
drive() {
  local script=$1 seconds=$2 out=$3
  local threads=$((NODES == 1 ? 2 : 1)) connections=$((CONNECTIONS / NODES))
  local pids=() prefixes=(b c d e f g h i)
  for node in $(seq "$NODES"); do
    SHIPLINE_BENCH_PREFIX=${prefixes[$((node - 1))]} wrk -t"$threads" -c"$connections" \
      -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:${PORTS[$((node - 1))]}" \
      > "$out.$node" &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$out".*
}

rate() { awk '/Requests\/sec/ {sum += $2} END {printf "%.0f", sum}' "$@"; }
p99() { awk '$1 == "99%" {print $2}' "$@" | paste -sd/ -; }
non2xx() { awk '/Non-2xx/ {sum += $NF} END {print sum + 0}' "$@"; }

LABEL="SQLite (durable)"
[[ "$STORE" == postgres ]] && LABEL="PostgreSQL, $NODES node(s)"
echo "== creating orders (twice as long as the completion run, so none runs out)"
drive bench/create_orders.lua "$((SECONDS_PER_RUN * 2))" "$WORK/create"
if [[ "$STORE" == postgres ]]; then
  # What autovacuum does shortly after a bulk load: without statistics the
  # planner takes the tables for tiny and scans them whole.
  psql -qX "$DATABASE_URL" -c ANALYZE
fi
echo "== complete-shipment on $LABEL"
drive bench/complete_shipment.lua "$SECONDS_PER_RUN" "$WORK/complete"

echo
echo "nginx reference:   $(rate "$WORK/nginx.txt") req/s, p99 $(p99 "$WORK/nginx.txt")"
echo "order create:      $(rate "$WORK"/create.*) req/s ($LABEL)"
echo "complete-shipment: $(rate "$WORK"/complete.*) req/s, p99 $(p99 "$WORK"/complete.*) ($LABEL)"
awk -v a="$(rate "$WORK"/complete.*)" -v b="$(rate "$WORK/nginx.txt")" \
  'BEGIN { printf "ratio:             %.2f of the HTTP ceiling\n", a / b }'
if [[ "$(non2xx "$WORK"/complete.*)" != 0 ]]; then
  echo "WARNING: $(non2xx "$WORK"/complete.*) completions were not 200"
fi
