/** Which SQL statements a request runs, and what each costs: `node bench/sql-costs.ts` (in-process, SQLite file). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDeps } from '../src/deps.ts';
import { initStore } from '../src/domain/bootstrap.ts';
import { digestAuthorization } from '../test/helpers/digest-signer.ts';

const costs = new Map<string, { n: number; us: number }>();
for (const m of ['all', 'run', 'get'] as const) {
  const orig = StatementSync.prototype[m] as (...a: unknown[]) => unknown;
  (StatementSync.prototype as unknown as Record<string, unknown>)[m] = function (
    this: StatementSync,
    ...args: unknown[]
  ) {
    const t0 = performance.now();
    const result = orig.apply(this, args);
    const us = (performance.now() - t0) * 1000;
    const key = this.sourceSQL.replace(/\s+/g, ' ').slice(0, 160);
    const c = costs.get(key) ?? { n: 0, us: 0 };
    c.n++;
    c.us += us;
    costs.set(key, c);
    return result;
  };
}
void DatabaseSync;
const deps = await createDeps(
  loadConfig({
    data: mkdtempSync(join(tmpdir(), 'sqlcost-')),
    rateLimitOverrides: 'projects-group=1000000000:1000000000,invitations-ip=1000:1000',
  }),
);
const init = await initStore(deps.ctx);
if (!init) throw new Error('not empty');
const app = buildApp(deps);
await app.ready();
const accept = 'application/vnd.atlas.2023-01-01+json';
const path = `/api/atlas/v2/groups/${init.groupId}/invites`;
let challenge = String((await app.inject({ url: path, headers: { accept } })).headers['www-authenticate']);
let nc = 0;
const h = (method: string) => ({
  accept,
  'content-type': accept,
  authorization: digestAuthorization({
    username: init.publicKey,
    password: init.privateKey,
    method,
    uri: path,
    challenge,
    nc: ++nc,
  }),
});
for (let i = 0; i < 3; i++)
  await app.inject({
    method: 'POST',
    url: path,
    headers: h('POST'),
    payload: JSON.stringify({ roles: ['GROUP_READ_ONLY'], username: `u${i}@example.com` }),
  });
costs.clear();
const n = 2000;
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const res = await app.inject({ url: path, headers: h('GET') });
  if (res.statusCode === 401) {
    challenge = String(res.headers['www-authenticate']);
    nc = 0;
    i--;
  }
}
const cpu = process.cpuUsage(c0);
console.log(
  `${n} listGroupInvites in-process: ${Math.round((cpu.user + cpu.system) / n)} µs CPU each (inject included)`,
);
for (const [sql, c] of [...costs].sort((a, b) => b[1].us - a[1].us))
  console.log(`${(c.us / n).toFixed(1).padStart(7)} µs/req  ${(c.n / n).toFixed(2)}×  ${sql}`);
await app.close();
await deps.close();
