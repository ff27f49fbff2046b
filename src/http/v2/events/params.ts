import type { FastifyRequest } from 'fastify';
import { atlasError } from '../../../errors/atlas-error.ts';
import { atlasDate } from '../../../lib/dates.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import { type PathCall, pathParam, requestPath } from '../../params.ts';

/**
 * Every value of a repeatable query parameter: `?eventType=A&eventType=B` (what the Go SDK sends)
 * and `?eventType=A,B` (what people type) alike; empty values dropped.
 */
export function listQuery(request: FastifyRequest, name: string): string[] {
  const v = (request.query as Record<string, unknown>)[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all
    .filter((s): s is string => typeof s === 'string')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * ISO 8601 date-times as clients send them: `2026-05-31T03:32:03Z`, with a fraction, with an offset
 * `+00:00` / `+0000` / `+00` (the Atlas CLI sends `-0700` style), or a bare date (midnight UTC). No
 * offset means UTC, as the spec says the parameter is in UTC. A `+` that arrived unencoded has
 * become a space; it is read as `+`.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+\- ])(\d{2})(?::?(\d{2}))?)?$/;

function parseIsoDate(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? undefined : Number(x),
  ) as number[];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 18 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(utc - offsetMinutes * 60_000);
}

/** `minDate` / `maxDate`: absent or empty → undefined; malformed → 400 INVALID_QUERY_PARAMETER. */
export function dateQuery(request: FastifyRequest, name: string): Date | undefined {
  const v = (request.query as Record<string, unknown>)[name];
  const raw = Array.isArray(v) ? v[0] : v;
  if (raw === undefined || raw === '') return undefined;
  const date = typeof raw === 'string' ? parseIsoDate(raw) : undefined;
  if (!date) throw atlasError('INVALID_QUERY_PARAMETER', name);
  return date;
}

/** How a date filter is echoed in the self link: UTC with Z (recorded), milliseconds only when there are any. */
export function echoDate(date: Date): string {
  return date.getUTCMilliseconds() === 0 ? atlasDate(date) : date.toISOString();
}

const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

/** `clusterNames` (listGroupEvents): each must match the spec's pattern. */
export function clusterNamesQuery(request: FastifyRequest): string[] {
  const names = listQuery(request, 'clusterNames');
  if (names.some((n) => !CLUSTER_NAME.test(n))) throw atlasError('INVALID_QUERY_PARAMETER', 'clusterNames');
  return names;
}

/** `eventId`: 24 hex digits, else the 400 PATH_PARAM_PARSE_ERROR Atlas v2 answers for a malformed path id (observed on apiUserId). */
export function eventIdParam(call: PathCall): string {
  const value = pathParam(call, 'eventId');
  if (!isObjectId(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return value;
}
