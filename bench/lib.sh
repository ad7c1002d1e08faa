# Shared by the wrk benches (bench/http.sh, bench/counter.sh): settings, tools, pinning, a Release build,
# servers started on one CPU and stopped on exit, wrk runs on the other CPU, and medians. Source it after
# setting BENCH_NAME (used in messages and as the folder under bench/results for configs, logs, wrk output).
# shellcheck shell=bash

ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-5}
# Warm-up: on one busy core the host's proxy path took about half a minute of load before tiered JIT was
# done with it (its CPU per request kept falling until then), so 30 s, or the first rounds measure the JIT.
WARMUP=${BENCH_WARMUP:-30}
# Pinning. With two cores: every server (the target under load, the idle ones, any backend) on one core, wrk
# alone on the other. wrk then never takes CPU from what it measures, and the two sides of each comparison
# get the same budget, one core for the whole server side.
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
PORT_BASE=${BENCH_PORT_BASE:-18700}

fail() { echo "bench/$BENCH_NAME: $*" >&2; exit 1; }

for setting in ROUNDS DURATION WARMUP SERVER_CPU CLIENT_CPU PORT_BASE; do
    [[ ${!setting} =~ ^[0-9]+$ ]] || fail "BENCH_$setting must be a whole number, not '${!setting}'"
done
((ROUNDS >= 1 && ROUNDS <= 100)) || fail "BENCH_ROUNDS must be between 1 and 100"
((DURATION >= 1 && DURATION <= 600)) || fail "BENCH_DURATION must be between 1 and 600 seconds"
((WARMUP <= 600)) || fail "BENCH_WARMUP must be at most 600 seconds"
((PORT_BASE >= 1024 && PORT_BASE <= 65000)) || fail "BENCH_PORT_BASE must be between 1024 and 65000"

# check_connections VALUE: a wrk connection count in range.
check_connections() {
    [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= 1000)) || fail "a connection count must be between 1 and 1000, not '$1'"
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$repo/bench/results
work=$results/$BENCH_NAME   # configs and logs of the last run, kept for a look after it

