// Text normalisation shared by the keyword and content checks: lower case, accents removed, punctuation and
// emoji turned into spaces, whitespace collapsed. Must never be used to store or display text.
export function normalise(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’`´]/g, "'")
    .replace(/[^\p{L}\p{N}'@.$€%+-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Only letters/digits, single spaces: for whole-message keyword comparison. */
export function bareWords(s: string): string {
  return normalise(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
