#!/usr/bin/env bash
# What the derive costs a crate's build, for registries of 100, 1,000 and
# 10,000 cookies: `cargo build` (debug) of a crate whose policy has that many,
# its dependencies already built, the crate itself rebuilt from scratch.
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

echo "| cookies | cargo build (s) | binary runs |"
echo "|---:|---:|---|"
for count in 100 1000 10000; do
  "$generate" "$count" > "$work/policy.toml"
  touch "$work/src/main.rs"
  start=$(date +%s.%N)
  cargo build -q --manifest-path "$work/Cargo.toml" --target-dir "$target"
  end=$(date +%s.%N)
  output=$("$target/debug/build-cost")
  printf '| %s | %.2f | `%s` |\n' "$count" "$(echo "$end - $start" | bc)" "$output"
done
