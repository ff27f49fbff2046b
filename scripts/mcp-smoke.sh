#!/bin/sh
# Smoke test with a client we did not write: the MongoDB MCP server (npm `mongodb-mcp-server`)
# against cloud-invites over HTTPS, authenticating as the service account `init` creates.
#
#   sh scripts/mcp-smoke.sh            # prints the JSON-RPC transcript; exit 0 when every step passed
#
# Not part of `npm test`: it downloads the MCP server (into $MCP_DIR, outside the repository).
# Environment: MCP_DIR (default /tmp/mcp), MCP_VERSION (default 3.0.4), KEEP=1 keeps the work dir,
# LOG_LEVEL=info shows every request cloud-invites served.
#
# Steps: a self-signed certificate for 127.0.0.1/localhost (openssl); `cloud-invites serve` with
# --tls-cert/--tls-key on a free port over a fresh data directory; the MCP server over stdio with
#   MDB_MCP_API_BASE_URL=https://127.0.0.1:PORT/  (its default is https://cloud.mongodb.com/; the
#       token URL is resolved as an absolute path against it, so a trailing slash does not matter
#       for a bare origin — we keep it, as in the default)
#   MDB_MCP_API_CLIENT_ID / MDB_MCP_API_CLIENT_SECRET  (the service account)
#   SSL_CERT_FILE=cert.pem        (its fetch builds its CA list from the system store, which
#                                  SSL_CERT_FILE replaces, plus Node's bundled roots)
#   NODE_EXTRA_CA_CERTS=cert.pem  (for anything that uses Node's default store)
#   MDB_MCP_TELEMETRY=disabled    (else it posts to /api/private/…/telemetry/events)
# then JSON-RPC: initialize, notifications/initialized, tools/list, tools/call atlas-list-orgs,
# tools/call atlas-list-projects (all orgs, then orgId=<init's org>).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODE="$ROOT/node_modules/node/bin/node"
MCP_DIR=${MCP_DIR:-/tmp/mcp}
MCP_VERSION=${MCP_VERSION:-3.0.4}
MCP_BIN="$MCP_DIR/node_modules/mongodb-mcp-server/dist/index.js"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcp-smoke-XXXXXX")
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "work dir kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

[ -x "$NODE" ] || { echo "pinned Node missing: run npm ci first" >&2; exit 2; }
if [ ! -f "$MCP_BIN" ]; then
  echo "installing mongodb-mcp-server@$MCP_VERSION into $MCP_DIR" >&2
  PATH="$ROOT/node_modules/.bin:$PATH" npm i "mongodb-mcp-server@$MCP_VERSION" --prefix "$MCP_DIR" --no-audit --no-fund >&2
fi

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -days 1 \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

"$NODE" "$ROOT/src/cli/main.ts" serve --data "$WORK/data" --host 127.0.0.1 --port 0 \
  --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" --log-level "${LOG_LEVEL:-warn}" >"$WORK/server.out" 2>&1 &
SERVER_PID=$!

i=0
until grep -q '^Try: ' "$WORK/server.out" 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -gt 150 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "cloud-invites did not start:" >&2; cat "$WORK/server.out" >&2; exit 1
  fi
  sleep 0.1
done

cat >"$WORK/driver.mjs" <<'EOF'
// Drives the MCP server over stdio (newline-delimited JSON-RPC) and prints the transcript.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [serverOut, mcpBin, cert] = process.argv.slice(2);
const out = readFileSync(serverOut, 'utf8');
const baseUrl = /^cloud-invites listening on (https:\/\/127\.0\.0\.1:\d+) /m.exec(out)[1];
const creds = JSON.parse(/^(\{\n[\s\S]*?\n\})$/m.exec(out)[1]);

