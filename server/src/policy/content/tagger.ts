// Compiles the per-language lexicons once (Snowball stems of every word, accents removed, a one-edit typo index,
// phrase tables) and tags a tokenised message with concepts. Must never log or keep the text it tags.
import { stemmer as stemEs } from '@orama/stemmers/spanish';
import { stemmer as stemEn } from '@orama/stemmers/english';
import { stemmer as stemPt } from '@orama/stemmers/portuguese';
import { stemmer as stemFr } from '@orama/stemmers/french';
import { stemmer as stemIt } from '@orama/stemmers/italian';
import { stemmer as stemDe } from '@orama/stemmers/german';
import { de } from './lexicon/de.js';
import { en } from './lexicon/en.js';
import { es } from './lexicon/es.js';
import { fr } from './lexicon/fr.js';
import { it } from './lexicon/it.js';
import { pt } from './lexicon/pt.js';
import { deaccent, type Token } from './tokens.js';
import type { Lang, Lexicon, Tag } from './types.js';

const STEMMERS: Record<Lang, (w: string) => string> = {
  es: stemEs,
  en: stemEn,
  pt: stemPt,
  fr: stemFr,
  it: stemIt,
  de: stemDe,
};
export const LEXICONS: Record<Lang, Lexicon> = { es, en, pt, fr, it, de };

interface Phrase {
  parts: string[][]; // word sequences; between two parts up to three other words may stand ("take … down")
  tags: Tag[];
}

interface Compiled {
  lang: Lang;
  stem: (w: string) => string;
  stems: Map<string, Set<Tag>>;
  /** One-deletion neighbours of stems of five letters or more → the stems (typo tolerance). */
  typos: Map<string, string[]>;
  forms: Map<string, Set<Tag>>;
  phrases: Map<string, Phrase[]>; // by first word
  clitics: string[];
  compounds: Array<[string, Tag]>;
}

const add = <K, V>(m: Map<K, Set<V>>, k: K, v: V) => {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
};
/** One substitution, insertion, deletion or swap of neighbours apart (the one-deletion index finds more). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
const deletions = (s: string) => Array.from(s, (_, i) => s.slice(0, i) + s.slice(i + 1));
/** Phrases whose words lose their single-word meaning ("a cambio de", "free shipping", "don't forget"). */
const CONSUMING = new Set<Tag>([
  'exchange',
  'cond',
  'negExcept',
  'offPlatform',
  'incentive',
  'reward',
  'threat',
  'ultimatum',
  'change',
]);
const SAFE_FORM_TAGS = new Set<Tag>([
  'your',
  'my',
  'request',
  'offer',
  'thanks',
  'review',
  'reviewVerb',
  'negExcept',
  'pronoun',
]);
const TYPO_TAGS = new Set<Tag>(['review', 'change', 'incentive', 'contact', 'reviewVerb', 'threat']);

