#!/bin/sh
# A regional (or global) primary's first-start setup, run by the postgres image from
# /docker-entrypoint-initdb.d against its socket-only temporary server. Outside Docker it runs against any
# server that PGHOST/PGPORT name, as a superuser (POSTGRES_USER) that may write $PGDATA/pg_hba.conf.
#
#   APP_DB_USER / APP_DB_PASSWORD / APP_DB_NAME   the application's role and database
#   FAILOVER_DB_USER / FAILOVER_DB_PASSWORD       the failover's own role (the app's DB_*_ADMIN_URL)
#   REPLICATION_USER / REPLICATION_PASSWORD       the role replicas stream with (pg_basebackup, walreceiver)
#
# No role here is a superuser. The app role owns its tables and reads replication state. The failover role
# has exactly what a failover needs: promote a replica, repoint one (and stream from the new primary),
# end sessions, and fence a former primary by closing the application's database to every connection,
# which takes owning that database (so the app role cannot reopen it).
# Idempotent: running it twice changes nothing.
set -eu
: "${POSTGRES_USER:=postgres}"
: "${PGDATA:?PGDATA must name the data directory (for pg_hba.conf)}"
: "${APP_DB_USER:?}" "${APP_DB_PASSWORD:?}" "${APP_DB_NAME:?}"
: "${FAILOVER_DB_USER:?}" "${FAILOVER_DB_PASSWORD:?}"
: "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}"

sql() {
  # Quiet: a second run's "already a member" notices are not news.
  PGOPTIONS='-c client_min_messages=warning' psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" \
    --set app_user="$APP_DB_USER" --set app_password="$APP_DB_PASSWORD" --set app_db="$APP_DB_NAME" \
    --set failover_user="$FAILOVER_DB_USER" --set failover_password="$FAILOVER_DB_PASSWORD" \
    --set repl_user="$REPLICATION_USER" --set repl_password="$REPLICATION_PASSWORD" "$@"
}

sql --dbname postgres <<'SQL'
SELECT format('CREATE ROLE %I', :'app_user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" LOGIN NOSUPERUSER NOREPLICATION PASSWORD :'app_password';
SELECT format('CREATE ROLE %I', :'failover_user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'failover_user') \gexec
ALTER ROLE :"failover_user" LOGIN NOSUPERUSER REPLICATION PASSWORD :'failover_password';
SELECT format('CREATE ROLE %I', :'repl_user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'repl_user') \gexec
ALTER ROLE :"repl_user" LOGIN NOSUPERUSER REPLICATION PASSWORD :'repl_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'failover_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'app_db') \gexec
ALTER DATABASE :"app_db" OWNER TO :"failover_user";
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE :"app_db" TO :"app_user";

-- Replication state for the health monitor and the failover; ending sessions on a fenced old primary.
GRANT pg_monitor TO :"app_user", :"failover_user";
GRANT pg_signal_backend TO :"failover_user";
-- Failover: repoint a replica at the new primary.
GRANT ALTER SYSTEM ON PARAMETER primary_conninfo TO :"failover_user";
-- Function privileges live in each database's catalog: the failover connects to postgres.
GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer), pg_reload_conf() TO :"failover_user";

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

# The app's own database: its tables in public; its probe reads a replica's last restartpoint.
sql --dbname "$APP_DB_NAME" <<'SQL'
GRANT CREATE, USAGE ON SCHEMA public TO :"app_user";
GRANT EXECUTE ON FUNCTION pg_control_checkpoint() TO :"app_user";
SQL

# The image's pg_hba.conf lets every role in over the network with a password, but not for replication.
hba="$PGDATA/pg_hba.conf"
for role in "$REPLICATION_USER" "$FAILOVER_DB_USER"; do
  line="host replication $role all scram-sha-256"
  grep -qxF "$line" "$hba" || printf '%s\n' "$line" >>"$hba"
done
sql --dbname postgres --command 'SELECT pg_reload_conf()' >/dev/null
echo "primary-init: roles $APP_DB_USER, $FAILOVER_DB_USER and $REPLICATION_USER, database $APP_DB_NAME, replication settings ready"
