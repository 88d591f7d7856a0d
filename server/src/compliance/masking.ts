// Masking of customer identity for users without `contacts:reveal`: a masked phone keeps the country code,
// the first national digit and the last two ("+34 6•• ••• •45"). Must never return more digits than that.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

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
