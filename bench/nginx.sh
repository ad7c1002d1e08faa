#!/usr/bin/env bash
# Issue 8's figures: the repo's own nginx.conf in front of the host, measured against the host alone, in one run.
#
#   b/a    counter GET /api/song/N through nginx (to the shard that owns it)  vs  the same request straight to
#          that shard, a `mergepoints serve` with the counter at /api. No goal was named: what the hop costs.
#   s2/s1  the whole site (bench/site-mix.lua: home page, songs, gallery, about, stylesheet, a count, every
#   s3/s1  count) through nginx with 1, 2 and 3 host instances: the same `serve` command run 1, 2, 3 times on a
#          slot config, each instance's /api a gateway over the one shard.
#
# nginx runs the repo's nginx.conf unchanged: a prefix under bench/results/nginx holds a symlink to it and the
# bench's own nginx.d/ (listen port, instances, shard, blob directory). The datastore is SQLite in one data
# directory every instance shares (no server to install). Every server is pinned to one CPU and wrk to the other
# (bench/lib.sh): on a 2-core machine more instances cannot add CPU, so s2/s1 and s3/s1 show what spreading the
# same core over more processes costs, not how the site grows on a bigger machine.
# Usage, from anywhere:
#   bench/nginx.sh                                                    # 5 rounds x 5 s per target
#   BENCH_ROUNDS=2 BENCH_DURATION=2 BENCH_WARMUP=2 bench/nginx.sh     # a quick look
# Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION (5), BENCH_WARMUP (30), BENCH_CONNECTIONS (32),
# BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1), BENCH_PORT_BASE (18700); the shared parts are in bench/lib.sh.
set -euo pipefail

BENCH_NAME=nginx
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${BENCH_CONNECTIONS:-32}
check_connections "$CONNECTIONS"

need_tools nginx=nginx
build_release host/Mergepoints.Host
host_dll=$build/Mergepoints.Host/mergepoints.dll

free_ports 5
port_nginx=${ports[0]} port_shard=${ports[1]}
slots=("127.0.0.1:${ports[2]}" "127.0.0.1:${ports[3]}" "127.0.0.1:${ports[4]}")

# --- the shard and the instances ---------------------------------------------------------------------------
echo "Starting a counter shard, nginx and the instances (servers on CPU ${SERVER_CPU}, wrk on CPU ${CLIENT_CPU})..."
serve shard "http://127.0.0.1:$port_shard/healthz" Healthy \
    dotnet "$host_dll" serve --config "$repo/deploy/counter.json" --urls "http://127.0.0.1:$port_shard" --data "$work/shard"
pid_shard=${pids[-1]}

# The instances' config: deploy/mergepoints.json's mounts, on this run's slots, with data and logs under $work.
cat >"$work/site.json" <<JSON
{
  "slots": ["${slots[0]}", "${slots[1]}", "${slots[2]}"],
  "data": "./data",
  "logs": "./logs",
  "mounts": $(sed -n '/"mounts"/,/^  \]/p' "$repo/deploy/mergepoints.json" | sed '1s/.*\[/[/')
}
JSON
# The instances' /api is a gateway over the shard; mashing is not measured, so no workers anywhere.
export Counter__Shards__0="http://127.0.0.1:$port_shard/api" Jobs__InProcess=false
instance_pids=()
# start_instance N: the same serve command once more; it takes the next free slot, the Nth.
start_instance() {
    serve "instance-$1" "http://${slots[$1 - 1]}/healthz" Healthy dotnet "$host_dll" serve --config "$work/site.json"
    instance_pids+=("${pids[-1]}")
}
start_instance 1
start_instance 2
start_instance 3