# --- tools -------------------------------------------------------------------------------------------------
# need_tools COMMAND=PACKAGE...: installs with apt-get (as root, or through sudo) the packages of the
# commands that are missing. Debian starts a service it installs (nginx on port 80); a policy-rc.d that says
# no keeps anything from listening beyond what the bench starts.
need_tools() {
    local pair missing=() sudo=() policy=/usr/sbin/policy-rc.d made_policy=false install_status=0
    PATH=$PATH:/usr/sbin:/sbin
    command -v dotnet >/dev/null || fail "dotnet is not installed (the SDK that global.json names is needed)"
    for pair in "$@"; do
        command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
    done
    ((${#missing[@]} > 0)) || return 0
    if (($(id -u) != 0)); then sudo=(sudo); fi
    echo "Installing ${missing[*]} with apt-get..."
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        made_policy=true
    fi
    { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } || install_status=$?
    if $made_policy; then "${sudo[@]}" rm -f "$policy"; fi
    ((install_status == 0)) || fail "apt-get could not install ${missing[*]}"
}
need_tools wrk=wrk taskset=util-linux curl=curl ss=iproute2 pgrep=procps

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
build=$results/build
# build_release PROJECT...: dotnet publish -c Release into bench/results/build/NAME.
build_release() {
    local project name
    echo "Building (Release) into bench/results/build..."
    mkdir -p "$build" "$work"
    for project in "$@"; do
        name=${project##*/}
        rm -rf "${build:?}/$name"
        dotnet publish "$repo/$project" -c Release -o "$build/$name" --nologo -v quiet >"$work/build-$name.log" 2>&1 \
            || { cat "$work/build-$name.log" >&2; fail "building $project failed"; }
    done
}
rm -rf "$work"
mkdir -p "$work"

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
# log level (the level the host's own appsettings.json gives ASP.NET Core), so host and reference log alike.
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset ASPNETCORE_URLS DOTNET_URLS ASPNETCORE_HTTP_PORTS ASPNETCORE_HTTPS_PORTS

# free_ports N: sets ports=(...) to N ports from PORT_BASE up that nothing listens on.
free_ports() {
    local listening port
    listening=" $(ss -Htln | awk '{ sub(/.*:/, "", $4); printf "%s ", $4 }') "
    ports=()
    for ((port = PORT_BASE; port < PORT_BASE + 200 && ${#ports[@]} < $1; port++)); do
        [[ $listening == *" $port "* ]] || ports+=("$port")
    done
    ((${#ports[@]} == $1)) || fail "no $1 free ports from $PORT_BASE up"
}

# serve NAME URL EXPECTED COMMAND...: runs COMMAND in the background on the server CPU, its output in
# $work/NAME.log, and waits (at most 30 s) until URL answers EXPECTED. ${pids[-1]} is its pid.
serve() {
    local name=$1 url=$2 expected=$3 pid tries
    shift 3
    "${pin_server[@]}" "$@" >"$work/$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for ((tries = 0; tries < 150; tries++)); do
        if [[ $(curl -s --max-time 1 "$url" 2>/dev/null) == "$expected" ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; fail "$name exited; its log is above"; }
        sleep 0.2
    done
    cat "$work/$name.log" >&2
    fail "$name did not answer \"$expected\" at $url within 30 s"
}

# --- measure -----------------------------------------------------------------------------------------------
# A bench fills these per target: url (what wrk loads), label (the report's name), server_pids (whose CPU a
# request costs), and optionally script (a wrk Lua script) and connections (wrk -c).
declare -A url=() label=() server_pids=() script=() connections=()
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
    local args=(-t1 -c"${connections[$1]:-32}" -d"$2s" --latency)
    if [[ -n ${script[$1]:-} ]]; then args+=(-s "${script[$1]}"); fi
    "${pin_client[@]}" wrk "${args[@]}" "${url[$1]}" >"$3" 2>&1 &
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

# warm_up TARGET...: one unmeasured run of WARMUP seconds per target.
warm_up() {
    local target
    ((WARMUP > 0)) || return 0
    echo "Warming up each target for $WARMUP s..."
    for target in "$@"; do run "$target" "$WARMUP" "$work/wrk-$target-warmup.txt"; done
}

# report TARGET...: the medians of every target as a table.
report() {
    local target
    echo
    echo "Machine: $cpus CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)); servers pinned to CPU $SERVER_CPU, wrk to CPU $CLIENT_CPU"
    echo "Medians of $ROUNDS rounds of ${DURATION} s, wrk -t1:"
    printf '  %-8s %-44s %5s %10s %9s %9s %11s\n' "" "target" "conns" "req/s" "p50 ms" "p99 ms" "CPU us/req"
    for target in "$@"; do
        median_rps[$target]=$(median "${rps[$target]}")
        median_cpu[$target]=$(median "${cpu[$target]}")
        printf '  %-8s %-44s %5s %10.0f %9.3f %9.3f %11.1f\n' "$target" "${label[$target]}" "${connections[$target]:-32}" \
            "${median_rps[$target]}" "$(median "${p50[$target]}")" "$(median "${p99[$target]}")" "${median_cpu[$target]}"
    done
}
declare -A median_rps=() median_cpu=()

# ratio NUMERATOR DENOMINATOR GOAL NAME: prints the ratio by req/s and whether it meets its goal.
ratio() {
    awk -v n="${median_rps[$1]}" -v d="${median_rps[$2]}" -v goal="$3" -v name="$4" -v pair="$1/$2" \
        'BEGIN { r = n / d; printf "%-17s %-24s %.3f  (goal >= %.2f: %s)\n", pair, name, r, goal, (r >= goal) ? "met" : "MISSED" }'
}
