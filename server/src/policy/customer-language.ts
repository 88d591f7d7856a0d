// Which of the six customer languages (es/en/pt/fr/it/de) an automatic message to a customer is written in: the
// language of the keyword they sent when only one language uses it, else the country of their number (a Brazilian
// who writes DENUNCIAR gets Portuguese), else the language of their recent messages, else the business locale.
// Pure functions; must never log the number or the texts.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { analyseContent } from './content/index.js';
import type { KeywordLang } from './keywords.js';

export type CustomerLang = KeywordLang;
export const CUSTOMER_LANGS: readonly CustomerLang[] = ['es', 'en', 'pt', 'fr', 'it', 'de'];

const COUNTRY: Partial<Record<CountryCode, CustomerLang>> = {};
for (const c of [
  'ES',
  'MX',
  'AR',
  'CO',
  'CL',
  'PE',
  'VE',
  'EC',
  'GT',
  'CU',
  'BO',
  'DO',
  'HN',
  'PY',
  'SV',
  'NI',
  'CR',
  'PA',
  'UY',
  'PR',
  'GQ',
] as CountryCode[])
  COUNTRY[c] = 'es';
for (const c of ['BR', 'PT', 'AO', 'MZ', 'CV', 'GW', 'ST', 'TL'] as CountryCode[]) COUNTRY[c] = 'pt';
for (const c of ['FR', 'BE', 'LU', 'MC', 'SN', 'CI', 'CM', 'MA', 'TN', 'DZ', 'HT'] as CountryCode[]) COUNTRY[c] = 'fr';
for (const c of ['IT', 'SM', 'VA'] as CountryCode[]) COUNTRY[c] = 'it';
for (const c of ['DE', 'AT', 'CH', 'LI'] as CountryCode[]) COUNTRY[c] = 'de';
for (const c of ['US', 'GB', 'IE', 'CA', 'AU', 'NZ', 'ZA', 'NG', 'KE', 'IN', 'PH', 'SG'] as CountryCode[])
  COUNTRY[c] = 'en';

/** The language most spoken in the country of an E.164 number, or null (unknown country or no number). */
export function languageOfNumber(phone: string | null | undefined): CustomerLang | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return null;
  const country = parsePhoneNumberFromString(`+${digits}`)?.country;
  return (country && COUNTRY[country]) ?? null;
}

/** "pt-BR" → "pt"; anything not one of the six → null. */
export function baseLanguage(tag: string | null | undefined): CustomerLang | null {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] as CustomerLang;
  return CUSTOMER_LANGS.includes(base) ? base : null;
}

export interface LanguageHints {
  /** Languages the customer's keyword belongs to (first = the word's usual language). */
  keyword?: readonly CustomerLang[];
  /** The contact's number (E.164), if known. */
  phone?: string | null;
  /** The customer's recent messages, newest first. */
  texts?: readonly string[];
}

export function customerLanguage(hints: LanguageHints, fallback: CustomerLang): CustomerLang {
  const kw = hints.keyword ?? [];
  if (kw.length === 1) return kw[0]!;
  const byNumber = languageOfNumber(hints.phone);
  if (byNumber && (!kw.length || kw.includes(byNumber))) return byNumber;
  // Their own words: the longest recent messages say the most.
  const said = (hints.texts ?? [])
    .filter((t) => t.trim().split(/\s+/).length >= 3)
    .slice(0, 5)
    .join('. ');
  if (said) {
    const lang = analyseContent(said, kw[0] ?? fallback).lang;
    if (!kw.length || kw.includes(lang)) return lang;
  }
  if (kw.length) return kw.includes(fallback) ? fallback : kw[0]!;
  return fallback;
}
