import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { controlPlane, controlPlaneOptions, type ControlPlaneFlags, refusal } from '../control-plane.ts';
import { printResult } from '../options.ts';

interface AddFlags extends ControlPlaneFlags {
  operationId?: string;
  path?: string;
  method?: string;
  latencyMs?: string;
  errorCode?: string;
  status?: string;
  parameters?: string;
  retryAfter?: string;
  drop?: boolean;
  probability?: string;
  times?: string;
  seed?: string;
}

/** A rule as the control plane lists it (src/http/ops/faults/fault-routes.ts). */
interface RuleView {
  id: string;
  operationId: string | null;
  path: string | null;
  method: string | null;
  latencyMs: number;
  error: { errorCode: string; status: number; retryAfterSeconds: number | null } | null;
  drop: boolean;
  probability: number;
  seed: number;
  remaining: number | null;
  matched: number;
  applied: number;
}

/** A number flag as a JSON number; range and wholeness are the server's to check (one set of messages). */
function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`--${flag} takes a number`);
  return n;
}

/** The rule body (POST /_cloud-invites/faults), one field per flag; flags not given are left out. */
function ruleBody(f: AddFlags): Record<string, unknown> {
  let parameters: unknown;
  if (f.parameters !== undefined) {
    try {
      parameters = JSON.parse(f.parameters);
    } catch {
      throw new ConfigError('--parameters takes a JSON array, e.g. \'["{resource}",100,1]\'');
    }
  }
  const error = {
    errorCode: f.errorCode,
    status: num('status', f.status),
    parameters,
    retryAfterSeconds: num('retry-after', f.retryAfter),
  };
  const body = {
    operationId: f.operationId,
    path: f.path,
    method: f.method,
    latencyMs: num('latency-ms', f.latencyMs),
    error: Object.values(error).some((v) => v !== undefined) ? error : undefined,
    drop: f.drop,
    probability: num('probability', f.probability),
    times: num('times', f.times),
    seed: num('seed', f.seed),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** `3  GET listGroupInvites  error 429 RATE_LIMITED retry-after 2s  p=1 seed=7  remaining 2 matched 0 applied 0` */
function describeRule(r: RuleView): string {
  const match = [r.method ?? '*', r.operationId, r.path].filter(Boolean).join(' ');
  const does = [
    r.latencyMs ? `latency ${r.latencyMs}ms` : '',
    r.error ? `error ${r.error.status} ${r.error.errorCode}` : '',
    r.error?.retryAfterSeconds != null ? `retry-after ${r.error.retryAfterSeconds}s` : '',
    r.drop ? 'drop' : '',
  ].filter(Boolean);
  const counts = `remaining ${r.remaining ?? 'unlimited'} matched ${r.matched} applied ${r.applied}`;
  return `${r.id}  ${match}  ${does.join(' ')}  p=${r.probability} seed=${r.seed}  ${counts}`;
}

const subcommand = (faults: Command, name: string, description: string) =>
  controlPlaneOptions(faults.command(name).description(description));

/**
 * `faults add|list|remove|clear`: a running server's fault rules through its control plane
 * (rules live in the server process, per node, as the clock does).
 */
export function registerFaults(program: Command): void {
  const faults = program
    .command('faults')
    .description("add, list, remove or clear a running server's fault rules (needs serve --control-plane)");

  subcommand(faults, 'add', 'add a rule: match by --operation-id and/or --path, then latency, an error or a drop')
    .option('--operation-id <operationId>', 'the API operation, e.g. listGroupInvites')
    .option('--path <pattern>', 'a path pattern: * is one segment, a final ** any rest')
    .option('--method <method>', 'only this HTTP method')
    .option('--latency-ms <ms>', 'wait this long first (0 to 3600000)')
    .option('--error-code <code>', 'answer this Atlas error (docs/error-codes.md)')
    .option('--status <status>', 'send the error with this HTTP status instead of its own')
    .option('--parameters <json>', "the error detail's parameters, a JSON array, e.g. '[\"{resource}\",100,1]'")
    .option('--retry-after <seconds>', 'send Retry-After with the error')
    .option('--drop', 'close the connection without an answer')
    .option('--probability <p>', 'apply to this share of matching calls (above 0, at most 1)')
    .option('--times <n>', 'apply to the next n calls, then remove the rule')
    .option('--seed <n>', "seed of the rule's random draws (replays a run)")
    .action(async (flags: AddFlags) => {
      const plane = controlPlane(flags);
      const { body } = await plane.call('POST', 'faults', { body: ruleBody(flags) });
      const rule = body as RuleView;
      printResult(Boolean(flags.json), rule, () => `added ${describeRule(rule)}`);
    });

  subcommand(faults, 'list', 'list the rules, with how many calls each matched, was applied to and has left').action(
    async (flags: ControlPlaneFlags) => {
      const { body } = await controlPlane(flags).call('GET', 'faults');
      const { results } = body as { results: RuleView[] };
      printResult(Boolean(flags.json), body, () =>
        results.length ? results.map(describeRule).join('\n') : 'no fault rules',
      );
    },
  );

  subcommand(faults, 'remove', 'remove one rule')
    .argument('<id>', 'the rule id (as add and list show it)')
    .action(async (id: string, flags: ControlPlaneFlags) => {
      const plane = controlPlane(flags);
      const path = `faults/${encodeURIComponent(id)}`;
      const answer = await plane.call('DELETE', path, { accept: [204, 404] });
      if (answer.status === 404) {
        // 404 is also what a server without --control-plane answers: asking for the list tells them apart.
        await plane.call('GET', 'faults');
        throw refusal(plane.target(path), answer);
      }
      printResult(Boolean(flags.json), { removed: id }, () => `removed fault ${id}`);
    });

  subcommand(faults, 'clear', 'remove every rule').action(async (flags: ControlPlaneFlags) => {
    const { body } = await controlPlane(flags).call('DELETE', 'faults');
    const { removed } = body as { removed: number };
    printResult(Boolean(flags.json), body, () => `removed ${removed} fault rule${removed === 1 ? '' : 's'}`);
  });
}
