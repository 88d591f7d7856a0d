// `npm run bench:content` (also part of `npm run bench`): time per message of the content detector over every
// message of the labelled corpus, after a warm-up, and the same with history-sized texts (ten sentences). Prints
// p50/p99/max in microseconds; the target is a p99 well under one millisecond. Reads fixtures only.
import { performance } from 'node:perf_hooks';
import { analyseContent } from '../../server/src/policy/content/index.js';
import { loadCorpus } from '../helpers/content-eval.js';

const texts = loadCorpus().map((e) => e.text);
const long = Array.from({ length: 100 }, (_, i) => texts.slice(i, i + 10).join(' '));

function run(label: string, xs: string[], rounds: number): void {
  for (const t of xs) analyseContent(t); // warm-up: lexicons compiled, JIT settled
  const times: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const t of xs) {
      const t0 = performance.now();
      analyseContent(t);
      times.push((performance.now() - t0) * 1000);
    }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(
    `${label.padEnd(28)} n=${String(times.length).padStart(6)}  p50 ${q(0.5).padStart(6)} µs  p99 ${q(0.99).padStart(6)} µs  max ${times.at(-1)!.toFixed(1).padStart(7)} µs`,
  );
}

console.log('Content policy detector, time per message');
run('corpus messages', texts, 20);
run('ten-sentence messages', long, 20);
