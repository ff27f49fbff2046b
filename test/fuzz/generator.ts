import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { digestAuthorization } from '../helpers/digest-signer.ts';

/**
 * The HTTP fuzzer shared by the in-suite test (test/fuzz/http-fuzz.test.ts) and the long run
 * (scripts/fuzz-long.ts): a seeded generator of hostile requests over every registered route, the
 * transports (in-process inject, a real socket, raw bytes), a Digest session that answers the
 * challenge like a real client, and the checks every answer must pass.
 */

// ---------------------------------------------------------------------------------------------
// PRNG

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** sfc32 seeded from one 32-bit number (through splitmix32), so `FUZZ_SEED=n` replays a run. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

/** FUZZ_SEED (decimal or 0x-hex) or a fresh random seed. */
export function seedFromEnv(): number {
  const env = process.env.FUZZ_SEED;
  if (env !== undefined && env !== '') return Number(env) >>> 0;
  return randomBytes(4).readUInt32BE(0);
}

// ---------------------------------------------------------------------------------------------
// Routes

export interface RouteTemplate {
  method: string;
  /** Segments; a parameter is `{name}`. */
  path: string;
}

/**
 * Every route the app registers, read from `printRoutes({ commonPrefix: false })`: a tree where
 * each level indents by four characters, `:name` and `:name(regex)` are parameters and `::` is a
 * literal colon.
 */
