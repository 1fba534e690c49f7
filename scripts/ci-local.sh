#!/usr/bin/env bash
# `npm run ci:local`: exactly what CI runs (`bash .ci/run`), on a fresh clone of the committed state in a
# temporary folder, with ../shared beside it as CI has it. Nothing uncommitted or ignored (node_modules, .next,
# local data) can make it pass. Prints each step's and tier's time at the end; the whole log is kept.
#   npm run ci:local               # HEAD
#   npm run ci:local -- <commit>   # another commit
# Run it before every stop that changed code (CONTRIBUTING.md).
set -uo pipefail
src=$(git rev-parse --show-toplevel)
rev=$(git -C "$src" rev-parse "${1:-HEAD}") || exit 2
if [[ -n $(git -C "$src" status --porcelain) ]]; then
  echo "note: the working tree has uncommitted changes; they are NOT in this run (it runs ${rev:0:12})."
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/lectern-ci-XXXXXX")
log="$work/ci.log"
git clone --quiet --no-hardlinks "$src" "$work/main" && git -C "$work/main" checkout --quiet "$rev" || exit 2
shared=$(cd "$src/../shared" 2> /dev/null && pwd) && ln -s "$shared" "$work/shared"
echo "CI on a fresh clone of ${rev:0:12} in $work/main (log: $log)"
start=$SECONDS
(cd "$work/main" && bash .ci/run) > "$log" 2>&1
status=$?
took=$((SECONDS - start))
echo
grep -E '^### |^=== tier|^--- .* starts |^=== summary|^(ran|skipped|failed|time):|^[0-9]+ passed|^lint took' "$log" | sed -e 's/\x1b\[[0-9;]*m//g'
sed -n '/^--- failed in/,$p' "$log" | sed -e 's/\x1b\[[0-9;]*m//g' | head -60
echo
echo "ci:local: $( ((status == 0)) && echo green || echo RED ) in $((took / 60)) min $((took % 60)) s at ${rev:0:12} (log: $log)"
# Keep the log, drop the clone (node_modules and builds are large).
rm -rf "$work/main"
exit "$status"
