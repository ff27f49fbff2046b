/**
 * Several nodes on one PostgreSQL: `node bench/nodes.ts [seconds=6] [maxNodes=3]`. For 1…maxNodes
 * `serve` processes on a fresh database (one secret key), one load generator spreads 12 keep-alive
 * Digest connections over them (a connection stays on its node) reading listGroupInvites, with
 * Atlas's rate limits on. Prints requests/s, p99 and each process's CPU. Not part of `npm test`.
 */
import { readFileSync } from 'node:fs';
import { freshPgDatabase } from '../test/helpers/database.ts';
import { cpuSeconds, driveProcess, serve, V2 } from './lib/server.ts';

const seconds = Number(process.argv[2] ?? 6);
const maxNodes = Number(process.argv[3] ?? 3);
const rows: Array<Record<string, unknown>> = [];
for (let n = 1; n <= maxNodes; n++) {
  const db = await freshPgDatabase('bench_nodes');
  const args = [
    '--database-url',
    db.url,
    '--secret-key',
    '42'.repeat(32),
    '--rate-limit-overrides',
    'projects-group=1000000000:1000000000',
  ];
  const first = await serve(args);
  const servers = [
    first,
    ...(await Promise.all(Array.from({ length: n - 1 }, () => serve(args, [], undefined, { firstStart: false })))),
  ];
  const { creds } = first;
  const path = `/api/atlas/v2/groups/${creds.groupId}/invites`;
  const cpu0 = servers.map((s) => cpuSeconds(s.child.pid as number));
  const busy0 = machineBusy();
  const r = await driveProcess({
    base: first.base,
    bases: servers.map((s) => s.base),
    path,
    headers: { accept: V2 },
    auth: { kind: 'digest', username: creds.publicKey, password: creds.privateKey },
    connections: 12,
    warmupMs: 1500,
    durationMs: seconds * 1000,
  });
  const cpu = servers.map((s, i) => Number((cpuSeconds(s.child.pid as number) - cpu0[i]).toFixed(2)));
  const busy = machineBusy();
  const machineUtilisation = Number(((busy.busy - busy0.busy) / (busy.total - busy0.total)).toFixed(2));
  rows.push({
    nodes: n,
    requestsPerSecond: r.requestsPerSecond,
    p50: r.latencyMs.p50,
    p99: r.latencyMs.p99,
    serverCpuSeconds: cpu,
    machineUtilisation,
    statuses: r.statuses,
  });
  for (const s of servers) await s.stop();
  await db.drop();
}
console.log(JSON.stringify(rows, null, 1));

/** Busy and total CPU ticks of the whole machine (all cores), from /proc/stat. */
function machineBusy(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}
