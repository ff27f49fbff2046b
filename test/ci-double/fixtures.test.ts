import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { buildApp } from '../../src/app.ts';
import { applyFixtures } from '../../src/domain/fixtures/apply-fixtures.ts';
import { FixtureError, parseFixtures } from '../../src/domain/fixtures/fixture-file.ts';
import { readDataTables } from '../../src/storage/repositories/snapshots.repository.ts';
import { digestClient, json } from '../helpers/app.ts';
import { DIALECTS, EXAMPLE, emptyStore } from './store.ts';

const example = readFileSync(EXAMPLE, 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: a document the tests edit freely.
const exampleDoc = (): any => parse(example);

/** A bad file: what it changes in the example, and the problem reported (path: message). */
const BAD: Array<[string, (doc: any) => void, RegExp]> = [
  [
    'a public key with a digit',
    (d) => (d.apiKeys[1].publicKey = 'cireade1'),
    /^apiKeys\[1\]\.publicKey: must be 8 lowercase letters$/m,
  ],
  [
    'a private key that is not a UUID',
    (d) => (d.apiKeys[0].privateKey = 'secret'),
    /^apiKeys\[0\]\.privateKey: must be a lowercase UUID/m,
  ],
  [
    'a client id without mdb_sa_id_',
    (d) => (d.serviceAccounts[0].clientId = '65f1a0000000000000000005'),
    /^serviceAccounts\[0\]\.clientId: must be mdb_sa_id_/m,
  ],
  [
    'a short secret',
    (d) => (d.serviceAccounts[0].secret = 'mdb_sa_sk_short'),
    /^serviceAccounts\[0\]\.secret: must be mdb_sa_sk_ and 40/m,
  ],
  [
    'an id that is not an ObjectId',
    (d) => (d.orgs[0].id = '65F1A0000000000000000001'),
    /^orgs\[0\]\.id: must be an ObjectId/m,
  ],
  [
    'an unknown role',
    (d) => (d.apiKeys[0].roles = ['ORG_OWNER', 'GROUP_OWNER']),
    /^apiKeys\[0\]\.roles\[1\]: not an organization role: "GROUP_OWNER"$/m,
  ],
  [
    'an unknown org reference',
    (d) => (d.projects[1].org = 'Other Org'),
    /^projects\[1\]\.org: no org in this file has the id or name "Other Org"$/m,
  ],
  [
    'a repeated public key',
    (d) => (d.apiKeys[1].publicKey = 'ciownera'),
    /^apiKeys\[1\]\.publicKey: repeats apiKeys\[0\]\.publicKey$/m,
  ],
  ['a typo in a field', (d) => (d.users[0].userName = 'x'), /^users\[0\]\.userName: unknown field/m],
  [
    'an invitation for a member',
    (d) => (d.invitations[1].username = 'alice@example.com'),
    /^invitations\[1\]\.username: is already a member/m,
  ],
  [
    'a bad address',
    (d) => (d.invitations[0].username = 'bob'),
    /^invitations\[0\]\.username: must be an email address$/m,
  ],
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: declared fixtures`, () => {
    let store: Awaited<ReturnType<typeof emptyStore>>;
    before(async () => {
      store = await emptyStore(dialect);
    });
    after(() => store.close());

    test('bad files are refused with the path of each problem, and nothing is written', async () => {
      const empty = await readDataTables(store.deps.ctx.db);
      for (const [name, change, message] of BAD) {
        const doc = exampleDoc();
        change(doc);
        for (const text of [stringify(doc), JSON.stringify(doc)]) {
          assert.throws(
            () => parseFixtures(text),
            (err: unknown) => err instanceof FixtureError && message.test(err.message),
            name,
          );
        }
      }
      assert.throws(() => parseFixtures('orgs: [\n'), /^FixtureError: \(file\): not valid YAML or JSON/);
      assert.deepEqual(await readDataTables(store.deps.ctx.db), empty);
    });

    test('the example applies, and applying it again changes nothing', async () => {
      const fixtures = parseFixtures(example);
      const first = await applyFixtures(store.deps.ctx, fixtures);
      assert.deepEqual(first.api_keys, { added: 2, removed: 0, changed: 0 });
      assert.deepEqual(first.invitations, { added: 2, removed: 0, changed: 0 });
      const copy = await readDataTables(store.deps.ctx.db);
      assert.deepEqual(await applyFixtures(store.deps.ctx, fixtures), {});
      assert.deepEqual(
        await applyFixtures(store.deps.ctx, parseFixtures(JSON.stringify(exampleDoc()))),
        {},
        'the same file as JSON',
      );
      assert.deepEqual(await readDataTables(store.deps.ctx.db), copy);
    });

    test('a changed file changes only what it changes', async () => {
      const doc = exampleDoc();
      doc.apiKeys[1].roles = ['ORG_MEMBER'];
      doc.apiKeys[1].privateKey = '11111111-2222-4333-8444-555555555555';
      const changes = await applyFixtures(store.deps.ctx, parseFixtures(stringify(doc)));
      assert.deepEqual(changes, { api_keys: { added: 0, removed: 0, changed: 1 } });
      assert.deepEqual(await applyFixtures(store.deps.ctx, parseFixtures(stringify(doc))), {});
    });

    test('a file that conflicts with the store is refused whole: nothing of it is written', async () => {
      const before = await readDataTables(store.deps.ctx.db);
      const doc = exampleDoc();
      doc.orgs.push({ name: 'Second Org' });
      doc.projects.push({ name: 'second-project', org: 'Second Org' });
      // Declared in the new org, but the store has this public key in CI Org.
      doc.apiKeys.push({
        publicKey: 'ciownera',
        privateKey: doc.apiKeys[0].privateKey,
        org: 'Second Org',
        roles: ['ORG_OWNER'],
      });
      doc.apiKeys.splice(0, 1);
      await assert.rejects(
        applyFixtures(store.deps.ctx, parseFixtures(stringify(doc))),
        /^FixtureError: apiKeys\[1\]\.publicKey: the key ciownera is in another org$/m,
      );
      assert.deepEqual(await readDataTables(store.deps.ctx.db), before);
    });

    test('the declared credentials work as given: Digest with the file keys, OAuth with the file secret', async () => {
      const app = buildApp(store.deps);
      try {
        const owner = digestClient(app, { publicKey: 'ciownera', privateKey: '6c1b1e57-3f0a-4f7e-9d5c-0a1b2c3d4e5f' });
        const invites = await owner({ url: '/api/atlas/v2/groups/65f1a0000000000000000002/invites' });
        assert.equal(invites.statusCode, 200, invites.body);
        assert.deepEqual(
          (json(invites) as Array<{ username: string; roles: string[] }>).map((i) => [i.username, i.roles]),
          [['bob@example.com', ['GROUP_READ_ONLY']]],
        );
        const orgInvites = await owner({ url: '/api/atlas/v2/orgs/65f1a0000000000000000001/invites' });
        assert.ok(
          (json(orgInvites) as Array<{ username: string }>).some((i) => i.username === 'carol@example.com'),
          orgInvites.body,
        );
        const basic = Buffer.from(
          'mdb_sa_id_65f1a0000000000000000005:mdb_sa_sk_ci0000000000000000000000000000000000000a',
        ).toString('base64');
        const token = await app.inject({
          method: 'POST',
          url: '/api/oauth/token',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=client_credentials',
        });
        assert.equal(token.statusCode, 200, token.body);
        const bearer = (json(token) as { access_token: string }).access_token;
        const groups = await app.inject({
          url: '/api/atlas/v2/groups',
          headers: { authorization: `Bearer ${bearer}`, accept: 'application/vnd.atlas.2023-01-01+json' },
        });
        assert.equal(groups.statusCode, 200, groups.body);
        assert.deepEqual((json(groups) as { results: Array<{ name: string }> }).results.map((g) => g.name).sort(), [
          'ci-project',
          'staging',
        ]);
      } finally {
        await app.close();
      }
    });
  });
}
