import { parseCidr } from '../../../domain/access-lists/access-list.ts';
import { atlasError } from '../../../errors/atlas-error.ts';
import { isObjectId } from '../../../lib/object-id.ts';
import { type BodyOf, type BodyShape, readBody } from '../../body-shape.ts';
import { type PathCall, pathParam, requestPath } from '../../params.ts';

/** `apiUserId`: 24 hex digits, else Atlas's 400 PATH_PARAM_PARSE_ERROR naming the request path (observed). */
export function apiUserIdParam(call: PathCall): string {
  const value = pathParam(call, 'apiUserId');
  if (!isObjectId(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return value;
}

/** `ipAddress`: an address or a CIDR block (`%2F` already decoded by the router, or left as is). */
export function accessListEntryParam(call: PathCall): string {
  const value = pathParam(call, 'ipAddress');
  if (!parseCidr(value)) throw atlasError('PATH_PARAM_PARSE_ERROR', requestPath(call));
  return value.replace(/%2f/i, '/');
}

/** A JSON array body whose items each have `shape` (`INVALID_JSON` for anything but an array of objects). */
export function readArrayBody<const S extends BodyShape>(body: unknown, shape: S): Array<BodyOf<S>> {
  if (!Array.isArray(body)) throw atlasError('INVALID_JSON');
  return body.map((item) => readBody(item, shape));
}
