#!/usr/bin/env bash
# A throw-away PostgreSQL server for running zsyz's tests against PostgreSQL.
#
#   scripts/pg-throwaway.sh start   # prints the admin URL (give it to ZSYZ_TEST_PG)
#   scripts/pg-throwaway.sh stop    # stops the server and deletes its data
#
# Environment: ZSYZ_PG_PORT (default 54329), ZSYZ_PG_DIR (default /tmp/zsyz-pg-$PORT),
# ZSYZ_PG_BINDIR (where initdb/pg_ctl/postgres are; default: PATH, /usr/lib/postgresql).
# PostgreSQL refuses to run as root, so as root the server runs as the ordinary user
# zsyzpg (created when missing). Trust authentication on 127.0.0.1 only; fsync off —
# the data is thrown away. Exit 3 means "no PostgreSQL binaries here" (callers skip).
set -euo pipefail

port=${ZSYZ_PG_PORT:-54329}
dir=${ZSYZ_PG_DIR:-/tmp/zsyz-pg-$port}
data=$dir/data
url="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"

find_bin() {
    local initdb
    if [[ -n ${ZSYZ_PG_BINDIR:-} ]]; then
        initdb=$ZSYZ_PG_BINDIR/initdb
    else
        initdb=$(command -v initdb 2>/dev/null || true)
    fi
    if [[ -z $initdb ]]; then
        initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    fi
    [[ -n $initdb && -x $initdb ]] || return 1
    bindir=$(dirname "$(readlink -f "$initdb")")
    [[ -x $bindir/pg_ctl && -x $bindir/postgres ]]
}

# Run a PostgreSQL binary as an ordinary user.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd /tmp && runuser -u zsyzpg -- "$@")
    else
        (cd /tmp && "$@")
    fi
}

start() {
    if ! find_bin; then
        echo "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in ${ZSYZ_PG_BINDIR:-PATH or /usr/lib/postgresql}" >&2
        exit 3
    fi
    if [[ -f $data/postmaster.pid ]] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        echo "$url"
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        id zsyzpg >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin zsyzpg
        chown zsyzpg "$dir"
    fi
    as_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    as_pg "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "$url"
}

stop() {
    if find_bin && [[ -d $data ]]; then
        as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
