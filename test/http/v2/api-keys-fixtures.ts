import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { apiKeyByPublicKey } from '../../../src/domain/api-keys/api-key-admin.service.ts';
import { type Credentials, type RequestOptions, type TestWorld, V2 } from '../../helpers/app.ts';
import { digestAuthorization } from '../../helpers/digest-signer.ts';
import { HOST } from '../expect.ts';

/** Shared by api-keys.test.ts and api-keys-access-list.test.ts: Atlas's shapes, written out literally. */

export const DIALECTS = ['sqlite', 'postgres'] as const;

export interface KeyFields {
  id: string;
  orgId: string;
  publicKey: string;
  desc: string;
  /** The whole private key (creation) or its redacted form. */
  privateKey: string;
  orgRoles?: string[];
  projectRoles?: Array<[string, string[]]>;
}

/** ApiKeyUserDetails as Atlas sends it (recorded shape: alphabetical keys, one self link under /orgs). */
export function keyBody(k: KeyFields) {
  return {
    desc: k.desc,
    id: k.id,
    links: [{ href: `${HOST}/api/atlas/v2/orgs/${k.orgId}/apiKeys/${k.id}`, rel: 'self' }],
    privateKey: k.privateKey,
    publicKey: k.publicKey,
    roles: [
      ...(k.orgRoles ?? []).map((roleName) => ({ orgId: k.orgId, roleName })),
      ...(k.projectRoles ?? []).flatMap(([groupId, roles]) => roles.map((roleName) => ({ groupId, roleName }))),
    ],
  };
}

/** `********-****-****-<last 12>` (api-facts §8.1). */
export const redacted = (privateKey: string) => `********-****-****-${privateKey.slice(-12)}`;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A test key with its id (the domain's lookup by public key). */
export async function keyWithId(
  w: TestWorld,
  orgRoles: string[],
  projectRoles: Record<string, string[]> = {},
  orgId?: string,
): Promise<Credentials & { id: string }> {
  const creds = await w.key(orgRoles, projectRoles, orgId);
  return { ...creds, id: (await apiKeyByPublicKey(w.deps.ctx, creds.publicKey)).id };
}

export async function idOfKey(w: TestWorld, publicKey: string): Promise<string> {
  return (await apiKeyByPublicKey(w.deps.ctx, publicKey)).id;
}

/** Like `digestClient`, from a chosen client address (light-my-request's `remoteAddress`). */
export function clientAt(app: FastifyInstance, creds: Credentials, remoteAddress: string) {
  let challenge: string | null = null;
  let nc = 0;
  return async function request(opts: RequestOptions): Promise<LightMyRequestResponse> {
    const method = opts.method ?? 'GET';
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { accept: V2, ...opts.headers };
    if (payload !== undefined) headers['content-type'] = V2;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (challenge) {
        nc += 1;
        headers.authorization = digestAuthorization({
          username: creds.publicKey,
          password: creds.privateKey,
          method,
          uri: opts.url,
          challenge,
          nc,
        });
      }
      const res = await app.inject({ method: method as 'GET', url: opts.url, headers, payload, remoteAddress });
      const www = res.headers['www-authenticate'];
      if (res.statusCode === 401 && typeof www === 'string' && !challenge) {
        challenge = www;
        continue;
      }
      return res;
    }
    throw new Error('digest negotiation did not converge');
  };
}

/** Atlas's 403 for a credential calling from outside its access list, byte for byte. */
export function notOnAccessList(ip: string): string {
  return `{"detail":"IP address ${ip} is not allowed to access this resource.","error":403,"errorCode":"IP_ADDRESS_NOT_ON_ACCESS_LIST","parameters":["${ip}"],"reason":"Forbidden"}`;
}
