#!/bin/sh
# One npm step of the Maven build (clients/typescript/pom.xml): install, build or test. Without node and npm it
# skips with the command that installs them, except on CI (CI=true), where a skip would hide what CI must prove.
set -eu
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing="node and npm are missing (apt-get install -y nodejs npm; .ci/run does): the TypeScript SDK is not built or tested"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true and $missing" >&2
    exit 1
  fi
  echo "SKIPPED: $missing"
  exit 0
fi
case "${1:-}" in
  install)
    # npm ci wipes node_modules; skip it while the lock file is the one installed.
    if [ -f node_modules/.herald-installed-lock ] && cmp -s package-lock.json node_modules/.herald-installed-lock; then
      echo "node_modules matches package-lock.json"
    else
      PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
      cp package-lock.json node_modules/.herald-installed-lock
    fi
    ;;
  build) npm run build ;;
  test) npm test ;;
  *) echo "usage: $0 install|build|test" >&2; exit 2 ;;
esac
