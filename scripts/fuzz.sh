#!/usr/bin/env bash
# What `make fuzz` runs: builds the libFuzzer targets of fuzz/ (clang, with
# AddressSanitizer and UBSan) and runs each in turn for FUZZ_SECONDS.
#
#   scripts/fuzz.sh BUILD_DIR FUZZ_BUILD_DIR [TARGET...]
#
# Environment: FUZZ_SECONDS (default 60) per target; FUZZ_MERGE=1 merges the
# new inputs that found new coverage into fuzz/corpus/<target>/ (review and
# commit them); FUZZ_SUMMARY names a file that gets one line per target
# (target, executions, new inputs, result).
#
# One fuzzer runs at a time, in one process.
#
# The fuzz build links the libraries of the regular build BUILD_DIR (see
# fuzz/libfuzzer.cmake). New inputs go to a scratch folder unless merged. A
# crash leaves crash-*/leak-*/timeout-* files in FUZZ_BUILD_DIR/artifacts and
# makes the script fail once all targets have run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
FUZZ_BUILD=${2:-build-fuzz}
shift 2 || true
SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-2}

source fuzz/targets.sh
targets=("$@")
if ((${#targets[@]} == 0)); then targets=("${FUZZ_TARGETS[@]}"); fi

cmake -S . -B "$FUZZ_BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DSHIPLINE_FUZZ=ON \
  -DSHIPLINE_FUZZ_LIBS="$(cd "$BUILD" && pwd)" >/dev/null
cmake --build "$FUZZ_BUILD" -j"$JOBS" --target fuzzers

scratch=$(mktemp -d /tmp/shipline-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
artifacts="$FUZZ_BUILD/artifacts"
mkdir -p "$artifacts"
status=0
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target"
  log="$FUZZ_BUILD/fuzz-$target.log"
  echo "== fuzz_$target for ${SECONDS_EACH}s"
  result=ok
  # The fuzz world's SQLite database lives in TMPDIR: memory is faster.
  if ! TMPDIR=${FUZZ_TMPDIR:-/dev/shm} "$FUZZ_BUILD/fuzz_$target" -max_total_time="$SECONDS_EACH" \
      -print_final_stats=1 -timeout=25 -rss_limit_mb=4096 \
      -artifact_prefix="$artifacts/$target-" "$scratch/$target" "fuzz/corpus/$target" \
      >"$log" 2>&1; then
    result=FAILED
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  added=$(find "$scratch/$target" -type f | wc -l)
  echo "   ${runs:-?} executions, ${added:-?} new inputs: $result (log: $log)"
  if [[ -n "${FUZZ_SUMMARY:-}" ]]; then
    echo "$target ${runs:-0} ${added:-0} $result" >>"$FUZZ_SUMMARY"
  fi
  if [[ "${FUZZ_MERGE:-0}" == 1 && "$result" == ok ]]; then
    "$FUZZ_BUILD/fuzz_$target" -merge=1 "fuzz/corpus/$target" "$scratch/$target" \
      >>"$log" 2>&1 || true
  fi
done
exit $status
