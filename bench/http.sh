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
# target (30), BENCH_CONNECTIONS (32), BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1), BENCH_PORT_BASE (18700);
# the shared parts are in bench/lib.sh.
set -euo pipefail

BENCH_NAME=http
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${BENCH_CONNECTIONS:-32}
check_connections "$CONNECTIONS"
DISPATCH_GOAL=0.90
PROXY_GOAL=0.80

need_tools nginx=nginx
build_release host/Mergepoints.Host bench/Mergepoints.Bench.Raw bench/Mergepoints.Bench.Hello
host_dll=$build/Mergepoints.Host/mergepoints.dll
raw_dll=$build/Mergepoints.Bench.Raw/Mergepoints.Bench.Raw.dll
hello_dll=$build/Mergepoints.Bench.Hello/Mergepoints.Bench.Hello.dll

free_ports 5
port_a=${ports[0]} port_b=${ports[1]} port_c=${ports[2]} port_d=${ports[3]} port_backend=${ports[4]}
hello="Hello, World!"   # every target's answer

echo "Starting the targets (servers on CPU ${SERVER_CPU}, wrk on CPU ${CLIENT_CPU})..."
serve raw "http://127.0.0.1:$port_a/hello" "$hello" dotnet "$raw_dll" --urls "http://127.0.0.1:$port_a"
pid_a=${pids[-1]}
serve backend "http://127.0.0.1:$port_backend/hello" "$hello" dotnet "$raw_dll" --urls "http://127.0.0.1:$port_backend"
pid_backend=${pids[-1]}
cat >"$work/host-assembly.json" <<EOF
{
  "urls": "http://127.0.0.1:$port_b",
  "mounts": [
    { "path": "/api", "assembly": "$hello_dll", "entry": "Mergepoints.Bench.Hello.HelloApp.Create" }
  ]
}
EOF
serve host-assembly "http://127.0.0.1:$port_b/api/hello" "$hello" \
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
serve host-proxy "http://127.0.0.1:$port_c/remote/hello" "$hello" \
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
serve nginx "http://127.0.0.1:$port_d/remote/hello" "$hello" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
pid_d="${pids[-1]} $(pgrep -P "${pids[-1]}" | tr '\n' ' ')"   # the master and its worker

# --- measure -----------------------------------------------------------------------------------------------
targets=(a b c d)
url=(
    [a]="http://127.0.0.1:$port_a/hello"
    [b]="http://127.0.0.1:$port_b/api/hello"
    [c]="http://127.0.0.1:$port_c/remote/hello"
    [d]="http://127.0.0.1:$port_d/remote/hello"
)
label=(
    [a]="raw Kestrel app.Run"
    [b]="mergepoints, assembly mount /api"
    [c]="mergepoints, proxy mount /remote"
    [d]="nginx proxy_pass /remote/"
)
# The processes whose CPU time a request costs: for the proxies, the proxy and the backend.
server_pids=([a]="$pid_a" [b]="$pid_b" [c]="$pid_c $pid_backend" [d]="$pid_d $pid_backend")
connections=([a]=$CONNECTIONS [b]=$CONNECTIONS [c]=$CONNECTIONS [d]=$CONNECTIONS)

warm_up "${targets[@]}"

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
report "${targets[@]}"
echo "  (server CPU: the target's processes, for c and d with the backend's; ticks of 1/$ticks_per_second s)"
# The same comparisons by CPU per request: what throughput would be on a core given to the server alone.
# Less swayed than req/s by whatever else the machine runs; the goals stay on req/s, printed last.
awk -v a="${median_cpu[a]}" -v b="${median_cpu[b]}" -v c="${median_cpu[c]}" -v d="${median_cpu[d]}" \
    'BEGIN { printf "The same ratios by CPU per request (less noisy): b/a %.3f, c/d %.3f\n", a / b, d / c }'
echo
ratio b a "$DISPATCH_GOAL" dispatcher
ratio c d "$PROXY_GOAL" proxy
