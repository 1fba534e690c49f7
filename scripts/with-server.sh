#!/usr/bin/env bash
# Starts the production build on a free port with a fresh database, waits for /api/health, runs the
# given command with LECTERN_TEST_BASE_URL set, then stops the server.
#   with-server.sh pglite|postgres COMMAND...
# LECTERN_TEST_SERVER=lectern (default: `npm start`, Lectern's own server in front of Next),
# next (plain `next start`, as on hosts that only run Next), or both (postgres mode only: Lectern's server
# at LECTERN_TEST_BASE_URL and plain Next at LECTERN_TEST_NEXT_URL, on one database and Redis, so that
# test/api/fast-path-parity*.api.test.ts can compare their answers).
# The server gets CRON_SECRET (exported to tests as LECTERN_TEST_CRON_SECRET), the debug-sleep cron job,
# checks its answers against the routes' response schemas (LECTERN_CHECK_RESPONSES: a mismatch is a 500),
# may send webhooks to loopback (the tests' receivers run on 127.0.0.1), and its project model connections may
# reach 127.0.0.1 only (the local model servers; other private addresses stay refused, which the tests check).
set -uo pipefail
mode=$1; shift
# Every port this run may need, chosen at once: each stays held until all five are chosen, so no two are the same.
# Chosen one at a time, the model server's port once came back as the server's own (CI run 17: EADDRINUSE in
# every api file that starts the model server).
read -r free_port free_llm free_mcp free_oidc free_port2 < <(node -e "
const net = require('net');
const held = Array.from({ length: 5 }, () => net.createServer());
Promise.all(held.map((s) => new Promise((r) => s.listen(0, r)))).then(() => {
  console.log(held.map((s) => s.address().port).join(' '));
  held.forEach((s) => s.close());
});")
port=${LECTERN_TEST_PORT:-$free_port}
export LECTERN_TEST_BASE_URL="http://127.0.0.1:$port"
# A fresh key per run: Redis is shared between runs (and engineers), and a key cached there by another
# run's database would name a project this database does not have.
export LECTERN_TEST_ADMIN_KEY=${LECTERN_TEST_ADMIN_KEY:-lk_test_bootstrap_$(node -e "console.log(require('crypto').randomBytes(16).toString('hex'))")}
export LECTERN_TEST_ADMIN_EMAIL=admin@test.lectern.dev LECTERN_TEST_ADMIN_PASSWORD=admin-password-for-tests
export LECTERN_TEST_CRON_SECRET=${LECTERN_TEST_CRON_SECRET:-test-cron-secret-0123456789}
# The sign-in secret (NEXTAUTH_SECRET): e2e/sign-in.ts encodes the session cookie a password sign-in would leave.
export LECTERN_TEST_AUTH_SECRET=${LECTERN_TEST_AUTH_SECRET:-test-secret-test-secret-test-secret-0001}
export LECTERN_TEST_SSE_MAX_PER_KEY=${LECTERN_TEST_SSE_MAX_PER_KEY:-16}
# The default model connection points at a port the tests may start the local model server on
# (test/llm-server.ts); nothing listens there unless a test does.
export LECTERN_TEST_LLM_PORT=${LECTERN_TEST_LLM_PORT:-$free_llm}
# The MCP conformance test (test/api/mcp-conformance.api.test.ts) puts a gateway that adds the API key on this port;
# browsers there are the gateway's origin, which the server is told to allow (LECTERN_MCP_ALLOWED_ORIGINS).
export LECTERN_TEST_MCP_GATEWAY_PORT=${LECTERN_TEST_MCP_GATEWAY_PORT:-$free_mcp}
data=$(mktemp -d)
# No demo prompts: the tests make their own, and the demo's production requires review and staging first.
server_env=(NODE_ENV=production PORT=$port LECTERN_SEED_DEMO=false LECTERN_DATA_DIR="$data" LECTERN_BOOTSTRAP_ADMIN_KEY="$LECTERN_TEST_ADMIN_KEY"
  LECTERN_ADMIN_EMAIL="$LECTERN_TEST_ADMIN_EMAIL" LECTERN_ADMIN_PASSWORD="$LECTERN_TEST_ADMIN_PASSWORD"
  NEXTAUTH_URL="$LECTERN_TEST_BASE_URL" NEXTAUTH_SECRET="$LECTERN_TEST_AUTH_SECRET" LECTERN_LOG_LEVEL=warn
  LECTERN_TRUSTED_PROXIES=127.0.0.1,::1 CRON_SECRET="$LECTERN_TEST_CRON_SECRET" LECTERN_DEBUG_JOBS=true LECTERN_CHECK_RESPONSES=true
  LECTERN_WEBHOOK_ALLOW_PRIVATE=true LECTERN_CONNECTIONS_ALLOW_PRIVATE=127.0.0.1 LECTERN_SSE_MAX_PER_KEY="$LECTERN_TEST_SSE_MAX_PER_KEY"
  LLM_BASE_URL="http://127.0.0.1:$LECTERN_TEST_LLM_PORT/v1" LLM_API_KEY=test-llm-key
  LECTERN_MCP_ALLOWED_ORIGINS="http://localhost:$LECTERN_TEST_MCP_GATEWAY_PORT"
  LECTERN_SCHEDULER=off LECTERN_TEST_CLOCK=true)
# Tests own time (docs/testing.md): the scheduler fires nothing here. A test that needs a periodic job runs it
# through the cron route (CRON_SECRET, the door Vercel Cron uses), as of the time it names with `?at=` when it
# needs one (LECTERN_TEST_CLOCK); queued jobs (webhook deliveries, evaluation runs) still run on the workers.
# LECTERN_TEST_OIDC=on (the e2e tier): single sign-on through an OpenID Connect provider the tests start on
# LECTERN_TEST_OIDC_PORT (test/oidc-server.ts); accounts of sso.test only, joining project e2e-sso as editors.
if [[ ${LECTERN_TEST_OIDC:-} == on ]]; then
  export LECTERN_TEST_OIDC_PORT=${LECTERN_TEST_OIDC_PORT:-$free_oidc}
  export LECTERN_TEST_OIDC_CLIENT_ID=lectern-e2e LECTERN_TEST_OIDC_CLIENT_SECRET=lectern-e2e-oidc-secret
  server_env+=(OIDC_ISSUER="http://127.0.0.1:$LECTERN_TEST_OIDC_PORT" OIDC_CLIENT_ID="$LECTERN_TEST_OIDC_CLIENT_ID"
    OIDC_CLIENT_SECRET="$LECTERN_TEST_OIDC_CLIENT_SECRET" OIDC_NAME="Test identity provider"
    LECTERN_SSO_ALLOWED_DOMAINS=sso.test LECTERN_SSO_JOIN_PROJECT=e2e-sso LECTERN_SSO_JOIN_ROLE=editor)
fi
export LECTERN_TEST_SERVER=${LECTERN_TEST_SERVER:-lectern}
if [[ $mode == postgres ]]; then
  db="lectern_srv_$(date +%s)_$RANDOM"
  base=${TEST_DATABASE_URL:?TEST_DATABASE_URL is required for postgres mode}
  node -e "const {Client}=require('pg');(async()=>{const c=new Client({connectionString:process.argv[1]});await c.connect();await c.query('create database '+process.argv[2]);await c.end()})().catch(e=>{console.error(e.message);process.exit(1)})" "$base" "$db" || exit 1
  export LECTERN_TEST_DATABASE_URL=$(node -e "const u=new URL(process.argv[1]);u.pathname='/'+process.argv[2];console.log(u.toString())" "$base" "$db")
  server_env+=(DATABASE_URL="$LECTERN_TEST_DATABASE_URL" REDIS_URL="${TEST_REDIS_URL:?}")
fi
# node directly, not npx: the pid must be the server itself so cleanup stops it.
if [[ $LECTERN_TEST_SERVER == both && $mode != postgres ]]; then echo "LECTERN_TEST_SERVER=both needs postgres mode (two servers share one database)"; exit 1; fi
if [[ $LECTERN_TEST_SERVER == next ]]; then
  env "${server_env[@]}" node node_modules/next/dist/bin/next start -p "$port" -H 127.0.0.1 > "$data/server.log" 2>&1 &
else
  env "${server_env[@]}" node scripts/start.mjs -p "$port" -H 127.0.0.1 > "$data/server.log" 2>&1 &
fi
pid=$!
pid2=
if [[ $LECTERN_TEST_SERVER == both ]]; then
  # Started once the first server has migrated the database.
  for _ in $(seq 1 120); do curl -sf "$LECTERN_TEST_BASE_URL/api/health" > /dev/null && break; sleep 0.5; done
  port2=$free_port2
  export LECTERN_TEST_NEXT_URL="http://127.0.0.1:$port2"
  env "${server_env[@]}" PORT=$port2 NEXTAUTH_URL="$LECTERN_TEST_NEXT_URL" node node_modules/next/dist/bin/next start -p "$port2" -H 127.0.0.1 > "$data/server-next.log" 2>&1 &
  pid2=$!
fi
cleanup() {
  kill $pid $pid2 2>/dev/null; wait $pid $pid2 2>/dev/null
  if [[ $mode == postgres ]]; then
    node -e "const {Client}=require('pg');(async()=>{const c=new Client({connectionString:process.argv[1]});await c.connect();await c.query('drop database if exists '+process.argv[2]+' with (force)');await c.end()})().catch(()=>{})" "$base" "$db"
  fi
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if curl -sf "$LECTERN_TEST_BASE_URL/api/health" > /dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then echo "server exited:"; cat "$data/server.log"; exit 1; fi
  sleep 0.5
done
curl -sf "$LECTERN_TEST_BASE_URL/api/health" > /dev/null || { echo "server did not become healthy:"; cat "$data/server.log"; exit 1; }
if [[ -n $pid2 ]]; then
  for _ in $(seq 1 120); do curl -sf "$LECTERN_TEST_NEXT_URL/api/health" > /dev/null && break; sleep 0.5; done
  curl -sf "$LECTERN_TEST_NEXT_URL/api/health" > /dev/null || { echo "next start did not become healthy:"; cat "$data/server-next.log"; exit 1; }
fi
"$@"; status=$?
if (( status != 0 )); then echo "--- server log ---"; tail -50 "$data/server.log"; fi
# A warning from Node in the server's log is a defect the tests did not see (two queries at once on one
# connection prints a DeprecationWarning): it fails the tier, with the lines around it.
for log in "$data"/server*.log; do
  if grep -qE "^\(node:[0-9]+\) [A-Za-z]*Warning:" "$log"; then
    echo "--- $(basename "$log"): a warning from Node ---"; grep -nE -B2 -A12 "^\(node:[0-9]+\) [A-Za-z]*Warning:" "$log" | head -60
    (( status == 0 )) && status=1
  fi
done
exit $status