function compile(lang: Lang, lex: Lexicon): Compiled {
  const stem = STEMMERS[lang];
  const stems = new Map<string, Set<Tag>>();
  const typos = new Map<string, string[]>();
  const forms = new Map<string, Set<Tag>>();
  for (const [tag, words] of Object.entries(lex.stems) as Array<[Tag, string[]]>) {
    // Verbs of rating share their stem with the noun (bewerten / Bewertung, avaliar / avaliação): exact forms only.
    if (tag === 'reviewVerb') {
      for (const w of words) add(forms, deaccent(w.toLowerCase()), tag);
      continue;
    }
    for (const w of words) {
      const lower = w.toLowerCase();
      for (const s of new Set([deaccent(stem(lower)), deaccent(stem(deaccent(lower))), deaccent(lower)])) {
        add(stems, s, tag);
        if (tag === 'reward') add(stems, s, 'incentive'); // a gift is an incentive too
        if (TYPO_TAGS.has(tag) && s.length >= 5)
          for (const d of deletions(s)) typos.set(d, [...(typos.get(d) ?? []), s]);
      }
    }
  }
  for (const [tag, words] of Object.entries(lex.forms) as Array<[Tag, string[]]>)
    for (const w of words) add(forms, deaccent(w.toLowerCase()), tag);
  const phrases = new Map<string, Phrase[]>();
  for (const [tag, list] of Object.entries(lex.phrases) as Array<[Tag, string[]]>) {
    for (const p of list) {
      const parts = deaccent(p.toLowerCase())
        .replace(/-/g, ' ')
        .split(/…|\.\.\./) // NFKD turns "…" into three dots
        .map((x) =>
          x
            .trim()
            .replace(/\b([\p{L}]{1,2})'(?=\p{L})/gu, "$1' ") // "bon d'achat" is tokenised as bon / d' / achat
            .split(/\s+/)
            .filter(Boolean),
        )
        .filter((x) => x.length);
      const first = parts[0]![0]!;
      const tags: Tag[] = tag === 'reward' ? ['reward', 'incentive'] : [tag];
      const same = (phrases.get(first) ?? []).find((x) => x.parts.join('|') === parts.join('|'));
      if (same) same.tags.push(...tags);
      else phrases.set(first, [...(phrases.get(first) ?? []), { parts, tags }]);
    }
  }
  const compounds: Array<[string, Tag]> = [];
  for (const [tag, list] of Object.entries(lex.compounds ?? {}) as Array<[Tag, string[]]>)
    for (const w of list) compounds.push([deaccent(w), tag]);
  return { lang, stem, stems, typos, forms, phrases, clitics: lex.clitics ?? [], compounds };
}

const COMPILED = Object.fromEntries(
  (Object.entries(LEXICONS) as Array<[Lang, Lexicon]>).map(([l, x]) => [l, compile(l, x)]),
) as Record<Lang, Compiled>;

/** Every stop word and function word of every language. */
const FUNCTION_WORDS = new Set<string>(
  (Object.values(LEXICONS) as Lexicon[]).flatMap((x) => [
    ...x.stop.map((w) => deaccent(w)),
    ...Object.values(x.forms).flatMap((ws) => (ws ?? []).map((w) => deaccent(w.toLowerCase()))),
  ]),
);

export const STOPWORDS: ReadonlyMap<Lang, ReadonlySet<string>> = new Map(
  (Object.entries(LEXICONS) as Array<[Lang, Lexicon]>).map(([l, x]) => [l, new Set(x.stop.map((w) => deaccent(w)))]),
);

export interface Tagged {
  tags: Set<Tag>;
  /** The verb carried an object pronoun (eliminarla, cancellarla, apagá-la). */
  clitic?: boolean;
  comma?: boolean;
  email?: boolean;
  phone?: boolean;
  handle?: boolean;
  /** Part of a phrase already matched (its single-word meaning does not count). */
  consumed?: boolean;
  bare: string;
}

/** Tries `phrase` at position i; returns the positions of its words (not the words allowed between), or null. */
function matchPhrase(tokens: Token[], i: number, phrase: Phrase): number[] | null {
  let at = i;
  const used: number[] = [];
  for (let p = 0; p < phrase.parts.length; p++) {
    const words = phrase.parts[p]!;
    const fits = (k: number) => words.every((w, j) => tokens[k + j]?.bare === w);
    if (p === 0) {
      if (!fits(at)) return null;
      for (let j = 0; j < words.length; j++) used.push(at + j);
      at += words.length;
      continue;
    }
    let found = -1;
    for (let k = at; k <= at + 3 && k < tokens.length; k++)
      if (fits(k)) {
        found = k;
        break;
      }
    if (found < 0) return null;
    for (let j = 0; j < words.length; j++) used.push(found + j);
    at = found + words.length;
  }
  return used;
}

function tagWordUncached(c: Compiled, t: Token, out: Tagged, primary: boolean): void {
  // Function words of another language are only trusted where they cannot flip a meaning: Portuguese "no" (in the)
  // is not a negation, Italian "se" (if) not a condition.
  const formTags = c.forms.get(t.bare);
  if (formTags) for (const x of formTags) if (primary || SAFE_FORM_TAGS.has(x)) out.tags.add(x);
  if (!/\p{L}/u.test(t.bare)) return;
  const s = deaccent(c.stem(t.raw));
  let tags = c.stems.get(s) ?? c.stems.get(t.bare);
  // eliminarla → eliminar (+ an object pronoun), cancellarla → cancellare, apagá-la → apagar
  for (const cl of c.clitics) {
    if (t.bare.length <= cl.length + 3 || !t.bare.endsWith(cl)) continue;
    const base = t.bare.slice(0, -cl.length);
    const baseTags = c.stems.get(deaccent(c.stem(base))) ?? c.stems.get(deaccent(c.stem(`${base}e`)));
    if (baseTags?.has('change') || baseTags?.has('invite')) {
      tags ??= baseTags;
      out.clitic = true;
      break;
    }
  }
  if (!tags) {
    for (const [suffix, tag] of c.compounds)
      if (t.bare.length > suffix.length + 2 && t.bare.endsWith(suffix)) out.tags.add(tag);
  }
  let viaTypo = false;
  // Common words are never a typo of something else ("after" is not "alter").
  const common = FUNCTION_WORDS.has(t.bare);
  if (!tags && primary && !common && s.length >= 5) {
    // Other inflections of a verb or noun stem: "togliesse" (togli-), "retirasse" (retir-), "supprimiez" (supprim-).
    for (let n = s.length - 1; n >= 4 && !tags; n--) {
      const hit = c.stems.get(s.slice(0, n));
      if (hit && (hit.has('change') || hit.has('review')))
        tags = new Set([...hit].filter((x) => x === 'change' || x === 'review'));
    }
    if (tags) viaTypo = true;
  }
  if (!tags && primary && !common && s.length >= 5) {
    // One edit away from a lexicon stem (a missing, extra, swapped or wrong letter).
    const near =
      c.typos.get(s)?.find((x) => withinOneEdit(s, x)) ??
      deletions(s).find((d) => c.stems.has(d)) ??
      deletions(s)
        .flatMap((d) => c.typos.get(d) ?? [])
        .find((x) => withinOneEdit(s, x));
    if (near) {
      tags = c.stems.get(near) ?? c.stems.get(c.typos.get(near)![0]!);
      viaTypo = true;
    }
  }
  if (tags) for (const x of tags) if (!viaTypo || TYPO_TAGS.has(x)) out.tags.add(x);
}

/** Words repeat: what a word means in a language is remembered (bounded; cleared when full). */
const MEMO_LIMIT = 50_000;
const memo = new Map<string, { tags: Tag[]; clitic: boolean }>();

function tagWord(c: Compiled, t: Token, out: Tagged, primary: boolean): void {
  const key = `${c.lang}${primary ? '!' : ':'}${t.raw}`;
  let hit = memo.get(key);
  if (!hit) {
    const scratch: Tagged = { tags: new Set(), bare: t.bare };
    tagWordUncached(c, t, scratch, primary);
    hit = { tags: [...scratch.tags], clitic: !!scratch.clitic };
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, hit);
  }
  for (const x of hit.tags) out.tags.add(x);
  if (hit.clitic) out.clitic = true;
}

