import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the server reads from outside, validated once and frozen. Passed down, never global. */
export interface Config {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly host: string;
  readonly port: number;
  /** 32-byte key that seals stored API private keys. */
  readonly secretKey: Uint8Array;
  /** Base of absolute links; default: the scheme and Host the client used. */
  readonly publicUrl?: string;
  readonly logLevel: string;
  readonly bodyLimit: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** `atlas`: Atlas's token buckets, enforced; `off`: no limits and no RateLimit headers. */
  readonly rateLimits: 'atlas' | 'off';
  /** Per-bucket capacity and refill overrides, e.g. `invitations-ip=100:100`. */
  readonly rateLimitOverrides: Readonly<Record<string, { capacity: number; refill: number }>>;
  /** Fastify's trustProxy: false, true, a hop count, or a list of proxy addresses/CIDRs. */
  readonly trustProxy: boolean | number | string;
  /** Serve `/_cloud-invites/…` (clock, mailbox, invitation answers) behind the control token. */
  readonly controlPlane: boolean;
  /** The control token; default: generated once and kept in the database (`init --json` prints it). */
  readonly controlToken?: string;
  /** `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer URL); unset: mail is only captured. */
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  /** Serve Prometheus metrics at `/_cloud-invites/metrics`. */
  readonly metrics: boolean;
  /** When set, a metrics scrape needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** How long SIGTERM/SIGINT waits for in-flight requests and mail before forcing the close. */
  readonly shutdownTimeoutMs: number;
  /** `--id-seed`: ids, keys, secrets, tokens and nonces from a deterministic stream, the control clock frozen (ADR 0011). */
  readonly idSeed?: string;
  /** `--fixtures`: a YAML or JSON file of declared orgs, projects, credentials, members and invitations. */
  readonly fixtures?: string;
}

export interface ConfigInput {
  data?: string;
  databaseUrl?: string;
  host?: string;
  port?: string | number;
  secretKey?: string;
  publicUrl?: string;
  logLevel?: string;
  tlsCert?: string;
  tlsKey?: string;
  rateLimits?: string;
  rateLimitOverrides?: string;
  trustProxy?: string;
  controlPlane?: boolean | string;
  controlToken?: string;
  smtpUrl?: string;
  mailFrom?: string;
  metrics?: boolean | string;
  metricsToken?: string;
  shutdownTimeout?: string | number;
  idSeed?: string;
  fixtures?: string;
}

/** Flag → environment variable. `--help` prints these. */
export const ENV = {
  data: 'CLOUD_INVITES_DATA',
  databaseUrl: 'CLOUD_INVITES_DATABASE_URL',
  host: 'CLOUD_INVITES_HOST',
  port: 'CLOUD_INVITES_PORT',
  secretKey: 'CLOUD_INVITES_SECRET_KEY',
  publicUrl: 'CLOUD_INVITES_PUBLIC_URL',
  logLevel: 'CLOUD_INVITES_LOG_LEVEL',
  tlsCert: 'CLOUD_INVITES_TLS_CERT',
  tlsKey: 'CLOUD_INVITES_TLS_KEY',
  rateLimits: 'CLOUD_INVITES_RATE_LIMITS',
  rateLimitOverrides: 'CLOUD_INVITES_RATE_LIMIT_OVERRIDES',
  trustProxy: 'CLOUD_INVITES_TRUST_PROXY',
  controlPlane: 'CLOUD_INVITES_CONTROL_PLANE',
  controlToken: 'CLOUD_INVITES_CONTROL_TOKEN',
  smtpUrl: 'CLOUD_INVITES_SMTP_URL',
  mailFrom: 'CLOUD_INVITES_MAIL_FROM',
  metrics: 'CLOUD_INVITES_METRICS',
  metricsToken: 'CLOUD_INVITES_METRICS_TOKEN',
  shutdownTimeout: 'CLOUD_INVITES_SHUTDOWN_TIMEOUT',
  idSeed: 'CLOUD_INVITES_ID_SEED',
  fixtures: 'CLOUD_INVITES_FIXTURES',
} as const;

