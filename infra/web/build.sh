#!/usr/bin/env bash
# Builds the web console (web/) for `make run`, `make demo` and `make test`.
#   build: npm ci + vite build, only when the sources changed since the last build.
#   check: also type-check (tsc --noEmit), lint (eslint) and unit-test (Vitest) it.
# Without Node.js 20+, `build` says what to install and lets the API start anyway;
# `check` fails in CI (CI=true), where nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/../../web"
mode="${1:-build}"

if [ ! -f package.json ]; then
  exit 0  # no web app in this checkout
fi

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
if ! command -v node >/dev/null || [ "$(node_major)" -lt 20 ]; then
  msg="Node.js 20 or newer is needed to build the web console (found: $(node --version 2>/dev/null || echo none)).
Install it (Debian/Ubuntu: the nodejs package from NodeSource, or https://nodejs.org), then run make again.
The API still starts: GraphQL at http://127.0.0.1:8000/graphql."
  if [ "$mode" = check ] && [ "${CI:-}" = true ]; then
    echo "$msg" >&2; exit 1
  fi
  echo "$msg" >&2
  exit 0
fi

lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f node_modules/.lock-hash ] || [ "$(cat node_modules/.lock-hash)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.lock-hash
fi

sources_hash="$(find src public index.html package.json package-lock.json schema.graphql \
  vite.config.ts tsconfig*.json codegen.ts scripts -type f 2>/dev/null | LC_ALL=C sort \
  | xargs sha256sum | sha256sum | cut -d' ' -f1)"

if [ "$mode" = check ]; then
  npm run --silent typecheck
  npm run --silent lint
  npm run --silent test
fi

if [ -f dist/.sources-hash ] && [ "$(cat dist/.sources-hash)" = "$sources_hash" ] \
  && [ "$mode" != check ]; then
  echo "web console is up to date (web/dist)"
  exit 0
fi
npm run --silent build
echo "$sources_hash" > dist/.sources-hash
