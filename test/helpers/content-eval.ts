// Evaluates the content detector on the labelled corpus in test/fixtures/content-policy/: a fixed split (by a
// hash of each text, unless a message is marked as written for tuning) into a tuning part and a held-back part, and per language and per rule family the recall,
// the false refusals and the precision. Used by `npm run eval:content` and the threshold test. Reads fixtures only.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyseContent, type Family } from '../../server/src/policy/content/index.js';

export const CORPUS_DIR = join(import.meta.dirname, '..', 'fixtures', 'content-policy');
export const FAMILIES: readonly Family[] = [
  'review_change',
  'review_incentive',
  'review_positive',
  'pressure',
  'off_platform_contact',
];

export interface Example {
  lang: string;
  text: string;
  labels: Family[];
  kind?: string;
  split: 'tuning' | 'heldout';
}

/** FNV-1a of the text: the same example always lands in the same part, whoever edits the files. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function loadCorpus(dir = CORPUS_DIR): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const lang = file.replace(/\.json$/, '');
    const rows = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Array<Omit<Example, 'lang' | 'split'>>;
    for (const r of rows) {
      for (const l of r.labels)
        if (!FAMILIES.includes(l)) throw new Error(`${file}: unknown label "${l}" in "${r.text}"`);
      // Messages written while fixing a mistake say so ("split": "tuning") and never count as held back.
      const forced = (r as { split?: string }).split;
      if (forced !== undefined && forced !== 'tuning') throw new Error(`${file}: "split" can only be "tuning"`);
      out.push({ ...r, lang, split: forced ?? (fnv(r.text) % 10 < 4 ? 'heldout' : 'tuning') });
    }
  }
  return out;
}

export interface Scores {
  positives: number;
  caught: number;
  negatives: number;
  falseRefusals: number;
  recall: number;
  falseRefusalRate: number;
  families: Record<Family, { labelled: number; found: number; correct: number; recall: number; precision: number }>;
  misses: Example[];
  wrong: Array<Example & { found: Family[] }>;
}

export function score(examples: Example[]): Scores {
  const fam = Object.fromEntries(
    FAMILIES.map((f) => [f, { labelled: 0, found: 0, correct: 0, recall: 1, precision: 1 }]),
  ) as Scores['families'];
  let positives = 0;
  let caught = 0;
  let negatives = 0;
  let falseRefusals = 0;
  const misses: Example[] = [];
  const wrong: Scores['wrong'] = [];
  for (const ex of examples) {
    const found = analyseContent(ex.text).findings.map((f) => f.family);
    if (ex.labels.length) {
      positives++;
      if (found.length) caught++;
      else misses.push(ex);
    } else {
      negatives++;
      if (found.length) {
        falseRefusals++;
        wrong.push({ ...ex, found });
      }
    }
    for (const f of FAMILIES) {
      const labelled = ex.labels.includes(f);
      const got = found.includes(f);
      if (labelled) fam[f].labelled++;
      if (got) fam[f].found++;
      if (labelled && got) fam[f].correct++;
    }
  }
  for (const f of FAMILIES) {
    const x = fam[f];
    x.recall = x.labelled ? x.correct / x.labelled : 1;
    x.precision = x.found ? x.correct / x.found : 1;
  }
  return {
    positives,
    caught,
    negatives,
    falseRefusals,
    recall: positives ? caught / positives : 1,
    falseRefusalRate: negatives ? falseRefusals / negatives : 0,
    families: fam,
    misses,
    wrong,
  };
}

export function byLanguage(examples: Example[]): Map<string, Example[]> {
  const m = new Map<string, Example[]>();
  for (const ex of examples) m.set(ex.lang, [...(m.get(ex.lang) ?? []), ex]);
  return m;
}
