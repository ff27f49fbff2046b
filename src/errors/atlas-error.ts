import { ERRORS, type ErrorName, type ErrorParams } from './codes.ts';

/**
 * A failure the client should see as an Atlas ApiError. Thrown by domain and http code alike,
 * through `atlasError`, which types the parameters; the constructor itself takes any, for errors
 * named at run time (a fault rule's) or sending extra `parameters` (readiness).
 */
export class AtlasError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly parameters: Array<string | number>;
  readonly detail: string;

  constructor(name: ErrorName, ...parameters: Array<string | number>) {
    const definition = ERRORS[name];
    const detail = (definition.detail as (...p: Array<string | number>) => string)(...parameters);
    super(detail);
    this.name = 'AtlasError';
    this.status = definition.status;
    this.errorCode = definition.errorCode;
    this.parameters = parameters;
    this.detail = detail;
  }
}

/** The one way to raise an Atlas error: the registry key, then exactly the parameters its detail takes. */
export function atlasError<K extends ErrorName>(name: K, ...parameters: ErrorParams<K>): AtlasError {
  return new AtlasError(name, ...parameters);
}
