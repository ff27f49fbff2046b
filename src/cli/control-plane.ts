import { type Command, Option } from 'commander';
import { ConfigError, ENV } from '../config/config.ts';

/** The flags of every command that talks to a running server's control plane (`clock`, `faults …`). */
export interface ControlPlaneFlags {
  url: string;
  controlToken?: string;
  json?: boolean;
}

/** Adds `--url`, `--control-token` (each with its environment variable) and `--json`. */
export function controlPlaneOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--url <url>', 'the server, e.g. http://127.0.0.1:8080')
        .env('CLOUD_INVITES_URL')
        .default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--control-token <token>', 'the control plane bearer token').env(ENV.controlToken))
    .addOption(new Option('--json', 'machine-readable output'));
}

export interface ControlPlaneAnswer {
  status: number;
  /** The parsed JSON body; null when there is none (204) or it is not JSON. */
  body: unknown;
  text: string;
}

export interface ControlPlane {
  /** `…/_cloud-invites/<path>` on the server. */
  target(path: string): string;
  /**
   * One call. A status outside `accept` (default: any 2xx) throws a ConfigError saying why: nobody
   * listening, 404 (no `--control-plane`), 401 (wrong token), or the Atlas error (errorCode: detail).
   */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; accept?: readonly number[] },
  ): Promise<ControlPlaneAnswer>;
}

/** What a refused call says: the Atlas error's code and detail when the body is one. */
export function refusal(target: string, answer: ControlPlaneAnswer): ConfigError {
  const { errorCode, detail } = (answer.body ?? {}) as { errorCode?: unknown; detail?: unknown };
  if (typeof errorCode === 'string')
    return new ConfigError(`${target} answered ${answer.status} ${errorCode}: ${detail}`);
  return new ConfigError(`${target} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
}

/** Checks the flags and returns a client for the server they name. */
export function controlPlane(flags: ControlPlaneFlags): ControlPlane {
  if (!flags.controlToken) throw new ConfigError(`--control-token (or ${ENV.controlToken}) is required`);
  if (!/^https?:\/\/[^/]/.test(flags.url)) throw new ConfigError('--url must be an http:// or https:// URL');
  const token = flags.controlToken;
  const base = `${flags.url.replace(/\/+$/, '')}/_cloud-invites`;
  const target = (path: string) => `${base}/${path}`;
  return {
    target,
    async call(method, path, options = {}) {
      const url = target(path);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new ConfigError(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
      }
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: the text is reported if the status is refused
      }
      const answer = { status: res.status, body, text };
      if (options.accept ? options.accept.includes(res.status) : res.ok) return answer;
      if (res.status === 404) throw new ConfigError(`${url} answered 404: is the server running with --control-plane?`);
      if (res.status === 401) throw new ConfigError(`${url} answered 401: wrong control token`);
      throw refusal(url, answer);
    },
  };
}
