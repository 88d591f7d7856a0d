// Masking of customer identity for users without `contacts:reveal`: a masked phone keeps the country code,
// the first national digit and the last two ("+34 6•• ••• •45"); numbers inside system lines and shared contact
// cards are masked the same way (maskPhonesInText); a username shows its first two characters ("@ma•••"). Must
// never return more digits of a number (or characters of a username) than that.
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js';

const DOT = '•';

// Masked forms of recently seen numbers: parsing a number is the costly part of every conversation view.
const MASK_CACHE_MAX = 10_000;
const maskCache = new Map<string, string | null>();

export function maskPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  const hit = maskCache.get(e164);
  if (hit !== undefined) return hit;
  const masked = computeMask(e164);
  if (maskCache.size >= MASK_CACHE_MAX) maskCache.delete(maskCache.keys().next().value!);
  maskCache.set(e164, masked);
  return masked;
}

function computeMask(e164: string): string | null {
  const digits = e164.replace(/\D/g, '');
  if (digits.length < 6) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const cc = parsed?.countryCallingCode ?? digits.slice(0, digits.length > 10 ? 2 : 1);
  const national = parsed?.nationalNumber ?? digits.slice(cc.length);
  if (national.length < 4) return `+${cc} ${DOT.repeat(national.length)}`;
  const masked = `${national[0]}${DOT.repeat(national.length - 3)}${national.slice(-2)}`;
  // Groups of three for readability (6•• ••• •45); a lone last character joins the group before it.
  const groups = masked.match(/.{1,3}/g) ?? [masked];
  if (groups.length > 1 && groups[groups.length - 1].length === 1)
    groups.splice(-2, 2, groups.at(-2)! + groups.at(-1)!);
  return `+${cc} ${groups.join(' ')}`;
}

/** A username masked like a number: "@" and its first two characters ("@ma•••"), one when it is that short. */
export function maskUsername(username: string | null | undefined): string | null {
  const u = username?.replace(/^@/, '').trim();
  if (!u) return null;
  const shown = [...u].slice(0, u.length > 3 ? 2 : 1).join('');
  return `@${shown}${DOT.repeat(3)}`;
}

/** Message kinds whose text carries numbers the customer did not type as their own words (changed-number notices,
 * contact cards): stored and shown masked, the original only through the audited reveal. */
export const PHONE_MASKED_KINDS: ReadonlySet<string> = new Set(['system', 'contacts']);

// A run of digits with the separators numbers are written with; 7+ digits in it are treated as a phone number.
const DIGIT_RUN = /\+?\d(?:[\d \u00a0().\-\u2010-\u2015]*\d)?/g;
const MIN_RUN_DIGITS = 7;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function maskDigitRuns(s: string): string {
  return s.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length < MIN_RUN_DIGITS || ISO_DATE.test(run)) return run;
    return maskPhone(digits) ?? DOT.repeat(digits.length);
  });
}

/**
 * Every phone number in a text, masked as maskPhone masks a contact's number. Numbers libphonenumber finds
 * (valid international numbers, any formatting) first; then any other run of 7+ digits (a date excepted), so an
 * unrecognised or fictional number never slips through whole. Idempotent: a masked text has no run left to mask.
 */
export function maskPhonesInText(text: string): string {
  let out = '';
  let last = 0;
  for (const found of findPhoneNumbersInText(text)) {
    out += maskDigitRuns(text.slice(last, found.startsAt));
    // The span may hold punctuation around the number ("(+34 …)"): kept, only the number is replaced.
    const span = text.slice(found.startsAt, found.endsAt);
    const lead = /^[^\d+]*/.exec(span)![0];
    const tail = /\D*$/.exec(span.slice(lead.length))![0];
    out += lead + (maskPhone(found.number.number) ?? DOT.repeat(span.length)) + tail;
    last = found.endsAt;
  }
  return out + maskDigitRuns(text.slice(last));
}

/** The text agents may see of a message: numbers masked for PHONE_MASKED_KINDS, other kinds unchanged. */
export function agentVisibleText(kind: string, text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return PHONE_MASKED_KINDS.has(kind) ? maskPhonesInText(text) : text;
}
