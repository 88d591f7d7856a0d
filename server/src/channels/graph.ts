// The one HTTP client for Meta's Graph API (WhatsApp Cloud API, Messenger Send API, media, Conversions API).
// Base URL and version come from config so tests talk to a local fake. Classifies failures so callers know
// whether a retry is safe. Must never log tokens or message bodies.

export interface GraphTarget {
  baseUrl: string;
  version: string;
  /** Per-request timeout; a timeout after the request was sent is NOT safe to retry (it may have been accepted). */
  timeoutMs?: number;
}

export interface GraphError {
  /** Provider code (e.g. "131047") or a transport code ("network", "timeout", "http_502"). */
  code: string;
  message: string;
  /** The provider certainly did not act on the request, so sending it again cannot duplicate anything. */
  transient: boolean;
  status: number;
}

export type GraphResult<T> = { ok: true; status: number; data: T } | { ok: false; error: GraphError };

/** Provider codes that mean "slow down / try later"; the request was refused, not performed. */
const THROTTLE_CODES = new Set(['4', '17', '32', '613', '80007', '130429', '131056']);

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, e.g. `/123/messages`; or an absolute URL (media download links). */
  path: string;
  token: string;
  json?: unknown;
  form?: FormData;
  /** Return the raw bytes instead of JSON (media downloads). */
  binary?: boolean;
}

export function graphUrl(target: GraphTarget, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${target.baseUrl.replace(/\/+$/, '')}/${target.version}${path.startsWith('/') ? path : `/${path}`}`;
}

export async function graphFetch<T = unknown>(target: GraphTarget, req: GraphRequest): Promise<GraphResult<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${req.token}` };
  let body: string | FormData | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.form) {
    body = req.form;
  }
  let res: Response;
  try {
    res = await fetch(graphUrl(target, req.path), {
      method: req.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 20_000),
    });
  } catch (err) {
    return { ok: false, error: transportError(err) };
  }
  if (res.ok) {
    if (req.binary) return { ok: true, status: res.status, data: Buffer.from(await res.arrayBuffer()) as T };
    const text = await res.text();
    try {
      return { ok: true, status: res.status, data: (text ? JSON.parse(text) : {}) as T };
    } catch {
      return {
        ok: false,
        error: {
          code: 'bad_response',
          message: 'Graph API answered with invalid JSON',
          transient: false,
          status: res.status,
        },
      };
    }
  }
  const text = await res.text().catch(() => '');
  let providerError: { code?: number | string; message?: string; error_data?: { details?: string } } | undefined;
  try {
    providerError = (JSON.parse(text) as { error?: typeof providerError }).error;
  } catch {
    /* not JSON */
  }
  const code = providerError?.code !== undefined ? String(providerError.code) : `http_${res.status}`;
  const message =
    providerError?.error_data?.details ?? providerError?.message ?? `Graph API answered HTTP ${res.status}`;
  const transient = res.status >= 500 || res.status === 429 || THROTTLE_CODES.has(code);
  return { ok: false, error: { code, message, transient, status: res.status } };
}

function transportError(err: unknown): GraphError {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return {
      code: 'timeout',
      message: 'Graph API did not answer in time; the request may have been accepted',
      transient: false,
      status: 0,
    };
  }
  const causeCode = e?.cause?.code ?? '';
  // Failures before the request reached the provider are safe to retry.
  const beforeSend = [
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_CONNECT_TIMEOUT',
  ];
  return {
    code: 'network',
    message: `Could not reach the Graph API (${causeCode || e?.message || 'network error'})`,
    transient: beforeSend.includes(causeCode),
    status: 0,
  };
}
