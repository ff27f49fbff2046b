import { ERRORS, type ErrorName } from './codes.ts';

/** A failure the client should see as an Atlas ApiError. Thrown by domain and http code alike. */
export class AtlasError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly parameters: Array<string | number>;
  readonly detail: string;

  constructor(name: ErrorName, ...parameters: Array<string | number>) {
    const definition = ERRORS[name];
    const detail = definition.detail(...parameters);
    super(detail);
    this.name = 'AtlasError';
    this.status = definition.status;
    this.errorCode = definition.errorCode;
    this.parameters = parameters;
    this.detail = detail;
  }
}

export function atlasError(name: ErrorName, ...parameters: Array<string | number>): AtlasError {
  return new AtlasError(name, ...parameters);
}