export function routesOf(app: FastifyInstance): RouteTemplate[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: RouteTemplate[] = [];
  for (const line of text.split('\n')) {
    const m = /^([│ ├└─]*?)(\/\S*) \(([A-Z, ]+)\)$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const depth = Math.floor(m[1].length / 4);
    stack.length = depth;
    const segment = m[2]
      .replace(/::/g, '\u0001')
      .replace(/:([A-Za-z]+)(\([^)]*\))?/g, '{$1}')
      .replace(/\u0001/g, ':');
    stack.push(segment);
    const path = stack.join('');
    for (const method of m[3].split(',').map((s) => s.trim())) out.push({ method, path });
  }
  if (out.length < 20) throw new Error(`could not read the routes from printRoutes:\n${text}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Requests

export type AuthMode = 'owner' | 'none' | 'garbage' | 'control' | 'basic';

export interface FuzzRequest {
  method: string;
  /** Path and query as sent (already percent-encoded where needed). */
  url: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** A JavaScript expression that rebuilds the body (for reproducers). */
  bodyExpr?: string;
  auth: AuthMode;
  /** What the generator aimed at, e.g. `body:deep-array`, `path:hostile-id`. */
  classes: string[];
}

export interface RawRequest {
  bytes: Buffer;
  /** JavaScript expression rebuilding the bytes. */
  expr: string;
  classes: string[];
  /** Whether the server may legitimately close without answering (e.g. a body cut short). */
  mayNotAnswer: boolean;
}

/** Known ids to put into paths, so requests get past routing and into the handlers. */
export interface IdPools {
  orgId: string[];
  groupId: string[];
  invitationId: string[];
  apiUserId: string[];
  clientId: string[];
  secretId: string[];
  userId: string[];
  eventId: string[];
  endpointSetId: string[];
  ipAddress: string[];
  token: string[];
  /** Ids that must not be deleted or demoted (the fuzz would lock itself out). */
  protectedIds: Set<string>;
}

export interface GenContext {
  routes: RouteTemplate[];
  ids: IdPools;
  controlToken?: string;
  basic?: { clientId: string; clientSecret: string };
}

const V2 = 'application/vnd.atlas.2023-01-01+json';
const ACCEPTS = [
  V2,
  V2,
  V2,
  'application/vnd.atlas.2024-08-05+json',
  'application/vnd.atlas.2025-02-19+json',
  'application/vnd.atlas.2025-03-12+json',
  'application/json',
  '*/*',
  'application/vnd.atlas.preview+json',
  'application/vnd.atlas.0000-00-00+json',
  'application/vnd.atlas.9999-12-31+json',
  'application/vnd.atlas.2023-02-30+json',
  'application/vnd.atlas.2023-01-01+json;q=0',
  'application/vnd.atlas.2023-01-01+json, application/vnd.atlas.2025-02-19+json',
  'application/vnd.atlas.2023-01-01+xml',
  'text/html',
  '',
  'ü',
  'application/vnd.atlas.2023-01-01+json'.repeat(300),
];
const CONTENT_TYPES = [
  V2,
  V2,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/vnd.atlas.2025-02-19+json',
  'application/vnd.atlas.9999-99-99+json',
  'application/vnd.atlas.preview+json',
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json, text/plain',
  ';',
  '',
  'application/' + 'x'.repeat(4000),
];
const ROLES = [
  'GROUP_READ_ONLY',
  'GROUP_OWNER',
  'GROUP_DATA_ACCESS_ADMIN',
  'GROUP_CLUSTER_MANAGER',
  'GROUP_USER_ADMIN',
  'ORG_MEMBER',
  'ORG_OWNER',
  'ORG_READ_ONLY',
  'ORG_GROUP_CREATOR',
  'ORG_BILLING_ADMIN',
  'group_read_only',
  'GLOBAL_OWNER',
];
const KEYS = [
  'username',
  'roles',
  'orgRoles',
  'groupRoles',
  'groupRoleAssignments',
  'groupId',
  'orgId',
  'teamIds',
  'orgRole',
  'groupRole',
  'desc',
  'description',
  'name',
  'cidrBlock',
  'ipAddress',
  'tags',
  'withDefaultAlertsSettings',
  'secretExpiresAfterHours',
  'userId',
  'links',
  'id',
  'advanceSeconds',
  'set',
  'key',
  'value',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '',
  '\u0000',
  'a\u0000b',
  'ü',
  'k'.repeat(5000),
];
const HOSTILE_ID = [
  '%00',
  'a%00b',
  'a'.repeat(2000),
  'a'.repeat(2100),
  '0'.repeat(24),
  'f'.repeat(24),
  'F'.repeat(24),
  '6b047b3dd1ff30b43bc59c5',
  '6b047b3dd1ff30b43bc59c5cc',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  '%2f..%2f',
  '%',
  '%zz',
  '%c3%28',
  '%ff%fe',
  '%C3%BC',
  '%F0%9F%98%80',
  '%E2%80%AE',
  '-1',
  '%20',
  '+',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  '%3Cscript%3E',
  "'%20OR%201=1--",
  '*',
  ':addRole',
  'x:removeRole',
];
const QUERY_VALUES = [
  '-1',
  '0',
  '1',
  '500',
  '501',
  '1e9',
  '1e400',
  'NaN',
  'Infinity',
  'abc',
  '',
  '1.5',
  '9'.repeat(400),
  '%00',
  '0x10',
  '%20',
  'true',
  'false',
  'TRUE',
  '2023-01-01',
  '2023-01-01T00:00:00Z',
  '9999-99-99',
  'ü',
  '%ff',
  '%',
  'a'.repeat(5000),
];
const QUERY_KEYS = [
  'itemsPerPage',
  'pageNum',
  'includeCount',
  'pretty',
  'envelope',
  'username',
  'eventType',
  'minDate',
  'maxDate',
  'orgMembershipStatus',
  'emailAddress',
  'includeAll',
  'name',
  'orgId',
  '__proto__',
  'constructor',
  'unknownParam',
  '%00',
];
const STRINGS = [
  '',
  ' ',
  'a',
  'fuzz@example.com',
  'FUZZ@EXAMPLE.COM',
  'fuzz+tag@example.com',
  ' fuzz@example.com ',
  'a@b',
  '@example.com',
  'fuzz@',
  'fuzz@@example.com',
  `${'x'.repeat(300)}@example.com`,
  'fuzz\u0000@example.com',
  '\u0000',
  'ü@exämple.com',
  '😀@example.com',
  '\u202e@example.com',
  '\ud800',
  '\udfff@example.com',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE invitations; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '1e400',
  '0.0.0.0/0',
  '127.0.0.1',
  '10.0.0.0/8',
  '::1',
  '::/0',
  '999.999.999.999/99',
  '1.2.3.4/33',
  'fe80::1%lo0',
  '2023-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  'a'.repeat(256),
  'a'.repeat(10_000),
  'GROUP_READ_ONLY',
  'ORG_MEMBER',
  '__proto__',
];
const NUMBERS_TEXT = [
  '0',
  '-0',
  '-1',
  '1',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '1e308',
  '2147483648',
  '720',
  '8760',
  '6',
  '100000000000000000000000000000',
];

/** A JSON value tree that can say things JSON.stringify cannot: duplicate keys and raw tokens. */
type J = null | boolean | string | { raw: string } | { arr: J[] } | { obj: [string, J][] };

function ser(v: J): string {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if ('raw' in v) return v.raw;
  if ('arr' in v) return `[${v.arr.map(ser).join(',')}]`;
  return `{${v.obj.map(([k, x]) => `${JSON.stringify(k)}:${ser(x)}`).join(',')}}`;
}

const num = (n: string): J => ({ raw: n });
const strs = (...s: string[]): J => ({ arr: s });
const obj = (o: Record<string, J>): { obj: [string, J][] } => ({ obj: Object.entries(o) });

export interface BodyOut {
  bytes: Buffer;
  expr: string;
  cls: string;
  contentType?: string;
}

const exprOf = (text: string) =>
  text.length <= 3000 ? JSON.stringify(text) : `/* ${text.length} chars */ ${JSON.stringify(text.slice(0, 200))} + '…'`;
const fromText = (text: string, cls: string, expr?: string): BodyOut => ({
  bytes: Buffer.from(text),
  expr: expr ?? exprOf(text),
  cls,
});

export function makeGenerator(r: Rng, g: GenContext) {
  let serial = 0;
  const email = () => `fuzz${serial++}.${r.int(1e6)}@example.com`;

  function anyValue(depth: number): J {
    const k = r.int(depth > 2 ? 6 : 9);
    switch (k) {
      case 0:
        return null;
      case 1:
        return r.chance(0.5);
      case 2:
      case 3:
        return r.pick(STRINGS);
      case 4:
        return num(r.pick(NUMBERS_TEXT));
      case 5:
        return r.pick(ROLES);
      case 6:
        return { arr: Array.from({ length: r.int(4) }, () => anyValue(depth + 1)) };
      case 7:
        return randomObject(depth + 1);
      default:
        return { arr: [r.pick(ROLES), r.pick(STRINGS)] };
    }
  }

  function randomObject(depth: number): { obj: [string, J][] } {
    const n = r.int(5);
    const entries: [string, J][] = [];
    for (let i = 0; i < n; i++) entries.push([r.pick(KEYS), anyValue(depth)]);
    return { obj: entries };
  }

  /** Bodies the routes accept, to mutate from. */
  function template(): { obj: [string, J][] } {
    const group = r.pick(g.ids.groupId);
    switch (r.int(13)) {
      case 0:
        return obj({ username: email(), roles: strs(r.pick(ROLES)) });
      case 1:
        return obj({
          username: email(),
          roles: strs('ORG_MEMBER'),
          groupRoleAssignments: { arr: [obj({ groupId: group, roles: strs('GROUP_READ_ONLY') })] },
        });
      case 2:
        return obj({ roles: strs(r.pick(ROLES)) });
      case 3:
        return obj({
          username: email(),
          roles: obj({
            orgRoles: strs('ORG_MEMBER'),
            groupRoleAssignments: { arr: [obj({ groupId: group, groupRoles: strs('GROUP_READ_ONLY') })] },
          }),
        });
      case 4:
        return obj({ username: email(), roles: strs('GROUP_READ_ONLY') });
      case 5:
        return obj({ desc: `fuzz key ${serial++}`, roles: strs(r.pick(ROLES)) });
      case 6:
        return obj({ name: `fuzz-${serial++}`, orgId: r.pick(g.ids.orgId) });
      case 7:
        return obj({
          name: `fuzz-sa-${serial++}`,
          description: 'fuzz',
          roles: strs('ORG_MEMBER'),
          secretExpiresAfterHours: num('720'),
        });
      case 8:
        return obj({ orgRoles: strs(r.pick(ROLES)) });
      case 9:
        return obj({ groupRoles: strs(r.pick(ROLES)) });
      case 10:
        return obj({ orgRole: r.pick(ROLES) });
      case 11:
        return obj({ advanceSeconds: num(r.pick(['1', '60', '-1', '1e400', '2592001', '1e15'])) });
      default:
        return obj({ secretExpiresAfterHours: num(r.pick(NUMBERS_TEXT)) });
    }
  }

  function mutate(t: { obj: [string, J][] }): { obj: [string, J][] } {
    const entries = [...t.obj];
    const n = r.int(3);
    for (let i = 0; i < n; i++) {
      const op = r.int(5);
      if (op === 0 && entries.length) entries[r.int(entries.length)] = [entries[r.int(entries.length)][0], anyValue(1)];
      else if (op === 1 && entries.length) entries.splice(r.int(entries.length), 1);
      else if (op === 2) entries.push([r.pick(KEYS), anyValue(1)]);
      else if (op === 3 && entries.length)
        entries.push([entries[r.int(entries.length)][0], anyValue(1)]); // duplicate key
      else
        entries.push([
          r.pick(['__proto__', 'constructor']),
          obj({ admin: true, prototype: obj({ polluted: true }), roles: strs('ORG_OWNER') }),
        ]);
    }
    return { obj: entries };
  }

  const deep = (d: number, open: string, close: string, middle = '') => open.repeat(d) + middle + close.repeat(d);

  function body(): BodyOut {
    const k = r.int(20);
    switch (k) {
      case 0: {
        const d = r.pick([1000, 10_000, 100_000]);
        return {
          bytes: Buffer.from(deep(d, '[', ']')),
          expr: `'['.repeat(${d}) + ']'.repeat(${d})`,
          cls: `body:deep-array`,
        };
      }
      case 1: {
        const d = r.pick([1000, 10_000, 100_000]);
        return {
          bytes: Buffer.from(deep(d, '{"a":', '}', '1')),
          expr: `'{"a":'.repeat(${d}) + '1' + '}'.repeat(${d})`,
          cls: `body:deep-object`,
        };
      }
      case 2: {
        const d = r.pick([5000, 50_000, 100_000]);
        const text = `{"username":"deep@example.com","roles":${deep(d, '[', ']', '"GROUP_READ_ONLY"')}}`;
        return {
          bytes: Buffer.from(text),
          expr: `'{"username":"deep@example.com","roles":' + '['.repeat(${d}) + '"GROUP_READ_ONLY"' + ']'.repeat(${d}) + '}'`,
          cls: 'body:deep-in-field',
        };
      }
      case 3: {
        const n = r.pick([100_000, 900_000, 1_100_000, 3_000_000]);
        const text = `{"username":"${'a'.repeat(n)}@example.com","roles":["GROUP_READ_ONLY"]}`;
        return {
          bytes: Buffer.from(text),
          expr: `'{"username":"' + 'a'.repeat(${n}) + '@example.com","roles":["GROUP_READ_ONLY"]}'`,
          cls: 'body:huge-string',
        };
      }
      case 4: {
        // a raw NUL byte inside a JSON string (invalid JSON) or between tokens
        const text = r.pick([
          '{"username":"a\u0000b@example.com","roles":["GROUP_READ_ONLY"]}',
          '{"username":"a@example.com",\u0000"roles":[]}',
          '\u0000',
          '{"roles":["GROUP_READ_ONLY\u0000"]}',
        ]);
        return fromText(text, 'body:nul-raw');
      }
      case 5: {
        const text = r.pick([
          '{"username":"a\\u0000b@example.com","roles":["GROUP_READ_ONLY"]}',
          '{"username":"nul@example.com","roles":["GROUP_READ_ONLY\\u0000"]}',
          '{"\\u0000":1}',
          '{"desc":"\\u0000","roles":["ORG_MEMBER"]}',
          '{"name":"x\\u0000","orgId":"x"}',
          '{"orgRoles":["\\u0000"]}',
        ]);
        return fromText(text, 'body:nul-escaped');
      }
      case 6: {
        const bad = r.pick([
          [0xff, 0xfe],
          [0xc3, 0x28],
          [0xc0, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xf8, 0x88, 0x80, 0x80, 0x80],
          [0x80],
          [0xf0, 0x9f, 0x98],
        ]);
        const bytes = Buffer.concat([
          Buffer.from('{"username":"u'),
          Buffer.from(bad),
          Buffer.from('@example.com","roles":["GROUP_READ_ONLY"]}'),
        ]);
        return {
          bytes,
          expr: `Buffer.concat([Buffer.from('{"username":"u'), Buffer.from(${JSON.stringify(bad)}), Buffer.from('@example.com","roles":["GROUP_READ_ONLY"]}')])`,
          cls: 'body:invalid-utf8',
        };
      }
      case 7: {
        const text = r.pick([
          '{',
          '}',
          '[',
          '{"username":',
          '{"username":"x",}',
          '{"username":"x" "roles":[]}',
          "{'username':'x'}",
          '{"a":NaN}',
          '{"a":Infinity}',
          '{"a":undefined}',
          '{"a":01}',
          '{"a":0x10}',
          '{"a":.5}',
          '{"a":1.}',
          '// c\n{}',
          '{} {}',
          '{}garbage',
          '\ufeff{"roles":["GROUP_READ_ONLY"]}',
          'null',
          'true',
          '0',
          '"string"',
          '[]',
          '[{}]',
          '  ',
          '\t\r\n',
          '{"a":"\\x41"}',
          '{"a":"\\ud800"}',
          '{"a":"\\uZZZZ"}',
          '{"a":"line\nbreak"}',
        ]);
        return fromText(text, 'body:malformed-json');
      }
      case 8: {
        const text = r.pick([
          '{"username":"dup@example.com","username":"dup2@example.com","roles":["GROUP_READ_ONLY"]}',
          '{"roles":["GROUP_READ_ONLY"],"roles":"GROUP_OWNER","username":"dup3@example.com"}',
          '{"roles":["GROUP_READ_ONLY"],"roles":null,"username":"dup4@example.com"}',
          '{"desc":"d","desc":["x"],"roles":["ORG_MEMBER"]}',
        ]);
        return fromText(text, 'body:duplicate-keys');
      }
      case 9: {
        const text = r.pick([
          '{"secretExpiresAfterHours":1e400}',
          '{"advanceSeconds":1e400}',
          '{"advanceSeconds":-1e400}',
          '{"advanceSeconds":1e20}',
          '{"set":"+275760-09-13T00:00:00Z"}',
          '{"set":"0000-01-01T00:00:00Z"}',
          '{"name":"n","orgId":"x","withDefaultAlertsSettings":1e400}',
          '{"username":"n@example.com","roles":["GROUP_READ_ONLY"],"teamIds":[1e400]}',
          '{"itemsPerPage":1e400}',
          '[1e400]',
          '1e400',
          '-0',
        ]);
        return fromText(text, 'body:big-numbers');
      }
      case 10: {
        const text = r.pick([
          '{"__proto__":{"admin":true,"roles":["ORG_OWNER"]},"username":"proto@example.com","roles":["GROUP_READ_ONLY"]}',
          '{"constructor":{"prototype":{"polluted":true}},"roles":["GROUP_READ_ONLY"]}',
          '{"__proto__":null}',
          '{"__proto__":[]}',
          '{"roles":{"__proto__":["ORG_OWNER"]},"username":"p2@example.com"}',
          '{"hasOwnProperty":1,"toString":2,"valueOf":3}',
          '[{"__proto__":{"x":1}}]',
        ]);
        return fromText(text, 'body:prototype-keys');
      }
      case 11: {
        const n = r.pick([1000, 100_000]);
        const text = `[${Array.from({ length: n }, () => '{"ipAddress":"1.2.3.4"}').join(',')}]`;
        return {
          bytes: Buffer.from(text),
          expr: `'[' + Array(${n}).fill('{"ipAddress":"1.2.3.4"}').join(',') + ']'`,
          cls: 'body:wide-array',
        };
      }
      case 12: {
        const n = r.pick([1000, 50_000]);
        const text = `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(',')}}`;
        return {
          bytes: Buffer.from(text),
          expr: `'{' + Array.from({length:${n}}, (_, i) => '"k' + i + '":1').join(',') + '}'`,
          cls: 'body:wide-object',
        };
      }
      case 13: {
        const text = r.pick([
          'grant_type=client_credentials',
          'token=abc&token_type_hint=access_token',
          'a=%00',
          'grant_type=password&username=x',
          '%zz',
          `token=${'a'.repeat(5000)}`,
          '<x/>',
        ]);
        return { ...fromText(text, 'body:form'), contentType: 'application/x-www-form-urlencoded' };
      }
      case 14:
      case 15:
      case 16:
        return fromText(ser(template()), 'body:valid-template');
      case 17:
      case 18:
        return fromText(ser(mutate(template())), 'body:mutated-template');
      default:
        return fromText(ser(r.chance(0.8) ? randomObject(0) : anyValue(0)), 'body:random-json');
    }
  }

  function fillParam(name: string, method: string, cls: Set<string>, last: boolean): string {
    const pool = (g.ids as unknown as Record<string, string[] | undefined>)[name];
    if (pool && pool.length && r.chance(0.75)) {
      // the main org and project are never deleted, or the rest of the run would only see 404s
      const safe = method === 'DELETE' && last ? pool.filter((id) => !g.ids.protectedIds.has(id)) : pool;
      if (safe.length) return encodeURIComponent(r.pick(safe));
    }
    if (pool && pool.length && r.chance(0.2)) {
      // another entity's id of the right shape
      const others = Object.values(g.ids).filter(Array.isArray).flat() as string[];
      cls.add('path:foreign-id');
      return encodeURIComponent(r.pick(others));
    }
    cls.add('path:hostile-id');
    return r.pick(HOSTILE_ID);
  }

  function query(cls: Set<string>): string {
    if (r.chance(0.5)) return '';
    cls.add('query:hostile');
    const n = 1 + r.int(4);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = r.pick(QUERY_KEYS);
      const value = r.pick(QUERY_VALUES);
      parts.push(`${key}=${value.includes('%') ? value : encodeURIComponent(value)}`);
      if (r.chance(0.2)) parts.push(`${key}=${encodeURIComponent(r.pick(QUERY_VALUES))}`); // repeated
    }
    if (r.chance(0.1)) parts.push(`x=${'y'.repeat(8000)}`);
    return `?${parts.join('&')}`;
  }

  function mangle(path: string, cls: Set<string>): string {
    if (!r.chance(0.15)) return path;
    cls.add('path:mangled');
    switch (r.int(9)) {
      case 0:
        return `${path}/`;
      case 1:
        return path.replace('/api/', '//api//');
      case 2:
        return `${path}/..`;
      case 3:
        return path.replace('/v2/', '/v2/../v2/');
      case 4:
        return `${path}%00`;
      case 5:
        return path.toUpperCase();
      case 6:
        return `${path}/%2e%2e/%2e%2e`;
      case 7:
        return path.replace(/\/([^/]+)$/, '/%C3%BC$1');
      default:
        return `${path};jsessionid=1`;
    }
  }

  function headers(req: FuzzRequest, cls: Set<string>, bodyOut?: BodyOut): void {
    const h = req.headers;
    const accept = r.chance(0.75) ? V2 : r.pick(ACCEPTS);
    if (accept !== V2) cls.add('header:accept');
    if (accept !== '' || r.chance(0.5)) h.accept = accept;
    // Routes that need another resource version get it most of the time.
    if (accept === V2 && /serviceAccounts/.test(req.url) && r.chance(0.7))
      h.accept = 'application/vnd.atlas.2024-08-05+json';
    if (accept === V2 && /\/users/.test(req.url) && r.chance(0.7)) h.accept = 'application/vnd.atlas.2025-02-19+json';
    if (accept === V2 && /\/rateLimits/.test(req.url) && r.chance(0.7))
      h.accept = 'application/vnd.atlas.2025-03-12+json';
    if (bodyOut) {
      if (bodyOut.contentType) h['content-type'] = bodyOut.contentType;
      else if (r.chance(0.8)) h['content-type'] = String(h.accept ?? V2);
      else {
        cls.add('header:content-type');
        const ct = r.pick(CONTENT_TYPES);
        if (ct !== '' || r.chance(0.5)) h['content-type'] = ct;
      }
    }
    if (r.chance(0.1)) {
      cls.add('header:repeated');
      const name = r.pick(['accept', 'content-type', 'x-forwarded-for', 'authorization']);
      if (name === 'authorization') req.auth = 'garbage';
      const v = h[name] ?? V2;
      h[name] = [String(v), r.pick([V2, 'application/json', 'text/plain', '1.2.3.4', 'x'])];
    }
    if (r.chance(0.05)) {
      cls.add('header:misc');
      const name = r.pick([
        'x-forwarded-for',
        'cookie',
        'user-agent',
        'x-http-method-override',
        'origin',
        'range',
        'if-none-match',
        'expect',
      ]);
      h[name] = r.pick([
        '127.0.0.1',
        '1.2.3.4, 5.6.7.8',
        'DELETE',
        'a'.repeat(8000),
        'bytes=0-1',
        '*',
        '100-continue',
        'ü'.normalize('NFD'),
      ]);
    }
  }

  function garbageAuthorization(): string {
    const nonce = randomNonce();
    return r.pick([
      `Digest ${'a'.repeat(8000)}`,
      'Digest',
      'Digest ',
      'Digest username="',
      'Digest username="x", realm="MMS Public API", nonce="',
      `Digest username="${'u'.repeat(4000)}", realm="MMS Public API", nonce="${nonce}", uri="/", response="${'0'.repeat(32)}", qop=auth, nc=00000001, cnonce="x"`,
      `Digest username="nobody", realm="MMS Public API", nonce="${nonce}", uri="/api/atlas/v2", algorithm=MD5, response="${'0'.repeat(32)}", qop=auth, nc=00000001, cnonce="abc"`,
      `Digest username="x", username="y", realm="MMS Public API", nonce="${nonce}", nonce="${nonce}", uri="/", response="zz", qop=auth, nc=zzzzzzzz, cnonce="c"`,
      `Digest username="x", realm="MMS Public API", nonce="${nonce}", uri="/", response="${'0'.repeat(32)}", qop=auth, nc=ffffffffffffffffffff, cnonce="c"`,
      `Digest username="x", realm="MMS Public API", nonce="${nonce}", uri="/", response="${'0'.repeat(32)}", qop=auth-int, algorithm=SHA-256, nc=00000001, cnonce="c"`,
      `Digest username="x\\"y", realm="MMS \\"Public API", nonce="${nonce}", uri="/", response="0", qop="auth", nc=1, cnonce=""`,
      'Digest username=x,realm=,nonce=,uri=,response=',
      'Digest ,,,,,,,,=,=,=',
      `Digest nonce="${'A'.repeat(32)}"`,
      `Digest nonce="${'/'.repeat(32)}", username="x", uri="/", response="${'0'.repeat(32)}", qop=auth, nc=00000001, cnonce="c", realm="MMS Public API"`,
      'digest username="x"',
      'DIGEST username="x"',
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('x:y').toString('base64')}`,
      `Basic ${Buffer.from(':'.repeat(3000)).toString('base64')}`,
      'Bearer',
      'Bearer ',
      'Bearer x',
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA',
      'Bearer a.b.c.d',
      'Negotiate abc',
      'x'.repeat(12_000),
    ]);
  }

  function randomNonce(): string {
    const bytes = Buffer.alloc(24);
    for (let i = 0; i < 24; i++) bytes[i] = r.int(256);
    return bytes.toString('base64');
  }

  function next(): FuzzRequest {
    const route = r.pick(g.routes);
    const cls = new Set<string>();
    let method = route.method;
    if (r.chance(0.05)) {
      method = r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND']);
      cls.add('method:other');
    }
    const params = route.path.match(/\{[A-Za-z]+\}/g)?.length ?? 0;
    let seen = 0;
    let path = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) =>
      fillParam(name, method, cls, ++seen === params),
    );
    path = mangle(path, cls);
    const url = path + query(cls);
    const req: FuzzRequest = { method, url, headers: {}, auth: 'owner', classes: [] };
    const a = r.next();
    if (url.startsWith('/_cloud-invites') && g.controlToken)
      req.auth = a < 0.6 ? 'control' : a < 0.8 ? 'none' : 'garbage';
    else if (url.startsWith('/api/oauth/') && g.basic) req.auth = a < 0.6 ? 'basic' : a < 0.8 ? 'none' : 'garbage';
    else req.auth = a < 0.7 ? 'owner' : a < 0.82 ? 'none' : 'garbage';
    const wantsBody = method === 'POST' || method === 'PATCH' || method === 'PUT' ? r.chance(0.95) : r.chance(0.05);
    let bodyOut: BodyOut | undefined;
    if (wantsBody) {
      bodyOut = body();
      req.body = bodyOut.bytes;
      req.bodyExpr = bodyOut.expr;
      cls.add(bodyOut.cls);
    }
    headers(req, cls, bodyOut);
    if (req.auth === 'garbage') {
      cls.add('auth:garbage');
      req.headers.authorization = garbageAuthorization();
    } else if (req.auth === 'control' && g.controlToken) {
      req.headers.authorization = r.chance(0.9) ? `Bearer ${g.controlToken}` : `Bearer ${g.controlToken}x`;
    } else if (req.auth === 'basic' && g.basic) {
      req.headers.authorization = r.chance(0.8)
        ? `Basic ${Buffer.from(`${g.basic.clientId}:${g.basic.clientSecret}`).toString('base64')}`
        : garbageAuthorization();
    } else if (req.auth === 'none') cls.add('auth:none');
    if (cls.size === 0) cls.add('plain');
    req.classes = [...cls].sort();
    return req;
  }

  /** Bytes no well-behaved client library would send: for a real socket only. */
  function raw(): RawRequest {
    const group = r.pick(g.ids.groupId);
    const base = `/api/atlas/v2/groups/${group}/invites`;
    const ok = `Host: 127.0.0.1\r\nAccept: ${V2}\r\nConnection: close\r\n`;
    const json = '{"username":"raw@example.com","roles":["GROUP_READ_ONLY"]}';
    const cases: [string, Buffer, string, boolean][] = [
      [
        'raw:utf8-request-line',
        Buffer.concat([
          Buffer.from(`GET ${base}?username=jos`),
          Buffer.from([0xc3, 0xa9]),
          Buffer.from(` HTTP/1.1\r\n${ok}\r\n`),
        ]),
        'utf-8 byte in target',
        false,
      ],
      [
        'raw:invalid-utf8-target',
        Buffer.concat([
          Buffer.from(`GET /api/atlas/v2/groups/`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(` HTTP/1.1\r\n${ok}\r\n`),
        ]),
        '0xff in target',
        false,
      ],
      ['raw:nul-target', Buffer.from(`GET ${base}\u0000 HTTP/1.1\r\n${ok}\r\n`), 'NUL in target', false],
      ['raw:nul-header', Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}X-A: a\u0000b\r\n\r\n`), 'NUL in header', false],
      ['raw:bare-lf', Buffer.from(`GET ${base} HTTP/1.1\n${ok.replace(/\r\n/g, '\n')}\n`), 'bare LF', false],
      [
        'raw:header-no-colon',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}NoColonHere\r\n\r\n`),
        'header without colon',
        false,
      ],
      [
        'raw:header-space-before-colon',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}Accept : x\r\n\r\n`),
        'space before colon',
        false,
      ],
      [
        'raw:obs-fold',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}X-A: a\r\n b\r\n\r\n`),
        'obsolete line folding',
        false,
      ],
      [
        'raw:huge-header',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}Authorization: Digest ${'a'.repeat(20_000)}\r\n\r\n`),
        '20 kB header',
        false,
      ],
      [
        'raw:many-headers',
        Buffer.from(
          `GET ${base} HTTP/1.1\r\n${ok}${Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}\r\n`,
        ),
        '300 headers',
        false,
      ],
      [
        'raw:repeated-accept',
        Buffer.from(
          `GET ${base} HTTP/1.1\r\nHost: x\r\nAccept: ${V2}\r\nAccept: text/plain\r\nAccept: ${V2}\r\nConnection: close\r\n\r\n`,
        ),
        'three Accept headers',
        false,
      ],
      [
        'raw:repeated-authorization',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}Authorization: Digest a="b"\r\nAuthorization: Bearer x\r\n\r\n`),
        'two Authorization headers',
        false,
      ],
      [
        'raw:repeated-content-type',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
        ),
        'two Content-Type',
        false,
      ],
      [
        'raw:double-content-length',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Length: ${json.length}\r\nContent-Length: 5\r\n\r\n${json}`,
        ),
        'two Content-Length',
        false,
      ],
      [
        'raw:cl-and-te',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        ),
        'CL and TE',
        false,
      ],
      [
        'raw:bad-chunk',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        ),
        'bad chunk size',
        false,
      ],
      [
        'raw:chunk-overflow',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n`,
        ),
        'chunk size overflow',
        false,
      ],
      [
        'raw:te-unknown',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
        ),
        'unknown transfer coding',
        false,
      ],
      [
        'raw:negative-cl',
        Buffer.from(`POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n`),
        'negative Content-Length',
        false,
      ],
      [
        'raw:short-body',
        Buffer.from(
          `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`,
        ),
        'body cut short',
        true,
      ],
      ['raw:lowercase-method', Buffer.from(`get ${base} HTTP/1.1\r\n${ok}\r\n`), 'lowercase method', false],
      ['raw:garbage-method', Buffer.from(`G\u0001T ${base} HTTP/1.1\r\n${ok}\r\n`), 'control char in method', false],
      ['raw:http10', Buffer.from(`GET ${base} HTTP/1.0\r\nAccept: ${V2}\r\n\r\n`), 'HTTP/1.0 without Host', false],
      ['raw:http2-line', Buffer.from(`GET ${base} HTTP/2.0\r\n${ok}\r\n`), 'HTTP/2.0 version', false],
      ['raw:http9', Buffer.from(`GET ${base} HTTP/9.9\r\n${ok}\r\n`), 'HTTP/9.9 version', false],
      [
        'raw:absolute-form',
        Buffer.from(`GET http://evil.example${base} HTTP/1.1\r\n${ok}\r\n`),
        'absolute-form target',
        false,
      ],
      ['raw:asterisk', Buffer.from(`OPTIONS * HTTP/1.1\r\n${ok}\r\n`), 'asterisk-form', false],
      [
        'raw:repeated-host',
        Buffer.from(`GET ${base} HTTP/1.1\r\nHost: a\r\nHost: b\r\nAccept: ${V2}\r\nConnection: close\r\n\r\n`),
        'two Host headers',
        false,
      ],
      [
        'raw:expect',
        Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}Expect: something-else\r\n\r\n`),
        'unknown Expect',
        false,
      ],
      [
        'raw:head-overflow',
        Buffer.from(`HEAD ${base}?x=${'y'.repeat(17_000)} HTTP/1.1\r\n${ok}\r\n`),
        'HEAD past the header limit',
        false,
      ],
      [
        'raw:no-host',
        Buffer.from(`GET ${base} HTTP/1.1\r\nAccept: ${V2}\r\nConnection: close\r\n\r\n`),
        'no Host',
        false,
      ],
      ['raw:crlf-in-value', Buffer.from(`GET ${base} HTTP/1.1\r\n${ok}X-A: a\rb\r\n\r\n`), 'CR in header value', false],
      ['raw:preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), 'HTTP/2 preface on HTTP/1', false],
      [
        'raw:tls-hello',
        Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]),
        'TLS hello on HTTP',
        false,
      ],
      ['raw:empty-line', Buffer.from('\r\n\r\n\r\n'), 'empty lines only', true],
      [
        'raw:invalid-utf8-body',
        Buffer.concat([
          Buffer.from(
            `POST ${base} HTTP/1.1\r\n${ok}Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{"a":"`,
          ),
          Buffer.from([0xff]),
          Buffer.from('}'),
        ]),
        'invalid UTF-8 body',
        false,
      ],
      [
        'raw:long-target',
        Buffer.from(`GET ${base}?${'a'.repeat(70_000)} HTTP/1.1\r\n${ok}\r\n`),
        '70 kB target',
        false,
      ],
    ];
    const [cls, bytes, what, mayNotAnswer] = r.pick(cases);
    return {
      bytes,
      expr: `/* ${what} */ Buffer.from(${JSON.stringify(bytes.toString('latin1').slice(0, 400))}, 'latin1')`,
      classes: [cls],
      mayNotAnswer,
    };
  }

  return { next, raw };
}

