import { type Command, Option } from 'commander';
import { buildApp, tlsOptions } from '../../app.ts';
import { ENV, loadConfig } from '../../config/config.ts';
import { createDeps } from '../../deps.ts';
import { DEFAULT_CONSOLE_EMAIL, initStore } from '../../domain/bootstrap.ts';
import { applyFixtures } from '../../domain/fixtures/apply-fixtures.ts';
import { describeChanges, loadFixtureFile } from './fixtures.ts';
import { requestSerializer } from '../../http/log-redaction.ts';
import { storeOptions } from '../options.ts';
import { gracefulShutdown } from '../shutdown.ts';
import type { StoreFlags } from '../with-deps.ts';

interface ServeFlags extends StoreFlags {
  controlPlane?: boolean;
  controlToken?: string;
  smtpUrl?: string;
  mailFrom?: string;
  rateLimits?: string;
  rateLimitOverrides?: string;
  trustProxy?: string;
  port?: string;
  host?: string;
  publicUrl?: string;
  logLevel?: string;
  tlsCert?: string;
  tlsKey?: string;
  metrics?: boolean;
  metricsToken?: string;
  shutdownTimeout?: string;
  idSeed?: string;
  fixtures?: string;
}

export function registerServe(program: Command): void {
  storeOptions(program.command('serve'))
    .description('serve the Atlas v2 and Cloud Manager v1.0 APIs (initialises an empty store first)')
    .addOption(new Option('--port <n>', 'port').env(ENV.port).default('8080'))
    .addOption(new Option('--host <host>', 'address to listen on').env(ENV.host).default('127.0.0.1'))
    .addOption(
      new Option(
        '--public-url <url>',
        'base of absolute links and of the links in mail (default: API links from the request, mail links from the listen address)',
      ).env(ENV.publicUrl),
    )
    .addOption(new Option('--log-level <level>', 'pino log level').env(ENV.logLevel).default('info'))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate: serve HTTPS (and HTTP/2)').env(ENV.tlsCert))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert').env(ENV.tlsKey))
    .addOption(
      new Option('--control-plane', 'serve /_cloud-invites/… (clock, mailbox, answers) behind the control token').env(
        ENV.controlPlane,
      ),
    )
    .addOption(
      new Option(
        '--control-token <token>',
        'the control plane bearer token (default: made once, kept in the store)',
      ).env(ENV.controlToken),
    )
    .addOption(
      new Option(
        '--smtp-url <url>',
        'smtp://user:pass@host:587 or smtps://…; unset: mail is captured for the mailbox',
      ).env(ENV.smtpUrl),
    )
    .addOption(new Option('--mail-from <address>', 'From: of invitation mail').env(ENV.mailFrom))
    .addOption(
      new Option('--rate-limits <mode>', "Atlas's rate limits: atlas (enforced) or off")
        .env(ENV.rateLimits)
        .default('atlas'),
    )
    .addOption(
      new Option('--rate-limit-overrides <list>', 'bucket=capacity:refill,… e.g. invitations-ip=100:100').env(
        ENV.rateLimitOverrides,
      ),
    )
    .addOption(
      new Option(
        '--trust-proxy <value>',
        'take the client address from X-Forwarded-For: true, hop count, or proxy addresses',
      ).env(ENV.trustProxy),
    )
    .addOption(new Option('--metrics', 'serve Prometheus metrics at /_cloud-invites/metrics').env(ENV.metrics))
    .addOption(
      new Option('--metrics-token <token>', 'require Authorization: Bearer <token> to scrape metrics').env(
        ENV.metricsToken,
      ),
    )
    .addOption(
      new Option(
        '--shutdown-timeout <seconds>',
        'on SIGTERM/SIGINT, wait this long for requests under way, then force (exit 1)',
      )
        .env(ENV.shutdownTimeout)
        .default('10'),
    )
    .addOption(
      new Option(
        '--fixtures <file>',
        'YAML or JSON file of orgs, projects, keys, members, invitations to apply at start (and on reset)',
      ).env(ENV.fixtures),
    )
    .addOption(
      new Option(
        '--id-seed <seed>',
        'reproducible ids, keys, secrets, tokens and nonces, and a control clock that stands still (tests only)',
      ).env(ENV.idSeed),
    )
    .action(async (flags: ServeFlags) => {
      const config = loadConfig({ ...flags, data: flags.data }, process.env);
      const fixtures = config.fixtures ? loadFixtureFile(config.fixtures) : null;
      const deps = await createDeps(config, { fixtures });
      if (fixtures) {
        const changes = await applyFixtures(deps.ctx, fixtures).catch(async (err) => {
          await deps.close();
          throw err;
        });
        process.stdout.write(`Fixtures from ${config.fixtures}: ${describeChanges(changes)}\n`);
      }
      const created = await initStore(deps.ctx, { consoleEmail: DEFAULT_CONSOLE_EMAIL });
      const app = buildApp(deps, {
        logger: { level: config.logLevel, serializers: { req: requestSerializer } },
        https: tlsOptions(deps),
      });
      const scheme = config.tlsCert ? 'https' : 'http';
      const address = await app.listen({ port: config.port, host: config.host });
      const url = address.replace(/^https?/, scheme);
      deps.setListenUrl(url);
      deps.outbox.start(1000, app.log);
      const everyInterface = config.host === '0.0.0.0' || config.host === '::';
      if (!config.publicUrl && (config.smtpUrl || everyInterface)) {
        process.stderr.write(
          `warning: invitation mail will link to ${url}; set --public-url to the address invitees can reach\n`,
        );
      }
      const store = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
      process.stdout.write(`cloud-invites listening on ${url} (store: ${store})\n`);
      if (created) {
        process.stdout.write(
          `First start: created an organization, a project, an Organization Owner API key and service account, and a console owner (${url}/console).\n${JSON.stringify(config.controlPlane ? { ...created, controlToken: deps.controlToken } : created, null, 2)}\n` +
            `Try: curl --digest --user "${created.publicKey}:${created.privateKey}" --header "Accept: application/vnd.atlas.2023-01-01+json" "${url}/api/atlas/v2/groups/${created.groupId}/invites?pretty=true"\n`,
        );
      }
      const shutdown = gracefulShutdown(app, deps, config.shutdownTimeoutMs);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
    });
}
