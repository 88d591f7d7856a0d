// Guesses which of the six languages a message is in, from common words and letters only one language uses (ñ, ç,
// ã, ß…). Cheap and good enough to choose a lexicon; must never be used to store or show a language as fact.
import type { Lang, Lexicon } from './types.js';
import type { Token } from './tokens.js';

const MARKS: Array<[RegExp, Lang, number]> = [
  [/[ñ¿¡]/u, 'es', 3],
  [/[ãõ]|ção|ções/u, 'pt', 3],
  [/[ß]|[äöü]/u, 'de', 3],
  [/[èì]|(?<!\p{L})(?:perché|però|più|è)(?!\p{L})/u, 'it', 2],
  [/[âîôûœëù]|(?<!\p{L})(?:très|à|où|ça)(?!\p{L})|\b(?:qu|j|n|c)'/u, 'fr', 2],
  [/[êç]/u, 'fr', 1],
  [/[êç]/u, 'pt', 1],
  [/(?<!\p{L})(?:você|não|é|dê|tá|né)(?!\p{L})/u, 'pt', 2],
];

export function guessLanguages(
  text: string,
  sentences: Token[][],
  stops: ReadonlyMap<Lang, ReadonlySet<string>>,
  order: readonly Lang[],
): Array<[Lang, number]> {
  const score = new Map<Lang, number>(order.map((l) => [l, 0]));
  for (const [re, lang, weight] of MARKS) if (re.test(text)) score.set(lang, score.get(lang)! + weight);
  // A word several languages share ("me", "no", "de") says less than one only one language uses ("você", "the").
  for (const s of sentences)
    for (const t of s) {
      let n = 0;
      for (const set of stops.values()) if (set.has(t.bare)) n++;
      if (n) for (const [lang, set] of stops) if (set.has(t.bare)) score.set(lang, score.get(lang)! + 1 / n);
    }
  return [...order]
    .sort((a, b) => score.get(b)! - score.get(a)! || order.indexOf(a) - order.indexOf(b))
    .map((l) => [l, score.get(l)!]);
}

export type { Lexicon };
