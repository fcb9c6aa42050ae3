#!/usr/bin/env bash
# Entrypoint of nostrex-local/postgres: Debian's PostgreSQL with the upstream postgres image's
# conventions, so that compose files and tests can use either image.
#
#   docker run IMAGE                                  -> postgres
#   docker run IMAGE postgres -c port=15432 ...       -> postgres -c port=15432 ...
#   docker run IMAGE -c listen_addresses=127.0.0.1    -> the same, `postgres` implied
#   docker run IMAGE bash                             -> bash (anything else runs as given)
#
# On the first start (no PG_VERSION in PGDATA) it runs initdb with
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless
#   POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: POSTGRES_USER),
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
# then runs /docker-entrypoint-initdb.d/*.sh and *.sql once, on a server that listens on the
# Unix socket only (so pg_isready over TCP fails until the real server is up).
# Differences from upstream: connections over TCP from 127.0.0.1 need the password too (upstream
# trusts them); the locale is C.UTF-8.
set -euo pipefail

main() {
    if [[ $# -eq 0 || $1 == -* ]]; then
        set -- postgres "$@"
    fi
    if [[ $1 != postgres ]]; then
        exec "$@"
    fi
    if [[ $(id -u) == 0 ]]; then
        prepare_directories
        exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
    fi
    if [[ ! -s $PGDATA/PG_VERSION ]]; then
        initialise "${@:2}"
    fi
    exec "$@"
}

# As root: the data folder and the socket folder belong to postgres (a fresh volume may not).
prepare_directories() {
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
}

# First start: a new cluster, its database and the init scripts. Args: the server's arguments.
initialise() {
    local user=${POSTGRES_USER:-postgres}
    local database=${POSTGRES_DB:-$user}
    local auth
    auth=$(host_auth_method)
    echo "initdb: cluster in $PGDATA, superuser $user, database $database, TCP auth $auth"
    run_initdb "$user" "$auth"
    # Listen everywhere unless the command line says otherwise (-c listen_addresses=...).
    printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
    printf 'host all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    start_socket_only_server "$@"
    create_database "$user" "$database"
    run_init_scripts "$user" "$database"
    pg_ctl -D "$PGDATA" -m fast -w stop
    echo "initdb: done"
}

host_auth_method() {
    if [[ -n ${POSTGRES_HOST_AUTH_METHOD:-} ]]; then
        echo "$POSTGRES_HOST_AUTH_METHOD"
    elif [[ -n ${POSTGRES_PASSWORD:-} ]]; then
        echo scram-sha-256
    else
        echo "error: the database is not initialised and POSTGRES_PASSWORD is empty;" \
            "set it, or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without one" >&2
        exit 1
    fi
}

run_initdb() {
    local user=$1 auth=$2 password_file
    local args=(--username="$user" --auth-local=trust --auth-host="$auth")
    password_file=$(mktemp)
    if [[ -n ${POSTGRES_PASSWORD:-} ]]; then
        printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
        args+=(--pwfile="$password_file")
    fi
    # POSTGRES_INITDB_ARGS is a list of words, as upstream.
    # shellcheck disable=SC2086
    initdb "${args[@]}" ${POSTGRES_INITDB_ARGS:-}
    rm -f "$password_file"
}

# The user's server arguments, but reachable only through the Unix socket while initialising.
start_socket_only_server() {
    local options
    options=$(printf '%q ' "$@" -c listen_addresses= -p "${PGPORT:-5432}")
    pg_ctl -D "$PGDATA" -o "$options" -w start
}

create_database() {
    local user=$1 database=$2
    if [[ $database != postgres ]]; then
        psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres --set db="$database" \
            <<<'CREATE DATABASE :"db";'
    fi
}

run_init_scripts() {
    local user=$1 database=$2 file
    for file in /docker-entrypoint-initdb.d/*; do
        case $file in
            *.sh) echo "initdb: running $file"; bash "$file" ;;
            *.sql) echo "initdb: running $file"; psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$database" -f "$file" ;;
            *'*') ;;  # the folder is empty
            *) echo "initdb: ignoring $file" ;;
        esac
    done
}

main "$@"; exit
