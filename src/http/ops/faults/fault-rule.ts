import { STATUS_CODES } from 'node:http';
import { atlasError } from '../../../errors/atlas-error.ts';
import { ERRORS, type ErrorName } from '../../../errors/codes.ts';

/** An Atlas error answer a rule sends instead of the real one. */
export interface FaultError {
  /** The registry entry (src/errors/codes.ts) whose errorCode and detail template are sent. */
  readonly name: ErrorName;
  readonly status: number;
  /** The detail template's parameters; `{resource}` stands for the called path as Atlas names it. */
  readonly parameters: ReadonlyArray<string | number>;
  readonly retryAfterSeconds: number | null;
}

/** A validated rule body (POST /_cloud-invites/faults). */
export interface FaultSpec {
  readonly operationId: string | null;
  /** A path pattern: `*` (or `{name}`, `:name`) is one segment, a trailing `**` any rest. */
  readonly path: string | null;
  readonly method: string | null;
  readonly latencyMs: number;
  readonly error: FaultError | null;
  readonly drop: boolean;
  readonly probability: number;
  /** How many more calls it applies to; null: until removed. */
  readonly times: number | null;
  readonly seed: number | null;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const RULE_FIELDS = new Set([
  'operationId',
  'path',
  'method',
  'latencyMs',
  'error',
  'drop',
  'probability',
  'times',
  'seed',
]);
const ERROR_FIELDS = new Set(['errorCode', 'status', 'parameters', 'retryAfterSeconds']);
/** An hour: longer than any client waits, short enough that a typo cannot park a request for days. */
const MAX_LATENCY_MS = 3_600_000;

const invalid = (msg: string) => atlasError('VALIDATION_ERROR', msg);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function checkFields(body: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw atlasError('INVALID_ATTRIBUTE', where ? `${where}.${key}` : key);
  }
}

/** The registry entry for a name (`RATE_LIMITED_IP`) or for the errorCode it sends (`INVITATIONS_RATE_LIMITED_IP`). */
function errorNamed(code: string): ErrorName | null {
  if (Object.hasOwn(ERRORS, code)) return code as ErrorName;
  const entry = Object.entries(ERRORS).find(([, d]) => d.errorCode === code);
  return entry ? (entry[0] as ErrorName) : null;
}

/** `Rate limit exceeded for <1>. Please retry after <2> seconds…`: what the parameters fill in. */
function template(name: ErrorName): string {
  const d = ERRORS[name].detail as (...p: string[]) => string;
  return d(...Array.from({ length: d.length }, (_, i) => `<${i + 1}>`));
}

function parseError(raw: unknown): FaultError {
  if (!isObject(raw)) throw atlasError('INVALID_JSON_ATTRIBUTE', 'error');
  checkFields(raw, ERROR_FIELDS, 'error');
  if (typeof raw.errorCode !== 'string') throw atlasError('MISSING_ATTRIBUTE', 'error.errorCode');
  const name = errorNamed(raw.errorCode);
  if (!name)
    throw invalid(
      `error.errorCode ${raw.errorCode} is not an Atlas error code this server knows (see docs/error-codes.md)`,
    );
  const status = raw.status ?? ERRORS[name].status;
  if (!isInt(status, 400, 599) || !STATUS_CODES[status])
    throw invalid('error.status must be an HTTP error status from 400 to 599');
  const arity = ERRORS[name].detail.length;
  const parameters = raw.parameters ?? [];
  if (!Array.isArray(parameters) || parameters.some((p) => typeof p !== 'string' && typeof p !== 'number')) {
    throw atlasError('INVALID_JSON_ATTRIBUTE', 'error.parameters');
  }
  if (parameters.length !== arity) {
    throw invalid(`error.parameters must have ${arity} entries for ${ERRORS[name].errorCode} ("${template(name)}")`);
  }
  const retryAfter = raw.retryAfterSeconds ?? null;
  if (retryAfter !== null && !isInt(retryAfter, 0, 86_400))
    throw invalid('error.retryAfterSeconds must be a whole number of seconds from 0 to 86400');
  return { name, status, parameters, retryAfterSeconds: retryAfter };
}

function optionalString(body: Record<string, unknown>, name: string): string | null {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v === '') throw atlasError('INVALID_JSON_ATTRIBUTE', name);
  return v;
}

/** Checks a rule body, field by field, with the Atlas error a client of the control plane expects. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (!isObject(body)) throw atlasError('INVALID_JSON');
  checkFields(body, RULE_FIELDS, '');
  const operationId = optionalString(body, 'operationId');
  if (operationId !== null && !/^\w+$/.test(operationId)) throw atlasError('INVALID_JSON_ATTRIBUTE', 'operationId');
  const path = optionalString(body, 'path');
  if (path !== null && !path.startsWith('/')) throw invalid('path must start with /');
  if (operationId === null && path === null) throw atlasError('MISSING_ONE_OF_ATTRIBUTES', 'operationId', 'path');
  const methodRaw = optionalString(body, 'method');
  const method = methodRaw?.toUpperCase() ?? null;
  if (method !== null && !METHODS.has(method)) throw invalid(`method must be one of ${[...METHODS].join(', ')}`);

  const latencyMs = body.latencyMs ?? 0;
  if (!isInt(latencyMs, 0, MAX_LATENCY_MS))
    throw invalid(`latencyMs must be a whole number from 0 to ${MAX_LATENCY_MS}`);
  const error = body.error === undefined || body.error === null ? null : parseError(body.error);
  const drop = body.drop ?? false;
  if (typeof drop !== 'boolean') throw atlasError('INVALID_JSON_ATTRIBUTE', 'drop');
  if (error && drop) throw invalid('give error or drop, not both');
  if (!error && !drop && latencyMs === 0) throw invalid('a rule needs latencyMs, error or drop');

  const probability = body.probability ?? 1;
  if (typeof probability !== 'number' || !(probability > 0 && probability <= 1))
    throw invalid('probability must be a number above 0, at most 1');
  const times = body.times ?? null;
  if (times !== null && !isInt(times, 1, 1_000_000)) throw invalid('times must be a whole number from 1 to 1000000');
  const seed = body.seed ?? null;
  if (seed !== null && !isInt(seed, 0, 0xffffffff)) throw invalid('seed must be a whole number from 0 to 4294967295');
  return { operationId, path, method, latencyMs, error, drop, probability, times, seed };
}
