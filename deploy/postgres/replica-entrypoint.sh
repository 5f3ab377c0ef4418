#!/bin/sh
# A streaming replica's entrypoint: on first start, wait for the primary and clone it with
# `pg_basebackup -R -X stream -c fast` into the empty $PGDATA (the clone carries primary_conninfo with this
# replica's application_name, its endpoint id, and the primary's replication settings); then run postgres.
#
#   PRIMARY_HOST, PRIMARY_PORT (5432)             the primary to clone and stream from
#   REPLICATION_USER / REPLICATION_PASSWORD       the role primary-init.sh created
#   REPLICA_NAME                                  application_name: the endpoint id (us-east-replica-1, ...)
#   PRIMARY_WAIT_SECONDS (120)                    how long to wait for the primary on first start
#   REPLICA_NO_EXEC=1                             prepare $PGDATA and exit instead of running postgres
#
# In the image it starts as root, fixes $PGDATA's owner and re-runs itself as postgres (as the image does).
set -eu
: "${PGDATA:?}" "${PRIMARY_HOST:?}" "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${REPLICA_NAME:?}"
: "${PRIMARY_PORT:=5432}" "${PRIMARY_WAIT_SECONDS:=120}"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec gosu postgres "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  waited=0
  until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
    waited=$((waited + 1))
    if [ "$waited" -ge "$PRIMARY_WAIT_SECONDS" ]; then
      echo "replica-entrypoint: $PRIMARY_HOST:$PRIMARY_PORT not ready after ${PRIMARY_WAIT_SECONDS}s" >&2
      exit 1
    fi
    sleep 1
  done
  # A clone interrupted earlier leaves files behind; pg_basebackup wants an empty directory.
  mkdir -p "$PGDATA"
  find "$PGDATA" -mindepth 1 -delete
  echo "replica-entrypoint: cloning $PRIMARY_HOST:$PRIMARY_PORT as $REPLICA_NAME"
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -D "$PGDATA" -R -X stream -c fast \
    -d "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$REPLICATION_USER application_name=$REPLICA_NAME"
  chmod 700 "$PGDATA"
fi

if [ "${REPLICA_NO_EXEC:-}" = 1 ]; then exit 0; fi
exec postgres "$@"
