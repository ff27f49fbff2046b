import { type Command, Option } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { controlPlane, controlPlaneOptions, type ControlPlaneFlags, refusal } from '../control-plane.ts';
import { printResult } from '../options.ts';

interface ClockFlags extends ControlPlaneFlags {
  advance?: string;
  set?: string;
}

/**
 * `clock`: reads or moves the running server's clock through its control plane (the clock lives in
 * the server process, so this command talks HTTP rather than to the store, as `faults` does).
 */
export function registerClock(program: Command): void {
  const cmd = program
    .command('clock')
    .description("read or move a running server's clock (needs serve --control-plane)")
    .addOption(
      new Option('--advance <seconds>', 'move the clock forward (negative: back) by this many seconds').conflicts(
        'set',
      ),
    )
    .addOption(new Option('--set <rfc3339>', 'set the clock, e.g. 2027-01-01T00:00:00Z'));
  controlPlaneOptions(cmd).action(async (flags: ClockFlags) => {
    const plane = controlPlane(flags);
    let body: { advanceSeconds: number } | { set: string } | undefined;
    if (flags.advance !== undefined) {
      const seconds = Number(flags.advance);
      if (flags.advance.trim() === '' || !Number.isFinite(seconds))
        throw new ConfigError('--advance takes a number of seconds');
      body = { advanceSeconds: seconds };
    } else if (flags.set !== undefined) {
      body = { set: flags.set };
    }
    const answer = await plane.call(body === undefined ? 'GET' : 'POST', 'clock', { body });
    const now = (answer.body as { now?: unknown } | null)?.now;
    if (typeof now !== 'string') throw refusal(plane.target('clock'), answer);
    printResult(Boolean(flags.json), { now }, () => now);
  });
}
