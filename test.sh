#!/usr/bin/env bash
# The README's test command: installs what the tests need that a fresh machine lacks, then runs every test
# project of the solution. Tests that need a server the machine lacks skip outside CI and fail in CI (CI=true).
# The datastore tests run on SQLite and on PostgreSQL: as root this installs Debian's postgresql when it is
# missing, then starts a throwaway cluster (as a non-root user, on a free loopback port) for this run only.
# Set MERGEPOINTS_TEST_POSTGRES yourself to run them against a server of your own instead.
# The mash engine's tests decode MP3, OGG, FLAC and M4A through ffmpeg: as root this installs Debian's ffmpeg
# when it is missing; without it those tests skip (and fail in CI).
# The browser tests drive Debian's headless Chromium through its ChromeDriver: as root this installs chromium and
# chromium-driver when /usr/bin/chromium or /usr/bin/chromedriver is missing; without them those tests skip (and
# fail in CI). Their screenshots and, for a failed test, page sources land in artifacts/screenshots/.
# The nginx tests run the repository's own nginx.conf in front of the host: as root this installs Debian's nginx
# when /usr/sbin/nginx is missing; without it those tests skip (and fail in CI).
set -euo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
pg_dir=""
pg_bin=""
pg_user=""

# Debian keeps server binaries off PATH, under /usr/lib/postgresql/<version>/bin: take the newest there.
find_pg_bin() {
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$newest" && -x "$newest/initdb" && -x "$newest/pg_ctl" ]]; then
        echo "$newest"
    elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
    fi
}

# PostgreSQL refuses to run as root, so as root the cluster belongs to the user the package creates.
as_pg_user() {
    if [[ -n "$pg_user" ]]; then
        (cd "$pg_dir" && runuser -u "$pg_user" -- "$@")
    else
        (cd "$pg_dir" && "$@")
    fi
}

stop_postgres() {
    if [[ -n "$pg_dir" ]]; then
        if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
            as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
        fi
        rm -rf "$pg_dir"
    fi
}

cleanup() {
    stop_postgres
    rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
    pg_bin=$(find_pg_bin)
    if [[ -z "$pg_bin" ]]; then
        apt_install "the PostgreSQL tests" postgresql || return 0
        pg_bin=$(find_pg_bin)
    fi
    if [[ $(id -u) -eq 0 ]]; then
        pg_user=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
    fi

    pg_dir=$(mktemp -d -t mergepoints-pg.XXXXXX)
    chmod 755 "$pg_dir"
    [[ -z "$pg_user" ]] || chown "$pg_user" "$pg_dir"
    as_pg_user "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$pg_dir/initdb.log" 2>&1 \
        || { cat "$pg_dir/initdb.log"; return 1; }

    # A free port, tried until the server takes one (another process may grab it between the check and the start).
    local port attempt
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        port_is_free "$port" || continue
        # fsync off: the cluster lives for one run, and durability only slows the tests down.
        if as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -s \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start; then
            "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres mergepoints_test
            export MERGEPOINTS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=mergepoints_test;"
            echo "PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') for the tests at 127.0.0.1:$port (a throwaway cluster in $pg_dir)"
            return
        fi
    done
    cat "$pg_dir/server.log"
    return 1
}

# apt_install FOR PACKAGE...: as root, installs PACKAGEs for the tests FOR names; otherwise says those tests skip.
apt_install() {
    local for=$1
    shift
    if [[ $(id -u) -ne 0 ]]; then
        echo "$* not installed, and only root can install it: $for will skip."
        return 1
    fi
    echo "Installing $* for $for..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

install_ffmpeg() { command -v ffmpeg >/dev/null || apt_install "the mash engine's ffmpeg tests" ffmpeg || true; }
install_chromium() {
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || apt_install "the browser tests" chromium chromium-driver || true
}
install_nginx() { [[ -x /usr/sbin/nginx ]] || apt_install "the tests that put nginx.conf in front of the host" nginx || true; }

install_ffmpeg
install_chromium
install_nginx

if [[ -z "${MERGEPOINTS_TEST_POSTGRES:-}" ]]; then
    start_postgres
fi

status=0
dotnet test Mergepoints.sln "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line, whatever the runner printed above it.
awk '/^[[:space:]]+(succeeded|failed|skipped):/ { n[$1] += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", n["succeeded:"], n["failed:"], n["skipped:"] }' "$log"
exit "$status"
