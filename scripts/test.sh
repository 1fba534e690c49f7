#!/usr/bin/env bash
# `npm test`: runs every test tier this machine can run, says which ran, and fails when a tier that
# must run did not (with CI=true every tier must run).
#   unit          lib/**/*.test.ts, no database
#   int:pglite    *.int.test.ts on embedded PGlite
#   int:postgres  *.int.test.ts on PostgreSQL + Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or 127.0.0.1 defaults)
#   api           black-box HTTP tests against the production build: PGlite through plain `next start`,
#                 PostgreSQL + Redis through `npm start` (the fast path), plus the parity test of the two
#   cluster       two `npm start` instances (the fast path) on PostgreSQL; cluster:next the same
#                 tests against plain `next start` (hosts that run only Next)
#   e2e           Playwright in Chromium against `npm start` (Lectern's server, Next in its own process) on PostgreSQL + Redis
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
STRICT=${CI:-}
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
CHROMIUM=${LECTERN_TEST_CHROMIUM:-/usr/bin/chromium}
ran=(); skipped=(); failed=()

reachable() { node -e "const [h,p]=process.argv[1].split(':');require('net').connect({host:h,port:+p}).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1)).setTimeout(1500,()=>process.exit(1))" "$1"; }
hostport() { node -e "const u=new URL(process.argv[1]);console.log(u.hostname+':'+(u.port||process.argv[2]))" "$1" "$2"; }

passed_total=0; failed_total=0
count() { # adds the passed/failed counts a tier's runner printed (vitest or Playwright) to the totals
  local plain; plain=$(sed -e 's/\x1b\[[0-9;]*m//g' "$1")
  local p f
  p=$(grep -E '^ +Tests +.*passed' <<< "$plain" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -E '^ +Tests +.*failed' <<< "$plain" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  p=$((p + $(grep -E '^ +[0-9]+ passed \(' <<< "$plain" | awk '{s+=$1} END {print s+0}')))
  f=$((f + $(grep -E '^ +[0-9]+ failed$' <<< "$plain" | awk '{s+=$1} END {print s+0}')))
  passed_total=$((passed_total + p)); failed_total=$((failed_total + f))
}
tier() { # name, command...
  local name=$1; shift
  echo; echo "=== tier $name ==="
  local out; out=$(mktemp)
  if "$@" 2>&1 | tee "$out"; then ran+=("$name"); else failed+=("$name"); fi
  count "$out"; rm -f "$out"
}
skip() { skipped+=("$1 ($2)"); echo; echo "=== tier $1 skipped: $2 ==="; }

tier unit npx vitest run --project unit
tier int:pglite env -u TEST_DATABASE_URL -u TEST_REDIS_URL npx vitest run --project int

have_pg=; have_redis=
reachable "$(hostport "$PG_URL" 5432)" && have_pg=1
reachable "$(hostport "$REDIS" 6379)" && have_redis=1
if [[ -n $have_pg && -n $have_redis ]]; then
  tier int:postgres env TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL="$REDIS" npx vitest run --project int
else
  skip int:postgres "PostgreSQL or Redis not reachable at $PG_URL / $REDIS"
fi

if [[ ${LECTERN_TEST_SKIP_BUILD:-} != 1 ]]; then
  echo; echo "=== next build ==="
  if ! npm run build > .next-build.log 2>&1; then cat .next-build.log; failed+=("build"); fi
fi
if [[ ! " ${failed[*]} " =~ " build " ]]; then
  # The api suite runs against both servers: on PGlite through plain `next start` (the route handlers),
  # on PostgreSQL through `npm start` (Lectern's own server, the runtime fast path), with plain Next beside
  # it on the same database for the parity test, which compares their answers byte for byte.
  tier api:pglite:next env -u TEST_DATABASE_URL -u TEST_REDIS_URL LECTERN_TEST_SERVER=next bash scripts/with-server.sh pglite npx vitest run --project api --exclude "test/api/fast-path-parity*.api.test.ts"
  if [[ -n $have_pg && -n $have_redis ]]; then
    tier api:postgres:lectern env TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL="$REDIS" LECTERN_TEST_SERVER=both bash scripts/with-server.sh postgres npx vitest run --project api
    if command -v redis-server > /dev/null; then
      tier cluster env TEST_DATABASE_URL="$PG_URL" LECTERN_TEST_SERVER=lectern npx vitest run --project cluster
      tier cluster:next env TEST_DATABASE_URL="$PG_URL" LECTERN_TEST_SERVER=next npx vitest run --project cluster
    else
      skip cluster "redis-server not installed (the cluster tests stop and restart a Redis of their own)"
      skip cluster:next "redis-server not installed"
    fi
    if [[ -x $CHROMIUM ]]; then
      tier e2e env TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL="$REDIS" LECTERN_TEST_CHROMIUM="$CHROMIUM" LECTERN_TEST_OIDC=on bash scripts/with-server.sh postgres npx playwright test
    else
      skip e2e "no Chromium at $CHROMIUM (apt-get install -y chromium)"
    fi
  else
    skip api:postgres:lectern "PostgreSQL or Redis not reachable"
    skip cluster "needs PostgreSQL"
    skip cluster:next "needs PostgreSQL"
    skip e2e "needs PostgreSQL + Redis to seed each spec's project"
  fi
fi

echo; echo "=== summary ==="
echo "ran:     ${ran[*]:-none}"
echo "skipped: ${skipped[*]:-none}"
echo "failed:  ${failed[*]:-none}"
echo
echo "${passed_total} passed, ${failed_total} failed"
if (( ${#failed[@]} )); then exit 1; fi
if [[ -n $STRICT && ${#skipped[@]} -gt 0 ]]; then echo "CI=true: every tier must run, but some were skipped."; exit 1; fi
if (( ${#ran[@]} == 0 )); then echo "No tier ran."; exit 1; fi
