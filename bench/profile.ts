/**
 * Where a request's server CPU goes: starts `serve` under --cpu-prof, loads it with authenticated
 * listGroupInvites for a while, stops it, and prints the functions with the most self time.
 * `node bench/profile.ts [seconds=10] [digest|bearer] [atlas|off]`. Not part of `npm test`.
 */
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearerToken, cpuSeconds, driveProcess, serve, V2 } from './lib/server.ts';

const seconds = Number(process.argv[2] ?? 10);
const auth = process.argv[3] === 'bearer' ? 'bearer' : 'digest';
const rateLimits = process.argv[4] === 'off' ? 'off' : 'atlas';
const profDir = mkdtempSync(join(tmpdir(), 'cloud-invites-prof-'));
const server = await serve(
  ['--rate-limits', rateLimits, '--rate-limit-overrides', 'projects-group=1000000000:1000000000'],
  ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
);
const { creds, base } = server;
const token = await bearerToken(base, creds.clientId, creds.clientSecret);
const path = `/api/atlas/v2/groups/${creds.groupId}/invites`;
for (let i = 0; i < 3; i++) {
  await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: V2, 'content-type': V2 },
    body: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `user${i}@example.com` }),
  });
}
const cpu0 = cpuSeconds(server.child.pid as number);
const result = await driveProcess({
  base,
  path,
  headers: { accept: V2 },
  auth:
    auth === 'digest'
      ? { kind: 'digest', username: creds.publicKey, password: creds.privateKey }
      : { kind: 'bearer', token },
  connections: 10,
  warmupMs: 1000,
  durationMs: seconds * 1000,
});
const cpu = cpuSeconds(server.child.pid as number) - cpu0;
await server.stop();
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number };
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: Node[]; samples: number[] };
const self = new Map<string, number>();
const byFile = new Map<string, number>();
for (const n of profile.nodes) {
  const url = n.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
  const pkg =
    /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.startsWith('src/') ? url : url === '' ? `(${n.callFrame.functionName})` : 'node:internal');
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + n.hitCount);
}
const total = profile.samples.length;
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
console.log(
  JSON.stringify({ ...result, serverCpuSeconds: cpu, cpuMicrosPerRequest: Math.round((cpu * 1e6) / result.requests) }),
);
console.log('\nself time by function:\n' + top(self, 40).join('\n'));
console.log('\nself time by module:\n' + top(byFile, 25).join('\n'));
