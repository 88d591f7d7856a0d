// The sandbox phone's client for /sandbox/api and its live reply stream (Server-Sent Events). It plays a customer
// but runs in a signed-in console session (the session cookie; POSTs echo the session's CSRF token, read once from
// /api/auth/me). A 401/403 means the session ended or may not use the sandbox: the page then asks to sign in.
// Must never call the staff API beyond /api/auth/me, and never store anything but the tester's chosen name and
// fake number (per browser tab, sessionStorage) — never the CSRF token.
import type { PhoneMessage, SandboxInfo } from '../../../shared/src/index.js';

export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'SandboxApiError';
  }
}

/** The session's CSRF token (memory only), fetched on the first POST and again after a csrf_failed answer. */
let csrfToken: string | null = null;

async function request(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string) {
  try {
    return await fetch(url, { method, credentials: 'same-origin', headers, body });
  } catch {
    throw new SandboxApiError(0, 'Cannot reach the server');
  }
}

async function failure(res: Response): Promise<SandboxApiError> {
  const data = (await res.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null;
  return new SandboxApiError(
    res.status,
    data?.error?.message ?? `The server answered ${res.status}`,
    data?.error?.code ?? null,
  );
}

async function sessionCsrfToken(): Promise<string> {
  if (csrfToken) return csrfToken;
  const res = await request('GET', '/api/auth/me', { accept: 'application/json' });
  if (!res.ok) throw await failure(res);
  const data = (await res.json().catch(() => null)) as { csrfToken?: unknown } | null;
  if (typeof data?.csrfToken !== 'string') throw new SandboxApiError(res.status, 'The server sent no CSRF token');
  csrfToken = data.csrfToken;
  return csrfToken;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['x-csrf-token'] = await sessionCsrfToken();
  const res = await request(
    method,
    `/sandbox/api${path}`,
    headers,
    body === undefined ? undefined : JSON.stringify(body),
  );
  if (!res.ok) {
    const err = await failure(res);
    if (err.code === 'csrf_failed' && !retried) {
      csrfToken = null; // a new session (signed in again in another tab): fetch its token once
      return call<T>(method, path, body, true);
    }
    throw err;
  }
  return (await res.json().catch(() => null)) as T;
}

/** True when an error means "no console session allowed to use the sandbox" (signed out, or not permitted). */
export const needsSignIn = (err: unknown): err is SandboxApiError =>
  err instanceof SandboxApiError && (err.status === 401 || (err.status === 403 && err.code !== 'csrf_failed'));

export const sandboxApi = {
  info: () => call<SandboxInfo>('GET', '/info'),
  history: (phone: string) => call<{ items: PhoneMessage[] }>('GET', `/messages?phone=${encodeURIComponent(phone)}`),
  send: (m: { phone: string; name: string; text: string; adId?: string }) =>
    call<{ message: PhoneMessage }>('POST', '/messages', m),
  read: (phone: string, ids: string[]) => call<{ read: number }>('POST', '/read', { phone, ids }),
};

/**
 * Live business replies for one number; returns the function that closes the stream. `onState(true)` on every
 * (re)connection; `onRefused` once the server refuses to reopen it (the browser stops retrying, e.g. signed out).
 */
export function openReplies(
  phone: string,
  onMessage: (m: PhoneMessage) => void,
  onState: (live: boolean) => void,
  onRefused: () => void = () => {},
): () => void {
  const source = new EventSource(`/sandbox/api/events?phone=${encodeURIComponent(phone)}`);
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => {
    onState(false);
    if (source.readyState === EventSource.CLOSED) onRefused();
  });
  source.addEventListener('message', (e) => {
    try {
      onMessage(JSON.parse((e as MessageEvent<string>).data) as PhoneMessage);
    } catch {
      /* ignore a malformed frame */
    }
  });
  return () => source.close();
}

/** Digits only; valid numbers have 8 to 15 of them. */
export const phoneDigits = (s: string) => s.replace(/\D/g, '');
export const isValidPhone = (s: string) => /^\d{8,15}$/.test(phoneDigits(s));

/** A fictional US 555 number, e.g. +1 555 0137 4821. */
export function fakeNumber(): string {
  const n = () => Math.floor(Math.random() * 10);
  return `+1 555 01${n()}${n()} ${n()}${n()}${n()}${n()}`;
}

const IDENTITY_KEY = 'parley.sandbox.identity';

export function loadIdentity(): { name: string; phone: string } {
  try {
    const raw = sessionStorage.getItem(IDENTITY_KEY);
    const v = raw ? (JSON.parse(raw) as { name?: unknown; phone?: unknown }) : {};
    return {
      name: typeof v.name === 'string' ? v.name : '',
      phone: typeof v.phone === 'string' && v.phone ? v.phone : fakeNumber(),
    };
  } catch {
    return { name: '', phone: fakeNumber() };
  }
}

export function saveIdentity(identity: { name: string; phone: string }): void {
  try {
    sessionStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
  } catch {
    /* storage unavailable: the identity just isn't remembered */
  }
}
