import type { Command } from 'commander';
import { DEFAULT_CONSOLE_EMAIL, initStore } from '../../domain/bootstrap.ts';
import { storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

export function registerInit(program: Command): void {
  storeOptions(program.command('init'))
    .description('on an empty store: an organization, a project, an Organization Owner API key and service account')
    .option('--org-name <name>', 'organization name', 'Cloud-Invites')
    .option('--project-name <name>', 'project name', 'Project-0')
    .option('--console-email <address>', "the console's first Organization Owner", DEFAULT_CONSOLE_EMAIL)
    .action(async (flags: StoreFlags & { orgName: string; projectName: string; consoleEmail: string }) => {
      const result = await withDeps(flags, async (deps) => {
        const created = await initStore(deps.ctx, flags);
        return created && { ...created, controlToken: deps.controlToken };
      });
      if (!result) {
        process.stderr.write('The store is already initialised; nothing was created.\n');
        process.exitCode = 1;
        return;
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(
          `Organization  ${result.orgId}\nProject       ${result.groupId}\nPublic key    ${result.publicKey}\nPrivate key   ${result.privateKey}  (shown once)\nClient id     ${result.clientId}\nClient secret ${result.clientSecret}  (shown once)\nControl token ${result.controlToken}\nConsole email ${result.consoleEmail}\nConsole pass  ${result.consolePassword}  (shown once)\n`,
        );
      }
    });
}
