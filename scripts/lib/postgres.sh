# A throwaway PostgreSQL cluster for the tests: Debian's packages (installed if missing,
# with setup.sh's apt_install),
# a fresh data directory under /tmp, loopback only, trust auth, no fsync (nothing in it
# outlives the run). Source this file, then:
#   postgres_start PORT   starts it and exports TOKENSMITH_TEST_POSTGRES (the admin URL)
#   postgres_stop         stops it and removes its directory

POSTGRES_BIN=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}

postgres_install() {
  [ -x "$POSTGRES_BIN/initdb" ] && return 0
  apt_install postgresql
}

# Runs a PostgreSQL program as the cluster's owner (initdb refuses root).
postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

postgres_start() {
  local port=$1
  postgres_install
  POSTGRES_DIR=$(mktemp -d /tmp/tokensmith-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$POSTGRES_DIR"
  postgres_as_owner "$POSTGRES_BIN/initdb -D $POSTGRES_DIR/data -U postgres --auth=trust \
    --locale=C.UTF-8 -E UTF8" >"$POSTGRES_DIR/initdb.log" 2>&1 \
    || { cat "$POSTGRES_DIR/initdb.log"; return 1; }
  postgres_as_owner "$POSTGRES_BIN/pg_ctl -D $POSTGRES_DIR/data -l $POSTGRES_DIR/server.log -w \
    -o \"-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=400\" start" \
    >/dev/null || { cat "$POSTGRES_DIR/server.log"; return 1; }
  export TOKENSMITH_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  postgres_as_owner "$POSTGRES_BIN/pg_ctl -D $POSTGRES_DIR/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=
}
