import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent, EventQuery } from '../../src/domain/events/event.ts';
import * as repo from '../../src/storage/repositories/events.repository.ts';
import { at, forEachDialect, newId } from './harness.ts';

forEachDialect('events repository', (store) => {
  const anEvent = (over: Partial<AuditEvent>): AuditEvent => ({
    id: newId(),
    orgId: null,
    projectId: null,
    eventType: 'JOINED_ORG',
    createdAt: at(0),
    apiKeyId: null,
    publicKey: null,
    userId: null,
    username: null,
    targetUsername: null,
    remoteAddress: null,
    ...over,
  });

  test('insertEvent / findEvent round-trip every column, nulls included', async () => {
    const full = anEvent({
      orgId: newId(),
      projectId: newId(),
      eventType: 'INVITED_TO_GROUP',
      createdAt: at(1.5),
      apiKeyId: newId(),
      publicKey: 'pkabcdef',
      userId: newId(),
      username: 'actor@example.com',
      targetUsername: 'Target@Example.com',
      remoteAddress: '2001:db8::1',
    });
    const bare = anEvent({});
    await repo.insertEvent(store.db, full);
    await repo.insertEvent(store.db, bare);
    assert.deepEqual(await repo.findEvent(store.db, full.id), full);
    assert.deepEqual(await repo.findEvent(store.db, bare.id), bare);
    assert.equal(await repo.findEvent(store.db, newId()), undefined);
    await assert.rejects(repo.insertEvent(store.db, full), 'ids are unique');
  });

  test('listEvents: an org feed (no project events) or a project feed, newest first, type and date filters, paging', async () => {
    const orgId = newId();
    const projectId = newId();
    const events = [
      anEvent({ orgId, eventType: 'INVITED_TO_ORG', createdAt: at(10) }),
      anEvent({ orgId, eventType: 'JOINED_ORG', createdAt: at(20) }),
      anEvent({ orgId, eventType: 'REMOVED_FROM_ORG', createdAt: at(30) }),
      anEvent({ orgId, projectId, eventType: 'JOINED_GROUP', createdAt: at(25) }),
      anEvent({ orgId: newId(), eventType: 'JOINED_ORG', createdAt: at(20) }),
    ];
    await repo.insertEventsBatch(store.db, events);
    const ids = async (q: Partial<EventQuery>) => {
      const r = await repo.listEvents(store.db, { orgId, offset: 0, limit: 100, ...q });
      return [r.total, r.items.map((e) => events.indexOf(events.find((x) => x.id === e.id) as AuditEvent))];
    };
    assert.deepEqual(await ids({}), [3, [2, 1, 0]]);
    assert.deepEqual(await ids({ projectId }), [1, [3]]);
    assert.deepEqual(await ids({ eventTypes: ['JOINED_ORG', 'INVITED_TO_ORG'] }), [2, [1, 0]]);
    assert.deepEqual(await ids({ excludedEventTypes: ['JOINED_ORG'] }), [2, [2, 0]]);
    assert.deepEqual(await ids({ eventTypes: [], excludedEventTypes: [] }), [3, [2, 1, 0]]);
    assert.deepEqual(await ids({ minDate: at(20), maxDate: at(30) }), [2, [2, 1]]);
    assert.deepEqual(await ids({ minDate: at(20.001) }), [1, [2]]);
    assert.deepEqual(await ids({ offset: 1, limit: 1 }), [3, [1]]);
    assert.deepEqual(await ids({ orgId: undefined }), [0, []]);
    assert.deepEqual((await repo.findEvent(store.db, events[3].id))?.projectId, projectId);
  });

  test('same-second events list by id, newest id first; insertEventsBatch with none does nothing', async () => {
    const orgId = newId();
    const batch = Array.from({ length: 25 }, () => anEvent({ orgId, createdAt: at(50) }));
    await repo.insertEventsBatch(store.db, batch);
    await repo.insertEventsBatch(store.db, []);
    const { items, total } = await repo.listEvents(store.db, { orgId, offset: 0, limit: 100 });
    assert.equal(total, 25);
    assert.deepEqual(
      items.map((e) => e.id),
      batch
        .map((e) => e.id)
        .sort()
        .reverse(),
    );
  });
});
