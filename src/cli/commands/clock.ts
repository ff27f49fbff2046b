import { type Command, Option } from 'commander';
import { ConfigError, ENV } from '../../config/config.ts';
import { printResult } from '../options.ts';

interface ClockFlags {
  advance?: string;
  set?: string;
  url: string;
  controlToken?: string;
  json?: boolean;
}

/** What the control plane answered, or why it could not be asked. */
async function callClock(url: string, token: string, body: unknown): Promise<{ now: string }> {
  const target = `${url.replace(/\/+$/, '')}/_cloud-invites/clock`;
  let res: Response;
  try {
    res = await fetch(target, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ConfigError(`cannot reach ${target}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  let parsed: { now?: string; errorCode?: string; detail?: string } | null = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  if (res.ok && typeof parsed?.now === 'string') return { now: parsed.now };
  if (res.status === 404) throw new ConfigError(`${target} answered 404: is the server running with --control-plane?`);
  if (res.status === 401) throw new ConfigError(`${target} answered 401: wrong control token`);
  throw new ConfigError(
    `${target} answered ${res.status}${parsed?.errorCode ? ` ${parsed.errorCode}: ${parsed.detail}` : `: ${text.slice(0, 200)}`}`,
  );
}

/**
 * `clock`: reads or moves the running server's clock through its control plane (the clock lives in
 * the server process, so this is the one command that talks HTTP rather than to the store).
 */
export function registerClock(program: Command): void {
  program
    .command('clock')
    .description("read or move a running server's clock (needs serve --control-plane)")
    .addOption(
      new Option('--advance <seconds>', 'move the clock forward (negative: back) by this many seconds').conflicts(
        'set',
      ),
    )
    .addOption(new Option('--set <rfc3339>', 'set the clock, e.g. 2027-01-01T00:00:00Z'))
    .addOption(
      new Option('--url <url>', 'the server, e.g. http://127.0.0.1:8080')
        .env('CLOUD_INVITES_URL')
        .default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--control-token <token>', 'the control plane bearer token').env(ENV.controlToken))
    .addOption(new Option('--json', 'machine-readable output'))
    .action(async (flags: ClockFlags) => {
      if (!flags.controlToken) throw new ConfigError(`--control-token (or ${ENV.controlToken}) is required`);
      if (!/^https?:\/\/[^/]/.test(flags.url)) throw new ConfigError('--url must be an http:// or https:// URL');
      let body: { advanceSeconds: number } | { set: string } | undefined;
      if (flags.advance !== undefined) {
        const seconds = Number(flags.advance);
        if (flags.advance.trim() === '' || !Number.isFinite(seconds))
          throw new ConfigError('--advance takes a number of seconds');
        body = { advanceSeconds: seconds };
      } else if (flags.set !== undefined) {
        body = { set: flags.set };
      }
      const { now } = await callClock(flags.url, flags.controlToken, body);
      printResult(Boolean(flags.json), { now }, () => now);
    });
}