# --- nginx, the repo's file as it is ------------------------------------------------------------------------
prefix=$work/nginx
mkdir -p "$prefix/nginx.d" "$prefix/logs"
chmod 755 "$results" "$work" "$prefix"   # workers that dropped root for nobody must reach the prefix
ln -s "$repo/nginx.conf" "$prefix/nginx.conf"
echo "listen 127.0.0.1:$port_nginx;" >"$prefix/nginx.d/listen.conf"
echo "server 127.0.0.1:$port_shard max_fails=0;" >"$prefix/nginx.d/shards.conf"
echo "alias $work/data/blobs/;" >"$prefix/nginx.d/blobs.conf"
# behind_nginx N: nginx's upstream lists the first N slots.
behind_nginx() {
    local i
    for ((i = 0; i < $1; i++)); do echo "server ${slots[i]} max_fails=1 fail_timeout=5s;"; done >"$prefix/nginx.d/instances.conf"
}
behind_nginx 1
nginx -t -q -p "$prefix/" -c "$prefix/nginx.conf" || fail "nginx -t refused the repo's nginx.conf"
serve nginx "http://127.0.0.1:$port_nginx/healthz" Healthy nginx -p "$prefix/" -c "$prefix/nginx.conf" -g "daemon off;"
pid_nginx=${pids[-1]}
nginx_pids() { echo "$pid_nginx $(pgrep -P "$pid_nginx" | tr '\n' ' ')"; }

# --- a/b: a count straight to the shard, and through nginx --------------------------------------------------
url=([a]="http://127.0.0.1:$port_shard" [b]="http://127.0.0.1:$port_nginx")
label=([a]="counter GET, straight to the shard" [b]="counter GET through nginx")
script=([a]="$repo/bench/counter-get.lua" [b]="$repo/bench/counter-get.lua")
server_pids=([a]="$pid_shard" [b]="$pid_shard $(nginx_pids)")
connections=([a]=$CONNECTIONS [b]=$CONNECTIONS)
warm_up a b
echo "Measuring the counter: $ROUNDS rounds of wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency, a and b alternating"
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then order=(a b); else order=(b a); fi
    for target in "${order[@]}"; do measure "$target" "$round"; done
    echo "  round $round: a $(awk '{ printf "%.0f", $NF }' <<<"${rps[a]}") b $(awk '{ printf "%.0f", $NF }' <<<"${rps[b]}") req/s"
done

# --- s1, s2, s3: the whole site with 1, 2, 3 instances -------------------------------------------------------
for n in 1 2 3; do
    url[s$n]="http://127.0.0.1:$port_nginx"
    label[s$n]="whole site through nginx, $n instance(s)"
    script[s$n]="$repo/bench/site-mix.lua"
    connections[s$n]=$CONNECTIONS
    server_pids[s$n]="${instance_pids[*]:0:n} $pid_shard"
done
# use_instances N: nginx sends to N instances from now on; a reload's old workers finish and leave first.
use_instances() {
    behind_nginx "$1"
    nginx -s reload -p "$prefix/" -c "$prefix/nginx.conf"
    sleep 2
    server_pids[s$1]="${instance_pids[*]:0:$1} $pid_shard $(nginx_pids)"
}
for n in 1 2 3; do
    use_instances "$n"
    warm_up "s$n"
done
echo "Measuring the site: $ROUNDS rounds, 1, 2 and 3 instances in turn (the order reversed every other round)"
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then order=(1 2 3); else order=(3 2 1); fi
    line="  round $round:"
    for n in "${order[@]}"; do
        use_instances "$n"
        measure "s$n" "$round"
        line+=" s$n $(awk '{ printf "%.0f", $NF }' <<<"${rps[s$n]}")"
    done
    echo "$line req/s"
done

# --- report ------------------------------------------------------------------------------------------------
report a b s1 s2 s3
echo "  (server CPU: a the shard; b the shard and nginx; sN the N instances, the shard and nginx)"
echo
awk -v s1="${median_rps[s1]}" -v s2="${median_rps[s2]}" -v s3="${median_rps[s3]}" \
    'BEGIN { printf "s2/s1  whole site, 2 instances / 1   %.3f\ns3/s1  whole site, 3 instances / 1   %.3f\n", s2 / s1, s3 / s1 }'
awk -v a="${median_rps[a]}" -v b="${median_rps[b]}" \
    'BEGIN { printf "b/a    counter GET through nginx / straight to the shard   %.3f\n", b / a }'
