// Splits a message into sentences and clause-bounded tokens for the content detector: lower case, accents kept for
// stemming and removed for matching, emoji and symbols dropped, commas kept as clause marks, e-mail addresses and
// phone numbers recognised as such. Must never log, store or return the text beyond the caller's analysis.

export interface Token {
  /** Lower case with accents (what the stemmer wants). */
  raw: string;
  /** Lower case, accents removed (what phrases and function words are matched against). */
  bare: string;
  /** A comma, colon or dash: ends negation scope and forward matches. */
  comma?: boolean;
  email?: boolean;
  phone?: boolean;
  /** An @handle (Instagram, Telegram…). */
  handle?: boolean;
  /** A pronoun written onto the verb before it with a hyphen (donnez-moi, apagá-la). */
  attached?: boolean;
}

export const deaccent = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss');

const EMAIL = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}$/u;
const PHONE = /^\+?\d[\d\s().-]{6,}\d$/;

/** Sentences of a text (split at . ! ? ¿ ¡ ; and new lines), each a list of tokens. */
export function tokenise(text: string): Token[][] {
  const lower = text.toLowerCase().normalize('NFC').replace(/[’`´]/g, "'");
  const sentences: Token[][] = [];
  // Phone numbers with spaces are joined first so that "+34 612 345 678" stays one token.
  const joined = lower.replace(/\+?\d[\d ().-]{6,}\d/g, (m) => m.replace(/[ ().-]/g, ''));
  for (const part of joined.split(/[!?¿¡;\n\r]+|\.+(?=\s|$)|\.{2,}/u)) {
    const tokens: Token[] = [];
    for (const m of part.matchAll(
      /@?[\p{L}\p{N}][\p{L}\p{N}'@._%+-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[,:–—]|\s-\s|%|[€$]/gu,
    )) {
      const w = m[0].trim();
      if (/^@[\p{L}\p{N}._]{2,}$/u.test(w)) {
        tokens.push({ raw: w, bare: w, handle: true });
        continue;
      }
      if (w === ',' || w === ':' || w === '–' || w === '—' || w === '-') {
        if (tokens.length) tokens.push({ raw: ',', bare: ',', comma: true });
        continue;
      }
      if (EMAIL.test(w)) {
        tokens.push({ raw: w, bare: w, email: true });
        continue;
      }
      if (PHONE.test(w) && w.replace(/\D/g, '').length >= 8) {
        tokens.push({ raw: w, bare: w, phone: true });
        continue;
      }
      // "d'achat", "l'avis", "qual'e": the article stays a token of its own.
      const apostrophe = /^([\p{L}]{1,2})'([\p{L}].*)$/u.exec(w);
      const words = apostrophe ? [`${apostrophe[1]}'`, apostrophe[2]!] : [w.replace(/\.+$/, '')];
      for (const word of words) {
        if (!word) continue;
        // Hyphenated pronoun forms (donnez-moi, apagá-la) are split; the pieces keep their meaning.
        const hyphen = /^([\p{L}]+)-(moi|nous|la|lo|las|los|le|les|lhe|me|te|vous)$/u.exec(word);
        if (hyphen) {
          tokens.push({ raw: hyphen[1]!, bare: deaccent(hyphen[1]!) });
          tokens.push({ raw: hyphen[2]!, bare: deaccent(hyphen[2]!), attached: true });
        } else if (word.includes('-') && !/^e-mail/.test(word)) {
          // "5-star", "5-Sterne-Bewertung", "vale-compra": the parts are words of their own.
          for (const piece of word.split('-').filter(Boolean)) tokens.push({ raw: piece, bare: deaccent(piece) });
        } else tokens.push({ raw: word, bare: deaccent(word) });
      }
    }
    while (tokens.length && tokens[tokens.length - 1]!.comma) tokens.pop();
    if (tokens.length) sentences.push(tokens);
  }
  return sentences;
}
