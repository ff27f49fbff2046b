import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { createdOf, issueToken, page, saApi, tokenOf, withBearer } from './service-accounts.fixtures.ts';

/** The service-account management store on PostgreSQL: every table written, read back and cleaned up. */
let w: TestWorld;
let api: ReturnType<typeof saApi>;

before(async () => {
  w = await testWorld({ dialect: 'postgres' });
  api = saApi(w.api);
});
after(() => w.close());

async function rowCounts(id: string) {
  const db = w.deps.ctx.db;
  const count = async (q: Promise<Array<unknown>>) => (await q).length;
  return {
    accounts: await count(db.selectFrom('service_accounts').select('id').where('id', '=', id).execute()),
    roles: await count(
      db
        .selectFrom('service_account_project_roles')
        .select('project_id')
        .where('service_account_id', '=', id)
        .execute(),
    ),
    secrets: await count(
      db.selectFrom('service_account_secrets').select('id').where('service_account_id', '=', id).execute(),
    ),
    accessList: await count(
      db
        .selectFrom('access_list_entries')
        .select('id')
        .where('owner_kind', '=', 'serviceAccount')
        .where('owner_id', '=', id)
        .execute(),
    ),
  };
}

test('postgres: create, assign, secrets, access list, paging, failed writes and delete', async () => {
  const orgBase = `/api/atlas/v2/orgs/${w.orgId}/serviceAccounts`;
  const groupBase = `/api/atlas/v2/groups/${w.groupId}/serviceAccounts`;
  const second = await w.newProject(w.orgId, 'second');
  const body = { description: 'pg', name: 'pg-bot', roles: ['GROUP_READ_ONLY'], secretExpiresAfterHours: 24 };
  const sa = createdOf(await api({ method: 'POST', url: groupBase, body }));
  const id = sa.clientId.slice('mdb_sa_id_'.length);
  assert.equal(
    (
      await api({
        method: 'POST',
        url: `/api/atlas/v2/groups/${second}/serviceAccounts/${sa.clientId}:invite`,
        body: { roles: ['GROUP_OWNER'] },
      })
    ).statusCode,
    200,
  );
  assert.equal(
    (
      await api({
        method: 'PATCH',
        url: `${groupBase}/${sa.clientId}`,
        body: { roles: ['GROUP_CLUSTER_MANAGER', 'GROUP_CLUSTER_MANAGER'] },
      })
    ).statusCode,
    200,
  );
  const extra = JSON.parse(
    (await api({ method: 'POST', url: `${orgBase}/${sa.clientId}/secrets`, body: { secretExpiresAfterHours: 2 } }))
      .body,
  );
  const al = `${orgBase}/${sa.clientId}/accessList`;
  assert.equal(
    (await api({ method: 'POST', url: al, body: [{ ipAddress: '127.0.0.1' }, { cidrBlock: '10.0.0.0/8' }] }))
      .statusCode,
    200,
  );
  assert.equal((await api({ method: 'POST', url: al, body: [{ ipAddress: '127.0.0.1' }] })).statusCode, 200);
  // a bad entry among good ones adds none of them
  assert.equal(
    (await api({ method: 'POST', url: al, body: [{ ipAddress: '192.0.2.1' }, { ipAddress: 'x' }] })).statusCode,
    400,
  );
  assert.deepEqual(await rowCounts(id), { accounts: 1, roles: 2, secrets: 2, accessList: 2 });

  const groups = JSON.parse((await api({ url: `${orgBase}/${sa.clientId}/groups` })).body).results;
  assert.deepEqual(
    groups,
    [
      { groupId: w.groupId, roles: ['GROUP_CLUSTER_MANAGER'] },
      { groupId: second, roles: ['GROUP_OWNER'] },
    ].sort((a, b) => a.groupId.localeCompare(b.groupId)),
  );
  const paged = JSON.parse((await api({ url: `${orgBase}?itemsPerPage=1&pageNum=2` })).body);
  assert.equal(paged.totalCount, 2);
  assert.deepEqual(
    paged.results.map((r: { clientId: string }) => r.clientId),
    [sa.clientId],
  );

  // the account works from an address on its list, and records the use
  const token = tokenOf(await issueToken(w, sa.clientId, extra.secret));
  assert.equal((await withBearer(w, token, { url: `/api/atlas/v2/groups/${second}/invites` })).statusCode, 200);
  const entries = JSON.parse((await api({ url: al })).body).results;
  assert.equal(entries[0].requestCount, 1);

  // a failed create (bad role) leaves no account behind
  const before_ = (await api({ url: orgBase })).body;
  assert.equal((await api({ method: 'POST', url: groupBase, body: { ...body, roles: ['NOPE'] } })).statusCode, 400);
  assert.equal((await api({ url: orgBase })).body, before_);

  assert.equal((await api({ method: 'DELETE', url: `${orgBase}/${sa.clientId}` })).statusCode, 204);
  assert.deepEqual(await rowCounts(id), { accounts: 0, roles: 0, secrets: 0, accessList: 0 });
  assert.equal((await withBearer(w, token, { url: `/api/atlas/v2/groups/${second}/invites` })).statusCode, 401);
  const list = JSON.parse((await api({ url: groupBase })).body);
  assert.deepEqual(list, page(groupBase, []));
});
