import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { decodeSecretKey } from '../../config/config.ts';
import { rotateSecretKey } from '../../domain/api-keys/rotate-secret-key.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

export function registerSecretKey(program: Command): void {
  const cmd = program.command('secret-key').description('the key that seals stored API private keys');
  storeOptions(cmd.command('rotate'))
    .description('re-seal every stored private key under a new key (made for you unless --new-secret-key)')
    .option('--new-secret-key <key>', '32 bytes as 64 hex digits or base64')
    .action(async (flags: StoreFlags & { newSecretKey?: string }) => {
      const nextText = flags.newSecretKey ?? randomBytes(32).toString('hex');
      const next = createSecretBox(decodeSecretKey(nextText));
      const count = await withDeps(flags, (deps) => rotateSecretKey(deps.ctx, next));
      // With a key file in the data directory (no explicit key), the new key replaces it.
      const keyFile = join(flags.data ?? './data', 'secret.key');
      const explicit = flags.secretKey ?? process.env.CLOUD_INVITES_SECRET_KEY;
      if (!explicit && existsSync(keyFile)) {
        writeFileSync(`${keyFile}.new`, `${nextText}\n`, { mode: 0o600 });
        renameSync(`${keyFile}.new`, keyFile);
      }
      const out = {
        resealed: count,
        newSecretKey: explicit ? nextText : undefined,
        keyFile: explicit ? undefined : keyFile,
      };
      printResult(Boolean(flags.json), out, () =>
        explicit
          ? `Re-sealed ${count} private keys. Start every node with the new key:\n${nextText}`
          : `Re-sealed ${count} private keys; ${keyFile} now holds the new key.`,
      );
    });
}
