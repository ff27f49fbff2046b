import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { RequestOptions, TestWorld } from '../../helpers/app.ts';
import { expectV2 } from '../expect.ts';

/** Service accounts are served in resource version 2024-08-05 only. */
export const SA_VERSION = '2024-08-05';
export const SA_ACCEPT = `application/vnd.atlas.${SA_VERSION}+json`;
export const SECRET_PATTERN = /^mdb_sa_sk_[A-Za-z0-9_]{40}$/;
export const CLIENT_ID_PATTERN = /^mdb_sa_id_[a-f0-9]{24}$/;
export const AT = '2026-08-10T03:04:53Z';

type Api = (opts: RequestOptions) => Promise<LightMyRequestResponse>;

/** A Digest client that asks for the service-account version. */
export function saApi(api: Api): Api {
  return (opts) => api({ ...opts, headers: { accept: SA_ACCEPT, ...opts.headers } });
}

const LIMITS = { org: '500', group: '1200' } as const;

/** A success: the 2024-08-05 content type, the whole body in Atlas's key order, the bucket's rate-limit headers. */
export function expectSA(res: LightMyRequestResponse, status: number, body: unknown, bucket: 'org' | 'group'): void {
  expectV2(res, status, body, { version: SA_VERSION });
  assert.equal(res.headers['ratelimit-limit'], LIMITS[bucket]);
  assert.match(String(res.headers['ratelimit-remaining']), /^\d+$/);
}

export function expectSANoContent(res: LightMyRequestResponse, bucket: 'org' | 'group'): void {
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  assert.equal(res.headers['content-type'], `application/vnd.atlas.${SA_VERSION}+json;charset=utf-8`);
  assert.equal(res.headers['x-error-code'], undefined);
  assert.equal(res.headers['ratelimit-limit'], LIMITS[bucket]);
}

export interface SecretFields {
  id: string;
  masked: string;
  expiresAt: string;
  createdAt?: string;
  lastUsedAt?: string;
  secret?: string;
}

export function secretBody(s: SecretFields) {
  return {
    createdAt: s.createdAt ?? AT,
    expiresAt: s.expiresAt,
    id: s.id,
    ...(s.lastUsedAt ? { lastUsedAt: s.lastUsedAt } : {}),
    maskedSecretValue: s.masked,
    ...(s.secret ? { secret: s.secret } : {}),
  };
}

export function accountBody(a: {
  clientId: string;
  name: string;
  description: string;
  roles: string[];
  secrets: SecretFields[];
}) {
  return {
    clientId: a.clientId,
    createdAt: AT,
    description: a.description,
    name: a.name,
    roles: a.roles,
    secrets: a.secrets.map(secretBody),
  };
}

export const masked = (secret: string) => `mdb_sa_sk_...${secret.slice(-4)}`;

export interface CreatedAccount {
  clientId: string;
  secretId: string;
  secret: string;
}

/** The client id, first secret id and the secret from a create answer (checked for form). */
export function createdOf(res: LightMyRequestResponse): CreatedAccount {
  assert.equal(res.statusCode, 201, res.body);
  const body = JSON.parse(res.body) as { clientId: string; secrets: Array<{ id: string; secret: string }> };
  assert.match(body.clientId, CLIENT_ID_PATTERN);
  assert.equal(body.secrets.length, 1);
  assert.match(body.secrets[0].id, /^[a-f0-9]{24}$/);
  assert.match(body.secrets[0].secret, SECRET_PATTERN);
  return { clientId: body.clientId, secretId: body.secrets[0].id, secret: body.secrets[0].secret };
}

export function page(url: string, results: unknown[], total = results.length) {
  return {
    links: [{ href: `http://localhost:80${url}?includeCount=true&pageNum=1&itemsPerPage=100`, rel: 'self' }],
    results,
    totalCount: total,
  };
}

/** The token request a curl user sends: form body, client id and secret as HTTP Basic. */
export function issueToken(
  w: TestWorld,
  clientId: string,
  secret: string,
  remoteAddress?: string,
): Promise<LightMyRequestResponse> {
  return w.app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    remoteAddress,
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    payload: 'grant_type=client_credentials',
  });
}

export function tokenOf(res: LightMyRequestResponse): string {
  assert.equal(res.statusCode, 200, res.body);
  const body = JSON.parse(res.body) as { access_token: string; expires_in: number; token_type: string };
  assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'token_type']);
  assert.equal(body.expires_in, 3600);
  assert.equal(body.token_type, 'Bearer');
  return body.access_token;
}

export function withBearer(
  w: TestWorld,
  token: string,
  opts: { method?: string; url: string; body?: unknown; accept?: string; remoteAddress?: string },
): Promise<LightMyRequestResponse> {
  const accept = opts.accept ?? 'application/vnd.atlas.2023-01-01+json';
  return w.app.inject({
    method: (opts.method ?? 'GET') as 'GET',
    url: opts.url,
    remoteAddress: opts.remoteAddress,
    headers: {
      authorization: `Bearer ${token}`,
      accept,
      ...(opts.body === undefined ? {} : { 'content-type': accept }),
    },
    payload: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}
