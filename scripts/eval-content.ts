// `npm run eval:content`: precision and recall of the content policy per language and rule family on the labelled
// corpus. Prints the held-back figures (the ones the targets apply to) and, with --tuning, the tuning part and its
// mistakes. Reads the corpus only; never writes anything.
import { FAMILIES, byLanguage, loadCorpus, score, type Example } from '../test/helpers/content-eval.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
const showTuning = process.argv.includes('--tuning');
const corpus = loadCorpus();

function report(title: string, examples: Example[], details: boolean): void {
  console.log(`\n${title} (${examples.length} messages)`);
  console.log(`${'lang'.padEnd(6)}${'n'.padStart(5)}${'recall'.padStart(8)}${'false refusals'.padStart(16)}`);
  for (const [lang, xs] of [...byLanguage(examples)].sort()) {
    const s = score(xs);
    console.log(
      `${lang.padEnd(6)}${String(xs.length).padStart(5)}${pct(s.recall)} ${pct(s.falseRefusalRate).padStart(15)}  (${s.caught}/${s.positives} caught, ${s.falseRefusals}/${s.negatives} wrongly refused)`,
    );
  }
  const all = score(examples);
  console.log(
    `${'all'.padEnd(6)}${String(examples.length).padStart(5)}${pct(all.recall)} ${pct(all.falseRefusalRate).padStart(15)}`,
  );
  console.log(`\n${'family'.padEnd(22)}${'labelled'.padStart(9)}${'recall'.padStart(8)}${'precision'.padStart(10)}`);
  for (const f of FAMILIES) {
    const x = all.families[f];
    console.log(`${f.padEnd(22)}${String(x.labelled).padStart(9)}${pct(x.recall)} ${pct(x.precision).padStart(9)}`);
  }
  if (details) {
    for (const m of all.misses) console.log(`  missed  [${m.lang}] ${m.labels.join(',')}: ${m.text}`);
    for (const w of all.wrong) console.log(`  refused [${w.lang}] ${w.kind ?? ''} as ${w.found.join(',')}: ${w.text}`);
  }
}

console.log(`Content policy evaluation: ${corpus.length} labelled messages in ${byLanguage(corpus).size} languages`);
report(
  'Held-back part',
  corpus.filter((e) => e.split === 'heldout'),
  false,
);
if (showTuning)
  report(
    'Tuning part',
    corpus.filter((e) => e.split === 'tuning'),
    true,
  );
