#!/usr/bin/env bash
# Builds the freestanding no_std check (release) and runs it: the exit code must equal
# the expected window count. A build failure (e.g. a duplicate `panic_impl` lang item
# because something linked `std`) or any other exit code fails the script.
set -euo pipefail
cd "$(dirname "$0")"
expected=2
cargo build --release
bin="${CARGO_TARGET_DIR:-target}/release/ratelimit-governor-nostd-check"
set +e
"$bin"
code=$?
set -e
if [ "$code" -ne "$expected" ]; then
  echo "nostd-check: exit code $code, expected $expected windows" >&2
  exit 1
fi
echo "nostd-check: ok ($code windows, no std linked)"