export class ConfigError extends Error {}

export function decodeSecretKey(text: string): Uint8Array {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new ConfigError('The secret key must be 32 bytes, as 64 hex digits or base64');
  return key;
}

/**
 * The secret key comes from --secret-key / CLOUD_INVITES_SECRET_KEY, else from `secret.key` in the
 * data directory, made on first use. Several nodes on one PostgreSQL must share the same key.
 */
function loadSecretKey(explicit: string | undefined, dataDir: string): Uint8Array {
  if (explicit) return decodeSecretKey(explicit);
  if (dataDir === ':memory:') return randomBytes(32);
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return decodeSecretKey(readFileSync(file, 'utf8'));
}

function parseOverrides(text: string | undefined): Record<string, { capacity: number; refill: number }> {
  const out: Record<string, { capacity: number; refill: number }> = {};
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(\d+):(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) {
      throw new ConfigError(
        `Invalid rate-limit override "${part}": expected bucket=capacity:refill, e.g. invitations-ip=100:100`,
      );
    }
    out[m[1]] = { capacity: Number(m[2]), refill: Number(m[3]) };
  }
  return out;
}

function parseTrustProxy(text: string | undefined): boolean | number | string {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

const flag = (v: string | undefined) => ['true', '1', 'yes'].includes(String(v ?? 'false').toLowerCase());

export function loadConfig(flags: ConfigInput, env: Record<string, string | undefined> = {}): Config {
  const pick = (name: keyof typeof ENV) => {
    const v = flags[name] ?? env[ENV[name]];
    return v === undefined || v === '' ? undefined : String(v);
  };
  const dataRaw = pick('data') ?? './data';
  const dataDir = dataRaw === ':memory:' ? dataRaw : resolve(dataRaw);
  const port = Number(pick('port') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`Invalid port: ${pick('port')}`);
  const databaseUrl = pick('databaseUrl');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('--database-url must be a postgres:// or postgresql:// URL');
  }
  const tlsCert = pick('tlsCert');
  const tlsKey = pick('tlsKey');
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new ConfigError('--tls-cert and --tls-key go together');
  const smtpUrl = pick('smtpUrl');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('--smtp-url must be an smtp:// or smtps:// URL');
  const shutdownTimeout = Number(pick('shutdownTimeout') ?? 10);
  if (!(shutdownTimeout >= 0 && shutdownTimeout <= 3600))
    throw new ConfigError('--shutdown-timeout must be seconds from 0 to 3600');
  const rateLimits = pick('rateLimits') ?? 'atlas';
  if (rateLimits !== 'atlas' && rateLimits !== 'off') throw new ConfigError('--rate-limits must be atlas or off');
  return Object.freeze({
    dataDir,
    databaseUrl,
    host: pick('host') ?? '127.0.0.1',
    port,
    secretKey: loadSecretKey(pick('secretKey'), dataDir),
    publicUrl: pick('publicUrl'),
    logLevel: pick('logLevel') ?? 'info',
    bodyLimit: 1024 * 1024,
    tlsCert,
    tlsKey,
    rateLimits,
    rateLimitOverrides: Object.freeze(parseOverrides(pick('rateLimitOverrides'))),
    trustProxy: parseTrustProxy(pick('trustProxy')),
    controlPlane: ['true', '1', 'yes'].includes(String(pick('controlPlane') ?? 'false').toLowerCase()),
    metrics: flag(pick('metrics')),
    metricsToken: pick('metricsToken'),
    shutdownTimeoutMs: Math.round(shutdownTimeout * 1000),
    controlToken: pick('controlToken'),
    smtpUrl,
    mailFrom: pick('mailFrom') ?? 'MongoDB Cloud <cloud-manager-support@mongodb.com>',
    idSeed: pick('idSeed'),
    fixtures: pick('fixtures'),
  });
}
