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
#   SHIPLINE_BENCH_STORE="sqlite postgres"  matrix runs: both, one after the other, in one table
#   SHIPLINE_BENCH_NODES=2         postgres only: that many shipline nodes on the one database,
#                                  each driven by its own wrk (connections split evenly)
#   SHIPLINE_BENCH_FLAGS=...       extra flags for every `shipline serve`
#   SHIPLINE_BENCH_PERF=FILE       matrix runs: `perf record -g` of the shipline nodes during each
#                                  completion run, into FILE.s<shipments> (PostgreSQL:
#                                  FILE.pg.s<shipments>; `perf report -i ...`)
#   SHIPLINE_BENCH_KEEP=1          keep the work folder (logs, wrk output) and print its path
#
# Completion against the order's size (issue 12):
#   SHIPLINE_BENCH_SHIPMENTS="1 100"  one run measures nginx once, then for each value S a fresh
#                                  shipline on a fresh data folder (and, for postgres, a fresh
#                                  cluster): orders with S RELEASED shipments each, every shipment
#                                  with its own line item, created by count, not by time; then
#                                  every shipment completed at most once, the orders' shipments
#                                  walked shipment-major (b1-1-1, b1-2-1, ..., b1-1-2, ...) so that
#                                  the connections spread over orders. Ends with one table: store,
#                                  shipments per order, completions/s, p99, ratio to nginx,
#                                  shipline's CPU time per completion (user + system), the
#                                  writer's time per completion and how busy it was (from
#                                  shipline_store_commit_duration_seconds on /metrics: the
#                                  time groups held their writer) and, on SQLite, the writer
#                                  thread's CPU time and its wait for a core per completion
#                                  (/proc/PID/task/TID/stat and schedstat), on PostgreSQL its
#                                  own processes' CPU time per completion, non-2xx.
#                                  Unset: the single run below, one shipment per order, orders
#                                  created for twice the run time.
#   SHIPLINE_BENCH_COMPLETIONS=N   shipments to create per value of S (default: 0.75 x nginx's rate
#                                  x seconds, more than shipline completes in the run; if a run
#                                  still completes them all, the table says "ran out")
#   SHIPLINE_BENCH_CREATE_LIMIT=s  upper bound of one create phase in seconds (default 300); an
#                                  unfinished create phase shrinks the completion run's supply
#   SHIPLINE_BENCH_STRIDE=K        walk the orders K apart (1, 1+K, ..., 2, 2+K, ...): with
#                                  SHIPLINE_BENCH_SHIPMENTS=1 and K=100, consecutive completions
#                                  lie as far apart in the tables as with 100 shipments per order
#
#   SHIPLINE_BENCH_SHIPMENTS="1 100" bench/run.sh 5 32
#   SHIPLINE_BENCH_STORE=postgres SHIPLINE_BENCH_SHIPMENTS="1 100" bench/run.sh 5 32
#   SHIPLINE_BENCH_STORE="sqlite postgres" SHIPLINE_BENCH_SHIPMENTS="1 100" bench/run.sh 5 32
#
# Needs wrk and nginx (apt-get install wrk nginx-light), and postgresql for the
# PostgreSQL modes; loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}
STORES=${SHIPLINE_BENCH_STORE:-sqlite}
STORE=${STORES%% *}  # the store being measured; the matrix walks every one of STORES
NODES=${SHIPLINE_BENCH_NODES:-1}
BIN=${SHIPLINE_BIN:-build/shipline}
MATRIX=${SHIPLINE_BENCH_SHIPMENTS:-}
CREATE_LIMIT=${SHIPLINE_BENCH_CREATE_LIMIT:-300}
WORK=$(mktemp -d)
# Stops the shipline nodes started so far and waits for them to exit.
stop_nodes() {
  local pids
  pids=$(cat "$WORK"/*.pid 2>/dev/null || true)
  kill $pids 2>/dev/null || true
  # shipline finishes the email in hand before it exits: wait, then remove.
  for pid in $pids; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  rm -f "$WORK"/*.pid
}
cleanup() {
  stop_nodes
  local pg
  for pg in "$WORK"/pg*; do
    if [[ -d "$pg" ]]; then scripts/pg-test-cluster.sh stop "$pg"; fi
  done
  if [[ -n "${SHIPLINE_BENCH_KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
for store in $STORES; do
  if [[ "$store" != sqlite && "$store" != postgres ]]; then
    echo "SHIPLINE_BENCH_STORE must list sqlite or postgres" >&2
    exit 2
  fi
  if [[ "$store" == sqlite && "$NODES" != 1 ]]; then
    echo "several nodes need SHIPLINE_BENCH_STORE=postgres" >&2
    exit 2
  fi
done
if [[ -z "$MATRIX" && "$STORES" != "$STORE" ]]; then
  echo "several stores in one run need SHIPLINE_BENCH_SHIPMENTS" >&2
  exit 2
fi
for shipments in $MATRIX; do
  if ! [[ "$shipments" =~ ^[1-9][0-9]*$ ]]; then
    echo "SHIPLINE_BENCH_SHIPMENTS must list positive numbers" >&2
    exit 2
  fi
done

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

rate() { awk '/Requests\/sec/ {sum += $2} END {printf "%.0f", sum}' "$@"; }
p99() { awk '$1 == "99%" {print $2}' "$@" | paste -sd/ -; }
non2xx() { awk '/Non-2xx/ {sum += $NF} END {print sum + 0}' "$@"; }
requests() { awk '/requests in/ {sum += $1} END {print sum + 0}' "$@"; }
# CPU time (user + system, in clock ticks) the shipline nodes have used so far.
cpu_ticks() {
  local pid total=0
  for pid in $(cat "$WORK"/*.pid); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
# The sum over the shipline nodes' threads named $1 of a field of their
# /proc/PID/task/TID/$2 file ($3, an awk expression): so far, the CPU time in
# clock ticks (stat, $14 + $15) or the nanoseconds waited for a core while
# runnable (schedstat, $2).
thread_sum() {
  local pid task total=0
  for pid in $(cat "$WORK"/*.pid); do
    for task in /proc/"$pid"/task/*; do
      [[ "$(cat "$task/comm" 2>/dev/null)" == "$1" ]] || continue
      total=$((total + $(awk "{print $3}" "$task/$2")))
    done
  done
  echo "$total"
}
# CPU time (clock ticks) the PostgreSQL cluster in $1 has used so far: the
# postmaster, its live processes and those it has reaped.
cluster_ticks() {
  local postmaster child total
  postmaster=$(head -1 "$1/data/postmaster.pid")
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for child in $(pgrep -P "$postmaster"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# A metric's value summed over the nodes' /metrics pages.
metric() {
  local port
  for port in "${METRICS_PORTS[@]}"; do
    curl -fsS "http://127.0.0.1:$port/metrics" || true  # no page: the columns show 0
  done | awk -v name="$1" '$1 == name {sum += $2} END {printf "%.6f", sum}'
}
socket_errors() {
  awk '/Socket errors/ {gsub(",", ""); sum += $4 + $6 + $8 + $10} END {print sum + 0}' "$@"
}

# The reference first.
NGINX_PORT=$(free_port)
sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|$NGINX_PORT|g" bench/nginx.conf.in > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_port "$NGINX_PORT"
echo "== nginx fixed 200 (reference)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/complete_shipment.lua \
  "http://127.0.0.1:$NGINX_PORT" | tee "$WORK/nginx.txt"
kill "$(cat "$WORK/nginx.pid")"
rm -f "$WORK/nginx.pid"

# Starts the store (postgres: a cluster in $1/pg) and NODES shipline nodes on
# data folders in $1; sets DATABASE_URL, PORTS, METRICS_PORTS and SHIPLINE_KEY.
DATABASE_URL=
start_nodes() {
  local dir=$1 database_args=() node port metrics_port
  mkdir -p "$dir"
  if [[ "$STORE" == postgres ]]; then
    DATABASE_URL=$(scripts/pg-test-cluster.sh start "$WORK/pg$2" "$(free_port)")
    # Nodes sharing a database share one master key (secrets at rest).
    [[ -f "$WORK/master.key" ]] || openssl rand -base64 32 > "$WORK/master.key"
    database_args=(--database "$DATABASE_URL" --master-key-file "$WORK/master.key")
    echo "== PostgreSQL at $DATABASE_URL"
  fi
  PORTS=()
  METRICS_PORTS=()
  for node in $(seq "$NODES"); do
    port=$(free_port)
    metrics_port=$(free_port)
    PORTS+=("$port")
    METRICS_PORTS+=("$metrics_port")
    "$BIN" serve --listen "127.0.0.1:$port" --metrics-listen "127.0.0.1:$metrics_port" \
      --data "$dir/data$node" "${database_args[@]}" \
      ${SHIPLINE_BENCH_FLAGS:-} > "$dir/out$node.txt" 2> "$dir/shipline$node.log" &
    echo $! > "$WORK/shipline$node.pid"
    wait_port "$port"  # the first node creates the tenant and prints its key
  done
  export SHIPLINE_KEY
  SHIPLINE_KEY=$(grep -o 'sl_[0-9a-f]*' "$dir/out1.txt")
}

THREADS=$((NODES == 1 ? 2 : 1))
PREFIXES=(b c d e f g h i)
# Runs wrk with `script` for `seconds` against every node at once, each with
# its share of the connections and its own order numbers; writes OUT.<node>.
# With `done_dir`, ends wrk early once every wrk thread has left its file
# there (create_orders.lua with SHIPLINE_BENCH_ORDERS).
drive() {
  local script=$1 seconds=$2 out=$3 done_dir=${4:-}
  local connections=$((CONNECTIONS / NODES))
  local pids=()
  for node in $(seq "$NODES"); do
    SHIPLINE_BENCH_PREFIX=${PREFIXES[$((node - 1))]} wrk -t"$THREADS" -c"$connections" \
      -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:${PORTS[$((node - 1))]}" \
      > "$out.$node" &
    pids+=($!)
  done
  if [[ -n "$done_dir" ]]; then
    local running
    while :; do
      running=0
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
      ((running)) || break
      if (($(ls "$done_dir" | wc -l) >= NODES * THREADS)); then
        kill -INT "${pids[@]}" 2>/dev/null || true  # wrk prints its summary and exits
        break
      fi
      sleep 0.2
    done
  fi
  wait "${pids[@]}" || true
  cat "$out".*
}

if [[ -z "$MATRIX" ]]; then
  start_nodes "$WORK" ""
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
  exit 0
fi

# The matrix: one fresh shipline per shipments-per-order value.
NGINX_RATE=$(rate "$WORK/nginx.txt")
TARGET=${SHIPLINE_BENCH_COMPLETIONS:-$((NGINX_RATE * SECONDS_PER_RUN * 3 / 4))}
ROWS=()
for STORE in $STORES; do
  STORE_LABEL="SQLite"
  [[ "$STORE" == postgres ]] && STORE_LABEL="PostgreSQL"
  STORE_LABEL+=", $NODES node(s)"
  [[ -n "${SHIPLINE_BENCH_FLAGS:-}" ]] && STORE_LABEL+=" ($SHIPLINE_BENCH_FLAGS)"
  for shipments in $MATRIX; do
    run="s$shipments"
    [[ "$STORE" == postgres ]] && run="pg.s$shipments"
    dir="$WORK/$run"
    start_nodes "$dir" "$shipments"
    # Orders per wrk thread: enough for TARGET shipments over all threads.
    export SHIPLINE_BENCH_SHIPMENTS=$shipments SHIPLINE_BENCH_DONE="$dir/done"
    export SHIPLINE_BENCH_ORDERS=$(((TARGET + shipments * NODES * THREADS - 1) / (shipments * NODES * THREADS)))
    mkdir -p "$SHIPLINE_BENCH_DONE"
    echo "== creating $((SHIPLINE_BENCH_ORDERS * NODES * THREADS)) orders with $shipments shipment(s) each (at most ${CREATE_LIMIT}s)"
    start=$(date +%s.%N)
    drive bench/create_orders.lua "$CREATE_LIMIT" "$dir/create" "$SHIPLINE_BENCH_DONE"
    create_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    if (($(ls "$SHIPLINE_BENCH_DONE" | wc -l) < NODES * THREADS)); then
      # Out of time: every thread made about its share of the answered creates.
      made=$((($(requests "$dir"/create.*) - $(non2xx "$dir"/create.*)) / (NODES * THREADS) - 64))
      echo "WARNING: the create phase ran out of time; $made orders per thread instead of $SHIPLINE_BENCH_ORDERS"
      SHIPLINE_BENCH_ORDERS=$((made > 1 ? made : 1))
    fi
    if [[ "$(non2xx "$dir"/create.*)" != 0 ]]; then
      echo "WARNING: $(non2xx "$dir"/create.*) order creates were not 2xx"
    fi
    if [[ "$STORE" == postgres ]]; then
      psql -qX "$DATABASE_URL" -c ANALYZE  # as in the single run above
    fi
    echo "== complete-shipment, $shipments shipment(s) per order, on $STORE_LABEL"
    ticks_before=$(cpu_ticks)
    writer_before=$(metric shipline_store_commit_duration_seconds_sum)
    writer_ticks_before=$(thread_sum sqlite-writer stat '$14 + $15')
    writer_queued_before=$(thread_sum sqlite-writer schedstat '$2')
    [[ "$STORE" == postgres ]] && database_before=$(cluster_ticks "$WORK/pg$shipments")
    if [[ -n "${SHIPLINE_BENCH_PERF:-}" ]]; then
      perf record -q -g -o "$SHIPLINE_BENCH_PERF.$run" -p "$(paste -sd, "$WORK"/*.pid)" \
        -- sleep "$SECONDS_PER_RUN" 2>/dev/null &
      perf_pid=$!
    fi
    drive bench/complete_shipment.lua "$SECONDS_PER_RUN" "$dir/complete"
    ticks=$(($(cpu_ticks) - ticks_before))
    writer_ticks=$(($(thread_sum sqlite-writer stat '$14 + $15') - writer_ticks_before))
    writer_queued=$(($(thread_sum sqlite-writer schedstat '$2') - writer_queued_before))
    [[ "$STORE" == postgres ]] && database_ticks=$(($(cluster_ticks "$WORK/pg$shipments") - database_before))
    writer_seconds=$(awk -v a="$writer_before" -v b="$(metric shipline_store_commit_duration_seconds_sum)" \
      'BEGIN {printf "%.6f", b - a}')
    [[ -n "${SHIPLINE_BENCH_PERF:-}" ]] && wait "$perf_pid"
    stop_nodes
    if [[ "$STORE" == postgres ]]; then scripts/pg-test-cluster.sh stop "$WORK/pg$shipments"; fi

    supply=$((SHIPLINE_BENCH_ORDERS * shipments * NODES * THREADS))
    done_count=$(requests "$dir"/complete.*)
    note=""
    ((done_count >= supply)) && note=" (ran out: $supply shipments)"
    # shipline's own CPU time per answered completion: steadier than the rate
    # on a busy machine (it leaves out time the processes waited for a core).
    cpu_us=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$(requests "$dir"/complete.*)" \
      'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')
    # The writer's time per completion (groups from BEGIN to the answered
    # COMMIT, the email worker's and other consumers' writes included) and
    # the share of the run it was busy: one SQLite writer at 100% caps the rate
    # at 1 / that time.
    writer_us=$(awk -v s="$writer_seconds" -v n="$done_count" 'BEGIN {printf "%.0f", n ? s * 1e6 / n : 0}')
    writer_busy=$(awk -v s="$writer_seconds" -v t="$SECONDS_PER_RUN" 'BEGIN {printf "%.0f%%", s * 100 / t}')
    # SQLite: the writer thread's own CPU time per completion, and its time
    # waiting for a core (runnable while other threads held both); the rest
    # of the writer's time it waited for I/O (fsync).
    writer_cpu="-"
    [[ "$STORE" == sqlite ]] && writer_cpu=$(awk -v t="$writer_ticks" -v hz="$(getconf CLK_TCK)" \
      -v q="$writer_queued" -v n="$done_count" \
      'BEGIN {printf "%.0f µs, %.0f µs", n ? t * 1e6 / hz / n : 0, n ? q / 1e3 / n : 0}')
    # PostgreSQL: its own processes' CPU time per completion (on this
    # machine they share the cores with shipline and wrk).
    database_cpu="-"
    [[ "$STORE" == postgres ]] && database_cpu=$(awk -v t="$database_ticks" \
      -v hz="$(getconf CLK_TCK)" -v n="$done_count" 'BEGIN {printf "%.0f µs", n ? t * 1e6 / hz / n : 0}')
    ROWS+=("$(printf '| %s | %d | %d in %ss | %s/s%s | %s | %s | %s µs | %s µs, %s | %s | %s | %d | %d |' \
      "$STORE_LABEL" "$shipments" "$((SHIPLINE_BENCH_ORDERS * NODES * THREADS))" "$create_seconds" \
      "$(rate "$dir"/complete.*)" "$note" "$(p99 "$dir"/complete.*)" \
      "$(awk -v a="$(rate "$dir"/complete.*)" -v b="$NGINX_RATE" 'BEGIN {printf "%.3f", a / b}')" \
      "$cpu_us" "$writer_us" "$writer_busy" "$writer_cpu" "$database_cpu" \
      "$(non2xx "$dir"/complete.*)" "$(socket_errors "$dir"/complete.*)")")
  done
done

echo
echo "nginx reference: $NGINX_RATE req/s, p99 $(p99 "$WORK/nginx.txt"); wrk -c$CONNECTIONS, ${SECONDS_PER_RUN}s per completion run"
echo
echo "| store | shipments per order | orders created | completions | p99 | ratio to nginx | shipline CPU per completion | writer time per completion, busy | writer CPU, wait for a core per completion | PostgreSQL CPU per completion | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
