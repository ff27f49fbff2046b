import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as repo from '../../src/storage/repositories/outbox.repository.ts';
import { at, forEachDialect, newId } from './harness.ts';

forEachDialect('outbox repository', (store) => {
  const enqueue = async (over: Partial<Parameters<typeof repo.enqueueMail>[1]> = {}) => {
    const m = {
      id: newId(),
      to: 'Someone@Example.com',
      subject: 'Sübject',
      text: 'text body',
      html: '<p>html</p>',
      at: at(0),
      ...over,
    };
    await repo.enqueueMail(store.db, m);
    return m;
  };

  test('enqueueMail / findMail round-trip every column: queued, no attempts, nothing sent, an optional sealed link', async () => {
    const plain = await enqueue();
    const linked = await enqueue({ linkTokenSealed: 'sealed-token' });
    const base = {
      to: plain.to,
      subject: plain.subject,
      text: plain.text,
      html: plain.html,
      createdAt: at(0),
      attempts: 0,
      sentAt: null,
      lastError: null,
    };
    assert.deepEqual(await repo.findMail(store.db, plain.id), { id: plain.id, ...base, linkTokenSealed: null });
    assert.deepEqual(await repo.findMail(store.db, linked.id), {
      id: linked.id,
      ...base,
      linkTokenSealed: 'sealed-token',
    });
    assert.equal(await repo.findMail(store.db, newId()), undefined);
  });

  test('dueMail: unsent and due, oldest first, up to the limit; claimMail leases one to one claimer', async () => {
    const late = await enqueue({ at: at(100) });
    const soon = await enqueue({ at: at(50) });
    await enqueue({ at: at(1000) });
    const due = await repo.dueMail(store.db, at(100), 100);
    assert.deepEqual(
      due.filter((m) => m.id === late.id || m.id === soon.id).map((m) => m.id),
      [soon.id, late.id],
    );
    assert.ok(due.every((m) => m.createdAt <= at(100)));
    assert.equal((await repo.dueMail(store.db, at(100), 1)).length, 1);
    const claims = await Promise.all(Array.from({ length: 4 }, () => repo.claimMail(store.db, soon.id, 0, at(400))));
    assert.equal(claims.filter(Boolean).length, 1);
    assert.equal((await repo.findMail(store.db, soon.id))?.attempts, 1);
    assert.ok(!(await repo.dueMail(store.db, at(399), 100)).some((m) => m.id === soon.id), 'leased until 400');
    assert.ok((await repo.dueMail(store.db, at(400), 100)).some((m) => m.id === soon.id));
    assert.equal(await repo.claimMail(store.db, soon.id, 0, at(500)), false, 'a stale attempt count');
  });

  test('markMailFailed keeps the error (cut to 1000 characters) and the retry time; markMailSent clears it and may forget the bodies', async () => {
    const m = await enqueue({ linkTokenSealed: 'sealed' });
    await repo.claimMail(store.db, m.id, 0, at(10));
    await repo.markMailFailed(store.db, m.id, 'x'.repeat(1500), at(60));
    const failed = await repo.findMail(store.db, m.id);
    assert.deepEqual([failed?.lastError?.length, failed?.sentAt], [1000, null]);
    assert.ok(!(await repo.dueMail(store.db, at(59), 100)).some((d) => d.id === m.id));
    assert.ok((await repo.dueMail(store.db, at(60), 100)).some((d) => d.id === m.id));
    await repo.markMailSent(store.db, m.id, at(61), { text: 'forgotten', html: '<p>forgotten</p>' });
    assert.deepEqual(await repo.findMail(store.db, m.id), {
      id: m.id,
      to: m.to,
      subject: m.subject,
      text: 'forgotten',
      html: '<p>forgotten</p>',
      createdAt: at(0),
      attempts: 1,
      sentAt: at(61),
      lastError: null,
      linkTokenSealed: null,
    });
    await repo.markMailFailed(store.db, m.id, 'late failure', at(99));
    assert.equal((await repo.findMail(store.db, m.id))?.lastError, null, 'a sent message stays sent');
    const kept = await enqueue();
    await repo.markMailSent(store.db, kept.id, at(5));
    assert.equal((await repo.findMail(store.db, kept.id))?.text, 'text body');
  });

  test('listSentMail, listRecentMail and listAllMail: the latest `limit`, oldest first; the address filter ignores case', async () => {
    const to = `list-${newId()}@example.com`;
    const ms = [];
    for (let i = 0; i < 4; i++) ms.push(await enqueue({ to: i === 2 ? to.toUpperCase() : to, at: at(2000 + i) }));
    await repo.markMailSent(store.db, ms[2].id, at(2010));
    await repo.markMailSent(store.db, ms[0].id, at(2011));
    assert.deepEqual(
      (await repo.listSentMail(store.db, { to })).map((m) => m.id),
      [ms[2].id, ms[0].id],
    );
    assert.deepEqual(
      (await repo.listSentMail(store.db, { to, limit: 1 })).map((m) => m.id),
      [ms[0].id],
    );
    assert.deepEqual(
      (await repo.listRecentMail(store.db, { to })).map((m) => m.id),
      ms.map((m) => m.id),
    );
    assert.deepEqual(
      (await repo.listRecentMail(store.db, { to, limit: 2 })).map((m) => m.id),
      [ms[2].id, ms[3].id],
    );
    const sent = await repo.listSentMail(store.db);
    assert.ok(sent.every((m) => m.sentAt !== null) && sent.length >= 2);
    const all = await repo.listAllMail(store.db);
    assert.ok(ms.every((m) => all.some((a) => a.id === m.id)));
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createdAt <= all[i].createdAt);
    assert.equal((await repo.listAllMail(store.db, 2)).length, 2);
  });
});