/** Tags every token of every sentence with the concepts of `langs` (the first is the message's language). */
export function tagSentences(sentences: Token[][], langs: readonly Lang[]): Tagged[][] {
  return sentences.map((tokens) => {
    const out: Tagged[] = tokens.map((t) => ({
      // A pronoun written onto its verb (laissez-nous, apagá-la) is part of the verb: only "la/le" objects count.
      tags: new Set<Tag>(t.attached && /^(la|lo|las|los|le|les)$/.test(t.bare) ? ['pronoun'] : []),
      ...(t.attached ? { consumed: true } : {}),
      bare: t.bare,
      ...(t.comma ? { comma: true } : {}),
      ...(t.email ? { email: true } : {}),
      ...(t.phone ? { phone: true } : {}),
      ...(t.handle ? { handle: true } : {}),
    }));
    for (const lang of langs) {
      const c = COMPILED[lang];
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (t.comma || t.email || t.phone || t.handle) continue;
        for (const phrase of c.phrases.get(t.bare) ?? []) {
          const used = matchPhrase(tokens, i, phrase);
          if (!used) continue;
          for (const tag of phrase.tags) out[i]!.tags.add(tag);
          // The other words of a phrase belong to it ("a cambio de" is not "cambio", a change).
          if (phrase.tags.some((x) => CONSUMING.has(x))) for (const k of used.slice(1)) out[k]!.consumed = true;
        }
        if (!out[i]!.consumed) tagWord(c, t, out[i]!, lang === langs[0]);
      }
      if (lang === 'en') untagReviewVerbs(out);
    }
    return out;
  });
}

const VERB_OBJECT = new Set([
  'your',
  'the',
  'our',
  'this',
  'my',
  'all',
  'it',
  'them',
  'his',
  'her',
  'their',
  'each',
  'any',
  'every',
  'these',
  'those',
  'that',
  'whether',
]);

/** English "review" is also a verb: "we reviewed your case", "we will review the refund" are not reviews. */
function untagReviewVerbs(out: Tagged[]): void {
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    if (!t.tags.has('review')) continue;
    if (/^review(ed|ing|er)$/.test(t.bare)) t.tags.delete('review');
    else if ((t.bare === 'review' || t.bare === 'reviews') && VERB_OBJECT.has(out[i + 1]?.bare ?? ''))
      t.tags.delete('review');
  }
}
