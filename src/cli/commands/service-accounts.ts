import { type Command, InvalidArgumentError } from 'commander';
import type { AccessListEntry } from '../../domain/access-lists/access-list.ts';
import {
  deleteServiceAccountIn,
  listAllServiceAccounts,
} from '../../domain/service-accounts/service-account-admin.service.ts';
import {
  accessListIn,
  addAccessListIn,
  createSecretIn,
  deleteSecretIn,
  removeAccessListEntryIn,
} from '../../domain/service-accounts/service-account-credentials.service.ts';
import { createServiceAccount } from '../../domain/service-accounts/service-account.service.ts';
import { atlasDate } from '../../lib/dates.ts';
import { list, printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

/** A year, as `init` gives its service account. */
const DEFAULT_SECRET_HOURS = 24 * 365;
const EVERYTHING = { pageNum: 1, itemsPerPage: Number.MAX_SAFE_INTEGER };

function hours(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0 || n > 2 ** 31 - 1) {
    throw new InvalidArgumentError('expected a whole number of hours above 0');
  }
  return n;
}

/** `--project ID:ROLE,ROLE` (repeatable) → assignments. */
function parseAssignments(values: string[]): Array<{ projectId: string; roles: string[] }> {
  return values.map((v) => {
    const [projectId, roles] = v.split(':');
    return { projectId, roles: list(roles) };
  });
}

const entryRow = (e: AccessListEntry) => ({
  cidrBlock: e.cidrBlock,
  createdAt: atlasDate(e.createdAt),
  lastUsedAddress: e.lastUsedAddress,
  lastUsedAt: e.lastUsedAt && atlasDate(e.lastUsedAt),
  requestCount: e.requestCount,
});

const entriesText = (rows: ReturnType<typeof entryRow>[]) =>
  rows.length === 0
    ? '(no entries: any address may use the account)'
    : rows.map((r) => `${r.cidrBlock}  ${r.requestCount} requests`).join('\n');

/** `cloud-invites service-accounts …`: OAuth 2.0 client-credentials accounts, for the operator. */
export function registerServiceAccounts(program: Command): void {
  const sa = program.command('service-accounts').description('service accounts (OAuth 2.0 client credentials)');

  storeOptions(sa.command('create'))
    .requiredOption('--org <orgId>', 'organization the account belongs to')
    .requiredOption('--name <name>', "name (1-64 letters, digits, spaces or -_.,')")
    .requiredOption('--roles <roles>', 'organization roles, comma-separated (e.g. ORG_MEMBER)')
    .option('--description <text>', 'description', 'Created by cloud-invites')
    .option('--secret-hours <hours>', 'lifetime of the first secret in hours', hours, DEFAULT_SECRET_HOURS)
    .option(
      '--project <id:roles>',
      'project roles, e.g. 5f…:GROUP_OWNER (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .action(
      async (
        flags: StoreFlags & {
          org: string;
          name: string;
          roles: string;
          description: string;
          secretHours: number;
          project: string[];
        },
      ) => {
        const created = await withDeps(flags, (deps) =>
          createServiceAccount(deps.ctx, {
            orgId: flags.org,
            name: flags.name,
            description: flags.description,
            orgRoles: list(flags.roles),
            secretExpiresAfterHours: flags.secretHours,
            projectAssignments: parseAssignments(flags.project),
          }),
        );
        const out = {
          clientId: created.serviceAccount.clientId,
          secretId: created.secret.id,
          secret: created.secret.secret,
          expiresAt: atlasDate(created.secret.expiresAt),
        };
        printResult(
          Boolean(flags.json),
          out,
          () => `${out.clientId}:${out.secret}  (secret shown once, expires ${out.expiresAt})`,
        );
      },
    );

  storeOptions(sa.command('list'))
    .option('--org <orgId>', 'only this organization')
    .action(async (flags: StoreFlags & { org?: string }) => {
      const all = await withDeps(flags, (deps) => listAllServiceAccounts(deps.ctx, flags.org));
      const rows = all.map((a) => ({
        clientId: a.clientId,
        orgId: a.orgId,
        name: a.name,
        description: a.description,
        orgRoles: a.orgRoles,
        projectRoles: a.projectAssignments,
        secrets: a.secrets.map((s) => ({
          id: s.id,
          maskedSecretValue: s.maskedSecretValue,
          expiresAt: atlasDate(s.expiresAt),
        })),
      }));
      printResult(Boolean(flags.json), rows, () =>
        rows.map((r) => `${r.clientId}  ${r.orgId}  ${r.orgRoles.join(',')}  ${r.name}`).join('\n'),
      );
    });

  storeOptions(sa.command('delete'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .action(async (flags: StoreFlags & { clientId: string }) => {
      await withDeps(flags, (deps) => deleteServiceAccountIn(deps.ctx, null, flags.clientId));
      printResult(Boolean(flags.json), { deleted: flags.clientId }, () => 'Deleted.');
    });

  const secrets = sa.command('secrets').description("an account's client secrets");
  storeOptions(secrets.command('create'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .requiredOption('--hours <hours>', 'lifetime in hours', hours)
    .action(async (flags: StoreFlags & { clientId: string; hours: number }) => {
      const created = await withDeps(flags, (deps) => createSecretIn(deps.ctx, null, flags.clientId, flags.hours));
      const out = {
        clientId: flags.clientId,
        secretId: created.info.id,
        secret: created.secret,
        expiresAt: atlasDate(created.info.expiresAt),
      };
      printResult(
        Boolean(flags.json),
        out,
        () => `${out.secretId}  ${out.secret}  (secret shown once, expires ${out.expiresAt})`,
      );
    });
  storeOptions(secrets.command('delete'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .requiredOption('--secret-id <secretId>', 'the secret (24 hex digits)')
    .action(async (flags: StoreFlags & { clientId: string; secretId: string }) => {
      await withDeps(flags, (deps) => deleteSecretIn(deps.ctx, null, flags.clientId, flags.secretId));
      printResult(Boolean(flags.json), { deleted: flags.secretId }, () => 'Deleted.');
    });

  const accessList = sa.command('access-list').description("an account's API access list");
  storeOptions(accessList.command('add'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .requiredOption('--entry <entries>', 'IP addresses or CIDR blocks, comma-separated')
    .action(async (flags: StoreFlags & { clientId: string; entry: string }) => {
      const entries = list(flags.entry).map((e) => (e.includes('/') ? { cidrBlock: e } : { ipAddress: e }));
      const page = await withDeps(flags, (deps) =>
        addAccessListIn(deps.ctx, null, flags.clientId, entries, EVERYTHING),
      );
      const rows = page.items.map(entryRow);
      printResult(Boolean(flags.json), rows, () => entriesText(rows));
    });
  storeOptions(accessList.command('list'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .action(async (flags: StoreFlags & { clientId: string }) => {
      const page = await withDeps(flags, (deps) => accessListIn(deps.ctx, null, flags.clientId, EVERYTHING));
      const rows = page.items.map(entryRow);
      printResult(Boolean(flags.json), rows, () => entriesText(rows));
    });
  storeOptions(accessList.command('remove'))
    .requiredOption('--client-id <clientId>', 'the account (mdb_sa_id_…)')
    .requiredOption('--entry <entry>', 'the IP address or CIDR block to remove')
    .action(async (flags: StoreFlags & { clientId: string; entry: string }) => {
      await withDeps(flags, (deps) => removeAccessListEntryIn(deps.ctx, null, flags.clientId, flags.entry));
      printResult(Boolean(flags.json), { removed: flags.entry }, () => 'Removed.');
    });
}
