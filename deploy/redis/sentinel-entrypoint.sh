#!/bin/sh
# A Redis Sentinel of the compose deployment. Sentinel rewrites its own configuration file as it learns the
# topology (which server is primary now, the other sentinels), so the file is written on the first start
# only, into the container's volume, then kept. Hostnames, not addresses: a restarted container gets a new IP.
# Environment: SENTINEL_NAME (the primary's name for the app), REDIS_PRIMARY_HOST (the first primary),
# SENTINEL_HOST (this sentinel's own service name), REDIS_PASSWORD.
set -eu
conf=/data/sentinel.conf
if [ ! -f "$conf" ]; then
  umask 077
  cat > "$conf" <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip ${SENTINEL_HOST}
sentinel monitor ${SENTINEL_NAME} ${REDIS_PRIMARY_HOST} 6379 2
sentinel auth-pass ${SENTINEL_NAME} ${REDIS_PASSWORD}
sentinel down-after-milliseconds ${SENTINEL_NAME} 5000
sentinel failover-timeout ${SENTINEL_NAME} 30000
sentinel parallel-syncs ${SENTINEL_NAME} 1
CONF
fi
exec redis-server "$conf" --sentinel
