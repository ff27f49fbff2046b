#!/bin/sh
# Installs the dependencies, the pinned Node.js among them, when node_modules is missing or older
# than the lockfile. Runs before `npm start` and `npm test`, so both work on a fresh clone.
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/node/bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "cloud-invites: installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# The browser test drives Debian's chromium: as root with apt-get, install it when missing (not for `npm start`).
if [ "${npm_lifecycle_event:-}" != prestart ] && [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "cloud-invites: installing chromium for the browser test (apt-get)..." >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then
    echo "cloud-invites: could not install chromium; the browser test will fail" >&2
  fi
fi
# A CJK font for the console's Simplified Chinese pages in the browser test (looks only; tests pass without it).
if [ "${npm_lifecycle_event:-}" != prestart ] && ! { fc-list 2>/dev/null | grep -qi wqy; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || true
fi
