import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type AppOptions, buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createApiKey } from '../../src/domain/api-keys/api-key.service.ts';
import { initStore } from '../../src/domain/bootstrap.ts';
import { createOrg } from '../../src/domain/orgs/org.service.ts';
import { createProject } from '../../src/domain/projects/project.service.ts';
import type { OutgoingMail } from '../../src/domain/mail/mail.ts';
import { openMail } from '../../src/domain/mail/invitation-mail.ts';
import { listAllMail } from '../../src/storage/repositories/outbox.repository.ts';
import { type MovableClock, movableClock } from '../../src/lib/clock.ts';
import { freshPgSchema, TEST_DATABASE_URL } from './database.ts';
import { digestAuthorization } from './digest-signer.ts';

export const V2 = 'application/vnd.atlas.2023-01-01+json';
export const V2_CONTENT_TYPE = 'application/vnd.atlas.2023-01-01+json;charset=utf-8';
/** The instant the recorded Atlas invitation was created: tests start there. */
export const RECORDED_NOW = new Date('2026-08-10T03:04:53Z');

export interface Credentials {
  publicKey: string;
  privateKey: string;
}

export interface RequestOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send this raw text as the body instead of JSON-encoding `body`. */
  rawBody?: string;
}

/** An in-process client that answers the Digest challenge like a real one (nonce reuse, rising nc). */
export function digestClient(app: FastifyInstance, creds: Credentials) {
  let challenge: string | null = null;
  let nc = 0;
  return async function request(opts: RequestOptions): Promise<LightMyRequestResponse> {
    const method = opts.method ?? 'GET';
    const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: V2, ...opts.headers };
    if (payload !== undefined && !('content-type' in headers)) headers['content-type'] = V2;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (challenge) {
        nc += 1;
        headers.authorization = digestAuthorization({
          ...creds,
          username: creds.publicKey,
          password: creds.privateKey,
          method,
          uri: opts.url,
          challenge,
          nc,
        });
      }
      const res = await app.inject({ method: method as 'GET', url: opts.url, headers, payload });
      const www = res.headers['www-authenticate'];
      if (res.statusCode === 401 && typeof www === 'string' && (!challenge || www.includes('stale=true'))) {
        challenge = www;
        nc = 0;
        continue;
      }
      return res;
    }
    throw new Error('digest negotiation did not converge');
  };
}

export interface TestWorld {
  app: FastifyInstance;
  deps: Deps;
  clock: MovableClock;
  orgId: string;
  groupId: string;
  owner: Credentials;
  /** The control plane's bearer token (`Authorization: Bearer …` on `/_cloud-invites/…`). */
  controlToken: string;
  /** The Organization Owner service account `init` made (OAuth client credentials). */
  serviceAccount?: { clientId: string; clientSecret: string };
  /** Owner's Digest client. */
  api: ReturnType<typeof digestClient>;
  /** A new API key in the org (or another org) with the given roles. */
  key(orgRoles: string[], projectRoles?: Record<string, string[]>, orgId?: string): Promise<Credentials>;
  as(creds: Credentials): ReturnType<typeof digestClient>;
  newOrg(name: string): Promise<string>;
  newProject(orgId: string, name: string): Promise<string>;
  /** The PostgreSQL schema the world lives in (postgres worlds only). */
  pgSchema?: string;
  close(): Promise<void>;
}

/** A fresh store (in-memory SQLite, or its own PostgreSQL schema) with `init` already run. */
export interface WorldOptions {
  dialect?: 'sqlite' | 'postgres';
  /** `atlas` (default) or `off`. */
  rateLimits?: 'atlas' | 'off';
  /** Defaults lift the per-address invitation limit (10 a minute), which suites that invite a lot would hit. */
  rateLimitOverrides?: string;
  trustProxy?: string;
  /** Serve `/_cloud-invites/…`; the world's `controlToken` authorises it. */
  controlPlane?: boolean;
  /** Deliver mail over SMTP (`smtp://127.0.0.1:port`) instead of capturing it. */
  smtpUrl?: string;
  /** Serve Prometheus metrics (`--metrics`). */
  metrics?: boolean;
  /** The timer injected latency waits on. */
  ops?: AppOptions['ops'];
  /** `--public-url` (links in mail; an https one makes the console's cookies Secure). */
  publicUrl?: string;
}

export async function testWorld(opts: WorldOptions = {}): Promise<TestWorld> {
  const clock = movableClock(RECORDED_NOW);
  const pgSchema = opts.dialect === 'postgres' ? await freshPgSchema() : null;
  const config = loadConfig({
    data: ':memory:',
    databaseUrl: pgSchema ? TEST_DATABASE_URL : undefined,
    secretKey: '11'.repeat(32),
    rateLimits: opts.rateLimits,
    rateLimitOverrides: opts.rateLimitOverrides ?? 'invitations-ip=100000:100000',
    trustProxy: opts.trustProxy,
    controlPlane: opts.controlPlane,
    smtpUrl: opts.smtpUrl,
    metrics: opts.metrics,
    publicUrl: opts.publicUrl,
  });
  const deps = await createDeps(config, { clock, pgSchema: pgSchema?.schema });
  const init = await initStore(deps.ctx, { orgName: 'Atlas CLI E2E', projectName: 'invitations-e2e-233' });
  if (!init) throw new Error('fresh store was not empty');
  const app = buildApp(deps, { ops: opts.ops });
  await app.ready();
  const owner = { publicKey: init.publicKey, privateKey: init.privateKey };
  return {
    app,
    deps,
    clock,
    orgId: init.orgId,
    groupId: init.groupId,
    owner,
    controlToken: deps.controlToken,
    serviceAccount: { clientId: init.clientId, clientSecret: init.clientSecret },
    api: digestClient(app, owner),
    async key(orgRoles, projectRoles = {}, orgId = init.orgId) {
      const created = await createApiKey(deps.ctx, {
        orgId,
        description: 'test',
        orgRoles,
        projectAssignments: Object.entries(projectRoles).map(([projectId, roles]) => ({ projectId, roles })),
      });
      return { publicKey: created.apiKey.publicKey, privateKey: created.privateKey };
    },
    as: (creds) => digestClient(app, creds),
    newOrg: async (name) => (await createOrg(deps.ctx, name)).id,
    newProject: async (orgId, name) => (await createProject(deps.ctx, null, { orgId, name })).id,
    pgSchema: pgSchema?.schema,
    async close() {
      await app.close();
      await deps.close();
      await pgSchema?.drop();
    },
  };
}

/** Every message in the outbox, queued or sent, as its recipient reads it (link secrets opened while the store still holds them). */
export async function outboxMail(w: TestWorld): Promise<OutgoingMail[]> {
  return (await listAllMail(w.deps.ctx.db)).map((m) => openMail(m, w.deps.ctx.secrets));
}

export function json(res: LightMyRequestResponse): unknown {
  return JSON.parse(res.body);
}
