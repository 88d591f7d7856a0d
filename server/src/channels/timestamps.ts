// Provider timestamps → trustworthy times, for every normalizer (WhatsApp Cloud, sandbox, Messenger/Instagram,
// whatsapp-web) and for the reply window. Recognises Unix seconds (10 digits), milliseconds (13), microseconds,
// ISO-8601 strings and Date objects; a time more than a small skew ahead of the receive time counts as the receive
// time (a year-2100 stamp must not hold a reply window open), and an unparseable or absurd one falls back to the
// receive time. Pure: must never throw, whatever the provider sent, and never touch models.

/** How far ahead of our clock a provider's clock may be before its time is not believed. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Anything before this is not a real message time (0, small counters, negative values). */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** Beyond this (year 10000) a Date cannot be built or written. */
const LATEST_MS = 253_402_300_799_999;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/** A number in seconds, milliseconds or microseconds since the epoch → milliseconds (by its magnitude). */
function epochMs(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n < 1e11) return n * 1000; // seconds: up to 11 digits (year 5138)
  if (n < 1e14) return n; // milliseconds: 12–14 digits
  if (n < 1e17) return n / 1000; // microseconds
  return null;
}

/**
 * What the provider said, as a Date, or null when it is not a time (garbage, negative, before 2000, out of range).
 * Not clamped: a future time stays as sent (kept on the message as the provider's value).
 */
export function parseProviderTimestamp(raw: unknown): Date | null {
  let ms: number | null = null;
  if (raw instanceof Date) ms = raw.getTime();
  else if (typeof raw === 'number') ms = epochMs(raw);
  else if (typeof raw === 'string') {
    const s = raw.trim();
    if (NUMERIC.test(s)) ms = epochMs(Number(s));
    else if (ISO.test(s)) ms = Date.parse(s);
  }
  if (ms === null || !Number.isFinite(ms) || ms < EARLIEST_MS || ms > LATEST_MS) return null;
  return new Date(Math.floor(ms));
}

/** A time no later than `now` + the allowed skew; a later one is `now`. */
export function clampToNow(at: Date, now: Date = new Date()): Date {
  return at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS ? new Date(now.getTime()) : at;
}

/** A Date as the inbox may use it: an invalid one is `now`, a future one is clamped (clampToNow). */
export function trustedTime(at: Date | null | undefined, now: Date = new Date()): Date {
  return at instanceof Date && Number.isFinite(at.getTime()) ? clampToNow(at, now) : new Date(now.getTime());
}

export interface ProviderTime {
  /** The time to use for windows, ordering and status times: clamped, never invalid. */
  at: Date;
  /** The provider's own value when it parsed (possibly in the future), else null. */
  provider: Date | null;
}

/** A provider timestamp as the inbox uses it; `receivedAt` (default: now) stands in for a bad or future one. */
export function providerTime(raw: unknown, receivedAt: Date = new Date()): ProviderTime {
  const now = Number.isFinite(receivedAt.getTime()) ? receivedAt : new Date();
  const provider = parseProviderTimestamp(raw);
  return { at: provider ? clampToNow(provider, now) : new Date(now.getTime()), provider };
}

/** Context the intake gives a normalizer: when the event was received (stands in for a bad provider time). */
export interface NormalizeContext {
  receivedAt?: Date;
}
