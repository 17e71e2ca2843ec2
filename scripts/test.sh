#!/usr/bin/env bash
# Everything CI runs, in order, on a fresh machine: installs what is missing, then
# format check, clippy, tests, the conformance corpus, the no_std link check and a
# fuzz smoke run. Usage: scripts/test.sh [FUZZ_SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${1:-30}"
SHARED="${SHARED:-../shared}"

step() { printf '\n== %s ==\n' "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "a nightly toolchain is needed for cargo fuzz" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
command -v python3 >/dev/null || { apt-get update && apt-get install -y python3; }

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings
(cd fuzz && cargo fmt --check && cargo clippy --no-deps --all-targets -- -D warnings)
(cd nostd-check && cargo fmt --check && cargo clippy --no-deps -- -D warnings)

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

step "tests"
cargo test --workspace

step "conformance corpus"
cargo build --release -p ratelimit-governor-cli
python3 "$SHARED/corpus/check.py" --bin target/release/ratelimit-governor "$SHARED/corpus/cases"

step "no_std link check"
bash nostd-check/run.sh

step "fuzz smoke (${FUZZ_SECONDS}s per target)"
bash fuzz/smoke.sh "$FUZZ_SECONDS"

step "benchmarks compile"
cargo bench -p ratelimit-governor-benches --no-run

echo
echo "all checks passed"
