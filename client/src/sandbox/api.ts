// The sandbox phone's client for /sandbox/api (no session: it plays a customer, not a staff member) and its live
// reply stream (Server-Sent Events). Must never call /api (the staff API) and never store anything but the
// tester's chosen name and fake number (per browser tab, sessionStorage).

export interface SandboxAd {
  id: string;
  headline: string;
  body?: string;
  imageUrl?: string;
  sourceUrl?: string;
  demo: boolean;
}

export interface PhoneMessage {
  id: string;
  from: 'customer' | 'business';
  kind: string;
  text: string | null;
  media?: { url: string; mimeType: string; filename: string };
  at: string;
}

export interface SandboxInfo {
  business: { name: string; displayNumber: string | null };
  ads: SandboxAd[];
}

export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxApiError';
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/sandbox/api${path}`, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new SandboxApiError(0, 'Cannot reach the server');
  }
  const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new SandboxApiError(res.status, data?.error?.message ?? `The server answered ${res.status}`);
  return data as T;
}

export const sandboxApi = {
  info: () => call<SandboxInfo>('GET', '/info'),
  history: (phone: string) => call<{ items: PhoneMessage[] }>('GET', `/messages?phone=${encodeURIComponent(phone)}`),
  send: (m: { phone: string; name: string; text: string; adId?: string }) =>
    call<{ message: PhoneMessage }>('POST', '/messages', m),
  read: (phone: string, ids: string[]) => call<{ read: number }>('POST', '/read', { phone, ids }),
};

/** Live business replies for one number; returns the function that closes the stream. */
export function openReplies(
  phone: string,
  onMessage: (m: PhoneMessage) => void,
  onState: (live: boolean) => void,
): () => void {
  const source = new EventSource(`/sandbox/api/events?phone=${encodeURIComponent(phone)}`);
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
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
