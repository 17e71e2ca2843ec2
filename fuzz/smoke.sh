#!/usr/bin/env bash
# Fuzz smoke test: builds every cargo-fuzz target, then runs each one for SECONDS
# (default 30) starting from the seed corpus in seeds/<target>/, and fails on the
# first crash, panic, timeout or out-of-memory.
#
#   ./smoke.sh [SECONDS] [TARGET...]       (all targets when none is named)
#
# Environment:
#   FUZZ_SANITIZER   sanitizer passed to cargo fuzz (default: none; the core crate
#                    forbids unsafe code, so AddressSanitizer only slows the run;
#                    overflow checks stay on through cargo-fuzz's debug assertions)
#   FUZZ_LOG_DIR     where the per-target libFuzzer logs go (default: a temp dir)
#
# Seeds are copied into the working corpus corpus/<target>/ (gitignored), which
# libFuzzer grows; crashes are written to artifacts/<target>/. A summary line per
# target (executions, corpus size, result) is printed at the end.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
shift || true
sanitizer="${FUZZ_SANITIZER:-none}"
log_dir="${FUZZ_LOG_DIR:-$(mktemp -d)}"
mkdir -p "$log_dir"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build --sanitizer "$sanitizer"

status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  if [ -d "seeds/$target" ]; then
    cp -n seeds/"$target"/* "corpus/$target/" 2>/dev/null || true
  fi
  log="$log_dir/$target.log"
  echo "== $target: ${seconds}s (log: $log)"
  set +e
  cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
    >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  corpus=$(find "corpus/$target" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result="ok"
  else
    result="FAILED (exit $rc)"
    status=1
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to' "$log" | head -n 20 || true
  fi
  summary+=("$(printf '%-14s %12s execs  %6s corpus files  %s' "$target" "$execs" "$corpus" "$result")")
done

echo
echo "== fuzz smoke summary (${seconds}s per target, sanitizer: $sanitizer)"
printf '%s\n' "${summary[@]}"
exit "$status"
