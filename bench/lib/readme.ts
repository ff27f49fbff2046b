/** Puts the latest bench table (and chart) into README.md between the bench markers. */
import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

export function updateReadme(path: string, table: string, chart: string): void {
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path}: no ${START} … ${END} markers`);
  const block = `${START}\n![throughput and latency vs the ceiling and Prism](${chart})\n\n${table}${END}`;
  writeFileSync(path, text.slice(0, a) + block + text.slice(b + END.length));
}
