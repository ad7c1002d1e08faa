#!/usr/bin/env bash
# The host core's two throughput goals, measured as ratios against references in the same run
# (shared/DESIGN.md, "How performance is measured here"):
#
#   b/a  dispatcher: `mergepoints serve` with an OWIN assembly mount  vs  raw Kestrel app.Run   goal >= 0.90
#   c/d  proxy:      `mergepoints serve` with a proxy mount           vs  nginx, same backend   goal >= 0.80
#
# a  Mergepoints.Bench.Raw                        GET /hello
# b  mergepoints, /api -> Mergepoints.Bench.Hello GET /api/hello
# c  mergepoints, /remote -> backend              GET /remote/hello
# d  nginx,       /remote/ -> backend             GET /remote/hello
#    backend: another Mergepoints.Bench.Raw, shared by c and d
#
# Every target answers "Hello, World!" (text/plain, Content-Length 13). Everything listens on 127.0.0.1 and
# everything started here is stopped on exit. Usage, from anywhere:
#   bench/http.sh                                       # 5 rounds x 5 s per target, about 5 minutes with the build
#   BENCH_ROUNDS=2 BENCH_DURATION=2 BENCH_WARMUP=2 bench/http.sh   # a quick look (figures not yet steady)
# Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION seconds per wrk run (5), BENCH_WARMUP seconds per
# target (30), BENCH_CONNECTIONS (32), BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1), BENCH_PORT_BASE (18700).
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-5}
# Warm-up: on one busy core the host's proxy path took about half a minute of load before tiered JIT was
# done with it (its CPU per request kept falling until then), so 30 s, or the first rounds measure the JIT.
WARMUP=${BENCH_WARMUP:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
# Pinning. With two cores: every server (the target under load, the idle ones and the proxies' backend) on
# one core, wrk alone on the other. wrk then never takes CPU from what it measures, and the two sides of each
# comparison get the same budget, one core for the whole server side: for c/d that is proxy + backend, so
# the ratio is the site's throughput through our proxy vs through nginx (the backend's cost is in both).
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
PORT_BASE=${BENCH_PORT_BASE:-18700}

DISPATCH_GOAL=0.90
PROXY_GOAL=0.80

fail() { echo "bench/http.sh: $*" >&2; exit 1; }

for setting in ROUNDS DURATION WARMUP CONNECTIONS SERVER_CPU CLIENT_CPU PORT_BASE; do
    [[ ${!setting} =~ ^[0-9]+$ ]] || fail "BENCH_$setting must be a whole number, not '${!setting}'"
done
((ROUNDS >= 1 && ROUNDS <= 100)) || fail "BENCH_ROUNDS must be between 1 and 100"
((DURATION >= 1 && DURATION <= 600)) || fail "BENCH_DURATION must be between 1 and 600 seconds"
((WARMUP <= 600)) || fail "BENCH_WARMUP must be at most 600 seconds"
((CONNECTIONS >= 1 && CONNECTIONS <= 1000)) || fail "BENCH_CONNECTIONS must be between 1 and 1000"
((PORT_BASE >= 1024 && PORT_BASE <= 65000)) || fail "BENCH_PORT_BASE must be between 1024 and 65000"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$repo/bench/results
work=$results/http   # configs and logs of the last run, kept for a look after it

# --- tools -------------------------------------------------------------------------------------------------
PATH=$PATH:/usr/sbin:/sbin
command -v dotnet >/dev/null || fail "dotnet is not installed (the SDK that global.json names is needed)"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v taskset >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v ss >/dev/null || missing+=(iproute2)
command -v pgrep >/dev/null || missing+=(procps)
if ((${#missing[@]} > 0)); then
    sudo=()
    if (($(id -u) != 0)); then sudo=(sudo); fi
    echo "Installing ${missing[*]} with apt-get..."
    # Debian starts nginx's own service on port 80 when it installs it; a policy-rc.d that says no keeps
    # anything from listening beyond what this script starts (one already there is left as it is).
    policy=/usr/sbin/policy-rc.d
    made_policy=false
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        made_policy=true
    fi
    install_status=0
    { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } || install_status=$?
    if $made_policy; then "${sudo[@]}" rm -f "$policy"; fi
    ((install_status == 0)) || fail "apt-get could not install ${missing[*]}"
fi

cpus=$(nproc)
if ((cpus < 2)); then
    echo "warning: $cpus CPU: servers and wrk share it, so the figures mean less" >&2
    pin_server=()
    pin_client=()
else
    ((SERVER_CPU < cpus && CLIENT_CPU < cpus && SERVER_CPU != CLIENT_CPU)) \
        || fail "BENCH_SERVER_CPU and BENCH_CLIENT_CPU must be two different CPUs below $cpus"
    pin_server=(taskset -c "$SERVER_CPU")
    pin_client=(taskset -c "$CLIENT_CPU")
fi

# --- build -------------------------------------------------------------------------------------------------
echo "Building (Release) into bench/results/build..."
build=$results/build
rm -rf "$build" "$work"
mkdir -p "$build" "$work"
for project in host/Mergepoints.Host bench/Mergepoints.Bench.Raw bench/Mergepoints.Bench.Hello; do
    name=${project##*/}
    dotnet publish "$repo/$project" -c Release -o "$build/$name" --nologo -v quiet >"$work/build-$name.log" 2>&1 \
        || { cat "$work/build-$name.log" >&2; fail "building $project failed"; }
done
host_dll=$build/Mergepoints.Host/mergepoints.dll
raw_dll=$build/Mergepoints.Bench.Raw/Mergepoints.Bench.Raw.dll
hello_dll=$build/Mergepoints.Bench.Hello/Mergepoints.Bench.Hello.dll

# --- processes ---------------------------------------------------------------------------------------------
pids=()
wrk_pid=
stop_all() {
    local pid tries
    if [[ -n $wrk_pid ]]; then kill -TERM "$wrk_pid" 2>/dev/null || true; fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for ((tries = 0; tries < 100; tries++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The same settings for every .NET process, whatever this shell has: Production, and Warning as the lowest
# log level (the level the host's own appsettings.json gives ASP.NET Core), so a and b log alike.
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset ASPNETCORE_URLS DOTNET_URLS ASPNETCORE_HTTP_PORTS ASPNETCORE_HTTPS_PORTS

# Free ports from PORT_BASE up, skipping any that something listens on.
listening=" $(ss -Htln | awk '{ sub(/.*:/, "", $4); printf "%s ", $4 }') "
ports=()
for ((port = PORT_BASE; port < PORT_BASE + 200 && ${#ports[@]} < 5; port++)); do
    [[ $listening == *" $port "* ]] || ports+=("$port")
done
((${#ports[@]} == 5)) || fail "no 5 free ports from $PORT_BASE up"
port_a=${ports[0]} port_b=${ports[1]} port_c=${ports[2]} port_d=${ports[3]} port_backend=${ports[4]}

# serve NAME URL COMMAND...: runs COMMAND in the background on the server CPU, its output in $work/NAME.log,
# and waits (at most 30 s) until URL answers "Hello, World!", the answer every target gives. ${pids[-1]} is its pid.
serve() {
    local name=$1 url=$2 pid tries
    shift 2
    "${pin_server[@]}" "$@" >"$work/$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for ((tries = 0; tries < 150; tries++)); do
        if [[ $(curl -s --max-time 1 "$url" 2>/dev/null) == "Hello, World!" ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; fail "$name exited; its log is above"; }
        sleep 0.2
    done
    cat "$work/$name.log" >&2
    fail "$name did not answer \"Hello, World!\" at $url within 30 s"
}

echo "Starting the targets (servers on CPU ${SERVER_CPU}, wrk on CPU ${CLIENT_CPU})..."
serve raw "http://127.0.0.1:$port_a/hello" dotnet "$raw_dll" --urls "http://127.0.0.1:$port_a"
pid_a=${pids[-1]}
serve backend "http://127.0.0.1:$port_backend/hello" dotnet "$raw_dll" --urls "http://127.0.0.1:$port_backend"
pid_backend=${pids[-1]}

cat >"$work/host-assembly.json" <<EOF
{
  "urls": "http://127.0.0.1:$port_b",
  "mounts": [
    { "path": "/api", "assembly": "$hello_dll", "entry": "Mergepoints.Bench.Hello.HelloApp.Create" }
  ]
}
EOF
serve host-assembly "http://127.0.0.1:$port_b/api/hello" \
    dotnet "$host_dll" serve --config "$work/host-assembly.json" --urls "http://127.0.0.1:$port_b" --data "$work/data-assembly"
pid_b=${pids[-1]}

cat >"$work/host-proxy.json" <<EOF
{
  "urls": "http://127.0.0.1:$port_c",
  "mounts": [
    { "path": "/remote", "proxy": "http://127.0.0.1:$port_backend", "timeout": 30 }
  ]
}
EOF
serve host-proxy "http://127.0.0.1:$port_c/remote/hello" \
    dotnet "$host_dll" serve --config "$work/host-proxy.json" --urls "http://127.0.0.1:$port_c" --data "$work/data-proxy"
pid_c=${pids[-1]}

# nginx as it fronts a site: one worker, keep-alive to the backend, the same X-Forwarded-* our proxy sets.
mkdir -p "$work/nginx"
chmod 755 "$work" "$work/nginx"   # a worker that dropped root to nobody must still reach its temp folders
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream backend {
    server 127.0.0.1:$port_backend;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port_d;
    location /remote/ {
      proxy_pass http://backend/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Forwarded-Prefix /remote;
    }
  }
}
EOF
serve nginx "http://127.0.0.1:$port_d/remote/hello" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
pid_d="${pids[-1]} $(pgrep -P "${pids[-1]}" | tr '\n' ' ')"   # the master and its worker

# --- measure -----------------------------------------------------------------------------------------------
targets=(a b c d)
declare -A url=(
    [a]="http://127.0.0.1:$port_a/hello"
    [b]="http://127.0.0.1:$port_b/api/hello"
    [c]="http://127.0.0.1:$port_c/remote/hello"
    [d]="http://127.0.0.1:$port_d/remote/hello"
)
declare -A label=(
    [a]="raw Kestrel app.Run"
    [b]="mergepoints, assembly mount /api"
    [c]="mergepoints, proxy mount /remote"
    [d]="nginx proxy_pass /remote/"
)
# The processes whose CPU time a request costs: for the proxies, the proxy and the backend.
declare -A server_pids=([a]="$pid_a" [b]="$pid_b" [c]="$pid_c $pid_backend" [d]="$pid_d $pid_backend")
declare -A rps=() p50=() p99=() cpu=()
ticks_per_second=$(getconf CLK_TCK)

# cpu_ticks PID...: the user + system CPU time the processes have used so far, in clock ticks.
cpu_ticks() {
    local total=0 pid stat fields
    for pid in "$@"; do
        stat=$(<"/proc/$pid/stat")
        read -r -a fields <<<"${stat##*) }"   # after "pid (comm) ": state is field 0, utime 11, stime 12
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# wrk's latency with its unit (812.00us, 1.20ms, 1.01s) in milliseconds.
to_ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/) v *= 1000; else if (t ~ /m$/) v *= 60000; printf "%.3f", v }'; }

# run TARGET SECONDS OUTPUT: one wrk run, in the background so that Ctrl+C stops it at once.
run() {
    "${pin_client[@]}" wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency "${url[$1]}" >"$3" 2>&1 &
    wrk_pid=$!
    wait "$wrk_pid" || { cat "$3" >&2; fail "wrk failed against ${url[$1]}"; }
    wrk_pid=
    if grep -q 'Non-2xx or 3xx responses' "$3"; then
        cat "$3" >&2
        fail "${label[$1]} answered errors under load; see the wrk output above and $work/*.log"
    fi
}

# measure TARGET ROUND: one measured run, its figures appended to the target's lists. Besides throughput,
# the server side's CPU time per request: it is what a request costs whatever else the machine is doing.
measure() {
    local out=$work/wrk-$1-$2.txt before after
    # shellcheck disable=SC2086 # a list of pids
    before=$(cpu_ticks ${server_pids[$1]})
    run "$1" "$DURATION" "$out"
    # shellcheck disable=SC2086
    after=$(cpu_ticks ${server_pids[$1]})
    cpu[$1]+="$(awk -v ticks=$((after - before)) -v hz="$ticks_per_second" '/ requests in / { printf "%.1f", ticks * 1e6 / hz / $1 }' "$out") "
    rps[$1]+="$(awk '/^Requests\/sec:/ { print $2 }' "$out") "
    p50[$1]+="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")") "
    p99[$1]+="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")") "
    if grep -q 'Socket errors' "$out"; then
        echo "  note: ${label[$1]}: $(grep 'Socket errors' "$out" | sed 's/^ *//')" >&2
    fi
}

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if ((WARMUP > 0)); then
    echo "Warming up each target for $WARMUP s..."
    for target in "${targets[@]}"; do run "$target" "$WARMUP" "$work/wrk-$target-warmup.txt"; done
fi

echo "Measuring: $ROUNDS rounds of wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency per target, a/b and c/d alternating"
for ((round = 1; round <= ROUNDS; round++)); do
    # Odd rounds a b c d, even rounds b a d c: neither side of a ratio always runs first.
    if ((round % 2)); then order=(a b c d); else order=(b a d c); fi
    line="  round $round:"
    for target in "${order[@]}"; do
        measure "$target" "$round"
        line+=" $target $(awk '{ printf "%.0f", $NF }' <<<"${rps[$target]}")"
    done
    echo "$line req/s"
done

# --- report ------------------------------------------------------------------------------------------------
declare -A median_rps=()
echo
echo "Machine: $cpus CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)); servers pinned to CPU $SERVER_CPU, wrk to CPU $CLIENT_CPU"
echo "Medians of $ROUNDS rounds of ${DURATION} s, wrk -t1 -c$CONNECTIONS:"
printf '  %-2s %-34s %12s %10s %10s %16s\n' "" "target" "req/s" "p50 ms" "p99 ms" "CPU us/req"
for target in "${targets[@]}"; do
    median_rps[$target]=$(median "${rps[$target]}")
    printf '  %-2s %-34s %12.0f %10.3f %10.3f %16.1f\n' "$target" "${label[$target]}" "${median_rps[$target]}" \
        "$(median "${p50[$target]}")" "$(median "${p99[$target]}")" "$(median "${cpu[$target]}")"
done
echo "  (server CPU: the target's processes, for c and d with the backend's; ticks of 1/$ticks_per_second s)"
declare -A median_cpu=()
for target in "${targets[@]}"; do median_cpu[$target]=$(median "${cpu[$target]}"); done
# The same comparisons by CPU per request: what throughput would be on a core given to the server alone.
# Less swayed than req/s by whatever else the machine runs; the goals stay on req/s, printed last.
awk -v a="${median_cpu[a]}" -v b="${median_cpu[b]}" -v c="${median_cpu[c]}" -v d="${median_cpu[d]}" \
    'BEGIN { printf "The same ratios by CPU per request (less noisy): b/a %.3f, c/d %.3f\n", a / b, d / c }'

# ratio NUMERATOR DENOMINATOR GOAL NAME: prints the ratio and whether it meets its goal.
ratio() {
    awk -v n="${median_rps[$1]}" -v d="${median_rps[$2]}" -v goal="$3" -v name="$4" -v pair="$1/$2" \
        'BEGIN { r = n / d; printf "%s %-11s %.3f  (goal >= %.2f: %s)\n", pair, name, r, goal, (r >= goal) ? "met" : "MISSED" }'
}
echo
ratio b a "$DISPATCH_GOAL" dispatcher
ratio c d "$PROXY_GOAL" proxy
