import type { Command } from 'commander';
import { assignApiKeyToProject, createApiKey, listApiKeys } from '../../domain/api-keys/api-key.service.ts';
import { redactedPrivateKey } from '../../domain/api-keys/api-key.ts';
import { list, printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

/** `--project ID:ROLE,ROLE` (repeatable) → assignments. */
function parseAssignments(values: string[]): Array<{ projectId: string; roles: string[] }> {
  return values.map((v) => {
    const [projectId, roles] = v.split(':');
    return { projectId, roles: list(roles) };
  });
}

export function registerApiKeys(program: Command): void {
  const keys = program.command('api-keys').description('programmatic API keys (Digest credentials)');
  storeOptions(keys.command('create'))
    .requiredOption('--org <orgId>', 'organization the key belongs to')
    .requiredOption('--roles <roles>', 'organization roles, comma-separated (e.g. ORG_MEMBER)')
    .option('--project <id:roles>', 'project roles, e.g. 5f…:GROUP_OWNER (repeatable)', (v, acc: string[]) => [...acc, v], [])
    .option('--description <text>', 'description', 'Created by cloud-invites')
    .action(async (flags: StoreFlags & { org: string; roles: string; project: string[]; description: string }) => {
      const created = await withDeps(flags, (deps) =>
        createApiKey(deps.ctx, {
          orgId: flags.org,
          description: flags.description,
          orgRoles: list(flags.roles),
          projectAssignments: parseAssignments(flags.project),
        }),
      );
      const out = { id: created.apiKey.id, publicKey: created.apiKey.publicKey, privateKey: created.privateKey };
      printResult(Boolean(flags.json), out, () => `${out.publicKey}:${out.privateKey}  (private key shown once)`);
    });
  storeOptions(keys.command('assign'))
    .requiredOption('--public-key <key>', 'the API key')
    .requiredOption('--project <groupId>', 'project id')
    .requiredOption('--roles <roles>', 'project roles, comma-separated')
    .action(async (flags: StoreFlags & { publicKey: string; project: string; roles: string }) => {
      await withDeps(flags, (deps) => assignApiKeyToProject(deps.ctx, flags.publicKey, flags.project, list(flags.roles)));
      printResult(Boolean(flags.json), { assigned: true }, () => 'Assigned.');
    });
  storeOptions(keys.command('list'))
    .option('--org <orgId>', 'only this organization')
    .action(async (flags: StoreFlags & { org?: string }) => {
      const all = await withDeps(flags, (deps) => listApiKeys(deps.ctx, flags.org));
      const rows = all.map((k) => ({
        id: k.id,
        orgId: k.orgId,
        publicKey: k.publicKey,
        privateKey: redactedPrivateKey(k),
        description: k.description,
        orgRoles: k.orgRoles,
        projectRoles: k.projectAssignments,
      }));
      printResult(Boolean(flags.json), rows, () =>
        rows.map((r) => `${r.publicKey}  ${r.orgId}  ${r.orgRoles.join(',')}  ${r.description}`).join('\n'),
      );
    });
}
