// A tiny HTTP client for integration tests that behaves like a browser session: keeps the session cookie,
// remembers the CSRF token from login/me and sends it on state-changing requests (unless told not to).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/src/index.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Session {
  cookie = '';
  csrfToken = '';
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.csrf !== false && this.csrfToken && !['GET', 'HEAD'].includes(method))
      headers['x-csrf-token'] = this.csrfToken;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0];
      if (pair.startsWith('parley.sid=')) this.cookie = /Expires=Thu, 01 Jan 1970/i.test(c) ? '' : pair;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    const reply = { status: res.status, body: parsed as T, headers: res.headers };
    const token = (parsed as { csrfToken?: string } | undefined)?.csrfToken;
    if (typeof token === 'string') this.csrfToken = token;
    return reply;
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, opts?: { csrf?: boolean }) =>
    this.request<T>('POST', path, body, opts);
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body);

  async login(email: string, password: string): Promise<Reply> {
    return this.post('/api/auth/login', { email, password });
  }

  /** A socket.io client carrying this session's cookie. Resolves once connected, rejects on connect_error. */
  /** A socket with this session's cookie; `headers` adds handshake headers (e.g. a browser's Origin). */
  async socket(
    opts: { transports?: Array<'websocket' | 'polling'>; headers?: Record<string, string> } = {},
  ): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.baseUrl, {
      transports: opts.transports ?? ['websocket'],
      extraHeaders: { ...(this.cookie ? { cookie: this.cookie } : {}), ...opts.headers },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', (err) => {
        s.close();
        reject(err);
      });
    });
    return s;
  }
}

/** Resolves with the next event's payload, or rejects after `ms`. */
export function nextEvent<T>(
  socket: Socket<any, any>,
  event: string,
  ms = 3000,
  /** Only a payload this accepts counts (an earlier event of the same name may still be on its way). */
  accept: (payload: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}

/** Collects every payload of an event until stopped. */
export function collect<T>(socket: Socket<any, any>, event: string): T[] {
  const got: T[] = [];
  socket.on(event, (p: T) => got.push(p));
  return got;
}
