import { type Command, Option } from 'commander';
import { ENV } from '../config/config.ts';

/** The store flags every command takes, each with its environment variable. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'data directory (SQLite file, secret key)').env(ENV.data).default('./data'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL instead of the embedded SQLite').env(ENV.databaseUrl))
    .addOption(
      new Option('--secret-key <key>', '32-byte key sealing stored private keys (hex or base64)').env(ENV.secretKey),
    )
    .addOption(new Option('--json', 'machine-readable output'));
}

export function printResult(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
