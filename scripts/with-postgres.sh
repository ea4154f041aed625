#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on a loopback port.
# Exports GURU_TEST_POSTGRES_URL for the command; stops the server (by its pid) afterwards.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
PORT=${GURU_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
DIR=$(mktemp -d /tmp/guru-pg.XXXXXX)
chmod 755 "$DIR"
RUN=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  RUN=(runuser -u postgres --)
fi
"${RUN[@]}" "$PGBIN/initdb" -D "$DIR/data" -U guru --auth=trust -E UTF8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 2; }
"${RUN[@]}" "$PGBIN/postgres" -D "$DIR/data" -h 127.0.0.1 -p "$PORT" -k "$DIR" \
  -c fsync=off -c synchronous_commit=off -c max_connections=200 >"$DIR/server.log" 2>&1 &
PG_PID=$!
cleanup() {
  kill "$PG_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  rm -rf "$DIR"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q && break
  kill -0 "$PG_PID" 2>/dev/null || { cat "$DIR/server.log" >&2; exit 2; }
  sleep 0.1
done
"$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q || { echo "with-postgres: server did not start" >&2; cat "$DIR/server.log" >&2; exit 2; }
export GURU_TEST_POSTGRES_URL="postgres://guru@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT"
"$@"
