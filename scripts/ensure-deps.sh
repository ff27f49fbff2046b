#!/bin/sh
# Installs the dependencies, the pinned Node.js among them, when node_modules is missing or older
# than the lockfile. Runs before `npm start` and `npm test`, so both work on a fresh clone.
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/node/bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "cloud-invites: installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
