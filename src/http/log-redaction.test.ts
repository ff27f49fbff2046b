import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl, requestSerializer } from './log-redaction.ts';

test('accept and decline links lose their token in logs; other URLs are untouched', () => {
  assert.equal(
    redactUrl('/console/invitations/PlotQT5Mh7uRUTngWPZ2P0ZWadrm9SBA7M4-DnaAIU8/accept'),
    '/console/invitations/[redacted]/accept',
  );
  assert.equal(redactUrl('/console/invitations/abc?x=1'), '/console/invitations/[redacted]?x=1');
  assert.equal(
    redactUrl('/api/atlas/v2/groups/6b0483ab7b265ee925807a8e/invites'),
    '/api/atlas/v2/groups/6b0483ab7b265ee925807a8e/invites',
  );
  assert.deepEqual(
    requestSerializer({ method: 'POST', url: '/console/invitations/t0k3n/decline', hostname: 'h', ip: '::1' }),
    {
      method: 'POST',
      url: '/console/invitations/[redacted]/decline',
      hostname: 'h',
      remoteAddress: '::1',
    },
  );
});
