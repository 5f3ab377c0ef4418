#!/bin/sh
# A regional (or global) primary's first-start setup, run by the postgres image from
# /docker-entrypoint-initdb.d against its socket-only temporary server. Outside Docker it runs against any
# server that PGHOST/PGPORT name, as a superuser (POSTGRES_USER) that may write $PGDATA/pg_hba.conf.
#
#   APP_DB_USER / APP_DB_PASSWORD / APP_DB_NAME   the application's role and database
#   REPLICATION_USER / REPLICATION_PASSWORD       the role replicas stream with (pg_basebackup, walreceiver)
#
# The app role is no superuser: it gets exactly what the router and the failover need (promote a replica,
# repoint a replica, fence an old primary, read replication state, stream after a repoint).
# Idempotent: running it twice changes nothing.
set -eu
: "${POSTGRES_USER:=postgres}"
: "${PGDATA:?PGDATA must name the data directory (for pg_hba.conf)}"
: "${APP_DB_USER:?}" "${APP_DB_PASSWORD:?}" "${APP_DB_NAME:?}"
: "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}"

sql() {
  # Quiet: a second run's "already a member" notices are not news.
  PGOPTIONS='-c client_min_messages=warning' psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" \
    --set app_user="$APP_DB_USER" --set app_password="$APP_DB_PASSWORD" --set app_db="$APP_DB_NAME" \
    --set repl_user="$REPLICATION_USER" --set repl_password="$REPLICATION_PASSWORD" "$@"
}

sql --dbname postgres <<'SQL'
SELECT format('CREATE ROLE %I', :'app_user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" LOGIN NOSUPERUSER REPLICATION PASSWORD :'app_password';
SELECT format('CREATE ROLE %I', :'repl_user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'repl_user') \gexec
ALTER ROLE :"repl_user" LOGIN NOSUPERUSER REPLICATION PASSWORD :'repl_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'app_db') \gexec

-- Replication state for the health monitor; ending other sessions when an old primary is fenced.
GRANT pg_monitor, pg_signal_backend TO :"app_user";
-- Failover: repoint a replica at the new primary, make an old primary read-only (and undo it).
GRANT ALTER SYSTEM ON PARAMETER primary_conninfo, default_transaction_read_only TO :"app_user";

-- Streaming settings; they reach the replicas through pg_basebackup (postgresql.auto.conf).
ALTER SYSTEM SET wal_level = 'replica';
ALTER SYSTEM SET max_wal_senders = 10;
ALTER SYSTEM SET max_replication_slots = 10;
ALTER SYSTEM SET wal_keep_size = '512MB';
-- pg_rewind can turn a failed old primary into a replica of the new one.
ALTER SYSTEM SET wal_log_hints = on;
ALTER SYSTEM SET hot_standby = on;
ALTER SYSTEM SET hot_standby_feedback = on;
SQL

# Function privileges live in each database's catalog: grant them where the app connects.
sql --dbname "$APP_DB_NAME" <<'SQL'
GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer), pg_reload_conf(), pg_control_checkpoint() TO :"app_user";
SQL

# The image's pg_hba.conf lets every role in over the network with a password, but not for replication.
hba="$PGDATA/pg_hba.conf"
for role in "$REPLICATION_USER" "$APP_DB_USER"; do
  line="host replication $role all scram-sha-256"
  grep -qxF "$line" "$hba" || printf '%s\n' "$line" >>"$hba"
done
sql --dbname postgres --command 'SELECT pg_reload_conf()' >/dev/null
echo "primary-init: roles $APP_DB_USER and $REPLICATION_USER, database $APP_DB_NAME, replication settings ready"
