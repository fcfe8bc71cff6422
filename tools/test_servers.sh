#!/usr/bin/env bash
# Run a command (the test suite) with a throwaway PostgreSQL 15 and Redis, stopped afterwards whatever happens.
#
#   tools/test_servers.sh .venv/bin/python -m pytest -n 2
#
# Both listen on free ports of 127.0.0.1, keep their data in one temporary folder (deleted at the end)
# and are announced to the command as TEST_POSTGRES_URL and TEST_REDIS_URL; the tests that need them
# skip, saying why, when a variable is unset. PostgreSQL refuses to run as root: as root its folder
# belongs to the `postgres` user and initdb/pg_ctl run as that user. redis-server is installed with
# apt-get when missing and we are root; otherwise Redis is skipped with a message. The command's exit
# status is this script's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/pmzh-test-servers.XXXXXX")
chmod 755 "$workdir"
pg_data="$workdir/pg"
pg_bin=""
pg_started=""
redis_pid=""

as_pg() {  # run a PostgreSQL tool as a user it accepts
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_servers() {
    if [ -n "$pg_started" ]; then
        as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$redis_pid" ]; then
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
child=""
stop_child() {  # a signal to this script reaches the command too, and the servers stop at once
    if [ -n "$child" ]; then kill "-$1" "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
}
trap stop_servers EXIT
trap 'stop_child INT; exit 130' INT
trap 'stop_child TERM; exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

find_pg_bin() {
    for dir in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)" \
               "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    done
}

start_postgres() {
    pg_bin=$(find_pg_bin)
    if [ -z "$pg_bin" ]; then
        echo "test servers: PostgreSQL (initdb, pg_ctl) not found: its tests will be skipped" >&2
        return
    fi
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "test servers: running as root without a postgres user: PostgreSQL tests skipped" >&2
            return
        fi
        install -d -o postgres -m 700 "$pg_data"
    fi
    local port
    port=$(free_port)
    as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust --no-sync -E UTF8 >"$workdir/initdb.log" 2>&1 \
        || { echo "test servers: initdb failed:" >&2; cat "$workdir/initdb.log" >&2; return 1; }
    pg_started=yes
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
        -o "-p $port -k $pg_data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || { echo "test servers: PostgreSQL did not start:" >&2; cat "$pg_data/server.log" >&2; return 1; }
    export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
    echo "test servers: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

start_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "test servers: installing redis-server with apt-get" >&2
            { apt-get -o DPkg::Lock::Timeout=300 update -qq \
              && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
                 --no-install-recommends redis-server; } >"$workdir/apt.log" 2>&1 \
                || { echo "test servers: could not install redis-server (see below): Redis tests skipped" >&2;
                     tail -5 "$workdir/apt.log" >&2; return 0; }
        else
            echo "test servers: redis-server is missing and we are not root: Redis tests skipped" >&2
            return 0
        fi
    fi
    local port
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$workdir" --logfile "$workdir/redis.log" &
    redis_pid=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && read -r -t 1 reply <&3 \
            && [ "${reply%$'\r'}" = "+PONG" ]) 2>/dev/null; then
            export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
            echo "test servers: Redis on 127.0.0.1:$port" >&2
            return 0
        fi
        sleep 0.1
    done
    echo "test servers: Redis did not answer PING:" >&2
    cat "$workdir/redis.log" >&2
    return 1
}

start_postgres
start_redis
status=0
"$@" <&0 &  # in the background, so that a signal is handled now, not after the command ends
child=$!
wait "$child" || status=$?
child=""
exit "$status"