// ---------------------------------------------------------------------------------------------
// Transports and the Digest session

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Send = (
  method: string,
  url: string,
  headers: Record<string, string | string[]>,
  body?: Buffer,
) => Promise<Answer>;

export function injectTransport(app: FastifyInstance): Send {
  return async (method, url, headers, body) => {
    const res = await app.inject({ method: method as 'GET', url, headers, payload: body });
    return { status: res.statusCode, headers: res.headers as Answer['headers'], body: res.rawPayload };
  };
}

/** A real HTTP/1.1 client on a keep-alive agent. */
export function httpTransport(baseUrl: string): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const u = new URL(baseUrl);
  const send: Send = (method, url, headers, body) =>
    new Promise((resolve, reject) => {
      // Node's client sends a GET/HEAD/DELETE body unframed (no Content-Length, not chunked), which
      // glues it to the next request on the connection: frame it, as real clients do.
      const framed =
        body && !Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h))
          ? { ...headers, 'content-length': String(body.length) }
          : headers;
      const req = http.request(
        { host: u.hostname, port: u.port, method, path: url, headers: framed, agent, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export interface RawAnswer {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  text: string;
}

/** Writes bytes on a fresh connection and reads the first answer (or none, if the server closes). */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 3000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // Half-close after writing: the server answers what it read, then closes, so nothing waits on a timeout.
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (!text.startsWith('HTTP/') || end < 0) return resolve({ status: null, headers: {}, body: '', text });
      const [line, ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let body = text.slice(end + 4);
      const len = Number(headers['content-length']);
      if (Number.isFinite(len)) body = body.slice(0, len);
      else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
      resolve({
        status: Number(line.split(' ')[1]),
        headers,
        body: Buffer.from(body, 'latin1').toString('utf8'),
        text,
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // one answer is enough: stop once a full Content-Length body is in
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end + 2));
      if (end >= 0 && m && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(m[1])) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code === 'EPIPE' ? finish() : reject(e),
    );
  });
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** Answers the Digest challenge like a real client: one nonce reused with a rising nc, renewed when stale. */
export function digestSession(send: Send, creds: { publicKey: string; privateKey: string }) {
  let challenge: string | null = null;
  let nc = 0;
  return async (
    method: string,
    url: string,
    headers: Record<string, string | string[]>,
    body?: Buffer,
    seen?: (a: Answer) => void,
  ): Promise<Answer> => {
    let last: Answer | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const h = { ...headers };
      if (challenge) {
        nc += 1;
        h.authorization = digestAuthorization({
          username: creds.publicKey,
          password: creds.privateKey,
          method,
          uri: url,
          challenge,
          nc,
        });
      }
      last = await send(method, url, h, body);
      seen?.(last);
      const www = last.headers['www-authenticate'];
      if (
        last.status === 401 &&
        typeof www === 'string' &&
        www.startsWith('Digest') &&
        (!challenge || www.includes('stale=true'))
      ) {
        challenge = www;
        nc = 0;
        continue;
      }
      return last;
    }
    return last as Answer;
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

/** The Digest challenge's body, byte for byte as Atlas sends it (it has no `parameters`). */
export const CHALLENGE_BODY =
  '{\n  "error" : 401,\n  "reason" : "Unauthorized",\n  "detail" : "You are not authorized for this resource.",\n  "errorCode" : "UNEXPECTED_ERROR"\n}';

/** What is wrong with an answer, or null. */
export function checkAnswer(
  method: string,
  url: string,
  status: number | null,
  contentType: string | undefined,
  body: string,
): string | null {
  if (status === null) return 'no HTTP answer';
  if (status >= 500) return `status ${status}`;
  if (status < 400) return null;
  if (method === 'HEAD') return null;
  if (status === 401 && body === CHALLENGE_BODY) return null;
  // the router ignores doubled slashes, so `//api//oauth/token` is the token endpoint
  const path = url.split('?')[0].replace(/\/{2,}/g, '/');
  // the web console (an encapsulated plugin) answers people with HTML pages, /console included
  if ((path === '/console' || path.startsWith('/console/')) && (contentType ?? '').startsWith('text/html')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `${status} body is not JSON: ${JSON.stringify(body.slice(0, 200))}`;
  }
  const o = parsed as Record<string, unknown>;
  if (path.startsWith('/api/oauth/') && o && typeof o.error === 'string') {
    const keys = Object.keys(o).sort().join(',');
    if (keys === 'error,error_description' || keys === 'error') return null;
    return `${status} OAuth body has keys ${keys}`;
  }
  // envelope=true wraps every body as {content, status}
  if (
    o &&
    typeof o === 'object' &&
    Object.keys(o).sort().join(',') === 'content,status' &&
    /[?&]envelope=/i.test(url)
  ) {
    if (o.status !== status) return `${status} envelope says status ${String(o.status)}`;
    return checkAnswer(method, path, status, contentType, JSON.stringify(o.content));
  }
  const keys = o && typeof o === 'object' ? Object.keys(o).sort().join(',') : typeof o;
  if (keys !== 'detail,error,errorCode,parameters,reason')
    return `${status} body is not an Atlas error (keys ${keys}): ${body.slice(0, 200)}`;
  if (o.error !== status) return `${status} body says error ${String(o.error)}`;
  if (
    typeof o.detail !== 'string' ||
    typeof o.errorCode !== 'string' ||
    typeof o.reason !== 'string' ||
    !Array.isArray(o.parameters)
  ) {
    return `${status} Atlas error with wrong field types: ${body.slice(0, 200)}`;
  }
  return null;
}

/** What is wrong with the answer to raw bytes, or null. */
export function checkRaw(raw: RawRequest, a: RawAnswer): string | null {
  if (a.status === null && raw.mayNotAnswer) return null;
  const line = /^(\S+) (\S+)/.exec(raw.bytes.toString('latin1'));
  if (line?.[1] === 'HEAD' && a.body.length > 0)
    return `${a.status} answer to HEAD carries a ${a.body.length}-byte body (clients read it as the next response)`;
  return checkAnswer(
    line?.[1] === 'HEAD' ? 'HEAD' : 'GET',
    line?.[2] ?? '/',
    a.status,
    a.headers['content-type'],
    a.body,
  );
}

// ---------------------------------------------------------------------------------------------
// Running and reporting

export interface Finding {
  index: number;
  classes: string[];
  problem: string;
  reproducer: string;
}

/** The kind of a problem: `5xx`, `non-Atlas 4xx body`, `state changed`, … */
function kindOf(problem: string): string {
  if (/^status 5\d\d/.test(problem)) return '5xx';
  if (problem.startsWith('refused')) return 'refused request changed state';
  if (problem.startsWith('no HTTP answer')) return 'no answer';
  if (problem.includes('HPE_')) return 'answer an HTTP client cannot parse';
  if (problem.startsWith('request threw')) return 'request failed';
  if (problem.includes('answer to HEAD')) return 'HEAD answered with a body';
  if (/^4\d\d /.test(problem)) return 'non-Atlas 4xx body';
  return problem.slice(0, 40);
}

/** Groups findings by problem kind and generator class, with the shortest reproducer of each. */
export function summarize(findings: Finding[], seed: number): string {
  const byClass = new Map<string, { n: number; best: Finding }>();
  for (const f of findings) {
    const kind = kindOf(f.problem);
    const raw = f.classes.filter((c) => c.startsWith('raw:')).join(',');
    const primary =
      kind === 'answer an HTTP client cannot parse'
        ? `${f.reproducer.split(' ')[0]} requests`
        : kind === 'non-Atlas 4xx body'
          ? `${f.problem.slice(0, 3)}${raw ? ` ${raw}` : ''}`
          : raw || f.classes.filter((c) => c.startsWith('body:')).join(',') || f.classes.join(',');
    const key = `${kind} | ${primary}`;
    const e = byClass.get(key);
    if (!e) byClass.set(key, { n: 1, best: f });
    else {
      e.n++;
      if (f.reproducer.length < e.best.reproducer.length) e.best = f;
    }
  }
  const lines = [
    `${findings.length} finding(s) in ${byClass.size} class(es), seed ${seed} (FUZZ_SEED=${seed} replays the run):`,
  ];
  for (const [key, { n, best }] of [...byClass].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(
      `- ${key}: ${n}x (e.g. request #${best.index})\n    ${best.problem.slice(0, 300)}\n    reproducer: ${best.reproducer}`,
    );
  }
  return lines.join('\n');
}

const short = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** A reproducer: the request as a fetch-like call, with the body as an expression. */
export function describe(req: FuzzRequest): string {
  const h = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => short(x, 120)) : short(v, 200)]),
  );
  return `${req.method} ${short(req.url, 300)} auth=${req.auth} headers=${JSON.stringify(h)}${req.bodyExpr ? ` body=${req.bodyExpr}` : ''}`;
}
