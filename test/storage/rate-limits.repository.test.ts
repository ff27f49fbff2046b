import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/rate-limits.repository.ts';
import { forEachDialect } from './harness.ts';

const P = { capacity: 3, refill: 2, periodMs: 60_000 };
const T = 1_780_000_000_000;

forEachDialect('rate-limits repository', (store) => {
  test('takeToken counts down from the capacity, then refuses with the seconds to the next refill', async () => {
    const takes = [];
    for (let i = 0; i < 4; i++) takes.push(await repo.takeToken(store.db, 'b:countdown', P, T + i * 1000));
    assert.deepEqual(takes, [
      { allowed: true, remaining: 2, retryAfterSeconds: 0 },
      { allowed: true, remaining: 1, retryAfterSeconds: 0 },
      { allowed: true, remaining: 0, retryAfterSeconds: 0 },
      { allowed: false, remaining: 0, retryAfterSeconds: 57 },
    ]);
  });

  test('refill tokens are poured in once per period from the first use, never past the capacity', async () => {
    for (let i = 0; i < 3; i++) await repo.takeToken(store.db, 'b:refill', P, T);
    assert.deepEqual(await repo.takeToken(store.db, 'b:refill', P, T + 59_999), {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 1,
    });
    assert.deepEqual(await repo.takeToken(store.db, 'b:refill', P, T + 60_000), {
      allowed: true,
      remaining: 1,
      retryAfterSeconds: 0,
    });
    assert.deepEqual(await repo.takeToken(store.db, 'b:refill', P, T + 10 * 60_000), {
      allowed: true,
      remaining: 2,
      retryAfterSeconds: 0,
    });
  });

  test('returnToken gives one back, up to the capacity; unknown buckets are left alone', async () => {
    await repo.takeToken(store.db, 'b:return', P, T);
    await repo.takeToken(store.db, 'b:return', P, T);
    await repo.returnToken(store.db, 'b:return', P);
    assert.equal((await repo.takeToken(store.db, 'b:return', P, T)).remaining, 1);
    for (let i = 0; i < 5; i++) await repo.returnToken(store.db, 'b:return', P);
    assert.equal((await repo.takeToken(store.db, 'b:return', P, T)).remaining, 2);
    await repo.returnToken(store.db, 'b:nobody', P);
    assert.equal(
      await store.db
        .selectFrom('rate_limit_buckets')
        .select('bucket_key')
        .where('bucket_key', '=', 'b:nobody')
        .executeTakeFirst(),
      undefined,
    );
  });

  test('concurrent takers share one bucket: exactly the capacity is allowed', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => repo.takeToken(store.db, 'b:race', P, T)));
    assert.equal(results.filter((r) => r.allowed).length, 3);
  });

  test('keys too long or holding control characters (a NUL) are stored as a hash and still count', async () => {
    for (const key of [`b:${'x'.repeat(300)}`, 'b:nul\u0000id']) {
      assert.equal((await repo.takeToken(store.db, key, P, T)).remaining, 2);
      assert.equal((await repo.takeToken(store.db, key, P, T)).remaining, 1);
    }
    const keys = (await store.db.selectFrom('rate_limit_buckets').select('bucket_key').execute()).map(
      (r) => r.bucket_key,
    );
    assert.ok(keys.every((k) => k.length <= 255 && !k.includes('\u0000')));
    assert.equal(keys.filter((k) => k.startsWith('b:sha256:')).length, 2);
  });

  test('pruneIdleBuckets drops buckets whose period began over the idle time ago', async () => {
    await repo.takeToken(store.db, 'b:idle', P, T);
    await repo.takeToken(store.db, 'b:busy', P, T + 3_000_000);
    await repo.pruneIdleBuckets(store.db, T + 3_600_001);
    const keys = (
      await store.db
        .selectFrom('rate_limit_buckets')
        .select('bucket_key')
        .where('bucket_key', 'in', ['b:idle', 'b:busy'])
        .execute()
    ).map((r) => r.bucket_key);
    assert.deepEqual(keys, ['b:busy']);
  });
});
