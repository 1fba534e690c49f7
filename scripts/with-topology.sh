#!/usr/bin/env bash
# Starts the topology of a team past one machine, in a temporary directory, runs the given command against it,
# and stops it all again:
#   - a PostgreSQL primary of its own (initdb; the machine's PostgreSQL binaries),
#   - a streaming replica of it (`pg_basebackup -R`, a second `postgres` on another port),
#   - Debian's PgBouncer in transaction mode in front of the primary.
#   with-topology.sh COMMAND...
# The command gets TEST_DATABASE_URL (the primary, direct: for creating databases and for the tests' own reads),
# LECTERN_TEST_POOLER_URL (PgBouncer) and LECTERN_TEST_REPLICA_URL (the replica), each with the database
# `postgres`; test/cluster/harness.ts gives each server DATABASE_URL through the pooler, DATABASE_DIRECT_URL to
# the primary and DATABASE_READ_URL to the replica (docs/scaling.md).
# PostgreSQL and PgBouncer refuse to run as root: as root, they run as the user postgres.
set -euo pipefail
bin=${LECTERN_PG_BIN:-/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin}
command -v pgbouncer > /dev/null || { echo "with-topology.sh: pgbouncer is not installed (apt-get install pgbouncer)" >&2; exit 1; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
dir=$(mktemp -d /tmp/lectern-topology-XXXXXX)
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
primary_port=$(free_port); replica_port=$(free_port); pooler_port=$(free_port)
pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/replica" -m immediate stop > /dev/null 2>&1 || true
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/primary" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$dir"
  exit $status
}
trap cleanup EXIT INT TERM

# The primary: no fsync (a test database), room for every server's pools, and WAL for one standby.
"${as_pg[@]}" "$bin/initdb" -D "$dir/primary" -U postgres -A trust --no-sync > "$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
cat >> "$dir/primary/postgresql.conf" << EOF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
wal_level = replica
max_wal_senders = 4
EOF
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start > /dev/null ||
  { cat "$dir/primary.log" >&2; exit 1; }

# The replica: a base backup that writes its own standby settings (-R), streaming from the primary.
"${as_pg[@]}" "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica" -R -X stream --no-sync
cat >> "$dir/replica/postgresql.conf" << EOF
port = $replica_port
hot_standby = on
EOF
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start > /dev/null ||
  { cat "$dir/replica.log" >&2; exit 1; }

# PgBouncer in transaction mode: every database of the primary, any number of clients, a server connection
# per client only for the length of a transaction.
cat > "$dir/pgbouncer.ini" << EOF
[databases]
* = host=127.0.0.1 port=$primary_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $pooler_port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 40
max_db_connections = 200
admin_users = postgres
logfile = $dir/pgbouncer.log
EOF
echo '"postgres" ""' > "$dir/userlist.txt"
[[ $(id -u) == 0 ]] && chown postgres: "$dir/pgbouncer.ini" "$dir/userlist.txt"
"${as_pg[@]}" pgbouncer "$dir/pgbouncer.ini" > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$pooler_port" -d postgres && break
  sleep 0.1
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$pooler_port" -d postgres ||
  { cat "$dir/pgbouncer.log" >&2; echo "with-topology.sh: PgBouncer did not start" >&2; exit 1; }

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$primary_port/postgres"
export LECTERN_TEST_POOLER_URL="postgres://postgres@127.0.0.1:$pooler_port/postgres"
export LECTERN_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:$replica_port/postgres"
echo "topology: primary :$primary_port, replica :$replica_port (streaming), PgBouncer :$pooler_port (transaction mode)"
set +e
"$@"
