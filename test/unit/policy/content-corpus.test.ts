// The content policy's measured quality on the held-back part of the labelled corpus (test/fixtures/content-
// policy/), per language: recall (refused pressure messages) and false refusals (ordinary messages refused). The
// floors are the figures measured when the detector was last tuned (README, "Content policy"); a change that makes
// any language worse fails here. The corpus must stay large and balanced enough to mean something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byLanguage, loadCorpus, score } from '../../helpers/content-eval.js';

const corpus = loadCorpus();
const heldout = corpus.filter((e) => e.split === 'heldout');

/** Measured on the held-back part: [min recall, max false-refusal rate]. */
const FLOORS: Record<string, [number, number]> = {
  de: [1.0, 0.0],
  en: [1.0, 0.06],
  es: [0.94, 0.0],
  fr: [1.0, 0.0],
  it: [1.0, 0.0],
  pt: [0.91, 0.06],
};

test('the corpus: at least 400 labelled messages in six languages, as many hard negatives as positives', () => {
  assert.ok(corpus.length >= 400, `${corpus.length} messages`);
  const langs = byLanguage(corpus);
  assert.deepEqual([...langs.keys()].sort(), ['de', 'en', 'es', 'fr', 'it', 'pt']);
  for (const [lang, xs] of langs) {
    const negatives = xs.filter((x) => !x.labels.length).length;
    assert.ok(negatives >= xs.length * 0.4, `${lang}: ${negatives} negatives of ${xs.length}`);
    assert.ok(xs.filter((x) => x.split === 'heldout').length >= 20, `${lang}: held-back part too small`);
  }
});

test('held-back part: recall and false refusals per language stay at or better than measured', () => {
  for (const [lang, xs] of byLanguage(heldout)) {
    const s = score(xs);
    const [recall, falseRefusals] = FLOORS[lang]!;
    assert.ok(s.recall >= recall, `${lang}: recall ${(s.recall * 100).toFixed(1)}% < ${recall * 100}%`);
    assert.ok(
      s.falseRefusalRate <= falseRefusals,
      `${lang}: false refusals ${(s.falseRefusalRate * 100).toFixed(1)}% > ${falseRefusals * 100}%`,
    );
  }
  const all = score(heldout);
  assert.ok(all.recall >= 0.97 && all.falseRefusalRate <= 0.025, `all: ${all.recall} / ${all.falseRefusalRate}`);
});
