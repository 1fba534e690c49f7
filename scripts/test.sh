#!/usr/bin/env bash
# `npm test`: runs every test tier this machine can run, says which ran, and fails when a tier that
# must run did not (with CI=true every tier must run). What each tier proves that the others do not, and
# how long each takes, is in docs/testing.md.
#   typecheck     tsc over the whole project (TypeScript 7's native compiler; scripts/typecheck.sh); the build
#                 below does not check types again
#   unit          *.test.ts without a database, two workers
#   int:pglite    *.int.test.ts on embedded PGlite, two workers
#   int:postgres  *.int.test.ts on PostgreSQL + Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or 127.0.0.1 defaults)
#   build         `npm run build`, once, for every tier below
#   api:postgres  black-box HTTP tests against `npm start` (the fast path, Next in its own process) on
#                 PostgreSQL + Redis, with plain `next start` beside it for the parity tests
#   api:pglite    the files of the api suite that exercise the embedded database through HTTP, against
#                 `npm start` on PGlite (Next in the same process)
#   cluster       two `npm start` instances through PgBouncer (transaction mode) and a streaming replica
#                 (scripts/with-topology.sh); cluster:next the same tests against plain `next start`, direct
#   e2e           Playwright in Chromium's headless shell against `npm start` on PostgreSQL + Redis
# The tiers after the build run two at a time, e2e last (each has its own servers and databases; e2e and the
# cluster tiers their own Redis); each tier ends with its 10 slowest files.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
STRICT=${CI:-}
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
# Chromium's headless shell (Debian's chromium-headless-shell, what Playwright itself runs headless): the
# full browser's headless mode took 20% more CPU for the same pages. The full browser also works.
CHROMIUM=${LECTERN_TEST_CHROMIUM:-$(for c in /usr/lib/chromium/chromium-headless-shell /usr/bin/chromium; do [[ -x $c ]] && echo "$c" && break; done)}
ran=(); skipped=(); failed=(); timings=()
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

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
# Runs a tier with its output in $logs/<name>.log (and on the console as it comes, with `live`), and records
# whether it passed and how long it took.
run_tier() { # [live] name, command...
  local live=; [[ $1 == live ]] && { live=1; shift; }
  local name=$1; shift
  local out="$logs/${name//:/-}.log" start=$SECONDS status
  if [[ -n $live ]]; then
    echo; echo "=== tier $name ==="
    "$@" 2>&1 | tee "$out"; status=${PIPESTATUS[0]}
  else
    "$@" > "$out" 2>&1; status=$?
  fi
  if ((status == 0)); then echo ok > "$out.status"; else echo failed > "$out.status"; fi
  echo $((SECONDS - start)) > "$out.seconds"
}
finish_tier() { # [printed] name: prints the tier's output (unless it was shown live) and adds its result to the summary
  local printed=; [[ $1 == printed ]] && { printed=1; shift; }
  local name=$1 out="$logs/${1//:/-}.log"
  if [[ -n $printed ]]; then echo "=== tier $name: $(cat "$out.status"), $(cat "$out.seconds") s ==="
  else echo; echo "=== tier $name ($(cat "$out.status"), $(cat "$out.seconds") s; it ran beside another) ==="; cat "$out"; fi
  if [[ $(cat "$out.status") == ok ]]; then ran+=("$name"); else failed+=("$name"); fi
  timings+=("$name $(cat "$out.seconds") s")
  count "$out"
}
tier() { run_tier live "$@"; finish_tier printed "$1"; }
# Tiers two at a time, in the order given: `two_at_a_time name1 'cmd…' name2 'cmd…' …` starts the first two, and
# each next one as soon as either running tier has ended (so no core waits for the slower of a pair); then it
# prints each one's output in turn.
two_at_a_time() {
  local names=() pids=() list=""
  for ((i = 1; i <= $#; i += 2)); do list+="${list:+, }${!i}"; done
  echo; echo "=== tiers $list, two at a time (their output follows when all have ended) ==="
  while (($#)); do
    while (($(jobs -rp | wc -l) >= 2)); do wait -n; done
    echo "--- $1 starts ($(date -u +%H:%M:%S))"
    names+=("$1"); eval "run_tier $1 $2" & pids+=($!); shift 2
  done
  wait "${pids[@]}"
  for n in "${names[@]}"; do finish_tier "$n"; done
}
skip() { skipped+=("$1 ($2)"); echo; echo "=== tier $1 skipped: $2 ==="; }

slowest="--reporter=default --reporter=./test/reporters/slowest-files.ts"
tier typecheck bash scripts/typecheck.sh
# Two workers: Vitest's own default is one fewer than the cores, one worker on two cores, which left a core idle
# for most of the tier once lint (beside it) had ended.
tier unit npx vitest run --project 'unit*' --maxWorkers=2 $slowest
tier int:pglite env -u TEST_DATABASE_URL -u TEST_REDIS_URL npx vitest run --project 'int*' --maxWorkers=2 $slowest

have_pg=; have_redis=
reachable "$(hostport "$PG_URL" 5432)" && have_pg=1
reachable "$(hostport "$REDIS" 6379)" && have_redis=1
if [[ -n $have_pg && -n $have_redis ]]; then
  # PostgreSQL does the work here, in its own processes: more workers than cores keep it busy.
  tier int:postgres env TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL="$REDIS" npx vitest run --project 'int*' --maxWorkers=4 $slowest
else
  skip int:postgres "PostgreSQL or Redis not reachable at $PG_URL / $REDIS"
fi

if [[ ${LECTERN_TEST_SKIP_BUILD:-} != 1 ]]; then
  # The typecheck tier has checked the types; the build does not check them again.
  tier build env LECTERN_BUILD_TYPECHECK=false npm run build
fi
if [[ " ${failed[*]} " =~ " build " ]]; then
  skip api "the build failed"
else
  # The files of the api suite that reach the embedded database through the server: its startup, the job
  # queue (cron locks, runs, webhook deliveries), the in-process cache and bus, sessions, large imports.
  pglite_api=(test/api/foundation test/api/registry test/api/runtime-resolve test/api/runtime-events
    test/api/batch-resolve test/api/sessions test/api/cron test/api/eval test/api/webhooks test/api/snapshot
    test/api/otlp test/api/mcp)
  api_pglite="env -u TEST_DATABASE_URL -u TEST_REDIS_URL LECTERN_TEST_SERVER=lectern bash scripts/with-server.sh pglite npx vitest run --project api $slowest ${pglite_api[*]}"
  if [[ -n $have_pg && -n $have_redis ]]; then
    # The api suite on PostgreSQL: `npm start` at LECTERN_TEST_BASE_URL, plain `next start` beside it on the
    # same database for the parity tests, which compare their answers byte for byte.
    api_postgres="env TEST_DATABASE_URL=$PG_URL TEST_REDIS_URL=$REDIS LECTERN_TEST_SERVER=both bash scripts/with-server.sh postgres npx vitest run --project api $slowest"
    if command -v redis-server > /dev/null; then
      # `cluster` runs through the topology of a team past one machine (scripts/with-topology.sh: PgBouncer in
      # transaction mode, a direct URL, a streaming replica); `cluster:next` straight against PostgreSQL.
      if command -v pgbouncer > /dev/null; then
        cluster="env LECTERN_TEST_SERVER=lectern bash scripts/with-topology.sh npx vitest run --project cluster $slowest"
      else
        [[ -n $STRICT ]] && echo "pgbouncer is not installed: the cluster tier runs without the pooler and the replica, and fails"
        cluster="env TEST_DATABASE_URL=$PG_URL LECTERN_TEST_SERVER=lectern LECTERN_TEST_REQUIRE_TOPOLOGY=${STRICT:+1} npx vitest run --project cluster $slowest"
      fi
      after_build=(api:postgres "$api_postgres" cluster "$cluster" api:pglite "$api_pglite"
        cluster:next "env TEST_DATABASE_URL=$PG_URL LECTERN_TEST_SERVER=next npx vitest run --project cluster $slowest")
    else
      after_build=(api:postgres "$api_postgres" api:pglite "$api_pglite")
      skip cluster "redis-server not installed (the cluster tests stop and restart a Redis of their own)"
      skip cluster:next "redis-server not installed"
    fi
    # e2e last: the longest tier starts when one of the others has ended and runs beside the last one's end.
    # Started first, beside api:postgres (runs 37–39), it left less of the machine idle but took no less time,
    # and load beside both for their whole length brought out two races (docs/testing-runs.md, flake log).
    # It has a Redis of its own (scripts/with-redis.sh): on api:postgres's, each server would hear the other's
    # Pub/Sub.
    if [[ -n $CHROMIUM ]]; then
      e2e_cmd="env TEST_DATABASE_URL=$PG_URL LECTERN_TEST_CHROMIUM=$CHROMIUM LECTERN_TEST_OIDC=on bash scripts/with-server.sh postgres npx playwright test"
      if command -v redis-server > /dev/null; then
        after_build+=(e2e "bash scripts/with-redis.sh $e2e_cmd")
      else
        after_build+=(e2e "env TEST_REDIS_URL=$REDIS $e2e_cmd")
      fi
    else
      skip e2e "no Chromium (apt-get install -y chromium-headless-shell, or chromium)"
    fi
    two_at_a_time "${after_build[@]}"
  else
    tier api:pglite $api_pglite
    skip api:postgres "PostgreSQL or Redis not reachable"
    skip cluster "needs PostgreSQL"
    skip cluster:next "needs PostgreSQL"
    skip e2e "needs PostgreSQL + Redis to seed each spec's project"
  fi
fi

echo; echo "=== summary ==="
echo "ran:     ${ran[*]:-none}"
echo "skipped: ${skipped[*]:-none}"
echo "failed:  ${failed[*]:-none}"
echo "time:    $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g') (tiers side by side overlap); total $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo
echo "${passed_total} passed, ${failed_total} failed"
# The names of what failed, again at the very end: a log cut to its last lines still says which tests they were.
for n in "${failed[@]}"; do
  echo; echo "--- failed in $n:"
  sed -e 's/\x1b\[[0-9;]*m//g' "$logs/${n//:/-}.log" | grep -E '^ *(FAIL |✘|[0-9]+\) \[)|^ *× ' | sort -u | head -40
done
if (( ${#failed[@]} )); then exit 1; fi
if [[ -n $STRICT && ${#skipped[@]} -gt 0 ]]; then echo "CI=true: every tier must run, but some were skipped."; exit 1; fi
if (( ${#ran[@]} == 0 )); then echo "No tier ran."; exit 1; fi
