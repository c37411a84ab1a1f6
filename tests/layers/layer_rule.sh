#!/usr/bin/env bash
# Proves the layer rule holds in the build: for every layer library's include
# folder (BUILD/layers/NAME, made by CMakeLists.txt), a header of each layer it
# may see compiles, and a header of every other layer is not found.
#
#   tests/layers/layer_rule.sh BUILD_DIR CXX
set -euo pipefail
build=$1
cxx=$2
src="$(cd "$(dirname "$0")/../.." && pwd)/src"
failures=0
checked=0
# One header per layer, with no dependency beyond its own layer's rules.
declare -A probe=(
  [domain]=domain/result.hpp
  [app]=app/store.hpp
  [store]=store/sql/params.hpp
  [http]=http/router.hpp
  [adapters]=adapters/mail/file_mailer.hpp
  [workers]=workers/consumer_lease.hpp
)
for root in "$build"/layers/*/; do
  library=$(basename "$root")
  for layer in "${!probe[@]}"; do
    header=${probe[$layer]}
    [[ -f "$src/$header" ]] || { echo "probe header missing: $header"; exit 2; }
    if echo "#include \"$header\"" | "$cxx" -std=c++20 -fsyntax-only -x c++ -I"$root" \
      -I/usr/include/postgresql - 2>/dev/null; then
      outcome=compiles
    else
      outcome=refused
    fi
    if [[ -e "$root/$layer" ]]; then expected=compiles; else expected=refused; fi
    checked=$((checked + 1))
    if [[ $outcome != "$expected" ]]; then
      echo "FAIL: $library including $header $outcome (expected: $expected)"
      failures=$((failures + 1))
    fi
  done
done
echo "layer rule: $checked includes checked, $failures wrong"
((failures == 0))
