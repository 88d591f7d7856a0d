// The one place where errors become HTTP answers: domain errors (../errors.ts) map to statuses by kind, body
// parser failures to 4xx, anything else to a logged 500. Every error body is {"error": {"code", "message"}}
// (docs/API.md "Errors"). Must never leak stack traces or internal messages of unexpected errors to the client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import type {} from 'pino-http';
import { DomainError, invalid, type DomainErrorKind } from '../errors.js';

export { conflict, forbidden, notFound, refused, unauthorized, unavailable } from '../errors.js';
export const badRequest = invalid;

/** An error only the HTTP layer raises with its own status (bad credentials, a body too large, a bad signature). */
export class HttpError extends DomainError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details?: unknown,
  ) {
    super(kindOfStatus(status), code, message, details);
  }
}

function kindOfStatus(status: number): DomainErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'refused';
  return status >= 500 ? 'unavailable' : 'invalid';
}

/** The HTTP status of each domain error kind. */
export const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  refused: 422,
  unavailable: 503,
};

/** "email: must be a valid email address; role: Invalid option…" — names every bad field. */
export function describeZodError(err: ZodError, where = 'body'): string {
  return err.issues
    .map((i) => {
      const path = i.path.length ? i.path.join('.') : where;
      if (i.code === 'unrecognized_keys') return `${path}: unknown field(s) ${i.keys.join(', ')}`;
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new DomainError('not_found', 'not_found', `No route for ${req.method} ${req.path}`));
};

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

export function errorHandler(log: { error: (obj: unknown, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let code = 'internal_error';
    let message = 'Something went wrong on our side. It has been logged.';
    let details: unknown;
    const bp = err as BodyParserError;
    if (err instanceof DomainError) {
      status = err instanceof HttpError ? err.status : STATUS_OF[err.kind];
      ({ code, message, details } = err);
    } else if (bp?.type === 'entity.too.large') {
      status = 413;
      code = 'payload_too_large';
      message = 'Request body is too large';
    } else if (bp?.type === 'entity.parse.failed') {
      status = 400;
      code = 'invalid_json';
      message = 'Request body is not valid JSON';
    } else if (bp?.type && bp.status && bp.status < 500) {
      status = bp.status;
      code = 'invalid_body';
      message = `Request body could not be read (${bp.type})`;
    } else {
      log.error({ err, reqId: req.id }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ error: details === undefined ? { code, message } : { code, message, details } });
  };
}
