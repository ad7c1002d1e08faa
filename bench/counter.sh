#!/usr/bin/env bash
# The play counter's throughput goals (issue 4), as ratios against a reference in the same run, alternating:
#
#   the counter at /api through the whole host (every site-wide middleware in place)
#   vs a raw Kestrel app.Run that does the same in-memory counting (bench/Mergepoints.Bench.Raw)
#
#   get     GET  /api/song/N, host with durability memory      vs raw GET    goal >= 0.90
#   memory  POST /api/song/N, host with durability memory      vs raw POST   goal >= 0.90
#   fsync   POST /api/song/N, host with durability fsync       vs raw POST   goal >= 0.50
#
# each at 32 and 256 connections; N is drawn from 1..1000 (bench/counter-get.lua, bench/counter-post.lua).
# The fsync host writes its log under bench/results/counter/, on the disk the repo is on. Usage, from anywhere:
#   bench/counter.sh                                         # 5 rounds x 5 s per target, about 12 minutes
#   BENCH_ROUNDS=2 BENCH_DURATION=2 BENCH_WARMUP=2 bench/counter.sh   # a quick look
# Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION (5), BENCH_WARMUP seconds per target (30),
# BENCH_COUNTER_CONNECTIONS ("32 256"), BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1), BENCH_PORT_BASE (18700).
set -euo pipefail

BENCH_NAME=counter
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

read -r -a loads <<<"${BENCH_COUNTER_CONNECTIONS:-32 256}"
for c in "${loads[@]}"; do check_connections "$c"; done
((${#loads[@]} > 0)) || fail "BENCH_COUNTER_CONNECTIONS names no connection count"

build_release host/Mergepoints.Host bench/Mergepoints.Bench.Raw
host_dll=$build/Mergepoints.Host/mergepoints.dll
raw_dll=$build/Mergepoints.Bench.Raw/Mergepoints.Bench.Raw.dll

free_ports 3
port_raw=${ports[0]} port_memory=${ports[1]} port_fsync=${ports[2]}

echo "Starting the targets (servers on CPU ${SERVER_CPU}, wrk on CPU ${CLIENT_CPU})..."
serve raw "http://127.0.0.1:$port_raw/api/song/0" 0 dotnet "$raw_dll" --urls "http://127.0.0.1:$port_raw"
pid_raw=${pids[-1]}
cat >"$work/site.json" <<JSON
{ "mounts": [ { "path": "/api", "app": "counter" } ] }
JSON
# start_host DURABILITY PORT: the host as it ships, the counter's durability set the way an operator would.
start_host() {
    Counter__Durability=$1 serve "host-$1" "http://127.0.0.1:$2/api/song/0" 0 \
        dotnet "$host_dll" serve --config "$work/site.json" --urls "http://127.0.0.1:$2" --data "$work/data-$1"
}
start_host memory "$port_memory"
pid_memory=${pids[-1]}
start_host fsync "$port_fsync"
pid_fsync=${pids[-1]}

targets=()
for c in "${loads[@]}"; do
    for kind in raw-get get raw-post memory fsync; do
        target=$kind-$c
        targets+=("$target")
        connections[$target]=$c
        case $kind in
            raw-get) url[$target]=http://127.0.0.1:$port_raw/; script[$target]=$repo/bench/counter-get.lua
                     label[$target]="raw Kestrel, GET"; server_pids[$target]=$pid_raw ;;
            get) url[$target]=http://127.0.0.1:$port_memory/; script[$target]=$repo/bench/counter-get.lua
                 label[$target]="mergepoints /api, GET (memory)"; server_pids[$target]=$pid_memory ;;
            raw-post) url[$target]=http://127.0.0.1:$port_raw/; script[$target]=$repo/bench/counter-post.lua
                      label[$target]="raw Kestrel, POST"; server_pids[$target]=$pid_raw ;;
            memory) url[$target]=http://127.0.0.1:$port_memory/; script[$target]=$repo/bench/counter-post.lua
                    label[$target]="mergepoints /api, POST, durability memory"; server_pids[$target]=$pid_memory ;;
            fsync) url[$target]=http://127.0.0.1:$port_fsync/; script[$target]=$repo/bench/counter-post.lua
                   label[$target]="mergepoints /api, POST, durability fsync"; server_pids[$target]=$pid_fsync ;;
        esac
    done
done

warm_up "${targets[@]}"

echo "Measuring: $ROUNDS rounds of wrk -t1 -d${DURATION}s --latency per target, each host run beside its reference"
for ((round = 1; round <= ROUNDS; round++)); do
    line="  round $round:"
    for c in "${loads[@]}"; do
        # Odd rounds reference first, even rounds host first: neither side of a ratio always runs first.
        if ((round % 2)); then order=(raw-get get raw-post memory fsync); else order=(get raw-get fsync memory raw-post); fi
        for kind in "${order[@]}"; do
            measure "$kind-$c" "$round"
            line+=" $kind-$c $(awk '{ printf "%.0f", $NF }' <<<"${rps[$kind-$c]}")"
        done
    done
    echo "$line req/s"
done

report "${targets[@]}"
echo "For scale: the original utility (Python WSGI) measured 1,283 req/s on its own machine (the issue's figure)."
echo
for c in "${loads[@]}"; do
    ratio "get-$c" "raw-get-$c" 0.90 "GET, $c connections"
    ratio "memory-$c" "raw-post-$c" 0.90 "POST memory, $c conns"
    ratio "fsync-$c" "raw-post-$c" 0.50 "POST fsync, $c conns"
done
