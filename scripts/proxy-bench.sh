#!/usr/bin/env bash
# `cookie-policy serve` against nginx's `proxy_pass`, in one run on this
# machine (issue 20, "Performance"): the same upstream, the same load
# generator, three setups side by side:
#
#   upstream      wrk -> upstream
#   serve         wrk -> cookie-policy serve -> upstream
#   serve (4 allowed)  the same, with a policy that also declares `_ga`
#   nginx         wrk -> nginx proxy_pass (keep-alive to the upstream) -> upstream
#   nginx (default) as nginx, with proxy_pass's defaults: a new upstream
#                 connection per request (HTTP/1.0), shown for reference
#
# The upstream is Debian's nginx returning a static 200 (a 600-byte HTML
# page) with 4 `Set-Cookie` headers: the platform policy's `sessionid`,
# `csrftoken` and `django_language`, and an undeclared `_ga`, which serve
# removes (it judges all four, and logs the removal of an undeclared cookie
# as a warning, to its stderr, a file here) and nginx passes. Neither proxy
# logs requests; neither injects the banner.
#
# Load: wrk, 64 connections, 2 threads, `--latency`; per setup a warm-up
# run, then ROUNDS (7) measured runs of DURATION (4 s), the setups
# interleaved round by round (the machine is shared: noise then falls on
# all of them). The table shows each setup's medians over the rounds, and
# the median of its per-round ratios to nginx.
#
# Workers: the upstream nginx has 1 worker process; the proxying nginx has
# WORKERS (default 2, the machine's cores) worker processes; serve runs one
# single-threaded tokio runtime per core (2 here) on one shared listening
# socket, as nginx runs its workers. Everything, wrk included, shares the
# same cores.
#
#   scripts/proxy-bench.sh                 # builds serve in release, prints the table
#   ROUNDS=9 DURATION=10s scripts/proxy-bench.sh
#   SERVE=/path/to/cookie-policy scripts/proxy-bench.sh   # a binary already built
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-7}"
duration="${DURATION:-4s}"
workers="${WORKERS:-$(nproc)}"
connections=64

for tool in nginx wrk curl; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done

if [ -z "${SERVE:-}" ]; then
  (cd "$root" && cargo build --release -q -p cookie-policy-cli)
  SERVE="$root/target/release/cookie-policy"
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port free now on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until something answers on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "nothing answers on 127.0.0.1:$1" >&2
  exit 1
}

# An nginx in $work/$1 (name), with $2 worker processes, serving the
# server block $3; in the foreground, on loopback only.
start_nginx() {
  local dir="$work/$1"
  mkdir -p "$dir/logs"
  cat > "$dir/nginx.conf" <<CONF
worker_processes $2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  $3
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}

body='<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><h1>Home</h1><p>A static page of 600 bytes or so, the same for every setup, served with four Set-Cookie headers: three that the policy declares as necessary and one that it does not declare. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p><nav><a href="/">Home</a></nav></body></html>'

upstream=$(free_port)
start_nginx upstream 1 "server {
    listen 127.0.0.1:$upstream;
    location / {
      default_type text/html;
      add_header Set-Cookie \"sessionid=eyJ1c2VyIjoiYWxpY2UifQ:1xaBRh:gtTPX-EIX65kB6mMMn21t0YUuoFjSYEiYT2dZKYbhb0; expires=Sun, 20 Dec 2026 12:34:25 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax\" always;
      add_header Set-Cookie \"csrftoken=drJn5RvI0YZgStwnCoz18kk10TqosgoL; expires=Sun, 05 Dec 2027 12:34:25 GMT; Max-Age=31449600; Path=/; SameSite=Lax\" always;
      add_header Set-Cookie \"django_language=fr; Path=/; SameSite=Lax\" always;
      add_header Set-Cookie \"_ga=GA1.1.123456789.1700000000; expires=Tue, 05 Dec 2028 12:34:12 GMT; Max-Age=63072000; Path=/\" always;
      return 200 '$body';
    }
  }"
wait_port "$upstream"

nginx_port=$(free_port)
start_nginx proxy "$workers" "upstream app {
    server 127.0.0.1:$upstream;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }"
wait_port "$nginx_port"

