// What may reach the logs of requests and errors: request URLs without query values (verify tokens, search terms
// and phone numbers travel there), error messages without duplicate-key values, long digit runs (phone numbers,
// WhatsApp/Messenger ids), bearer tokens or Graph access tokens. Used by the logger and the request logger.
// Must never throw on odd input (a log line must not crash a request) and never return the value it hid.
import { pino } from 'pino';

/** Path of a URL, with each query value replaced by "…" (the keys stay, for debugging). */
export function safeUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return scrubText(url);
  const keys = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0].slice(0, 40)}=…`);
  return `${scrubText(url.slice(0, q))}?${keys.join('&')}`;
}

/** Text with identifiers and secrets a log must not hold replaced by placeholders. */
export function scrubText(text: string): string {
  return text
    .replace(/dup key: \{[^}]*\}/g, 'dup key: { [redacted] }')
    .replace(/\b(Bearer|OAuth)\s+[^\s"',]+/gi, '$1 [redacted]')
    .replace(/([?&](?:access_token|hub\.verify_token|token|key|signature)=)[^&\s"']+/gi, '$1[redacted]')
    .replace(/\bEA[A-Za-z0-9]{20,}\b/g, '[token]') // Graph API access tokens
    .replace(/(?<![A-Za-z0-9])\+?\d[\d\s().-]{6,}\d(?![A-Za-z0-9])/g, (m) =>
      m.replace(/\D/g, '').length >= 8 ? '[number]' : m,
    );
}

type SerializedError = ReturnType<typeof pino.stdSerializers.err>;

/** pino's error serializer, then the message and stack scrubbed (nested causes too). */
export function safeErr(err: unknown): SerializedError {
  const out = pino.stdSerializers.err(err as Error);
  if (!out || typeof out !== 'object') return out;
  const scrub = (o: Record<string, unknown>, depth: number) => {
    for (const k of ['message', 'stack', 'errmsg']) if (typeof o[k] === 'string') o[k] = scrubText(o[k] as string);
    for (const k of ['keyValue', 'keyPattern', 'errorResponse', 'writeErrors', 'result', 'config', 'response'])
      if (k in o) o[k] = '[redacted]';
    if (depth < 3 && o.cause && typeof o.cause === 'object') scrub(o.cause as Record<string, unknown>, depth + 1);
  };
  scrub(out as unknown as Record<string, unknown>, 0);
  return out;
}

/** The request as pino-http serialised it, with a safe URL and without the parsed query. */
export function safeReq(req: Record<string, unknown>): Record<string, unknown> {
  const { query: _query, params: _params, ...rest } = req;
  return { ...rest, url: safeUrl(typeof req.url === 'string' ? req.url : undefined) };
}
