#!/usr/bin/env bash
# `npm run typecheck` and the typecheck tier: the whole project through TypeScript 7's native compiler
# (`typescript-native`, npm's typescript@7), which reports what TypeScript 6 reports here with about 40 % less CPU
# (128 → 74 CPU-seconds on this two-core machine, 2026-11-29). Both packages install a `tsc` command, and which of
# the two npm links is not fixed, so each is called by its own path. Where the native compiler has no build for the
# platform (its binary comes as an optional dependency), TypeScript 6 — the one editors and `next build` use — checks.
set -uo pipefail
cd "$(dirname "$0")/.."
native=node_modules/typescript-native/bin/tsc
if node "$native" --version > /dev/null 2>&1; then
  echo "typecheck: $(node "$native" --version) (native)"
  exec node "$native" --noEmit "$@"
fi
echo "typecheck: the native compiler does not run here; $(node node_modules/typescript/bin/tsc --version)"
exec node node_modules/typescript/bin/tsc --noEmit "$@"
