import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acceptInvitation } from '../../../src/domain/invitations/lifecycle.service.ts';
import { type TestWorld, testWorld } from '../../helpers/app.ts';
import { expectAtlasError } from '../expect.ts';
import {
  DELETE_MISSING,
  expectOrgInvite,
  expectOrgInviteNoContent,
  idOf,
  orgInvitation,
} from '../org-invites.fixtures.ts';

/**
 * The organization-invitation flow, and the events it writes, on PostgreSQL: the same answers as on
 * SQLite (ids, dates, JSON columns, case-insensitive usernames, the unique index, filters, ordering).
 */
let w: TestWorld;
before(async () => {
  w = await testWorld({ dialect: 'postgres' });
});
after(() => w.close());

test('org invitations and their events on PostgreSQL', async () => {
  const base = `/api/atlas/v2/orgs/${w.orgId}/invites`;
  const v1 = `/api/public/v1.0/orgs/${w.orgId}/invites`;
  const mine = (
    id: string,
    username: string,
    roles: string[],
    more: Partial<Parameters<typeof orgInvitation>[0]> = {},
  ) => orgInvitation({ id, orgId: w.orgId, inviter: w.owner.publicKey, username, roles, ...more });

  // create, with project assignments (JSON column), and a re-send converging on the same row
  const created = await w.api({
    method: 'POST',
    url: base,
    body: {
      groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] }],
      roles: ['ORG_MEMBER'],
      username: 'Pg.User@Example.com',
    },
  });
  const id = idOf(created);
  const assignments = [
    { groupId: w.groupId, groupRole: 'GROUP_READ_ONLY' },
    { groupId: w.groupId, groupRole: 'GROUP_OWNER' },
  ];
  expectOrgInvite(created, 200, mine(id, 'Pg.User@Example.com', ['ORG_MEMBER'], { groupRoleAssignments: assignments }));
  const concurrent = await Promise.all(
    ['ORG_OWNER', 'ORG_READ_ONLY', 'ORG_OWNER'].map((role) =>
      w.as(w.owner)({ method: 'POST', url: base, body: { roles: [role], username: 'pg.user@example.com' } }),
    ),
  );
  assert.deepEqual(new Set(concurrent.map((r) => idOf(r))), new Set([id]));

  // a project invitation for someone new brings its org invitation along
  const project = await w.api({
    method: 'POST',
    url: `/api/atlas/v2/groups/${w.groupId}/invites`,
    body: { roles: ['GROUP_READ_ONLY'], username: 'proj@example.com' },
  });
  const pid = idOf(project);
  const listed = JSON.parse((await w.api({ url: base })).body) as Array<{
    id: string;
    username: string;
    roles: string[];
  }>;
  assert.deepEqual(
    listed.map((i) => i.username),
    ['Pg.User@Example.com', 'proj@example.com'],
  );
  const companion = listed[1];
  expectOrgInvite(await w.api({ url: `${base}?username=PROJ@example.com` }), 200, [
    mine(companion.id, 'proj@example.com', ['ORG_MEMBER']),
  ]);

  // updates by username and by id; dates stay
  w.clock.advance(5_000);
  const byName = await w.api({
    method: 'PATCH',
    url: base,
    body: { roles: ['ORG_BILLING_ADMIN'], username: 'PG.USER@example.com' },
  });
  expectOrgInvite(byName, 200, mine(id, 'Pg.User@Example.com', ['ORG_BILLING_ADMIN'], { groupRoleAssignments: [] }));
  const byId = await w.api({
    method: 'PATCH',
    url: `${base}/${id}`,
    body: { groupRoleAssignments: [{ groupId: w.groupId, roles: ['GROUP_OWNER'] }] },
  });
  const updated = mine(id, 'Pg.User@Example.com', ['ORG_BILLING_ADMIN'], {
    groupRoleAssignments: [{ groupId: w.groupId, groupRole: 'GROUP_OWNER' }],
  });
  expectOrgInvite(byId, 200, updated);
  expectOrgInvite(await w.api({ url: `${base}/${id}` }), 200, updated);
  assert.equal((await w.api({ url: v1 })).statusCode, 200);

  // cross-kind and malformed deletes, then the real one
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${base}/${pid}` }),
    400,
    'CANNOT_DELETE_GROUP_INVITATION',
    "You can't use the Cancel One Organization Invitation endpoint to delete an invitation to a group. Use Cancel One Project Invitation instead.",
  );
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `/api/atlas/v2/groups/${w.groupId}/invites/${companion.id}` }),
    400,
    'CANNOT_DELETE_ORG_INVITATION',
    "You can't use the Cancel One Project Invitation endpoint to delete an invitation to an organization. Use Cancel One Organization Invitation instead.",
  );
  const hostile = "x'); drop table invitations; --";
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${base}/${encodeURIComponent(hostile)}` }),
    400,
    'INVALID_INVITATION_ID',
    DELETE_MISSING,
    [hostile],
  );
  w.clock.advance(5_000);
  expectOrgInviteNoContent(await w.api({ method: 'DELETE', url: `${base}/${id}` }));
  expectAtlasError(
    await w.api({ method: 'DELETE', url: `${base}/${id}` }),
    400,
    'INVALID_INVITATION_ID',
    DELETE_MISSING,
    [id],
  );

  // accepting the project invitation accepts its org invitation: both gone, a member now
  w.clock.advance(5_000);
  await acceptInvitation(w.deps.ctx, { invitationId: pid });
  expectOrgInvite(await w.api({ url: base }), 200, []);
  const again = await w.api({
    method: 'POST',
    url: base,
    body: { roles: ['ORG_MEMBER'], username: 'proj@example.com' },
  });
  expectAtlasError(again, 409, 'USER_ALREADY_EXISTS', 'A user with username proj@example.com already exists.', [
    'proj@example.com',
  ]);

  // the org feed, newest first, filtered and paged on PostgreSQL
  const orgEvents = `/api/atlas/v2/orgs/${w.orgId}/events`;
  const types = async (q: string) =>
    (
      JSON.parse((await w.api({ url: `${orgEvents}${q}` })).body) as { results: Array<{ eventTypeName: string }> }
    ).results.map((e) => e.eventTypeName);
  assert.deepEqual(await types(''), [
    'JOINED_ORG',
    'ORG_INVITATION_DELETED',
    'INVITED_TO_ORG',
    'INVITED_TO_ORG',
    'INVITED_TO_ORG',
    'INVITED_TO_ORG',
    'INVITED_TO_ORG',
  ]);
  assert.deepEqual(await types('?eventType=JOINED_ORG&eventType=ORG_INVITATION_DELETED'), [
    'JOINED_ORG',
    'ORG_INVITATION_DELETED',
  ]);
  assert.deepEqual(await types('?minDate=2026-08-10T03:05:00Z&maxDate=2026-08-10T03:05:04Z'), [
    'ORG_INVITATION_DELETED',
  ]);
  const page = JSON.parse((await w.api({ url: `${orgEvents}?itemsPerPage=3&pageNum=3` })).body) as {
    results: unknown[];
    totalCount: number;
    links: Array<{ rel: string }>;
  };
  assert.equal(page.results.length, 1);
  assert.equal(page.totalCount, 7);
  assert.deepEqual(
    page.links.map((l) => l.rel),
    ['previous', 'self'],
  );
  const groupEvents = `/api/atlas/v2/groups/${w.groupId}/events`;
  const g = JSON.parse((await w.api({ url: `${groupEvents}?excludedEventType=INVITED_TO_GROUP` })).body) as {
    results: Array<{ eventTypeName: string; id: string }>;
  };
  assert.deepEqual(
    g.results.map((e) => e.eventTypeName),
    ['JOINED_GROUP'],
  );
  assert.equal((await w.api({ url: `${groupEvents}/${g.results[0].id}` })).statusCode, 200);
});
