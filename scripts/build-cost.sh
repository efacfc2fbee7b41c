#!/usr/bin/env bash
# What the derive costs a crate's build, for registries of 100, 1,000 and
# 10,000 cookies: `cargo build` (debug) of a crate whose policy has that many,
# its dependencies already built, the crate itself rebuilt from scratch.
# Each is the median of three builds; the baseline is the same crate with a
# one-cookie policy, measured in the same run, since the machine is shared.
#
#   scripts/build-cost.sh            # prints a Markdown table
#
# The macro's own expansion time is measured apart, by
# `cargo bench -p cookie-policy-benches --bench expand`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target="$root/target/build-cost"
# Without incremental compilation, each build of the crate starts from
# scratch, as the first build after editing the policy does.
export CARGO_INCREMENTAL=0

mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "build-cost"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
cookie-policy = { path = "$root/cookie-policy" }

[workspace]
TOML
cat > "$work/src/main.rs" <<'RUST'
use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "policy.toml")]
struct Policy;

fn main() {
    println!("{} cookies, {:?}", Policy::COOKIES.len(), Policy::lookup("x").map(|c| c.name()));
}
RUST
cp "$root/Cargo.lock" "$work/Cargo.lock"
cargo build -q --release -p cookie-policy-benches --bin generate_registry --manifest-path "$root/Cargo.toml"
generate="$root/target/release/generate_registry"

# Dependencies first, with a tiny policy, so that only the crate is timed.
"$generate" 1 > "$work/policy.toml"
cargo build -q --manifest-path "$work/Cargo.toml" --target-dir "$target"

time_build() {
  local times=()
  for _ in 1 2 3; do
    touch "$work/src/main.rs"
    local start end
    start=$(date +%s.%N)
    cargo build -q --manifest-path "$work/Cargo.toml" --target-dir "$target"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

"$generate" 1 > "$work/policy.toml"
baseline=$(time_build)
echo "| cookies | cargo build, median of 3 (s) | minus the 1-cookie baseline (s) | binary runs |"
echo "|---:|---:|---:|---|"
printf '| 1 | %.2f | 0 | |\n' "$baseline"
for count in 100 1000 10000; do
  "$generate" "$count" > "$work/policy.toml"
  median=$(time_build)
  output=$("$target/debug/build-cost")
  printf '| %s | %.2f | %.2f | `%s` |\n' "$count" "$median" "$(echo "$median - $baseline" | bc)" "$output"
done