nginx_default_port=$(free_port)
start_nginx proxy-default "$workers" "server {
    listen 127.0.0.1:$nginx_default_port;
    location / {
      proxy_pass http://127.0.0.1:$upstream;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }"
wait_port "$nginx_default_port"

serve_port=$(free_port)
"$SERVE" serve --policy "$root/policy.toml" \
  --upstream "http://127.0.0.1:$upstream" --listen "127.0.0.1:$serve_port" \
  --log "$work/consent-log.sqlite" 2>"$work/serve.log" &
pids+=($!)
wait_port "$serve_port"

# The same, with `_ga` declared (as necessary): all four pass, nothing is
# removed, and so nothing is logged.
cp "$root/policy.toml" "$work/policy-all.toml"
cat >>"$work/policy-all.toml" <<'TOML'

[[cookie]]
name = "_ga"
provider = "opendatasoft"
function = "Benchmark"
purpose = "To be let through"
category = "necessary"
lifetime = "2 years"
TOML
serve_all_port=$(free_port)
"$SERVE" serve --policy "$work/policy-all.toml" \
  --upstream "http://127.0.0.1:$upstream" --listen "127.0.0.1:$serve_all_port" \
  --log "$work/consent-log-all.sqlite" 2>"$work/serve-all.log" &
pids+=($!)
wait_port "$serve_all_port"

names=(upstream serve "serve (4 allowed)" nginx "nginx (default)")
ports=("$upstream" "$serve_port" "$serve_all_port" "$nginx_port" "$nginx_default_port")
nginx_index=3

# What each setup answers: the proxies pass the page, and serve removes
# `_ga` alone.
for i in "${!names[@]}"; do
  headers=$(curl -s -D - -o "$work/body" "http://127.0.0.1:${ports[$i]}/")
  cookies=$(grep -ci '^set-cookie:' <<<"$headers" || true)
  cmp -s "$work/body" <(printf '%s' "$body") ||
    { echo "${names[$i]}: not the upstream's page" >&2; exit 1; }
  expected=4
  [ "${names[$i]}" = serve ] && expected=3
  [ "$cookies" = "$expected" ] ||
    { echo "${names[$i]}: $cookies Set-Cookie headers, expected $expected:"$'\n'"$headers" >&2; exit 1; }
  grep -qi '^set-cookie: _ga=' <<<"$headers" && [ "${names[$i]}" = serve ] &&
    { echo "serve let _ga through" >&2; exit 1; }
done

run_wrk() { # port seconds -> wrk's output
  wrk -t2 -c"$connections" -d"$2" --latency "http://127.0.0.1:$1/"
}

# wrk's latency in microseconds: 812.00us, 1.23ms, 1.02s.
to_us() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v + 0 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v * 1000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000000 }
    else { print "nan" } }'
}

load_before=$(cut -d" " -f1-3 /proc/loadavg)
for i in "${!names[@]}"; do run_wrk "${ports[$i]}" 2s >/dev/null; done
for round in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    out=$(run_wrk "${ports[$i]}" "$duration")
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
      echo "${names[$i]}, round $round: errors:"$'\n'"$out" >&2
      exit 1
    fi
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_us "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_us "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    echo "$i $rps $p50 $p99" >>"$work/runs"
    echo "round $round: ${names[$i]}: $rps req/s, p50 ${p50} us, p99 ${p99} us" >&2
  done
done

echo "wrk -t2 -c$connections -d$duration --latency; $rounds rounds, the setups interleaved; nginx $workers workers, serve $(nproc) current-thread runtimes (one per core); load average before the run: $load_before, after: $(cut -d" " -f1-3 /proc/loadavg)"
echo
# Medians over the rounds; the ratios are the medians of each round's
# ratio to nginx in the same round (the runs of a round are seconds apart,
# so a shared machine's load weighs on both).
python3 - "$work/runs" "$nginx_index" "${names[@]}" <<'PY'
import statistics, sys
runs, nginx, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [line.split() for line in open(runs)]
by = {}  # setup -> [(rps, p50, p99)] in round order
for setup, rps, p50, p99 in rows:
    by.setdefault(int(setup), []).append((float(rps), float(p50), float(p99)))
print("| setup | req/s | p50 | p99 | req/s vs nginx | p99 vs nginx |")
print("|---|---:|---:|---:|---:|---:|")
for index, name in enumerate(names):
    mine, theirs = by[index], by[nginx]
    median = lambda k: statistics.median(run[k] for run in mine)
    rps_ratio = statistics.median(a[0] / b[0] for a, b in zip(mine, theirs))
    p99_ratio = statistics.median(a[2] / b[2] for a, b in zip(mine, theirs))
    print(f"| {name} | {median(0):.0f} | {median(1) / 1000:.2f} ms | {median(2) / 1000:.2f} ms "
          f"| {100 * rps_ratio:.0f}% | {p99_ratio:.2f}x |")
PY
