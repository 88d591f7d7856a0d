// HTTP error vocabulary and the JSON error/404 handlers: every error body is {"error": {"code", "message"}}
// (docs/API.md "Errors"). Must never leak stack traces or internal messages of unexpected errors to the client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import type {} from 'pino-http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'invalid_input', message, details);
export const unauthorized = (message = 'You need to log in') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new HttpError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);

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
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
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
    if (err instanceof HttpError) {
      ({ status, code, message, details } = err);
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
