/**
 * Fails when a module under src/ exports a value (function, constant, class) no other file imports: dead exports hide dead
 * code (a function nothing calls, a repository query nothing runs). A name counts as used when
 * another file under src/, test/, bench/ or scripts/ imports it (or re-exports it). Pure Node, no
 * dependencies; run by `npm test` (`npm run lint:exports`).
 *
 * An export kept on purpose (an API for scripts outside this tree) is listed in KEEP with why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const KEEP: Record<string, string> = {};

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

// Values only: an exported type documents the signature of an exported value and is left alone.
const DECLARED =
  /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/gm;
const LISTED = /^export\s+\{([^}]*)\}(?!\s*from)/gm;
const IMPORTED = /\b(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;
const NAMESPACE = /\bimport\s+(?:type\s+)?\*\s+as\s+([\w$]+)\s+from\s*['"]([^'"]+)['"]/g;

const sources = [...files('src'), ...files('test'), ...files('bench'), ...files('scripts')];
const text = new Map(sources.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

/** Names each file imports from each module, resolved to a path relative to the root. */
const used = new Set<string>();
for (const [file, src] of text) {
  const resolve = (spec: string) => (spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec);
  for (const m of src.matchAll(IMPORTED)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
        .trim();
      if (name) used.add(`${resolve(m[2])}#${name}`);
    }
  }
  // `import * as ns from './x.ts'`: every `ns.name` counts.
  for (const m of src.matchAll(NAMESPACE)) {
    for (const use of src.matchAll(new RegExp(`\\b${m[1]}\\.([\\w$]+)`, 'g'))) used.add(`${resolve(m[2])}#${use[1]}`);
  }
}

const unused: string[] = [];
for (const file of files('src').filter((f) => !f.endsWith('.test.ts'))) {
  const src = text.get(file) as string;
  const names = [...src.matchAll(DECLARED)].map((m) => m[1]);
  for (const m of src.matchAll(LISTED))
    names.push(
      ...m[1]
        .split(',')
        .map(
          (p) =>
            p
              .trim()
              .split(/\s+as\s+/)
              .pop()
              ?.trim() ?? '',
        )
        .filter(Boolean),
    );
  for (const name of names) {
    if (used.has(`${file}#${name}`) || KEEP[`${file}#${name}`]) continue;
    // Used in its own file only: the export is what is dead, not the code.
    unused.push(`${file}: ${name}`);
  }
}

if (unused.length > 0) {
  process.stderr.write(
    `exported but imported nowhere (remove the export, or the code, or list it in KEEP with why):\n  ${unused.join('\n  ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `unused-exports: every export of ${files('src').length} modules under src/ is imported somewhere\n`,
);
