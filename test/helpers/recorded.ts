import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `test/fixtures/reference/recorded/` (a copy of shared/reference/recorded): raw responses recorded from live Atlas (status line, headers, body). */
export const RECORDED_DIR = new URL('../fixtures/reference/recorded/project-invitations/', import.meta.url).pathname;

export interface Recording {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function recording(prefix: string): Recording {
  const file = readdirSync(RECORDED_DIR).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no recording ${prefix}`);
  const text = readFileSync(join(RECORDED_DIR, file), 'utf8');
  const [head, ...rest] = text.split('\n\n');
  const [statusLine, ...headerLines] = head.split('\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\n\n').replace(/\n+$/, '') };
}
