import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { assignApiKeyToProject, createApiKey, listApiKeys } from '../../domain/api-keys/api-key.service.ts';
import { redactedPrivateKey } from '../../domain/api-keys/api-key.ts';
import { apiKeyByPublicKey, deleteOrgApiKey, updateOrgApiKey } from '../../domain/api-keys/api-key-admin.service.ts';
import {
  addApiKeyAccessList,
  listApiKeyAccessList,
  removeApiKeyAccessListEntry,
} from '../../domain/api-keys/api-key-access-list.service.ts';
import type { AccessListEntry } from '../../domain/access-lists/access-list.ts';
import type { Deps } from '../../deps.ts';
import { atlasDate } from '../../lib/dates.ts';
import { list, printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

/** `--project ID:ROLE,ROLE` (repeatable) → assignments. */
function parseAssignments(values: string[]): Array<{ projectId: string; roles: string[] }> {
  return values.map((v) => {
    const [projectId, roles] = v.split(':');
    return { projectId, roles: list(roles) };
  });
}

/** Runs `fn` on the key named by `--public-key` (its id and organization), in one store session. */
function withKey<T>(
  flags: StoreFlags & { publicKey: string },
  fn: (deps: Deps, key: { id: string; orgId: string }) => Promise<T>,
): Promise<T> {
  return withDeps(flags, async (deps) => fn(deps, await apiKeyByPublicKey(deps.ctx, flags.publicKey)));
}

const entryRow = (e: AccessListEntry) => ({
  cidrBlock: e.cidrBlock,
  created: atlasDate(e.createdAt),
  count: e.requestCount,
  lastUsed: e.lastUsedAt ? atlasDate(e.lastUsedAt) : null,
  lastUsedAddress: e.lastUsedAddress,
});

function printEntries(json: boolean, entries: AccessListEntry[]): void {
  const rows = entries.map(entryRow);
  printResult(json, rows, () =>
    rows.length === 0
      ? '(no entries: the key is not restricted by address)'
      : rows
          .map(
            (r) =>
              `${r.cidrBlock}  used ${r.count}x${r.lastUsed ? ` (last ${r.lastUsed} from ${r.lastUsedAddress})` : ''}`,
          )
          .join('\n'),
  );
}

/** `--entry 10.0.0.0/8` is a CIDR block, `--entry 1.2.3.4` an address, as the API's request items. */
const accessListItem = (entry: string) => (/\//.test(entry) ? { cidrBlock: entry } : { ipAddress: entry });

export function registerApiKeys(program: Command): void {
  const keys = program.command('api-keys').description('programmatic API keys (Digest credentials)');
  storeOptions(keys.command('create'))
    .requiredOption('--org <orgId>', 'organization the key belongs to')
    .requiredOption('--roles <roles>', 'organization roles, comma-separated (e.g. ORG_MEMBER)')
    .option(
      '--project <id:roles>',
      'project roles, e.g. 5f…:GROUP_OWNER (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
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
      await withDeps(flags, (deps) =>
        assignApiKeyToProject(deps.ctx, flags.publicKey, flags.project, list(flags.roles)),
      );
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
  storeOptions(keys.command('update'))
    .description("replace a key's organization roles and/or its description")
    .requiredOption('--public-key <key>', 'the API key')
    .option('--roles <roles>', 'organization roles, comma-separated (replace the current ones)')
    .option('--description <text>', 'description')
    .action(async (flags: StoreFlags & { publicKey: string; roles?: string; description?: string }) => {
      if (flags.roles === undefined && flags.description === undefined)
        throw new ConfigError('give --roles, --description or both');
      const changes = { desc: flags.description, roles: flags.roles === undefined ? undefined : list(flags.roles) };
      const key = await withKey(flags, (deps, k) => updateOrgApiKey(deps.ctx, null, k.orgId, k.id, changes));
      const out = {
        id: key.id,
        publicKey: key.publicKey,
        description: key.description,
        orgRoles: key.orgRoles,
        projectRoles: key.projectAssignments,
      };
      printResult(Boolean(flags.json), out, () => `${out.publicKey}  ${out.orgRoles.join(',')}  ${out.description}`);
    });
  storeOptions(keys.command('delete'))
    .description('delete a key with its project assignments and access list')
    .requiredOption('--public-key <key>', 'the API key')
    .action(async (flags: StoreFlags & { publicKey: string }) => {
      await withKey(flags, (deps, k) => deleteOrgApiKey(deps.ctx, null, k.orgId, k.id));
      printResult(Boolean(flags.json), { deleted: flags.publicKey }, () => `Deleted ${flags.publicKey}.`);
    });
  const accessList = keys.command('access-list').description("a key's API access list (addresses it may call from)");
  storeOptions(accessList.command('add'))
    .requiredOption('--public-key <key>', 'the API key')
    .requiredOption('--entry <cidrOrIp>', 'an address (1.2.3.4, ::1) or a CIDR block (10.0.0.0/8)')
    .action(async (flags: StoreFlags & { publicKey: string; entry: string }) => {
      const entries = await withKey(flags, (deps, k) =>
        addApiKeyAccessList(deps.ctx, null, k.orgId, k.id, [accessListItem(flags.entry)]),
      );
      printEntries(Boolean(flags.json), entries);
    });
  storeOptions(accessList.command('list'))
    .requiredOption('--public-key <key>', 'the API key')
    .action(async (flags: StoreFlags & { publicKey: string }) => {
      printEntries(
        Boolean(flags.json),
        await withKey(flags, (deps, k) => listApiKeyAccessList(deps.ctx, null, k.orgId, k.id)),
      );
    });
  storeOptions(accessList.command('remove'))
    .requiredOption('--public-key <key>', 'the API key')
    .requiredOption('--entry <cidrOrIp>', 'the address or CIDR block to remove')
    .action(async (flags: StoreFlags & { publicKey: string; entry: string }) => {
      await withKey(flags, (deps, k) => removeApiKeyAccessListEntry(deps.ctx, null, k.orgId, k.id, flags.entry));
      printResult(Boolean(flags.json), { removed: flags.entry }, () => `Removed ${flags.entry}.`);
    });
}
