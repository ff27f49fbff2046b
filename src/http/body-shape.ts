import { atlasError } from '../errors/atlas-error.ts';

/** `ignored`: read-only fields a client may echo back from a GET; accepted and dropped. */
/** `object` / `object[]`: nested JSON objects, whose fields the caller checks with readBody in turn. */
export type FieldType =
  'string' | 'number' | 'boolean' | 'string[]' | 'tags' | 'groupRoleAssignments' | 'object' | 'object[]' | 'ignored';
export interface BodyShape {
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly required?: readonly string[];
}

/** The TypeScript type a field of each kind has once `readBody` has accepted it. */
interface FieldTypes {
  string: string;
  number: number;
  boolean: boolean;
  'string[]': string[];
  tags: Array<{ key: string; value: string }>;
  groupRoleAssignments: Array<{ groupId: string; roles: string[] }>;
  object: Record<string, unknown>;
  'object[]': Array<Record<string, unknown>>;
  ignored: never;
}
type Fields<S extends BodyShape> = S['fields'];
type RequiredName<S extends BodyShape> = S extends { readonly required: readonly (infer R)[] } ? R : never;
type Kept<S extends BodyShape> = {
  [K in keyof Fields<S>]: Fields<S>[K] extends 'ignored' ? never : K;
}[keyof Fields<S>];

/**
 * The body a shape admits, derived from the shape itself: required fields present, the others
 * optional, `ignored` ones dropped. Declare shapes `as const` so their field kinds stay literal.
 */
type Simplify<T> = { [K in keyof T]: T[K] };
export type BodyOf<S extends BodyShape> = Simplify<
  { -readonly [K in Kept<S> as K extends RequiredName<S> ? K : never]: FieldTypes[Fields<S>[K]] } & {
    -readonly [K in Kept<S> as K extends RequiredName<S> ? never : K]?: FieldTypes[Fields<S>[K]];
  }
>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function matches(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'ignored':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object':
      return isPlainObject(value);
    case 'object[]':
      return Array.isArray(value) && value.every(isPlainObject);
    case 'groupRoleAssignments':
      // OrganizationInvitationRequest: [{groupId, roles: string[]}], nothing else in an item.
      return (
        Array.isArray(value) &&
        value.every(
          (a) =>
            typeof a === 'object' &&
            a !== null &&
            !Array.isArray(a) &&
            typeof a.groupId === 'string' &&
            Array.isArray(a.roles) &&
            a.roles.every((r: unknown) => typeof r === 'string') &&
            Object.keys(a).every((k) => k === 'groupId' || k === 'roles'),
        )
      );
    case 'tags':
      return (
        Array.isArray(value) &&
        value.every(
          (t) =>
            typeof t === 'object' &&
            t !== null &&
            typeof t.key === 'string' &&
            typeof t.value === 'string' &&
            Object.keys(t).every((k) => k === 'key' || k === 'value'),
        )
      );
  }
}

/**
 * Checks a parsed JSON body the way Atlas does: an object, no unknown attributes
 * (INVALID_ATTRIBUTE), each known one of the right JSON type (INVALID_JSON_ATTRIBUTE), required
 * ones present (MISSING_ATTRIBUTE). Explicit nulls count as absent.
 */
export function readBody<const S extends BodyShape>(body: unknown, shape: S): BodyOf<S> {
  if (body === undefined) throw atlasError('INVALID_JSON');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw atlasError('INVALID_JSON');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const type = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
    if (!type) throw atlasError('INVALID_ATTRIBUTE', key);
    if (value === null) continue;
    if (!matches(type, value)) throw atlasError('INVALID_JSON_ATTRIBUTE', key);
    if (type !== 'ignored') out[key] = value;
  }
  for (const key of shape.required ?? []) {
    if (out[key] === undefined) throw atlasError('MISSING_ATTRIBUTE', key);
  }
  return out as BodyOf<S>;
}
