// Typed REST client for the Parley API: JSON in/out, same-origin cookies, CSRF header on state-changing calls,
// one retry after a stale CSRF token, server error messages surfaced as toasts. Must never persist the CSRF token
// or any user data (no localStorage/sessionStorage): the session lives in the httpOnly cookie.
import type { z } from 'zod';
import {
  ApiErrorSchema,
  LoginResponseSchema,
  MeResponseSchema,
  UserListResponseSchema,
  UserSchema,
  type CreateUserBody,
  type LoginBody,
  type LoginResponse,
  type MeResponse,
  type UpdateUserBody,
  type User,
} from '../../../shared/src/index.js';
import { showToast } from '../toast-store.js';

export const NETWORK_ERROR_MESSAGE = 'Cannot reach the server';

/** A failed API call: HTTP status, the server's error code and message (or a client-side code for network errors). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds from the Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export interface RequestOptions {
  /** Don't show a toast on failure: the caller renders the error itself. */
  quiet?: boolean;
  /** A 401 is an expected answer (login, session probe), not "session expired". */
  expect401?: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Keeps the CSRF token in memory only; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any call (other than a session probe/login) gets 401: the app drops back to the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function send(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const multipart = body instanceof FormData;
  // FormData sets its own multipart Content-Type (with the boundary); everything else is JSON.
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', NETWORK_ERROR_MESSAGE);
  }
}

async function toError(res: Response): Promise<ApiRequestError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  const payload: unknown = await res.json().catch(() => null);
  const parsed = ApiErrorSchema.safeParse(payload);
  if (parsed.success) {
    return new ApiRequestError(res.status, parsed.data.error.code, parsed.data.error.message, retryAfter);
  }
  // No JSON error body: a proxy or gateway answered, the API itself is unreachable.
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return new ApiRequestError(0, 'network_error', NETWORK_ERROR_MESSAGE, retryAfter);
  }
  return new ApiRequestError(res.status, 'http_error', `Request failed (HTTP ${res.status})`, retryAfter);
}

/** Fetches a fresh CSRF token from /api/auth/me: the 401 response when the session is gone, else null. */
async function refreshCsrfToken(): Promise<Response | null> {
  const res = await send('GET', '/api/auth/me', undefined);
  if (res.status === 401) return res;
  if (!res.ok) return null;
  const parsed = MeResponseSchema.safeParse(await res.json().catch(() => null));
  if (parsed.success) csrfToken = parsed.data.csrfToken;
  return null;
}

/**
 * One API call: sends `body` as JSON (or as multipart when it is a FormData), parses the answer with `schema`
 * (null: no body expected). Used by the other api/ modules.
 */
export async function request<S extends z.ZodType | null>(
  method: Method,
  path: string,
  body: unknown,
  schema: S,
  options: RequestOptions = {},
): Promise<S extends z.ZodType ? z.infer<S> : void> {
  try {
    let res = await send(method, path, body);
    if (res.status === 403 && method !== 'GET') {
      const err = await toError(res.clone());
      if (err.code === 'csrf_failed') {
        const sessionGone = await refreshCsrfToken();
        res = sessionGone ?? (await send(method, path, body));
      }
    }
    if (res.status === 401 && !options.expect401) {
      onUnauthorized?.();
      throw await toError(res);
    }
    if (!res.ok) throw await toError(res);
    if (schema === null || res.status === 204) return undefined as never;
    const data: unknown = await res.json().catch(() => {
      throw new ApiRequestError(res.status, 'bad_response', 'The server sent an unreadable response');
    });
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      // Visible in the browser console (and in e2e logs) so a contract mismatch is easy to pin down.
      console.warn(`Unexpected response from ${method} ${path}:`, JSON.stringify(parsed.error.issues.slice(0, 5)));
      throw new ApiRequestError(res.status, 'bad_response', 'The server sent an unexpected response');
    }
    return parsed.data as never;
  } catch (err) {
    const error = err instanceof ApiRequestError ? err : new ApiRequestError(0, 'network_error', NETWORK_ERROR_MESSAGE);
    const silent = options.quiet || (error.status === 401 && (options.expect401 || onUnauthorized));
    if (!silent) showToast('error', error.message);
    throw error;
  }
}

export const api = {
  /** Session probe: resolves null when not logged in. */
  async me(options: RequestOptions = {}): Promise<MeResponse | null> {
    try {
      const res = await request('GET', '/api/auth/me', undefined, MeResponseSchema, { ...options, expect401: true });
      csrfToken = res.csrfToken;
      return res;
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) return null;
      throw err;
    }
  },
  async login(body: LoginBody): Promise<LoginResponse> {
    const res = await request('POST', '/api/auth/login', body, LoginResponseSchema, { quiet: true, expect401: true });
    csrfToken = res.csrfToken;
    return res;
  },
  /** Ends the server session; an already-ended session (401) counts as success. */
  async logout(): Promise<void> {
    try {
      await request('POST', '/api/auth/logout', undefined, null, { expect401: true });
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.status === 401)) throw err;
    }
    csrfToken = null;
  },
  async listUsers(): Promise<User[]> {
    return (await request('GET', '/api/users', undefined, UserListResponseSchema)).items;
  },
  createUser(body: CreateUserBody, options: RequestOptions = {}): Promise<User> {
    return request('POST', '/api/users', body, UserSchema, options);
  },
  updateUser(id: string, body: UpdateUserBody, options: RequestOptions = {}): Promise<User> {
    return request('PATCH', `/api/users/${encodeURIComponent(id)}`, body, UserSchema, options);
  },
};
