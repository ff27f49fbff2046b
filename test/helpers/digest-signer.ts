import { createHash, randomBytes } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * A minimal RFC 7616 client for in-process tests (end-to-end tests use curl and an npm client
 * instead, so our Digest is never checked only against itself).
 */
export function digestAuthorization(args: {
  username: string;
  password: string;
  method: string;
  uri: string;
  challenge: string;
  nc: number;
}): string {
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(args.challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = randomBytes(8).toString('hex');
  const nc = args.nc.toString(16).padStart(8, '0');
  const ha1 = md5(`${args.username}:${realm}:${args.password}`);
  const ha2 = md5(`${args.method}:${args.uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${args.username}", realm="${realm}", nonce="${nonce}", uri="${args.uri}", algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}
