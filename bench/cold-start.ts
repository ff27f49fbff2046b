/**
 * Cold start: process spawn → first 200, for `serve` on a fresh store and on an existing one, run
 * as `npm start` runs it (the bundle) and from the sources (as the tests and `bin/` run it).
 * `node bench/cold-start.ts [runs=3]`. Not part of `npm test`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ENTRY, NODE, ROOT, V2 } from './lib/server.ts';

/** user + system CPU of a process so far, in ms (from /proc: steadier than wall time on a busy machine). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function once(entry: string, dataDir: string): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const child = spawn(
    NODE,
    [entry, 'serve', '--data', dataDir, '--port', '0', '--log-level', 'warn', '--rate-limits', 'off'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const base = await new Promise<string>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  for (;;) {
    const res = await fetch(`${base}/api/atlas/v2`, { headers: { accept: V2 } }).catch(() => null);
    if (res) {
      await res.arrayBuffer();
      break;
    }
  }
  const wall = Math.round(performance.now() - t0);
  const cpu = cpuMs(child.pid as number);
  child.kill('SIGKILL');
  return { wall, cpu };
}

const runs = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result: Record<string, Record<string, number[] | number>> = {};
for (const [name, entry] of [
  ['bundle (npm start)', ENTRY],
  ['sources', join(ROOT, 'src/cli/main.ts')],
] as const) {
  const fresh: Array<{ wall: number; cpu: number }> = [];
  const existing: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cold-'));
    fresh.push(await once(entry, dir));
    existing.push(await once(entry, dir));
  }
  result[name] = {
    freshStoreMs: fresh.map((r) => r.wall),
    existingStoreMs: existing.map((r) => r.wall),
    existingStoreCpuMs: existing.map((r) => r.cpu),
    medianExistingMs: median(existing.map((r) => r.wall)),
    medianExistingCpuMs: median(existing.map((r) => r.cpu)),
  };
}
console.log(JSON.stringify(result));
