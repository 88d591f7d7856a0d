// The domain error vocabulary: services raise these (what went wrong, in the domain's words); `http/errors.ts`
// alone maps each kind to an HTTP status. Must never import express, HTTP code or anything else of the server.

export type DomainErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'refused' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** snake_case code the client switches on (e.g. `window_closed`, `email_taken`). */
    readonly code: string,
    message: string,
    /** Extra JSON the caller may show (e.g. the stored refused message). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown, kind?: DomainErrorKind): err is DomainError =>
  err instanceof DomainError && (kind === undefined || err.kind === kind);

/** Input that cannot be used (names what was wrong). */
export const invalid = (message: string, details?: unknown) =>
  new DomainError('invalid', 'invalid_input', message, details);
export const unauthorized = (message = 'You need to log in') =>
  new DomainError('unauthorized', 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this', code = 'forbidden') =>
  new DomainError('forbidden', code, message);
export const notFound = (what = 'Resource') => new DomainError('not_found', 'not_found', `${what} not found`);
/** The request clashes with the current state (a duplicate, the last admin, no longer held…). */
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);
/** A rule refuses the action (the outbound guard, an erased contact, an unsupported media kind…). */
export const refused = (code: string, message: string, details?: unknown) =>
  new DomainError('refused', code, message, details);
/** Cannot be done by this process right now. */
export const unavailable = (message: string, code = 'unavailable') => new DomainError('unavailable', code, message);
