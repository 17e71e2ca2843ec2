#!/usr/bin/env bash
# Everything CI runs, in order, on a fresh machine: installs what is missing (the
# Rust components, cargo-fuzz, Node.js/npm and Python venv for the real test
# servers), then format check, clippy, docs, tests (the adapters' tests start real
# express-rate-limit and Flask-Limiter servers on 127.0.0.1), the conformance
# corpus, the no_std link check and a fuzz smoke run. Usage: scripts/test.sh [FUZZ_SECONDS_PER_TARGET]   (default 30)
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
need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
  apt-get update && apt-get install -y "${need_apt[@]}"
fi

step "test servers (express-rate-limit from npm, Flask-Limiter from PyPI)"
bash scripts/servers-setup.sh

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
(cd fuzz && cargo fmt --check && cargo clippy --no-deps --all-targets -- -D warnings)
(cd nostd-check && cargo fmt --check && cargo clippy --no-deps -- -D warnings)

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps

step "tests"
cargo test --workspace --all-features --exclude ratelimit-governor-std
# The adapters' real-server jobs mostly sleep (25-35 s each): run them side by side.
cargo test -p ratelimit-governor-std --all-features -- --test-threads 16

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
