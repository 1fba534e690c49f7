#!/usr/bin/env bash
# Runs a command with a Redis of its own: a redis-server on a free port that keeps nothing on disk, exported
# as TEST_REDIS_URL, stopped when the command ends.
#   with-redis.sh COMMAND...
# npm test runs the e2e tier beside api:postgres. On one Redis each tier's server would hear the other's Pub/Sub
# (a key revoked by one drops the other's key cache, since keys are not a project's), so e2e has its own.
set -uo pipefail
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" > "$dir/redis.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping > /dev/null 2>&1 && break
  sleep 0.1
done
if ! redis-cli -p "$port" ping > /dev/null 2>&1; then
  echo "with-redis.sh: redis-server did not answer on 127.0.0.1:$port"
  cat "$dir/redis.log"
  exit 1
fi
export TEST_REDIS_URL="redis://127.0.0.1:$port"
"$@"
status=$?
exit "$status"