const mcp = spawn(process.execPath, [mcpBin], {
  stdio: ['pipe', 'pipe', 'pipe'],
  env: {
    ...process.env,
    MDB_MCP_API_BASE_URL: `${baseUrl}/`,
    MDB_MCP_API_CLIENT_ID: creds.clientId,
    MDB_MCP_API_CLIENT_SECRET: creds.clientSecret,
    MDB_MCP_TELEMETRY: 'disabled',
    DO_NOT_TRACK: '1',
    SSL_CERT_FILE: cert,
    NODE_EXTRA_CA_CERTS: cert,
  },
});
let stderr = '';
mcp.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
const pending = new Map();
let buffer = '';
mcp.stdout.setEncoding('utf8').on('data', (d) => {
  buffer += d;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl).trim();
    buffer = buffer.slice(nl + 1);
    if (!line) continue;
    const msg = JSON.parse(line);
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  }
});

let nextId = 1;
const failures = [];
function send(method, params) {
  const id = nextId++;
  const req = { jsonrpc: '2.0', id, method, params };
  console.log(`>>> ${JSON.stringify(req)}`);
  mcp.stdin.write(`${JSON.stringify(req)}\n`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${method} in 30 s\n${stderr}`)), 30_000);
    pending.set(id, (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}
function notify(method, params) {
  const msg = { jsonrpc: '2.0', method, ...(params ? { params } : {}) };
  console.log(`>>> ${JSON.stringify(msg)}`);
  mcp.stdin.write(`${JSON.stringify(msg)}\n`);
}
const show = (msg, brief) => console.log(`<<< ${brief ? brief(msg) : JSON.stringify(msg)}`);
function check(ok, what) {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

try {
  console.log(`# cloud-invites at ${baseUrl}, service account ${creds.clientId}, org ${creds.orgId}, project ${creds.groupId}`);
  const init = await send('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'cloud-invites-mcp-smoke', version: '1.0.0' },
  });
  show(init);
  check(!init.error && init.result?.serverInfo?.name !== undefined, 'initialize');
  notify('notifications/initialized');

  const tools = await send('tools/list', {});
  const names = (tools.result?.tools ?? []).map((t) => t.name);
  show(tools, () => JSON.stringify({ jsonrpc: '2.0', id: tools.id, result: { tools: `[${names.length} tools: ${names.filter((n) => n.startsWith('atlas-')).join(', ')}, …]` } }));
  check(names.includes('atlas-list-orgs') && names.includes('atlas-list-projects'), 'tools/list offers atlas-list-orgs and atlas-list-projects');

  const orgs = await send('tools/call', { name: 'atlas-list-orgs', arguments: {} });
  show(orgs);
  check(!orgs.result?.isError && JSON.stringify(orgs.result?.structuredContent ?? {}).includes(creds.orgId), 'atlas-list-orgs lists our organization');

  const projects = await send('tools/call', { name: 'atlas-list-projects', arguments: {} });
  show(projects);
  check(!projects.result?.isError && JSON.stringify(projects.result?.structuredContent ?? {}).includes(creds.groupId), 'atlas-list-projects lists our project');

  const inOrg = await send('tools/call', { name: 'atlas-list-projects', arguments: { orgId: creds.orgId } });
  show(inOrg);
  check(!inOrg.result?.isError && JSON.stringify(inOrg.result?.structuredContent ?? {}).includes(creds.groupId), 'atlas-list-projects with orgId lists our project');
} catch (e) {
  failures.push(String(e));
  console.log(`FAIL ${e}`);
} finally {
  mcp.stdin.end();
  const exited = new Promise((r) => mcp.once('exit', r));
  setTimeout(() => mcp.kill('SIGTERM'), 3_000).unref();
  await exited;
}
if (failures.length) {
  console.log(`# MCP server stderr:\n${stderr}`);
  process.exit(1);
}
console.log('# all steps passed');
EOF

"$NODE" "$WORK/driver.mjs" "$WORK/server.out" "$MCP_BIN" "$WORK/cert.pem"
status=$?
echo "# cloud-invites log (warnings and errors):"
sed -n '/^Try: /,$p' "$WORK/server.out" | sed 1d
exit $status
