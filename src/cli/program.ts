import { Command } from 'commander';
import { ConfigError } from '../config/config.ts';
import { SecretKeyMismatchError } from '../domain/server-secrets.ts';
import { AtlasError } from '../errors/atlas-error.ts';
import { registerApiKeys } from './commands/api-keys.ts';
import { registerClock } from './commands/clock.ts';
import { registerFaults } from './commands/faults.ts';
import { registerConsoleUser } from './commands/console-user.ts';
import { registerSeed } from './commands/seed.ts';
import { registerFixtures } from './commands/fixtures.ts';
import { registerSnapshots } from './commands/snapshots.ts';
import { FixtureError } from '../domain/fixtures/fixture-file.ts';
import { registerInit } from './commands/init.ts';
import { registerInvitations } from './commands/invitations.ts';
import { registerMailbox } from './commands/mailbox.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerOrgs } from './commands/orgs.ts';
import { registerProjects } from './commands/projects.ts';
import { registerSecretKey } from './commands/secret-key.ts';
import { registerServe } from './commands/serve.ts';
import { registerServiceAccounts } from './commands/service-accounts.ts';

const program = new Command('cloud-invites').description(
  'A MongoDB Cloud project-invitation API server (Atlas Admin API v2 and Cloud Manager v1.0).',
);
registerInit(program);
registerServe(program);
registerMigrate(program);
registerOrgs(program);
registerProjects(program);
registerApiKeys(program);
registerServiceAccounts(program);
registerSecretKey(program);
registerInvitations(program);
registerMailbox(program);
registerClock(program);
registerFaults(program);
registerSeed(program);
registerFixtures(program);
registerSnapshots(program);
registerConsoleUser(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (
    err instanceof AtlasError ||
    err instanceof ConfigError ||
    err instanceof SecretKeyMismatchError ||
    err instanceof FixtureError
  ) {
    process.stderr.write(`error: ${err instanceof AtlasError ? `${err.errorCode}: ` : ''}${err.message}\n`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
