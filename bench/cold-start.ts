/**
 * Cold start: process spawn → first 200, for `serve` on a fresh store and on an existing one.
 * `node bench/cold-start.ts [runs=3]`. Not part of `npm test`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { NODE, ROOT, V2 } from './lib/server.ts';

async function once(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(NODE, [join(ROOT, 'src/cli/main.ts'), 'serve', '--data', dataDir, '--port', '0', '--log-level', 'warn', '--rate-limits', 'off'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const ms = performance.now() - t0;
  child.kill('SIGKILL');
  return Math.round(ms);
}

const runs = Number(process.argv[2] ?? 3);
const fresh: number[] = [];
const existing: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'cold-'));
  fresh.push(await once(dir));
  existing.push(await once(dir));
}
console.log(JSON.stringify({ freshStoreMs: fresh, existingStoreMs: existing }));
