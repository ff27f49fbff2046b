/**
 * Bundles the CLI (and so the server) into one file, dist/cloud-invites.mjs, which `npm start`
 * runs. Node then loads one module instead of about 900 (ours, Fastify's, Kysely's, pg's,
 * nodemailer's) and strips no TypeScript at start: a start takes a third of the time and idles
 * in less memory (docs/adr/0010, `node bench/cold-start.ts`).
 *
 *   node scripts/build.ts             build
 *   node scripts/build.ts --if-stale  build only when a source or the lockfile is newer than the bundle
 *
 * The tests run the sources directly, and test/e2e/bundle.test.ts runs the bundle.
 */
import { cpSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE = join(ROOT, 'dist/cloud-invites.mjs');

function newestInput(): number {
  let newest = statSync(join(ROOT, 'package-lock.json')).mtimeMs;
  for (const f of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.test.ts')) newest = Math.max(newest, statSync(join(ROOT, 'src', f)).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  try {
    return statSync(BUNDLE).mtimeMs < newestInput();
  } catch {
    return true;
  }
}

/**
 * Two files: the program bundled, and a loader (as src/cli/main.ts) that turns on Node's compile
 * cache before importing it, so a restart also skips compiling the bundle.
 */
export async function buildBundle(outfile = BUNDLE): Promise<void> {
  const program = outfile.replace(/\.mjs$/, '.program.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/cli/program.ts')],
    outfile: program,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // pg's optional native binding is never used (pg falls back to JavaScript when it is absent).
    external: ['pg-native'],
    // CommonJS dependencies (pg, nodemailer, pino) call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  // The console reads its stylesheet, script and icon from `./assets/` beside the module that serves them.
  cpSync(join(ROOT, 'src/http/console/assets'), join(dirname(outfile), 'assets'), { recursive: true });
  const name = program.slice(program.lastIndexOf('/') + 1);
  writeFileSync(
    outfile,
    `import { enableCompileCache } from 'node:module';\nenableCompileCache?.();\nawait import('./${name}');\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
  const t0 = performance.now();
  await buildBundle();
  process.stderr.write(`cloud-invites: built ${BUNDLE} in ${Math.round(performance.now() - t0)} ms\n`);
}
