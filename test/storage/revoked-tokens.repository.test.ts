import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/revoked-tokens.repository.ts';
import { at, forEachDialect } from './harness.ts';

forEachDialect('revoked-tokens repository', (store) => {
  test('revokeToken is idempotent; isTokenRevoked answers for revoked and unknown ids', async () => {
    await repo.revokeToken(store.db, 'jti-1', at(60));
    await repo.revokeToken(store.db, 'jti-1', at(120));
    assert.equal(await repo.isTokenRevoked(store.db, 'jti-1'), true);
    assert.equal(await repo.isTokenRevoked(store.db, 'jti-2'), false);
    const rows = await store.db.selectFrom('revoked_tokens').selectAll().where('jti', '=', 'jti-1').execute();
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      [{ jti: 'jti-1', expires_at: at(60).toISOString() }],
    );
  });

  test('pruneRevokedTokens drops revocations of tokens expired before now, and keeps the rest', async () => {
    await repo.revokeToken(store.db, 'old', at(10));
    await repo.revokeToken(store.db, 'edge', at(20));
    await repo.revokeToken(store.db, 'live', at(30));
    await repo.pruneRevokedTokens(store.db, at(20));
    assert.deepEqual(
      [
        await repo.isTokenRevoked(store.db, 'old'),
        await repo.isTokenRevoked(store.db, 'edge'),
        await repo.isTokenRevoked(store.db, 'live'),
      ],
      [false, true, true],
    );
  });
});
